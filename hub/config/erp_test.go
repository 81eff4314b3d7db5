package config_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors/erp/tryton"
	"github.com/dealerhub/dealerhub/hub/config"
)

func TestExampleConfigERP(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load("../../testdata/config/dealerhub.yaml", env(map[string]string{"ACME_WEBHOOK_SECRET": "s3cret"}))
	require.NoError(t, err)

	e, ok := cfg.ERP("north")
	require.True(t, ok)
	require.Equal(t, "tryton", e.SourceKind())
	require.True(t, e.PushOrders)
	require.Equal(t, 30, e.SalesDaysOrDefault())
	require.Equal(t, 5*time.Minute, e.Schedule.Interval())
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	require.Equal(t, at.Add(5*time.Minute), e.Schedule.Next(at))
	require.Equal(t, tryton.Config{
		URL: "http://tryton.north.example:8000", Database: "north", User: "dealerhub",
		Password:   "example-only-not-a-real-password", // password_file, relative to the config's folder
		Warehouses: []string{"WH"}, SalesDays: 30, Timeout: 30 * time.Second, Retries: 4,
		Parties: map[string]int{"acme": 12},
	}, e.TrytonConfig())

	_, ok = cfg.ERP("acme")
	require.False(t, ok, "acme has no erp block")
	sources := cfg.ERPSources()
	require.Len(t, sources, 1)
	require.Contains(t, sources, "north")
}

// erpPartner is a dealer with an erp block made of the given keys (YAML
// flow-mapping entries).
func erpPartner(erpKeys string) string {
	return "partners:\n  - id: north\n    name: N\n    roles: [dealer]\n    erp: {" + erpKeys + "}\n"
}

const trytonOK = "tryton: {url: 'http://t:8000', database: d, user: u, password: '${PW}'}"

func TestERPConfigErrorsNameTheKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown erp key", erpPartner(trytonOK + ", schedule: {every: 1m}, sync_days: 3"), []string{"/partners/0/erp", "sync_days"}},
		{"unknown tryton key", erpPartner("tryton: {url: 'http://t', database: d, user: u, password: x, passwd: y}, schedule: {every: 1m}"),
			[]string{"/partners/0/erp/tryton", "passwd"}},
		{"unknown schedule key", erpPartner(trytonOK + ", schedule: {interval: 1m}"), []string{"/partners/0/erp/schedule", "interval"}},
		{"no schedule", erpPartner(trytonOK), []string{"/partners/0/erp", "schedule"}},
		{"no erp kind", erpPartner("schedule: {every: 1m}"), []string{"/partners/0/erp", "tryton"}},
		{"every and cron", erpPartner(trytonOK + ", schedule: {every: 1m, cron: '* * * * *'}"), []string{"/partners/0/erp/schedule", "give every or cron, not both"}},
		{"neither every nor cron", erpPartner(trytonOK + ", schedule: {}"), []string{"/partners/0/erp/schedule", "give every"}},
		{"too often", erpPartner(trytonOK + ", schedule: {every: 5s}"), []string{"/partners/0/erp/schedule/every", "at least 10s"}},
		{"bad duration", erpPartner(trytonOK + ", schedule: {every: soon}"), []string{"/partners/0/erp/schedule/every"}},
		{"bad cron", erpPartner(trytonOK + ", schedule: {cron: '61 * * * *'}"), []string{"/partners/0/erp/schedule/cron", "not a cron expression"}},
		{"six-field cron", erpPartner(trytonOK + ", schedule: {cron: '0 */5 * * * *'}"), []string{"/partners/0/erp/schedule/cron"}},
		{"zone without a schedule", erpPartner(trytonOK + ", schedule: {cron: 'CRON_TZ=UTC'}"), []string{"/partners/0/erp/schedule/cron"}},
		{"not a dealer", "partners:\n  - {id: acme, name: A, roles: [supplier], erp: {" + trytonOK + ", schedule: {every: 1m}}}\n",
			[]string{"/partners/0/erp", `"acme" is not a dealer`}},
		{"password and password_file", erpPartner("tryton: {url: 'http://t', database: d, user: u, password: x, password_file: /p}, schedule: {every: 1m}"),
			[]string{"/partners/0/erp/tryton/password_file", "not both"}},
		{"no password", erpPartner("tryton: {url: 'http://t', database: d, user: u}, schedule: {every: 1m}"),
			[]string{"/partners/0/erp/tryton", "give password"}},
		{"no database", erpPartner("tryton: {url: 'http://t', user: u, password: x}, schedule: {every: 1m}"), []string{"/partners/0/erp/tryton", "database"}},
		{"bad url", erpPartner("tryton: {url: 't:8000', database: d, user: u, password: x}, schedule: {every: 1m}"), []string{"/partners/0/erp/tryton/url"}},
		{"negative sales_days", erpPartner(trytonOK + ", schedule: {every: 1m}, sales_days: -1"), []string{"/partners/0/erp/sales_days"}},
		{"retries below -1", erpPartner("tryton: {url: 'http://t', database: d, user: u, password: x, retries: -2}, schedule: {every: 1m}"),
			[]string{"/partners/0/erp/tryton/retries"}},
		{"party id not a number", erpPartner("tryton: {url: 'http://t', database: d, user: u, password: x, parties: {acme: x}}, schedule: {every: 1m}"),
			[]string{"/partners/0/erp/tryton/parties/acme"}},
		{"unset variable", erpPartner("tryton: {url: 'http://t', database: d, user: u, password: '${NOPE_PW}'}, schedule: {every: 1m}"),
			[]string{"/partners/0/erp/tryton/password", "NOPE_PW"}},
		{"missing password file", erpPartner("tryton: {url: 'http://t', database: d, user: u, password_file: /nonexistent/pw}, schedule: {every: 1m}"),
			[]string{"/partners/0/erp/tryton/password_file", "reading secret file"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := config.Parse([]byte(tc.yaml), "hub.yaml", env(map[string]string{"PW": "pw"}))
			require.Error(t, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
			require.Contains(t, err.Error(), "hub.yaml")
		})
	}
}

