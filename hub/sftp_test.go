package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/sftp/sftptest"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/tabular"
	"github.com/dealerhub/dealerhub/schemas"
)

const sftpPriceCSV = "货号,品名,单位,单价,币种\n" +
	"A-100,螺丝,个,1.50,CNY\n" +
	"A-200,螺母,箱,0.35,CNY\n"

// sftpConfig is a hub config in which supplier-a has an SFTP server (srv):
// its price lists are polled from dir, its orders written into /inbox.
func sftpConfig(t *testing.T, srv *sftptest.Server, dir string) *config.Config {
	t.Helper()
	yaml := fmt.Sprintf(`partners:
  - id: supplier-a
    name: Supplier A
    roles: [supplier]
    sftp:
      host: %s
      port: %d
      user: %s
      key_file: %s
      known_hosts: %s
      poll: {dir: %s, pattern: "*.csv", interval: 20ms, doctype: price_list}
      upload: {dir: /inbox}
    routes:
      - {doctype: order, channel: sftp}
`, srv.Host, srv.Port, srv.User, srv.ClientKeyFile, srv.KnownHostsFile, dir)
	cfg, err := config.Parse([]byte(yaml), "hub.yaml", func(string) (string, bool) { return "", false })
	require.NoError(t, err)
	return cfg
}

// sftpHub starts a hub with the spreadsheet decoders and the sftp sink, and
// its sftp pollers (stopped when the test ends).
func sftpHub(t *testing.T, pg bool, cfg *config.Config) (*hubtest.Env, *hub.SFTPPollers) {
	t.Helper()
	reg, err := schemas.New()
	require.NoError(t, err)
	var env *hubtest.Env
	live := func() *config.Config { return env.Hub.Config() }
	env = hubtest.New(t, hubtest.Options{Postgres: pg, Config: cfg,
		Decoders: tabular.Decoders(reg, live),
		Sinks:    map[string]connectors.Sink{"sftp": hub.NewSFTPSink(live, nil)}})
	ctx, cancel := context.WithCancel(context.Background())
	pollers := hub.NewSFTPPollers(env.Hub, hub.SFTPPollerOptions{Holder: "test-" + t.Name(), Lease: 3 * time.Second})
	require.NoError(t, pollers.Apply(ctx, cfg))
	t.Cleanup(func() {
		pollers.Stop()
		cancel()
	})
	return env, pollers
}

// waitNames polls a remote folder until it lists want (in name order).
func waitNames(t *testing.T, srv *sftptest.Server, dir string, want ...string) {
	t.Helper()
	var got []string
	require.Eventually(t, func() bool {
		got = srv.Names(dir)
		return slices.Equal(got, want)
	}, 30*time.Second, 10*time.Millisecond, "%s holds %v, want %v", dir, got, want)
}

// messageOf returns the one message stored from a file of supplier-a.
func messageOf(t *testing.T, env *hubtest.Env, filename string) store.Message {
	t.Helper()
	ms, _, err := env.Store.ListMessages(context.Background(), store.OperatorScope(), store.MessageFilter{Partner: "supplier-a"})
	require.NoError(t, err)
	var found []store.Message
	for _, m := range ms {
		if m.Filename == filename {
			found = append(found, m)
		}
	}
	require.Len(t, found, 1, "one message from %s", filename)
	return found[0]
}

