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
	require.Len(t, cfg.Partners, 4)
	require.Len(t, cfg.Relationships, 2)

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