func TestERPSecretsAndDefaults(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pw"), []byte("from-file\r\n"), 0o600))
	cfgFile := filepath.Join(dir, "hub.yaml")
	yaml := "partners:\n" +
		"  - {id: north, name: N, roles: [dealer], erp: {tryton: {url: 'http://t:8000', database: d, user: u, password_file: pw}, schedule: {cron: '*/5 * * * *'}}}\n" +
		"  - {id: south, name: S, roles: [dealer, supplier], erp: {" + trytonOK + ", schedule: {every: 10s}, sales_days: 7}}\n" +
		"  - {id: west, name: W, roles: [dealer], enabled: false, erp: {" + trytonOK + ", schedule: {every: 1h}}}\n"
	require.NoError(t, os.WriteFile(cfgFile, []byte(yaml), 0o600))
	cfg, err := config.Load(cfgFile, env(map[string]string{"PW": "from-env"}))
	require.NoError(t, err)

	north, ok := cfg.ERP("north")
	require.True(t, ok)
	tc := north.TrytonConfig()
	require.Equal(t, "from-file", tc.Password, "a relative password_file is under the config's folder")
	require.Equal(t, config.DefaultSalesDays, tc.SalesDays)
	require.Zero(t, tc.Timeout, "the client's default")
	require.False(t, north.PushOrders)

	south, _ := cfg.ERP("south")
	require.Equal(t, "from-env", south.TrytonConfig().Password)
	require.Equal(t, 7, south.SalesDaysOrDefault())
	require.Equal(t, 7, south.TrytonConfig().SalesDays)

	_, ok = cfg.ERP("west")
	require.True(t, ok, "a disabled partner keeps its block")
	sources := cfg.ERPSources()
	require.Len(t, sources, 2, "but runs no sync")
	require.NotContains(t, sources, "west")
}

func TestScheduleNextAndInterval(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 1, 10, 2, 30, 0, time.UTC)
	shanghai := time.FixedZone("CST", 8*3600)
	for _, tc := range []struct {
		name     string
		s        config.Schedule
		next     time.Time
		interval time.Duration
	}{
		{"every", config.Schedule{Every: config.Duration(10 * time.Minute)}, at.Add(10 * time.Minute), 10 * time.Minute},
		{"cron every five minutes", config.Schedule{Cron: "*/5 * * * *"}, time.Date(2026, 3, 1, 10, 5, 0, 0, time.UTC), 5 * time.Minute},
		{"cron is UTC", config.Schedule{Cron: "0 2 * * *"}, time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC), 24 * time.Hour},
		{"cron in a zone", config.Schedule{Cron: "CRON_TZ=Asia/Shanghai 0 2 * * *"}, time.Date(2026, 3, 2, 2, 0, 0, 0, shanghai), 24 * time.Hour},
		{"descriptor", config.Schedule{Cron: "@hourly"}, time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC), time.Hour},
		{"empty", config.Schedule{}, time.Time{}, 0},
	} {
		got := tc.s.Next(at)
		require.True(t, tc.next.Equal(got), "%s: next %s, want %s", tc.name, got, tc.next)
		require.Equal(t, tc.interval, tc.s.Interval(), tc.name)
	}
}

// TestREADMEERPExample loads the erp example of the README's "ERP sync"
// section, so that it cannot drift from the schema.
func TestREADMEERPExample(t *testing.T) {
	t.Parallel()
	block := readmeYAML(t, "../../README.md", "### ERP sync")
	cfg, err := config.Parse([]byte(block), "README.md", env(map[string]string{"NORTH_TRYTON_PASSWORD": "pw"}))
	require.NoError(t, err)
	e, ok := cfg.ERP("north")
	require.True(t, ok)
	require.Equal(t, "pw", e.TrytonConfig().Password)
	require.Equal(t, 5*time.Minute, e.Schedule.Interval())
	require.True(t, e.PushOrders)
}