func TestSFTPPriceListsThroughTheHub(t *testing.T) {
	eachStore(t, func(t *testing.T, pg bool) {
		srv := sftptest.Start(t)
		srv.Mkdir("/inbox")
		srv.WriteFile("/outbox/prices.csv", sftpPriceCSV)
		srv.WriteFile("/outbox/broken.csv", "foo,bar\n1,2\n")
		srv.WriteFile("/outbox/notes.txt", "not polled: the pattern is *.csv")
		env, _ := sftpHub(t, pg, sftpConfig(t, srv, "/outbox"))

		// The good list is imported and archived; the broken one lands in
		// the error folder beside its reasons.
		waitNames(t, srv, "/outbox", "archive", "error", "notes.txt")
		waitNames(t, srv, "/outbox/archive", "prices.csv")
		waitNames(t, srv, "/outbox/error", "broken.csv", "broken.csv.error.txt")

		m := messageOf(t, env, "prices.csv")
		require.Equal(t, store.StatusDone, m.Status)
		require.Equal(t, "price_list", m.Doctype)
		require.Equal(t, "csv", m.Format)
		require.Equal(t, "sftp:supplier-a/outbox/prices.csv", m.Source)
		require.Len(t, m.DocumentIDs, 1)
		archived, _ := srv.ReadFile("/outbox/archive/prices.csv")
		require.Equal(t, sftpPriceCSV, archived, "the archived file is the file dropped")

		bad := messageOf(t, env, "broken.csv")
		require.Equal(t, store.StatusFailed, bad.Status)
		require.NotEmpty(t, bad.Errors)
		report, ok := srv.ReadFile("/outbox/error/broken.csv.error.txt")
		require.True(t, ok)
		require.Contains(t, report, "broken.csv was not imported (message "+bad.ID+" ended failed)")
		for _, e := range bad.Errors {
			require.Contains(t, report, "- "+hub.DataErrorLine(e)+"\n", "each of the message's errors")
		}
		require.Contains(t, report, "no header row found")

		// The same file dropped again is the same message: archived again
		// (under a stamped name), never imported twice.
		srv.WriteFile("/outbox/prices.csv", sftpPriceCSV)
		require.Eventually(t, func() bool { return len(srv.Names("/outbox/archive")) == 2 }, 30*time.Second, 10*time.Millisecond)
		require.Equal(t, m.ID, messageOf(t, env, "prices.csv").ID)
	})
}

func TestSFTPOrderArrivesInTheSuppliersFolder(t *testing.T) {
	eachStore(t, func(t *testing.T, pg bool) {
		srv := sftptest.Start(t)
		srv.Mkdir("/inbox")
		srv.Mkdir("/outbox")
		env, _ := sftpHub(t, pg, sftpConfig(t, srv, "/outbox"))

		rcpt := submitOne(t, env, "dealer-a", "order", order("PO/7", "supplier-a", "5"))
		m := env.WaitMessage(t, rcpt.MessageID, store.StatusDone)
		ds, _, err := env.Store.ListDeliveries(context.Background(), store.OperatorScope(), store.DeliveryFilter{DocumentID: m.DocumentIDs[0]})
		require.NoError(t, err)
		require.Len(t, ds, 1)
		require.Equal(t, "sftp", ds[0].Channel)
		d := env.WaitDelivery(t, ds[0].ID, store.DeliveryDelivered)

		name := "order-PO_7-" + d.ID + ".json"
		waitNames(t, srv, "/inbox", name)
		body, _ := srv.ReadFile(path.Join("/inbox", name))
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(body), &doc), "the whole document: %s", body)
		require.Equal(t, "PO/7", doc["external_id"])
		require.Equal(t, "supplier-a", doc["receiver"])
	})
}

