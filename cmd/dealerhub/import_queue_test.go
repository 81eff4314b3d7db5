package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// TestImportThroughTheHub imports spreadsheets without --dry-run while
// serve runs on the same data dir: a clean file is stored; a file with bad
// rows and no mapping goes through the built-in mapping, which stores the
// valid rows and names every bad one; the same bad rows under a mapping
// with on_error: reject_file refuse the file whole and store nothing of it.
func TestImportThroughTheHub(t *testing.T) {
	dir := t.TempDir()
	dd := filepath.Join(dir, "data")
	require.NoError(t, os.Mkdir(filepath.Join(dir, "maps"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "maps", "strict.yaml"),
		[]byte("doctype: stock_level\non_error: reject_file\n"), 0o600))
	cfg := filepath.Join(dir, "hub.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("partners:\n  - id: north\n    name: North\n    roles: [dealer]\n"+
		"    mappings:\n      - {name: strict, file: maps/strict.yaml}\n"), 0o600))
	startServe(t, "--data-dir", dd, "--config", cfg)

	clean := filepath.Join(dir, "stock.csv")
	require.NoError(t, os.WriteFile(clean, []byte("仓库,货号,现有库存,单位\nWH1,N-1,40,个\nWH1,N-2,\"1,200\",箱\n"), 0o600))
	type message struct {
		ID           string   `json:"id"`
		Status       string   `json:"status"`
		DocumentIDs  []string `json:"document_ids"`
		RowsRejected int      `json:"rows_rejected"`
		Errors       []struct {
			Location string `json:"location"`
			Row      int    `json:"row"`
			Column   string `json:"column"`
			Value    string `json:"value"`
			Reason   string `json:"reason"`
		} `json:"errors"`
	}
	var m message
	out := cli(t, "import", clean, "--partner", "north", "--doctype", "stock_level", "--json", "--data-dir", dd)
	require.NoError(t, json.Unmarshal([]byte(out), &m), out)
	require.Equal(t, "done", m.Status)
	require.Len(t, m.DocumentIDs, 2)

	t.Run("the built-in mapping stores the valid rows and names the bad ones", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.csv")
		require.NoError(t, os.WriteFile(bad, []byte("仓库,货号,现有库存,单位\nWH1,N-3,40,个\nWH1,N-4,lots,个\nWH1,,5,个\n"), 0o600))
		text := cli(t, "import", bad, "--partner", "north", "--doctype", "stock_level", "--data-dir", dd)
		require.Contains(t, text, ": done")
		require.Contains(t, text, "documents stored or unchanged: 1")
		require.Contains(t, text, "rows rejected: 2")
		require.Contains(t, text, "row 3 column C (现有库存)")
		require.Contains(t, text, `"lots"`)
		require.Contains(t, text, "row 4 column B (货号)")
	})

	t.Run("reject_file refuses the file whole", func(t *testing.T) {
		bad := filepath.Join(dir, "bad-strict.csv")
		require.NoError(t, os.WriteFile(bad, []byte("仓库,货号,现有库存,单位\nWH2,N-5,40,个\nWH2,N-6,lots,个\nWH2,,5,个\n"), 0o600))
		cmd := exec.Command(binary(t), "import", bad, "--partner", "north", "--doctype", "stock_level", "--mapping", "strict",
			"--json", "--data-dir", dd)
		text, err := cmd.Output()
		require.Error(t, err)
		require.Equal(t, 1, cmd.ProcessState.ExitCode())
		var m message
		require.NoError(t, json.Unmarshal(text, &m), string(text))
		require.Equal(t, "failed", m.Status)
		require.Empty(t, m.DocumentIDs, "nothing of the file is stored, not even the good row")
		require.Len(t, m.Errors, 2, "every bad row is named")
		require.Equal(t, []any{3, "C", "lots"}, []any{m.Errors[0].Row, m.Errors[0].Column, m.Errors[0].Value})
		require.Equal(t, []any{4, "B", ""}, []any{m.Errors[1].Row, m.Errors[1].Column, m.Errors[1].Value})
	})

	var docs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(cli(t, "messages", "list", "--json", "--status", "done", "--data-dir", dd)), &docs))
	require.Len(t, docs, 2, "the clean file and the built-in import are done")
	require.NoError(t, json.Unmarshal([]byte(cli(t, "messages", "list", "--json", "--status", "failed", "--data-dir", dd)), &docs))
	require.Len(t, docs, 1, "the reject_file import failed")

	// Without a running hub the file waits, and the command says so.
	other := filepath.Join(dir, "other")
	cli(t, "partners", "add", "north", "--roles", "dealer", "--data-dir", other)
	cmd := exec.Command(binary(t), "import", clean, "--partner", "north", "--doctype", "stock_level", "--wait", "300ms", "--data-dir", other)
	combined, err := cmd.CombinedOutput()
	require.Error(t, err)
	require.Contains(t, string(combined), "is `dealerhub serve` running")
}

