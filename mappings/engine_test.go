package mappings

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/schemas"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/mappings")

func newRegistry(t testing.TB) *schemas.Registry {
	t.Helper()
	reg, err := schemas.New()
	require.NoError(t, err)
	return reg
}

// text, num and date build cells.
func text(s string) connectors.Cell { return connectors.Cell{Value: s, Type: connectors.CellText} }
func num(s string) connectors.Cell  { return connectors.Cell{Value: s, Type: connectors.CellNumber} }
func date(s string) connectors.Cell { return connectors.Cell{Value: s, Type: connectors.CellDate} }

func row(sheet string, n int, cells ...connectors.Cell) connectors.Row {
	return connectors.Row{Sheet: sheet, Number: n, Cells: cells}
}

// supplierRows mimics a real supplier workbook: a merged title banner, a
// blank row, Chinese headers in an unusual order with a bracketed note,
// prices as ¥ text and as numbers, dates typed three ways and as date
// cells, a 合计 row, and planted bad rows.
func supplierRows(sheet string) []connectors.Row {
	return []connectors.Row{
		row(sheet, 1, text("华南五金有限公司 2026年12月价格表")),
		row(sheet, 2),
		row(sheet, 3, text("序号"), text("单价(元)"), text("品名"), text(" 货号 "), text("计量单位"), text("生效日期"), text("条形码"), text("起订量")),
		row(sheet, 4, num("1"), text("¥1,234.00"), text("电钻 500W"), text("DR-500"), text("台"), text("2026-12-01"), num("6901234567892"), text("10")),
		row(sheet, 5, num("2"), num("88.5"), text("扳手"), text("WR-10"), text("把"), date("46357")),
		row(sheet, 6, num("3"), text("￥12.30"), text("螺丝\n M3"), text("ＳＣ－３"), text("盒"), text("2026年12月1日"), text(""), num("100")),
		row(sheet, 7, num("4"), text("abc"), text("坏价格"), text("BAD-1"), text("个"), text("2026/12/1")),
		row(sheet, 8, num("5"), text("5.00"), text("坏日期"), text("BAD-2"), text("个"), text("2026-02-30")),
		row(sheet, 9, num("6"), text("7.50"), text("坏单位"), text("BAD-3"), text("坨"), text("2026.12.1"), text("12345")),
		row(sheet, 10, num("7"), text(""), text("无价格"), text("BAD-4"), text("件")),
		row(sheet, 11),
		row(sheet, 12, text("合计"), text("¥1,347.30")),
	}
}

type golden struct {
	Report  Report         `json:"report"`
	Lines   []Record       `json:"lines"`
	Errors  []FieldError   `json:"errors"`
	Docs    []Record       `json:"documents,omitempty"`
	Summary map[string]int `json:"summary"`
}

// checkGolden compares a run with testdata/mappings/<name>/expected.json;
// input.json holds the rows it read, so that format packages can rebuild
// the same file and compare.
func checkGolden(t *testing.T, name string, rows []connectors.Row, res *Result) {
	t.Helper()
	in, err := json.MarshalIndent(rows, "", "  ")
	require.NoError(t, err)
	inPath := filepath.Join("..", "testdata", "mappings", name, "input.json")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(inPath), 0o755))
		require.NoError(t, os.WriteFile(inPath, append(in, '\n'), 0o644))
	}
	wantIn, err := os.ReadFile(inPath)
	require.NoError(t, err, "run go test ./mappings -update to create it")
	require.JSONEq(t, string(wantIn), string(in))

	g := golden{Report: res.Report, Errors: res.Errors(), Summary: map[string]int{
		"rows_read": res.RowsRead, "mapped": res.Mapped, "rejected": res.Rejected, "skipped": res.Skipped}}
	for _, r := range res.Records {
		if len(r.Errors) == 0 {
			if res.DocType == "price_list" {
				g.Lines = append(g.Lines, r)
			} else {
				g.Docs = append(g.Docs, r)
			}
		}
	}
	got, err := json.MarshalIndent(g, "", "  ")
	require.NoError(t, err)
	got = append(got, '\n')
	path := filepath.Join("..", "testdata", "mappings", name, "expected.json")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./mappings -update to create it")
	require.JSONEq(t, string(want), string(got))
}

