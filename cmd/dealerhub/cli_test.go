package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// runCLI runs a command in-process and returns stdout, stderr and the error.
func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exitError); ok {
		return ee.code
	}
	return 1
}

func TestPartnersAndKeys(t *testing.T) {
	t.Parallel()
	dd := t.TempDir()
	out, _, err := runCLI(t, "partners", "add", "acme", "--name", "ACME 工具", "--roles", "supplier,dealer", "--data-dir", dd)
	require.NoError(t, err)
	require.Contains(t, out, "partner acme saved (dealer, supplier)")

	_, _, err = runCLI(t, "partners", "add", "Bad_ID", "--roles", "dealer", "--data-dir", dd)
	require.Equal(t, 2, exitCode(err))
	_, _, err = runCLI(t, "partners", "add", "x", "--roles", "wholesaler", "--data-dir", dd)
	require.ErrorContains(t, err, `unknown role "wholesaler"`)

	out, _, err = runCLI(t, "partners", "list", "--json", "--data-dir", dd)
	require.NoError(t, err)
	var ps []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &ps))
	require.Len(t, ps, 1)
	require.Equal(t, "ACME 工具", ps[0]["name"])
	require.Equal(t, true, ps[0]["enabled"])

	out, stderr, err := runCLI(t, "apikey", "create", "--partner", "acme", "--data-dir", dd)
	require.NoError(t, err)
	require.Regexp(t, `^dhk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}\n$`, out)
	require.Contains(t, stderr, "shown only once")
	key := out[:len(out)-1]

	_, _, err = runCLI(t, "apikey", "create", "--partner", "nobody", "--data-dir", dd)
	require.Error(t, err)
	_, _, err = runCLI(t, "apikey", "create", "--data-dir", dd)
	require.Equal(t, 2, exitCode(err))

	out, _, err = runCLI(t, "apikey", "list", "--json", "--data-dir", dd)
	require.NoError(t, err)
	require.NotContains(t, out, key[20:], "secrets are never listed")
	out, _, err = runCLI(t, "apikey", "revoke", key, "--data-dir", dd)
	require.NoError(t, err)
	require.Contains(t, out, "revoked")
	out, _, err = runCLI(t, "apikey", "list", "--json", "--data-dir", dd)
	require.NoError(t, err)
	require.Contains(t, out, "revoked_at")

	out, _, err = runCLI(t, "partners", "disable", "acme", "--data-dir", dd)
	require.NoError(t, err)
	require.Contains(t, out, "disabled")
	_, _, err = runCLI(t, "partners", "disable", "ghost", "--data-dir", dd)
	require.ErrorContains(t, err, "ghost")
}

func TestValidate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	bad := filepath.Join(dir, "bad.json")
	broken := filepath.Join(dir, "broken.json")
	require.NoError(t, os.WriteFile(good, []byte(`{"sender":"north","receiver":"acme","external_id":"PO-1","status":"sent","order_date":"2026-11-25","lines":[{"line_no":1,"sku":"A","quantity":"1","unit":"EA"}]}`), 0o600))
	require.NoError(t, os.WriteFile(bad, []byte(`{"sender":"north","receiver":"acme","external_id":"PO-1","status":"lost","order_date":"2026-11-25","lines":[{"line_no":1,"sku":"A","quantity":1,"unit":"EA"}]}`), 0o600))
	require.NoError(t, os.WriteFile(broken, []byte(`{"sender":`), 0o600))

	out, _, err := runCLI(t, "validate", "--doctype", "order", good)
	require.NoError(t, err)
	require.Contains(t, out, "valid order")

	out, _, err = runCLI(t, "validate", "--doctype", "order", good, bad, broken)
	require.Equal(t, 1, exitCode(err))
	require.Contains(t, out, bad+": /status:")
	require.Contains(t, out, bad+": /lines/0/quantity:")
	require.Contains(t, out, broken+":")

	out, _, err = runCLI(t, "validate", "--json", "--doctype", "order", bad)
	require.Equal(t, 1, exitCode(err))
	var res []validateResult
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Len(t, res, 1)
	require.False(t, res[0].Valid)
	require.GreaterOrEqual(t, len(res[0].Violations), 2)

	_, _, err = runCLI(t, "validate", "--doctype", "invoice", good)
	require.Equal(t, 2, exitCode(err))
}

func TestUnknownCommand(t *testing.T) {
	t.Parallel()
	_, stderr, err := runCLI(t, "frobnicate")
	require.Equal(t, 2, exitCode(err))
	require.Contains(t, stderr, "Usage:")
}

func TestBenchIngestSmoke(t *testing.T) {
	out, _, err := runCLI(t, "bench", "ingest", "--docs", "300", "--json")
	require.NoError(t, err)
	var res []benchResult
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Len(t, res, 2)
	require.Equal(t, 300, res[0].Docs)
	require.Greater(t, res[0].DocsPerSecond, 0.0)
	require.NotEmpty(t, res[1].Skipped)
}
