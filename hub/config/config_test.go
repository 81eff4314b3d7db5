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

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func TestExampleConfigLoads(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load("../../testdata/config/dealerhub.yaml", env(map[string]string{"ACME_WEBHOOK_SECRET": "s3cret"}))
	require.NoError(t, err)
	require.Len(t, cfg.Partners, 5)
	require.Len(t, cfg.Relationships, 3)

	r := cfg.Route("acme", "order")
	require.Equal(t, "webhook", r.Channel)
	require.Equal(t, "json", r.Format)
	require.Equal(t, "s3cret", r.Webhook.Secret)
	require.Equal(t, 10*time.Second, time.Duration(r.Webhook.Timeout))
	require.Equal(t, "inbox", cfg.Route("acme", "price_list").Channel, "the * route")
	require.Equal(t, "inbox", cfg.Route("north", "order").Channel, "the default")
	max, initial, maxBackoff := cfg.Delivery.Policy()
	require.Equal(t, 8, max)
	require.Equal(t, 2*time.Second, initial)
	require.Equal(t, 10*time.Minute, maxBackoff)
}

func TestConfigErrorsNameTheKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown top-level key", "partnres: []\n", []string{"partnres"}},
		{"unknown partner key", "partners:\n  - id: acme\n    name: A\n    roles: [supplier]\n    colour: red\n", []string{"colour", "/partners/0"}},
		{"misspelt webhook key", "partners:\n  - id: acme\n    name: A\n    roles: [supplier]\n    routes:\n      - doctype: order\n        channel: webhook\n        webhook: {url: 'http://x', secert: y}\n", []string{"secert"}},
		{"bad partner id", "partners:\n  - id: ACME\n    name: A\n    roles: [supplier]\n", []string{"/partners/0/id"}},
		{"missing name", "partners:\n  - id: acme\n    roles: [supplier]\n", []string{"name"}},
		{"duplicate partner", "partners:\n  - {id: acme, name: A, roles: [supplier]}\n  - {id: acme, name: B, roles: [dealer]}\n", []string{"/partners/1/id", "declared twice"}},
		{"unset secret variable", "partners:\n  - id: acme\n    name: A\n    roles: [supplier]\n    routes:\n      - {doctype: order, channel: webhook, webhook: {url: 'http://x', secret: '${NOPE_SECRET}'}}\n", []string{"NOPE_SECRET", "/partners/0/routes/0/webhook/secret"}},
		{"not yaml", "partners: [\n", []string{"not valid YAML"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := config.Parse([]byte(tc.yaml), "hub.yaml", env(nil))
			require.Error(t, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
			require.True(t, strings.Contains(err.Error(), "hub.yaml"), "the file is named: %v", err)
		})
	}
}

func TestSecretFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, os.WriteFile(path, []byte("from-file\n"), 0o600))
	cfg, err := config.Parse([]byte("partners:\n  - id: acme\n    name: A\n    roles: [supplier]\n    routes:\n      - {doctype: order, channel: webhook, webhook: {url: 'http://x', secret_file: '"+path+"'}}\n"), "hub.yaml", env(nil))
	require.NoError(t, err)
	require.Equal(t, "from-file", cfg.Route("acme", "order").Webhook.Secret)
}

func TestEmptyConfig(t *testing.T) {
	t.Parallel()
	cfg, err := config.Parse([]byte(""), "empty.yaml", env(nil))
	require.NoError(t, err)
	require.Empty(t, cfg.Partners)
}

func TestExampleConfigMappings(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load("../../testdata/config/dealerhub.yaml", env(map[string]string{"ACME_WEBHOOK_SECRET": "s3cret"}))
	require.NoError(t, err)
	pm, ok := cfg.Mapping("acme", "acme-prices")
	require.True(t, ok)
	require.Equal(t, "price_list", pm.Doctype())
	require.Equal(t, "CNY", pm.Mapping.Document["currency"])
	def, ok := cfg.DefaultMapping("acme", "price_list")
	require.True(t, ok)
	require.Equal(t, "acme-prices", def.Name)
	_, ok = cfg.DefaultMapping("acme", "product")
	require.False(t, ok, "no default for another doctype")
	_, ok = cfg.Mapping("north", "acme-prices")
	require.False(t, ok, "mappings belong to their partner")
	require.Equal(t, []string{"acme-prices"}, cfg.MappingNames("acme"))
	require.Empty(t, cfg.MappingNames("nobody"))
}

