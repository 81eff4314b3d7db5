package main

import (
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/dealerhub/dealerhub/mappings"
)

var updateImports = flag.Bool("update", false, "rewrite the golden files under testdata/imports")

// dryRunJSON runs `import --dry-run --json --show-valid` and decodes it.
func dryRunJSON(t *testing.T, file string, extra ...string) (importReport, error) {
	t.Helper()
	args := append([]string{"import", file, "--partner", "acme", "--doctype", "price_list", "--dry-run", "--json", "--show-valid"}, extra...)
	out, stderr, err := runCLI(t, args...)
	var rep importReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep), "stdout %q stderr %q err %v", out, stderr, err)
	return rep, err
}

// goldenLines is what testdata/imports/<case>/expected.json holds: the
// valid lines and the errors, without the sheet name (a CSV has none).
type goldenLines struct {
	Lines  []mappings.Record     `json:"lines"`
	Errors []mappings.FieldError `json:"errors"`
}

func checkImportGolden(t *testing.T, name string, rep importReport) {
	t.Helper()
	g := goldenLines{Lines: rep.Valid, Errors: rep.Errors}
	for i := range g.Lines {
		g.Lines[i].Location.Sheet = ""
	}
	for i := range g.Errors {
		g.Errors[i].Sheet = ""
	}
	got, err := json.MarshalIndent(g, "", "  ")
	require.NoError(t, err)
	path := filepath.Join("..", "..", "testdata", "imports", name, "expected.json")
	if *updateImports {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, append(got, '\n'), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cmd/dealerhub -run TestImportSupplierPriceList -update to create it")
	require.JSONEq(t, string(want), string(got))
}

// TestImportSupplierPriceList imports the same supplier price list written
// by LibreOffice, by openpyxl and as a GBK CSV, with no mapping file.
func TestImportSupplierPriceList(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{"csv": gbkCSVFixture(t, dir)}
	files["libreoffice"] = libreOfficeFixture(t, dir)
	files["openpyxl"] = openpyxlFixture(t, dir)

	for _, kind := range []string{"libreoffice", "openpyxl", "csv"} {
		t.Run(kind, func(t *testing.T) {
			file := files[kind]
			rep, err := dryRunJSON(t, file)
			require.Equal(t, 1, exitCode(err), "rejected rows exit 1: %v", err)
			require.True(t, rep.DryRun)
			require.Equal(t, "acme", rep.Header["sender"], "the partner is the sender")
			require.Equal(t, "CNY", rep.Header["currency"])
			require.Equal(t, 4, rep.WouldImport)
			require.Equal(t, 3, rep.Rejected)
			require.Equal(t, 8, rep.RowsRead)
			require.Equal(t, 1, rep.Skipped, "the 合计 row")
			require.Len(t, rep.Sheets, 1)
			require.Equal(t, 3, rep.Sheets[0].HeaderRow)

			sheet := fixtureSheet
			if kind == "csv" {
				sheet = ""
			}
			type want struct {
				row              int
				col, header, val string
				reason           string
			}
			wants := []want{
				{7, "B", "单价(元)", "abc", "not a number"},
				{8, "F", "生效日期", "2026-02-30", "does not exist"},
				{9, "D", "货号", "", "sku"},
			}
			require.Len(t, rep.Errors, len(wants), "%+v", rep.Errors)
			for i, w := range wants {
				e := rep.Errors[i]
				require.Equal(t, sheet, e.Sheet)
				require.Equal(t, w.row, e.Row)
				require.Equal(t, w.col, e.Column, "row %d", w.row)
				require.Equal(t, w.header, e.Header, "row %d", w.row)
				require.Equal(t, w.val, e.Value, "row %d", w.row)
				require.Contains(t, e.Reason, w.reason, "row %d", w.row)
			}
			checkImportGolden(t, "supplier-price-list", rep)
		})
	}

	t.Run("human report", func(t *testing.T) {
		out, _, err := runCLI(t, "import", files["openpyxl"], "--partner", "acme", "--doctype", "price_list", "--dry-run")
		require.Equal(t, 1, exitCode(err))
		require.Contains(t, out, "would import: 4")
		require.Contains(t, out, "rejected: 3")
		require.Contains(t, out, "B (单价(元))")
		require.Contains(t, out, `"abc"`)
		require.Contains(t, out, "nothing was stored")
	})

	t.Run("errors-out", func(t *testing.T) {
		book := filepath.Join(t.TempDir(), "errors.xlsx")
		rep, err := dryRunJSON(t, files["libreoffice"], "--errors-out", book)
		require.Equal(t, 1, exitCode(err))
		require.Equal(t, book, rep.ErrorsOut)
		f, err := excelize.OpenFile(book)
		require.NoError(t, err)
		defer f.Close()
		require.Equal(t, []string{fixtureSheet}, f.GetSheetList())
		rows, err := f.GetRows(fixtureSheet)
		require.NoError(t, err)
		require.Len(t, rows, 4, "the header and the three rejected rows")
		require.Equal(t, []string{"序号", "单价(元)", "品名", "货号", "计量单位", "生效日期", "备注", "源行号 (source row)", "错误 (errors)"}, rows[0])
		require.Equal(t, []string{"4", "abc", "坏价格", "BAD-1", "个", "2026/12/1", "'" + plantedFormula, "7"}, rows[1][:8])
		require.Contains(t, rows[1][8], "B (单价(元)): ")
		require.Contains(t, rows[1][8], "not a number")
		require.Equal(t, "8", rows[2][7])
		require.Contains(t, rows[2][8], "F (生效日期)")
		require.Equal(t, "9", rows[3][7])
		require.Equal(t, "", rows[3][3], "the empty SKU stays empty")
		require.Equal(t, "46357", rows[3][5], "a date cell's raw serial, as text")
		formula, err := f.GetCellFormula(fixtureSheet, "G2")
		require.NoError(t, err)
		require.Empty(t, formula, "the planted formula is text, not a formula")
	})

	t.Run("mapping suggest round trip", func(t *testing.T) {
		out, _, err := runCLI(t, "mapping", "suggest", files["libreoffice"], "--json")
		require.NoError(t, err)
		var sug suggestOutput
		require.NoError(t, json.Unmarshal([]byte(out), &sug))
		require.Equal(t, 3, sug.HeaderRow)
		byField := map[string]mappings.ColumnMatch{}
		for _, c := range sug.Columns {
			byField[c.Field] = c
		}
		for field, col := range map[string]string{"sku": "D", "description": "C", "unit": "E", "unit_price": "B"} {
			require.Equal(t, col, byField[field].Column, field)
			require.Greater(t, byField[field].Confidence, 0.5, field)
		}
		yaml, _, err := runCLI(t, "mapping", "suggest", files["libreoffice"])
		require.NoError(t, err)
		require.Contains(t, yaml, "confidence")
		mf := filepath.Join(t.TempDir(), "acme.yaml")
		require.NoError(t, os.WriteFile(mf, []byte(yaml), 0o644))
		for _, file := range []string{files["libreoffice"], files["openpyxl"]} {
			rep, err := dryRunJSON(t, file, "--mapping", mf)
			require.Equal(t, 1, exitCode(err))
			require.Equal(t, 4, rep.WouldImport)
			require.Equal(t, 3, rep.Rejected)
		}
	})
}

func TestImportRefusals(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := gbkCSVFixture(t, dir)

	_, _, err := runCLI(t, "import", good, "--partner", "acme", "--doctype", "price_list", "--mapping", "m.yaml")
	require.Equal(t, 2, exitCode(err))
	require.ErrorContains(t, err, "--mapping must name one of partner acme's mappings in the hub config")
	mf := filepath.Join(dir, "acme.yaml")
	require.NoError(t, os.WriteFile(mf, []byte("doctype: price_list\n"), 0o644))
	_, _, err = runCLI(t, "import", good, "--partner", "acme", "--doctype", "price_list", "--mapping", mf)
	require.Equal(t, 2, exitCode(err), "a mapping file goes through the hub config")
	require.ErrorContains(t, err, "Register it under partner acme's mappings: in the hub config")
	_, _, err = runCLI(t, "import", good, "--partner", "acme", "--doctype", "price_list", "--sheet", "价格表")
	require.Equal(t, 2, exitCode(err))
	require.EqualError(t, err, errSheetDryRunOnly)
	_, _, err = runCLI(t, "import", good, "--partner", "acme", "--doctype", "price_list", "--dry-run", "--mapping", "acme-prices")
	require.Equal(t, 2, exitCode(err), "a name needs the hub config")
	require.ErrorContains(t, err, "--config")

	_, _, err = runCLI(t, "import", good, "--doctype", "price_list", "--dry-run")
	require.Equal(t, 2, exitCode(err), "no partner")
	_, _, err = runCLI(t, "import", good, "--partner", "acme", "--doctype", "order", "--dry-run")
	require.Equal(t, 2, exitCode(err), "not a spreadsheet doctype")
	_, _, err = runCLI(t, "import", good, "--partner", "acme", "--doctype", "price_list", "--dry-run", "--sheet", "x")
	require.Equal(t, 2, exitCode(err), "a CSV has no sheets")

	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("version: 1\ndoctype: price_list\ncolour: blue\n"), 0o644))
	_, stderr, err := runCLI(t, "import", good, "--partner", "acme", "--doctype", "price_list", "--dry-run", "--mapping", bad)
	require.Equal(t, 2, exitCode(err))
	require.Contains(t, stderr, "colour")
	require.Contains(t, stderr, "bad.yaml:3:")
}

func TestImportBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, b, 0o644))
		return p
	}
	locked := filepath.Join(dir, "locked.xlsx")
	f := excelize.NewFile()
	require.NoError(t, f.SetCellStr("Sheet1", "A1", "货号"))
	require.NoError(t, f.SaveAs(locked, excelize.Options{Password: "pw"}))
	require.NoError(t, f.Close())
	plain := filepath.Join(dir, "plain.xlsx")
	f = excelize.NewFile()
	require.NoError(t, f.SetSheetRow("Sheet1", "A1", &[]any{"备注", "说明"}))
	require.NoError(t, f.SaveAs(plain))
	require.NoError(t, f.Close())

	for name, tc := range map[string]struct {
		file  string
		extra []string
		want  string
	}{
		"not a spreadsheet": {file: write("notes.xlsx", []byte("hello, this is not a workbook\n")), want: "not an XLSX workbook"},
		"encrypted":         {file: locked, want: "password-protected"},
		"empty":             {file: write("empty.xlsx", nil), want: "empty"},
		"workbook as csv":   {file: write("disguised.csv", mustRead(t, plain)), want: "not CSV"},
		"missing sheet":     {file: plain, extra: []string{"--sheet", "价格表"}, want: "sheet not found"},
		"no header":         {file: plain, want: "货号"},
	} {
		t.Run(name, func(t *testing.T) {
			args := append([]string{"import", tc.file, "--partner", "acme", "--doctype", "price_list", "--dry-run"}, tc.extra...)
			_, _, err := runCLI(t, args...)
			require.Equal(t, 1, exitCode(err), "%v", err)
			require.ErrorContains(t, err, tc.want)
		})
	}
	_, _, err := runCLI(t, "mapping", "suggest", plain)
	require.Equal(t, 1, exitCode(err))
	require.True(t, strings.Contains(err.Error(), "备注"), "the cells seen: %v", err)
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// TestREADMEImport runs the README's "Import a spreadsheet" example as
// written, from the repository root.
func TestREADMEImport(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		needTool(t, false, "jq", "apt-get install -y jq")
	}
	script := readmeBlock(t, "## Import a spreadsheet")
	tmp := t.TempDir()
	script = strings.ReplaceAll(script, "/tmp/", tmp+"/")
	bin := filepath.Join(tmp, "dealerhub")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	script = strings.ReplaceAll(script, "go run ./cmd/dealerhub", bin)
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = filepath.Join("..", "..")
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "would import: 4")
	require.Contains(t, string(out), "rejected: 3")
	require.Regexp(t, `"would_import":\s*4,\s*"rejected":\s*3`, string(out))
	require.FileExists(t, filepath.Join(tmp, "acme-errors.xlsx"))
}

// TestDryRunReadsAsTheHubDoes: without a mapping a dry run uses the hub's
// built-in mapping, so a stock file's 供应商 column names the supplier that
// may see each level, as it will when the hub imports the file.
func TestDryRunReadsAsTheHubDoes(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "stock.csv")
	require.NoError(t, os.WriteFile(file, []byte("仓库,商品编码,供应商,库存数量,单位\nWH1,DR-500,acme,42,个\n"), 0o644))
	out, stderr, err := runCLI(t, "import", file, "--partner", "north", "--doctype", "stock_level", "--dry-run", "--json", "--show-valid")
	require.NoError(t, err, "stderr %s", stderr)
	var rep importReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Len(t, rep.Valid, 1, "%s", out)
	require.Equal(t, "acme", rep.Valid[0].Value["supplier"])
	require.Equal(t, "import_valid", rep.OnError)
}
