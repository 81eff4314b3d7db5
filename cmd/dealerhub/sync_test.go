package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors/erp/tryton/trytonfake"
	"github.com/dealerhub/dealerhub/hub/store"
)

// TestSyncCommands runs `sync now` and `sync runs` against a running serve
// whose config gives north a (fake) Tryton: serve's scheduler runs the
// first sync at start, the CLI records manual ones in the same store and
// the hub processes their snapshots.
func TestSyncCommands(t *testing.T) {
	t.Parallel()
	erp := trytonfake.New()
	defer erp.Close()
	erp.SetProducts(trytonfake.Product{Code: "N-1", Name: "Widget", Unit: "u"})
	erp.SetQuantity("N-1", "WH", 40)
	tc := erp.Config()

	dir := t.TempDir()
	dd := filepath.Join(dir, "data")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tryton.pw"), []byte(tc.Password+"\n"), 0o600))
	cfg := filepath.Join(dir, "hub.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(fmt.Sprintf(`partners:
  - {id: acme, name: ACME, roles: [supplier]}
  - id: north
    name: North
    roles: [dealer]
    erp:
      tryton: {url: %q, database: %q, user: %q, password_file: tryton.pw}
      schedule: {every: 1h}
  - {id: south, name: South, roles: [dealer]}
relationships:
  - {dealer: north, supplier: acme}
`, tc.URL, tc.Database, tc.User)), 0o600))
	srv := startServe(t, "--data-dir", dd, "--config", cfg)

	// serve's scheduler runs at start: north's item has no
	// cross-reference yet, so the run fails, naming the item.
	var runs []store.SyncRun
	require.Eventually(t, func() bool {
		out, _, err := runCLI(t, "sync", "runs", "--partner", "north", "--status", "failed", "--json", "--data-dir", dd)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal([]byte(out), &runs))
		return len(runs) == 1
	}, 30*time.Second, 50*time.Millisecond)
	require.Equal(t, "schedule", runs[0].Trigger)
	require.Contains(t, runs[0].Error, `"N-1" has no cross-reference`)

	// The same from the CLI: exit status 1 and the reasons.
	start := time.Now()
	out, _, err := runCLI(t, "sync", "now", "--partner", "north", "--config", cfg, "--data-dir", dd, "--wait", "30s")
	require.Equal(t, 1, exitCode(err), "out: %s", out)
	t.Logf("failed sync now: %s", time.Since(start).Round(time.Millisecond))
	require.Contains(t, out, "status:    failed")
	require.Contains(t, out, "trigger:   manual")
	require.Contains(t, out, "read:      1")
	require.Contains(t, out, "rejected:  1")
	require.Contains(t, out, `has no cross-reference`)

	// With the cross-reference the run succeeds.
	key, _, err := runCLI(t, "apikey", "create", "--partner", "north", "--data-dir", dd)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, api(t, http.MethodPut, srv.url+"/api/v1/cross-refs", strings.TrimSpace(key),
		[]map[string]string{{"code": "N-1", "supplier": "acme", "supplier_sku": "A-1"}}, nil))
	start = time.Now()
	out, _, err = runCLI(t, "sync", "now", "--partner", "north", "--config", cfg, "--data-dir", dd, "--json")
	require.NoError(t, err, "out: %s", out)
	t.Logf("succeeded sync now: %s", time.Since(start).Round(time.Millisecond))
	var run store.SyncRun
	require.NoError(t, json.Unmarshal([]byte(out), &run))
	require.Equal(t, store.SyncSucceeded, run.Status)
	require.Equal(t, "manual", run.Trigger)
	require.Equal(t, 1, run.Read)
	require.Equal(t, 1, run.Changed)
	require.NotEmpty(t, run.MessageID)

	out, _, err = runCLI(t, "sync", "runs", "--data-dir", dd)
	require.NoError(t, err)
	ls := lines(out)
	require.Len(t, ls, 4, "a header and three runs: %s", out)
	require.Regexp(t, `^ID\s+STARTED\s+PARTNER\s+SOURCE\s+TRIGGER\s+STATUS\s+READ\s+CHANGED\s+REJECTED\s+DURATION\s+ERROR$`, ls[0])
	require.Regexp(t, `north\s+tryton\s+manual\s+succeeded\s+1\s+1\s+0\s+\S+$`, ls[1])
	require.Contains(t, ls[3], "schedule")

	// Mistakes.
	_, _, err = runCLI(t, "sync", "now", "--config", cfg, "--data-dir", dd)
	require.Equal(t, 2, exitCode(err))
	_, _, err = runCLI(t, "sync", "now", "--partner", "south", "--config", cfg, "--data-dir", dd)
	require.ErrorContains(t, err, `partner "south" has no scheduled source configured (an erp block or rest sources)`)
	_, _, err = runCLI(t, "sync", "runs", "--status", "done", "--data-dir", dd)
	require.Equal(t, 2, exitCode(err))
	_, _, err = runCLI(t, "sync", "later", "--data-dir", dd)
	require.Equal(t, 2, exitCode(err))
}