var runDay = time.Date(2026, 11, 20, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func TestPriceListWithoutMappingFile(t *testing.T) {
	t.Parallel()
	eng := NewEngine(newRegistry(t))
	rows := supplierRows("价格表")
	res, err := eng.MapRows(context.Background(), rows, DefaultMapping("price_list"),
		Options{Partner: "acme", File: "uploads/PL-2026-12.xlsx", Now: runDay, Workers: 2})
	require.NoError(t, err)
	checkGolden(t, "supplier-price-list", rows, res)

	require.Equal(t, 3, res.HeaderRow())
	require.Equal(t, 3, res.Mapped)
	require.Equal(t, 4, res.Rejected)
	require.Equal(t, "CNY", res.Header["currency"], "from the ¥ in the prices")
	require.Equal(t, "PL-2026-12.xlsx", res.Header["external_id"])
	require.Empty(t, res.HeaderErrors)

	byRow := map[int][]FieldError{}
	for _, e := range res.Errors() {
		byRow[e.Row] = append(byRow[e.Row], e)
	}
	type want struct{ col, header, value, reason string }
	wants := map[int][]want{
		7:  {{"B", "单价(元)", "abc", "not a number"}},
		8:  {{"F", "生效日期", "2026-02-30", "does not exist"}},
		9:  {{"E", "计量单位", "坨", "unknown unit"}, {"G", "条形码", "12345", "GTIN of 8, 12, 13 or 14 digits"}},
		10: {{"B", "单价(元)", "", `"unit_price" is missing`}},
	}
	require.Len(t, byRow, len(wants))
	for n, ws := range wants {
		require.Len(t, byRow[n], len(ws), "row %d: %v", n, byRow[n])
		for i, w := range ws {
			e := byRow[n][i]
			require.Equal(t, "价格表", e.Sheet)
			require.Equal(t, w.col, e.Column, "row %d", n)
			require.Equal(t, w.header, e.Header, "row %d", n)
			require.Equal(t, w.value, e.Value, "row %d", n)
			require.Contains(t, e.Reason, w.reason, "row %d", n)
		}
	}
}

// HeaderRow returns the first sheet's header row, for tests.
func (r *Result) HeaderRow() int {
	if len(r.Sheets) == 0 {
		return 0
	}
	return r.Sheets[0].HeaderRow
}

func TestNoHeaderRowListsWhatItLookedFor(t *testing.T) {
	t.Parallel()
	eng := NewEngine(newRegistry(t))
	rows := []connectors.Row{
		row("Sheet1", 1, text("Report")),
		row("Sheet1", 2, text("colour"), text("size")),
		row("Sheet1", 3, text("red"), text("XL")),
	}
	_, err := eng.MapRows(context.Background(), rows, DefaultMapping("price_list"), Options{Partner: "acme"})
	var he *HeaderError
	require.ErrorAs(t, err, &he)
	require.Equal(t, []string{"sku", "unit", "unit_price"}, he.Missing)
	require.Contains(t, he.LookedFor["sku"], "货号")
	require.Contains(t, err.Error(), "A2=colour")
	require.Contains(t, err.Error(), "B3=XL")
	require.Contains(t, err.Error(), `sheet "Sheet1"`)
}

func TestSheetNotFound(t *testing.T) {
	t.Parallel()
	eng := NewEngine(newRegistry(t))
	m := DefaultMapping("price_list")
	m.Sheet = "报价"
	_, err := eng.MapRows(context.Background(), supplierRows("价格表"), m, Options{Partner: "acme"})
	require.ErrorIs(t, err, ErrSheetNotFound)
	require.Contains(t, err.Error(), `"价格表"`)
}