// mappingConfig writes mapping files into a folder and a config beside
// them that lists them for partner acme; it returns the config's path.
func mappingConfig(t *testing.T, files map[string]string, list string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "maps"), 0o755))
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "maps", name), []byte(body), 0o644))
	}
	path := filepath.Join(dir, "hub.yaml")
	require.NoError(t, os.WriteFile(path, []byte("partners:\n  - id: acme\n    name: A\n    roles: [supplier]\n    mappings:\n"+list), 0o644))
	return path
}

func TestPartnerMappings(t *testing.T) {
	t.Parallel()
	const prices = "version: 1\ndoctype: price_list\non_error: reject_file\n"
	const products = "doctype: product\n"
	t.Run("relative to the config file, reloaded on load", func(t *testing.T) {
		t.Parallel()
		path := mappingConfig(t, map[string]string{"p.yaml": prices, "q.yaml": products},
			"      - {name: prices, file: maps/p.yaml, default: true}\n      - {name: products, file: maps/q.yaml}\n")
		cfg, err := config.Load(path, env(nil))
		require.NoError(t, err)
		pm, ok := cfg.DefaultMapping("acme", "price_list")
		require.True(t, ok)
		require.Equal(t, "reject_file", pm.Mapping.OnError)
		pm, ok = cfg.Mapping("acme", "products")
		require.True(t, ok)
		require.Equal(t, "product", pm.Doctype())
		_, ok = cfg.DefaultMapping("acme", "product")
		require.False(t, ok)

		// A reload reads the files again.
		require.NoError(t, os.WriteFile(filepath.Join(filepath.Dir(path), "maps", "p.yaml"), []byte("doctype: price_list\n"), 0o644))
		cfg, err = config.Load(path, env(nil))
		require.NoError(t, err)
		pm, _ = cfg.Mapping("acme", "prices")
		require.Empty(t, pm.Mapping.OnError)
	})

	cases := []struct {
		name  string
		files map[string]string
		list  string
		want  []string
	}{
		{"unknown key", map[string]string{"p.yaml": prices},
			"      - {name: prices, file: maps/p.yaml, defualt: true}\n", []string{"/partners/0/mappings/0/defualt", "defualt"}},
		{"missing file", nil,
			"      - {name: prices, file: maps/none.yaml}\n", []string{"/partners/0/mappings/0/file", `partner "acme" mapping "prices"`, "none.yaml", "reading the mapping file"}},
		{"bad mapping file names key and line", map[string]string{"p.yaml": "version: 1\ndoctype: price_list\ncolour: blue\n"},
			"      - {name: prices, file: maps/p.yaml}\n", []string{`partner "acme" mapping "prices"`, "p.yaml:3", "/colour", "colour"}},
		{"a field the doctype lacks", map[string]string{"p.yaml": "doctype: product\nfields:\n  on_hand: {letter: C}\n"},
			"      - {name: products, file: maps/p.yaml}\n", []string{"p.yaml:3", "/fields/on_hand"}},
		{"two defaults for one doctype", map[string]string{"p.yaml": prices, "q.yaml": prices},
			"      - {name: a, file: maps/p.yaml, default: true}\n      - {name: b, file: maps/q.yaml, default: true}\n",
			[]string{"/partners/0/mappings/1/default", `two default price_list mappings: "a" and "b"`}},
		{"two mappings with one name", map[string]string{"p.yaml": prices},
			"      - {name: a, file: maps/p.yaml}\n      - {name: a, file: maps/p.yaml}\n", []string{"/partners/0/mappings/1/name", `two mappings named "a"`}},
		{"bad name", map[string]string{"p.yaml": prices},
			"      - {name: Prices, file: maps/p.yaml}\n", []string{"/partners/0/mappings/0/name"}},
		{"no file", nil, "      - {name: prices}\n", []string{"/partners/0/mappings/0", "file"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := mappingConfig(t, tc.files, tc.list)
			_, err := config.Load(path, env(nil))
			require.Error(t, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
			require.Contains(t, err.Error(), path, "the config file is named")
		})
	}
}
