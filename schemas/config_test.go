package schemas

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

func decodeYAML(t *testing.T, s string) any {
	t.Helper()
	var v any
	require.NoError(t, yaml.Unmarshal([]byte(s), &v))
	return v
}

const validConfig = `
version: 1
partners:
  - id: acme
    name: ACME Tools Co.
    roles: [supplier]
    enabled: true
    routes:
      - doctype: order
        channel: webhook
        format: json
        webhook:
          url: https://erp.acme.example/hook
          secret: ${ACME_WEBHOOK_SECRET}
          headers: {X-Api-Key: "${ACME_KEY}"}
          timeout: 1m30s
      - doctype: "*"
        channel: inbox
    mappings:
      - {name: acme-prices, file: mappings/acme.yaml, default: true}
      - {name: acme-catalog, file: /etc/dealerhub/acme-catalog.yaml}
  - id: north
    name: 北方五金
    roles: [dealer, supplier]
relationships:
  - dealer: north
    supplier: acme
    shares_stock: true
    shares_sales: false
delivery:
  max_attempts: 8
  initial_backoff: 2s
  max_backoff: 10m
`

func TestValidateConfigAcceptsValidConfigs(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	require.Empty(t, r.ValidateConfig(decodeYAML(t, validConfig)))
	require.Empty(t, r.ValidateConfig(map[string]any{}))

	b, err := os.ReadFile("../testdata/config/dealerhub.yaml")
	require.NoError(t, err)
	require.Empty(t, r.ValidateConfig(decodeYAML(t, string(b))), "the documented example config")
}

func TestValidateConfigNamesUnknownKeys(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	for _, tc := range []struct {
		name, yaml, pointer, key string
	}{
		{"top level", "partner: []\n", "/partner", "partner"},
		{"partner", "partners: [{id: a, name: A, roles: [dealer], role: dealer}]\n", "/partners/0/role", "role"},
		{"route", "partners: [{id: a, name: A, roles: [dealer], routes: [{doctype: order, channel: inbox, chanel: x}]}]\n", "/partners/0/routes/0/chanel", "chanel"},
		{"webhook", "partners: [{id: a, name: A, roles: [dealer], routes: [{doctype: order, channel: webhook, webhook: {url: 'http://127.0.0.1:9/x', retries: 3}}]}]\n", "/partners/0/routes/0/webhook/retries", "retries"},
		{"relationship", "relationships: [{dealer: a, supplier: b, share_stock: true}]\n", "/relationships/0/share_stock", "share_stock"},
		{"delivery", "delivery: {max_attempt: 3}\n", "/delivery/max_attempt", "max_attempt"},
		{"mapping", "partners: [{id: a, name: A, roles: [supplier], mappings: [{name: prices, file: p.yaml, defualt: true}]}]\n", "/partners/0/mappings/0/defualt", "defualt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vs := r.ValidateConfig(decodeYAML(t, tc.yaml))
			require.Len(t, vs, 1, "%v", vs)
			require.Equal(t, tc.pointer, vs[0].Pointer)
			require.Contains(t, vs[0].Reason, `unexpected property "`+tc.key+`"`)
		})
	}
	vs := r.ValidateConfig(decodeYAML(t, "relationships: [{dealer: a, supplier: b, share_stock: true}]\n"))
	require.Contains(t, vs[0].Reason, `did you mean "shares_stock"?`)
}

func TestValidateConfigReportsEveryProblem(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	cfg := `
version: 2
partners:
  - id: ACME
    roles: []
    routes:
      - doctype: invoice
        channel: webhook
      - doctype: order
        channel: Web Hook
        format: x12/850
        webhook:
          url: ftp://acme.example/in
          secret: ${S}
          secret_file: /etc/dealerhub/acme.secret
          headers: {X-Key: 42}
          timeout: 10
relationships:
  - dealer: north
delivery:
  max_attempts: 0
  initial_backoff: soon
`
	vs := r.ValidateConfig(decodeYAML(t, cfg))
	require.Equal(t, []string{
		"/delivery/initial_backoff",
		"/delivery/max_attempts",
		"/partners/0/id",
		"/partners/0/name",
		"/partners/0/roles",
		"/partners/0/routes/0/doctype",
		"/partners/0/routes/0/webhook",
		"/partners/0/routes/1/channel",
		"/partners/0/routes/1/format",
		"/partners/0/routes/1/webhook",
		"/partners/0/routes/1/webhook/headers/X-Key",
		"/partners/0/routes/1/webhook/timeout",
		"/partners/0/routes/1/webhook/url",
		"/relationships/0/supplier",
		"/version",
	}, pointersOf(vs))
	reasons := map[string]string{}
	for _, v := range vs {
		reasons[v.Pointer] = v.Reason
	}
	require.Equal(t, `required property "webhook" is missing`, reasons["/partners/0/routes/0/webhook"])
	require.Equal(t, "webhook must give secret or secret_file, not both", reasons["/partners/0/routes/1/webhook"])
	require.Equal(t, "max_attempts must be at least 1, got 0", reasons["/delivery/max_attempts"])
	require.Contains(t, reasons["/partners/0/routes/1/webhook/timeout"], `a duration such as "10s"`)
	require.Contains(t, reasons["/partners/0/routes/1/webhook/url"], "http:// or https://")
	require.Equal(t, "roles must have at least 1 item, got 0", reasons["/partners/0/roles"])
}

func TestValidateConfigAcceptsYAMLShapes(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	// map[any]any and plain ints, as older YAML decoders produce them.
	tree := map[any]any{
		"version":  1,
		"delivery": map[any]any{"max_attempts": 101},
	}
	vs := r.ValidateConfig(tree)
	require.Equal(t, []string{"/delivery/max_attempts"}, pointersOf(vs))
	require.Equal(t, "max_attempts must be at most 100, got 101", vs[0].Reason)
}
