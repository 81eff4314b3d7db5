package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// readmeBlock returns the first ```sh block after heading in README.md.
func readmeBlock(t *testing.T, heading string) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	s := string(b)
	i := strings.Index(s, "\n"+heading+"\n")
	require.GreaterOrEqual(t, i, 0, "README has no %q", heading)
	s = s[i:]
	start := strings.Index(s, "```sh\n")
	require.GreaterOrEqual(t, start, 0)
	s = s[start+len("```sh\n"):]
	end := strings.Index(s, "```")
	require.GreaterOrEqual(t, end, 0)
	return s[:end]
}

// TestREADMEWalkthrough runs the README's walkthrough, as written, against
// `serve --demo` (only the address and data dir differ).
func TestREADMEWalkthrough(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("jq is needed by the README walkthrough: apt-get install jq")
		}
		t.Skip("jq is needed by the README walkthrough: apt-get install jq")
	}
	run := readmeBlock(t, "## Run it")
	require.Contains(t, run, "go run ./cmd/dealerhub serve --demo")

	dir := t.TempDir()
	srv := startServe(t, "--demo", "--data-dir", filepath.Join(dir, "data"))
	require.Contains(t, srv.output(), "demo partners and API keys")
	info, err := os.Stat(filepath.Join(dir, "data", "demo-keys.json"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	script := readmeBlock(t, "## Walkthrough")
	script = strings.ReplaceAll(script, "http://127.0.0.1:8080", srv.url)
	script = strings.ReplaceAll(script, "data/demo-keys.json", filepath.Join(dir, "data", "demo-keys.json"))
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	got := regexp.MustCompile(`\s+`).ReplaceAllString(string(out), "")

	require.Contains(t, got, `"status":"received","duplicate":false`, "step 1 accepted the order")
	require.Contains(t, got, `"external_id":"PO-S-1001"`, "step 3 shows the demo order in acme's inbox")
	require.Contains(t, got, `"external_id":"PO-N-2001"`, "step 3 shows north's order")
	require.Contains(t, got, `"status":"delivered"`, "step 4/5: the delivery is delivered")
	require.Contains(t, got, `"duplicate":true`, "step 6 recognised the duplicate")
	require.Contains(t, got, `"code":"validation_failed"`, "step 7 refused the bad order")
	require.Contains(t, got, `/order_date`)
	require.Contains(t, got, `/lines/0/quantity`)
}
