package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// SIGHUP reloads the config (new partners appear); SIGTERM stops serve
// cleanly with exit status 0.
func TestReloadOnSIGHUPAndStopOnSIGTERM(t *testing.T) {
	dir := t.TempDir()
	dd := filepath.Join(dir, "data")
	cfg := filepath.Join(dir, "hub.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("partners:\n  - {id: acme, name: ACME, roles: [supplier]}\n"), 0o600))
	srv := startServe(t, "--data-dir", dd, "--config", cfg)
	require.Contains(t, cli(t, "partners", "list", "--data-dir", dd), "acme")

	require.NoError(t, os.WriteFile(cfg, []byte("partners:\n  - {id: acme, name: ACME, roles: [supplier]}\n  - {id: north, name: North, roles: [dealer]}\nrelationships:\n  - {dealer: north, supplier: acme}\n"), 0o600))
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGHUP))
	require.Eventually(t, func() bool {
		return len(lines(cli(t, "partners", "list", "--data-dir", dd))) == 3 // header + 2
	}, 10*time.Second, 50*time.Millisecond)

	// A broken config is refused on reload and the hub keeps running.
	require.NoError(t, os.WriteFile(cfg, []byte("partners:\n  - {id: acme, name: ACME, roles: [supplier], colour: red}\n"), 0o600))
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGHUP))
	require.Eventually(t, func() bool {
		out := srv.output()
		return containsAll(out, "config reload refused", "colour")
	}, 10*time.Second, 50*time.Millisecond)

	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-srv.done:
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30s of SIGTERM")
	}
	require.Equal(t, 0, srv.cmd.ProcessState.ExitCode(), "%s", srv.output())
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