// TestImportWithPartnerMapping imports through the hub with a mapping the
// hub config names: the valid rows are stored, the bad one is reported
// with its row and written to the error workbook read back from the
// stored message.
func TestImportWithPartnerMapping(t *testing.T) {
	dir := t.TempDir()
	dd := filepath.Join(dir, "data")
	require.NoError(t, os.Mkdir(filepath.Join(dir, "maps"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "maps", "stock.yaml"),
		[]byte("doctype: stock_level\non_error: import_valid\nfields:\n  location: {column: 库房}\n"), 0o600))
	cfg := filepath.Join(dir, "hub.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("partners:\n  - id: north\n    name: North\n    roles: [dealer]\n"+
		"    mappings:\n      - {name: erp-stock, file: maps/stock.yaml}\n"), 0o600))
	startServe(t, "--data-dir", dd, "--config", cfg)

	file := filepath.Join(dir, "stock.csv")
	require.NoError(t, os.WriteFile(file, []byte("库房,货号,现有库存,单位\nWH1,N-1,40,个\nWH1,N-2,lots,个\nWH2,N-1,5,个\n"), 0o600))

	cmd := exec.Command(binary(t), "import", file, "--partner", "north", "--doctype", "stock_level", "--dry-run", "--mapping", "erp-stock",
		"--config", cfg, "--json", "--data-dir", dd)
	dry, err := cmd.Output()
	require.Equal(t, 1, cmd.ProcessState.ExitCode(), "a dry run with a rejected row exits 1: %v", err)
	out := string(dry)
	require.Contains(t, out, `"would_import": 2`)
	require.Contains(t, out, `"mapping": "erp-stock"`)

	book := filepath.Join(dir, "errors.xlsx")
	text := cli(t, "import", file, "--partner", "north", "--doctype", "stock_level", "--mapping", "erp-stock",
		"--errors-out", book, "--config", cfg, "--data-dir", dd)
	require.Contains(t, text, "mapping: erp-stock")
	require.Contains(t, text, "documents stored or unchanged: 2")
	require.Contains(t, text, "rows rejected: 1")
	require.Contains(t, text, "row 3 column C (现有库存)")
	require.Contains(t, text, `"lots"`)
	require.Contains(t, text, "error workbook: "+book)

	f, err := excelize.OpenFile(book)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows("errors")
	require.NoError(t, err)
	require.Len(t, rows, 2, "the header and the rejected row")
	require.Equal(t, []string{"WH1", "N-2", "lots", "个", "3"}, rows[1][:5])
	require.Contains(t, rows[1][5], "C (现有库存)")

	// --json carries the same; the same bytes again are the same message.
	var m struct {
		Status       string   `json:"status"`
		Mapping      string   `json:"mapping"`
		DocumentIDs  []string `json:"document_ids"`
		RowsRejected int      `json:"rows_rejected"`
		Duplicate    bool     `json:"duplicate"`
		Errors       []struct {
			Row    int    `json:"row"`
			Column string `json:"column"`
			Value  string `json:"value"`
		} `json:"errors"`
	}
	out = cli(t, "import", file, "--partner", "north", "--doctype", "stock_level", "--mapping", "erp-stock", "--json", "--data-dir", dd)
	require.NoError(t, json.Unmarshal([]byte(out), &m), out)
	require.True(t, m.Duplicate)
	require.Equal(t, "done", m.Status)
	require.Equal(t, "erp-stock", m.Mapping)
	require.Len(t, m.DocumentIDs, 2)
	require.Equal(t, 1, m.RowsRejected)
	require.Len(t, m.Errors, 1)
	require.Equal(t, 3, m.Errors[0].Row)
	require.Equal(t, "C", m.Errors[0].Column)
	require.Equal(t, "lots", m.Errors[0].Value)

	// The same bytes without the mapping are another message, read with the
	// built-in mapping, whose synonyms do not know the header 库房.
	cmd = exec.Command(binary(t), "import", file, "--partner", "north", "--doctype", "stock_level", "--data-dir", dd)
	again, err := cmd.CombinedOutput()
	require.Error(t, err)
	require.Equal(t, 1, cmd.ProcessState.ExitCode())
	require.NotContains(t, string(again), "was imported before")
	require.Contains(t, string(again), ": failed")
	require.Contains(t, string(again), "no row names location")

	// A name the hub config lacks fails the message and says which exist.
	other := filepath.Join(dir, "other.csv")
	require.NoError(t, os.WriteFile(other, []byte("库房,货号,现有库存,单位\nWH9,N-9,1,个\n"), 0o600))
	cmd = exec.Command(binary(t), "import", other, "--partner", "north", "--doctype", "stock_level", "--mapping", "erp", "--data-dir", dd)
	text2, err := cmd.Output()
	require.Error(t, err)
	require.Contains(t, string(text2), `no mapping named "erp": it has erp-stock`)
}