func TestSFTPPollersReloadAndLease(t *testing.T) {
	t.Parallel()
	srv := sftptest.Start(t)
	srv.WriteFile("/drop-a/a.csv", sftpPriceCSV)
	env, pollers := sftpHub(t, false, sftpConfig(t, srv, "/drop-a"))
	waitNames(t, srv, "/drop-a/archive", "a.csv")
	require.Equal(t, []string{"supplier-a"}, pollers.Running())

	// While this instance polls supplier-a, another cannot take the lease.
	ctx := context.Background()
	const key = "sftp-poll.supplier-a"
	ok, err := env.Bus.AcquireLease(ctx, key, "other-instance", 3*time.Second)
	require.NoError(t, err)
	require.False(t, ok, "the running poller holds the lease")

	// A reload with another folder restarts the poller on it.
	cfg := sftpConfig(t, srv, "/drop-b")
	env.Hub.SetConfig(cfg)
	require.NoError(t, pollers.Apply(ctx, cfg))
	srv.WriteFile("/drop-b/b.csv", strings.Replace(sftpPriceCSV, "1.50", "1.60", 1))
	waitNames(t, srv, "/drop-b/archive", "b.csv")
	require.Equal(t, store.StatusDone, messageOf(t, env, "b.csv").Status)

	// A reload without the poll block stops it, and releases the lease.
	none, err := config.Parse([]byte("partners: []\n"), "hub.yaml", nil)
	require.NoError(t, err)
	require.NoError(t, pollers.Apply(ctx, none))
	require.Empty(t, pollers.Running())
	ok, err = env.Bus.AcquireLease(ctx, key, "other-instance", 3*time.Second)
	require.NoError(t, err)
	require.True(t, ok, "the stopped poller released its lease")
}

func TestSFTPStandbyTakesOverTheLease(t *testing.T) {
	t.Parallel()
	srv := sftptest.Start(t)
	srv.WriteFile("/outbox/first.csv", sftpPriceCSV)
	cfg := sftpConfig(t, srv, "/outbox")
	env, first := sftpHub(t, false, cfg)
	waitNames(t, srv, "/outbox/archive", "first.csv")

	// A second instance stands by while the first holds the lease, and
	// polls once the first stops.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	standby := hub.NewSFTPPollers(env.Hub, hub.SFTPPollerOptions{Holder: "standby", Lease: 3 * time.Second})
	require.NoError(t, standby.Apply(ctx, cfg))
	defer standby.Stop()
	first.Stop()
	srv.WriteFile("/outbox/second.csv", strings.Replace(sftpPriceCSV, "1.50", "1.70", 1))
	waitNames(t, srv, "/outbox/archive", "first.csv", "second.csv")
	ok, err := env.Bus.AcquireLease(ctx, "sftp-poll.supplier-a", "other-instance", 3*time.Second)
	require.NoError(t, err)
	require.False(t, ok, "the standby holds the lease now")
}

func TestDataErrorLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		e    store.DataError
		want string
	}{
		{"spreadsheet cell", store.DataError{Code: "schema", Sheet: "价格", Row: 7, Column: "D", Header: "单价", Value: "abc", Location: "sheet 价格 row 7", Reason: "not a decimal"},
			`sheet 价格 row 7 column D (单价), value "abc": not a decimal [schema]`},
		{"csv row", store.DataError{Code: "format", Row: 3, Reason: "record on line 3:\n wrong number of fields"},
			"row 3: record on line 3: wrong number of fields [format]"},
		{"json pointer", store.DataError{Code: "schema", Pointer: "/lines/0/quantity", Reason: "must be positive"},
			"/lines/0/quantity: must be positive [schema]"},
		{"location only", store.DataError{Location: "header", Reason: "no header row found"}, "header: no header row found"},
		{"reason only", store.DataError{Reason: "not CSV"}, "not CSV"},
	} {
		require.Equal(t, tc.want, hub.DataErrorLine(tc.e), tc.name)
	}
}

func TestOutcomeLinesAreCapped(t *testing.T) {
	t.Parallel()
	m := store.Message{ID: "m-1"}
	for i := range 1500 {
		m.Errors = append(m.Errors, store.DataError{Row: i + 2, Reason: "bad"})
	}
	lines := hub.OutcomeLines(m)
	require.Len(t, lines, 1000)
	require.Equal(t, "row 2: bad", lines[0])
	require.Equal(t, "… and 501 more: GET /api/v1/messages/m-1 (or its errors.xlsx)", lines[999])
	m.Errors = m.Errors[:1000]
	require.Len(t, hub.OutcomeLines(m), 1000, "exactly the cap: no summary line")
	require.Equal(t, "row 1001: bad", hub.OutcomeLines(m)[999])
}
