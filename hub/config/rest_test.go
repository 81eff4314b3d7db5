package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/config"
)

const restOK = "name: stock, schedule: {every: 5m}, url: 'https://api.example.com/stock', doctype: stock_level"

func restPartner(src string) string {
	return "partners:\n  - {id: north, name: N, roles: [dealer], rest: [{" + src + "}]}\n"
}

func TestRESTSourceErrors(t *testing.T) {
	t.Parallel()
	cases := []parseErrorCase{
		{"unknown key", restPartner(restOK + ", page_size: 10"), []string{"/partners/0/rest/0", "page_size"}},
		{"no schedule", restPartner("name: stock, url: 'https://a.example', doctype: stock_level"), []string{"/partners/0/rest/0", "schedule"}},
		{"too often", restPartner("name: stock, schedule: {every: 1s}, url: 'https://a.example', doctype: stock_level"), []string{"/partners/0/rest/0/schedule/every", "at least 10s"}},
		{"bad name", restPartner("name: Stock Feed, schedule: {every: 5m}, url: 'https://a.example', doctype: stock_level"), []string{"/partners/0/rest/0/name"}},
		{"bad url", restPartner("name: stock, schedule: {every: 5m}, url: 'ftp://a.example', doctype: stock_level"), []string{"/partners/0/rest/0/url"}},
		{"price lists are not pulled", restPartner("name: stock, schedule: {every: 5m}, url: 'https://a.example', doctype: price_list"), []string{"/partners/0/rest/0/doctype"}},
		{"oauth2 without token_url", restPartner(restOK + ", auth: {type: oauth2, client_id: c, client_secret: s}"), []string{"/partners/0/rest/0/auth/token_url"}},
		{"cursor without its path", restPartner(restOK + ", pagination: {type: cursor}"), []string{"/partners/0/rest/0/pagination/cursor_path"}},
		{"unknown mapping", restPartner(restOK + ", mapping: nope"), []string{"/partners/0/rest/0/mapping", `no mapping named "nope"`}},
		{"unset secret", restPartner(restOK + ", auth: {type: bearer, token: '${NOPE_TOKEN}'}"), []string{"/partners/0/rest/0/auth/token", "NOPE_TOKEN"}},
		{"stock of a supplier", "partners:\n  - {id: acme, name: A, roles: [supplier], rest: [{" + restOK + "}]}\n", []string{"/partners/0/rest/0/doctype", `"acme" is not a dealer`}},
		{"two sources, one name", "partners:\n  - {id: north, name: N, roles: [dealer], rest: [{" + restOK + "}, {" + restOK + "}]}\n",
			[]string{"/partners/0/rest/1/name", `two rest sources named "stock"`}},
	}
	requireParseErrors(t, cases)
}

func TestRESTSourceSecretsAndDefaults(t *testing.T) {
	t.Parallel()
	yaml := "partners:\n" +
		"  - {id: north, name: N, roles: [dealer], rest: [{" + restOK + ", headers: {X-Tenant: '${TENANT}'}, auth: {type: oauth2, token_url: 'https://a.example/token', client_id: hub, client_secret: '${SECRET}'}}, " +
		"{name: products, schedule: {cron: '0 2 * * *'}, url: 'https://a.example/p', doctype: product, rate_limit: {rps: 0.5}}]}\n" +
		"  - {id: west, name: W, roles: [dealer], enabled: false, rest: [{" + restOK + "}]}\n"
	cfg, err := config.Parse([]byte(yaml), "hub.yaml", env(map[string]string{"SECRET": "from-env", "TENANT": "t-1"}))
	require.NoError(t, err)
	srcs := cfg.RESTSources()
	require.Len(t, srcs, 1, "a disabled partner's sources are not scheduled")
	require.Len(t, srcs["north"], 2)
	s := srcs["north"][0]
	require.Equal(t, "rest:stock", s.SourceKind())
	require.Equal(t, "from-env", s.Auth.ClientSecret)
	require.Equal(t, "t-1", s.Headers["X-Tenant"])
	require.Equal(t, 5*time.Minute, time.Duration(s.Schedule.Every))
	p, ok := cfg.REST("north", "products")
	require.True(t, ok)
	require.InDelta(t, 0.5, p.RateLimit.RPS, 1e-9)
	require.Equal(t, "0 2 * * *", p.Schedule.Cron)
}

// TestREADMERESTExamples loads the rest examples of the README's "REST
// sources" section and of connectors/rest/README.md (with a mapping file
// where they name one), so that they cannot drift from the schema.
func TestREADMERESTExamples(t *testing.T) {
	t.Parallel()
	const stockMapping = "version: 1\ndoctype: stock_level\nfields:\n  sku: {column: sku}\n  location: {column: location}\n  on_hand: {column: quantity}\n  unit: {column: uom}\n  as_of: {column: updated_at}\n"
	cases := []struct {
		readme, section, mappingFile, partner, envVar string
	}{
		{"../../README.md", "\n### REST sources\n", "mappings/north-api-stock.yaml", "north", "NORTH_API_SECRET"},
		{"../../connectors/rest/README.md", "\n## Example: a cursor-paginated stock API behind OAuth2\n", "nordic-stock.yaml", "nordic-dealer", "NORDIC_CLIENT_SECRET"},
	}
	for _, tc := range cases {
		block := readmeYAML(t, tc.readme, strings.TrimSpace(tc.section))
		dir := t.TempDir()
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, tc.mappingFile)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, tc.mappingFile), []byte(stockMapping), 0o600))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "hub.yaml"), []byte(block), 0o600))
		cfg, err := config.Load(filepath.Join(dir, "hub.yaml"), env(map[string]string{tc.envVar: "s3cret"}))
		require.NoError(t, err, "%s", tc.readme)
		srcs := cfg.RESTSources()[tc.partner]
		require.Len(t, srcs, 1)
		require.Equal(t, "s3cret", srcs[0].Auth.ClientSecret)
		require.Equal(t, "stock_level", srcs[0].Doctype)
		require.Equal(t, "cursor", srcs[0].Pagination.Type)
	}
}

// readmeYAML returns the first yaml example after a heading of a README
// (path relative to hub/config), so a test can load it.
func readmeYAML(t *testing.T, path, heading string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	s := string(b)
	i := strings.Index(s, "\n"+heading+"\n")
	require.GreaterOrEqual(t, i, 0, "%s has the section %q", path, heading)
	s = s[i:]
	start := strings.Index(s, "```yaml\n")
	require.GreaterOrEqual(t, start, 0, "the section has a yaml example")
	s = s[start+len("```yaml\n"):]
	return s[:strings.Index(s, "```")]
}

// parseErrorCase is a config that must be refused with errors containing
// every string of want.
type parseErrorCase struct {
	name string
	yaml string
	want []string
}

// requireParseErrors parses each case's config and requires its errors.
func requireParseErrors(t *testing.T, cases []parseErrorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := config.Parse([]byte(tc.yaml), "hub.yaml", env(nil))
			require.Error(t, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}
