package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestImportThroughTheHub imports spreadsheets without --dry-run while
// serve runs on the same data dir: a clean file is stored, a file with bad
// rows is refused whole with every row named, and nothing of it is stored.
func TestImportThroughTheHub(t *testing.T) {
	dir := t.TempDir()
	dd := filepath.Join(dir, "data")
	cli(t, "partners", "add", "acme", "--roles", "supplier", "--data-dir", dd)
	cli(t, "partners", "add", "north", "--roles", "dealer", "--data-dir", dd)
	startServe(t, "--data-dir", dd)

	clean := filepath.Join(dir, "stock.csv")
	require.NoError(t, os.WriteFile(clean, []byte("仓库,货号,现有库存,单位\nWH1,N-1,40,个\nWH1,N-2,\"1,200\",箱\n"), 0o600))
	var m struct {
		ID          string   `json:"id"`
		Status      string   `json:"status"`
		DocumentIDs []string `json:"document_ids"`
		Errors      []struct {
			Location string `json:"location"`
			Reason   string `json:"reason"`
		} `json:"errors"`
	}
	out := cli(t, "import", clean, "--partner", "north", "--doctype", "stock_level", "--json", "--data-dir", dd)
	require.NoError(t, json.Unmarshal([]byte(out), &m), out)
	require.Equal(t, "done", m.Status)
	require.Len(t, m.DocumentIDs, 2)

	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("仓库,货号,现有库存,单位\nWH1,N-3,40,个\nWH1,N-4,lots,个\nWH1,,5,个\n"), 0o600))
	cmd := exec.Command(binary(t), "import", bad, "--partner", "north", "--doctype", "stock_level", "--data-dir", dd)
	text, err := cmd.Output()
	require.Error(t, err)
	require.Equal(t, 1, cmd.ProcessState.ExitCode())
	require.Contains(t, string(text), "failed")
	require.Contains(t, string(text), "row 3")
	require.Contains(t, string(text), "row 4")
	require.Contains(t, string(text), "lots")

	var docs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(cli(t, "messages", "list", "--json", "--status", "done", "--data-dir", dd)), &docs))
	require.Len(t, docs, 1, "only the clean file is done; the bad one stored nothing")

	// Without a running hub the file waits, and the command says so.
	other := filepath.Join(dir, "other")
	cli(t, "partners", "add", "north", "--roles", "dealer", "--data-dir", other)
	cmd = exec.Command(binary(t), "import", clean, "--partner", "north", "--doctype", "stock_level", "--wait", "300ms", "--data-dir", other)
	combined, err := cmd.CombinedOutput()
	require.Error(t, err)
	require.Contains(t, string(combined), "is `dealerhub serve` running")
}
