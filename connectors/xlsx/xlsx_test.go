package xlsx

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/dealerhub/dealerhub/connectors"
)

func text(v string) connectors.Cell   { return connectors.Cell{Value: v, Type: connectors.CellText} }
func number(v string) connectors.Cell { return connectors.Cell{Value: v, Type: connectors.CellNumber} }
func date(v string) connectors.Cell   { return connectors.Cell{Value: v, Type: connectors.CellDate} }

func TestExcelizeWrittenWorkbook(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	require.NoError(t, f.SetSheetName("Sheet1", "价格表"))
	_, err := f.NewSheet("Notes")
	require.NoError(t, err)
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	require.NoError(t, err)
	cnDate := `yyyy"年"m"月"d"日"`
	cnDateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &cnDate})
	require.NoError(t, err)
	percentStyle, err := f.NewStyle(&excelize.Style{NumFmt: 10})
	require.NoError(t, err)
	money := `"¥"#,##0.00;[Red]-"¥"#,##0.00`
	moneyStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &money})
	require.NoError(t, err)

	s := "价格表"
	require.NoError(t, f.SetCellStr(s, "A1", "2026年价格表"))
	require.NoError(t, f.MergeCell(s, "A1", "E1"))
	require.NoError(t, f.SetSheetRow(s, "A2", &[]any{"物料编码", "名称", "单价", "折扣", "生效日期", "截止日期"}))
	require.NoError(t, f.SetCellStr(s, "A3", "00123")) // a code stored as text
	require.NoError(t, f.SetCellStr(s, "B3", "螺丝"))
	require.NoError(t, f.SetCellFloat(s, "C3", 1234.5, -1, 64))
	require.NoError(t, f.SetCellStyle(s, "C3", "C3", moneyStyle))
	require.NoError(t, f.SetCellFloat(s, "D3", 0.15, -1, 64))
	require.NoError(t, f.SetCellStyle(s, "D3", "D3", percentStyle))
	require.NoError(t, f.SetCellInt(s, "E3", 46023))
	require.NoError(t, f.SetCellStyle(s, "E3", "E3", dateStyle))
	require.NoError(t, f.SetCellFloat(s, "F3", 46387.5, -1, 64))
	require.NoError(t, f.SetCellStyle(s, "F3", "F3", cnDateStyle))
	require.NoError(t, f.SetCellStr(s, "A4", "1234.50")) // a number stored as text
	require.NoError(t, f.SetCellBool(s, "B4", true))
	require.NoError(t, f.SetCellStr(s, "E4", "2026/1/2")) // a date typed as text
	require.NoError(t, f.SetCellStr(s, "A7", "合计"))       // after two empty rows
	require.NoError(t, f.SetCellStr("Notes", "B2", "note"))

	rows := readAll(t, excelizeBytes(t, f), Options{})
	require.Len(t, rows, 6)
	require.Equal(t, connectors.Row{Sheet: s, Number: 1, Cells: []connectors.Cell{text("2026年价格表")}}, rows[0])
	require.Equal(t, 2, rows[1].Number)
	require.Equal(t, text("生效日期"), rows[1].Cells[4])
	require.Equal(t, []connectors.Cell{text("00123"), text("螺丝"), number("1234.5"), number("0.15"), date("46023"), date("46387.5")}, rows[2].Cells)
	require.Equal(t, []connectors.Cell{text("1234.50"), {Value: "TRUE", Type: connectors.CellBool}, {}, {}, text("2026/1/2")}, rows[3].Cells)
	require.Equal(t, connectors.Row{Sheet: s, Number: 7, Cells: []connectors.Cell{text("合计")}}, rows[4])
	require.Equal(t, connectors.Row{Sheet: "Notes", Number: 2, Cells: []connectors.Cell{{}, text("note")}}, rows[5])
}

func TestSheetSelection(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	for _, name := range []string{"B", "C"} {
		_, err := f.NewSheet(name)
		require.NoError(t, err)
	}
	for _, name := range []string{"Sheet1", "B", "C"} {
		require.NoError(t, f.SetCellStr(name, "A1", name))
	}
	b := excelizeBytes(t, f)

	rows := readAll(t, b, Options{Sheets: []string{"C", "Sheet1"}})
	require.Len(t, rows, 2)
	require.Equal(t, "C", rows[0].Sheet)
	require.Equal(t, "Sheet1", rows[1].Sheet)

	r, err := Open(bytes.NewReader(b), int64(len(b)), Options{})
	require.NoError(t, err)
	require.Equal(t, []string{"Sheet1", "B", "C"}, r.SheetNames())
	require.NoError(t, r.Close())

	_, err = Open(bytes.NewReader(b), int64(len(b)), Options{Sheets: []string{"价格"}})
	require.ErrorIs(t, err, ErrSheetNotFound)
	require.EqualError(t, err, `sheet not found: "价格"; the workbook has sheets "Sheet1", "B", "C"`)
}

func TestCachedFormulasAndRawCellForms(t *testing.T) {
	t.Parallel()
	xfs := []string{
		`<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`,  // 1: built-in date
		`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`, // 2: custom time
		`<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`, // 3: [Red] money, not a date
		`<xf numFmtId="31" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`,  // 4: East Asian date, undeclared
	}
	numFmts := `<numFmt numFmtId="164" formatCode="h:mm AM/PM"/><numFmt numFmtId="165" formatCode="#,##0.00_);[Red]\(#,##0.00\)"/>`
	sheet := rawSheet{name: "Data", data: `
<row r="1"><c r="A1" t="inlineStr"><is><t>a &lt;c r="Z9"&gt; in text</t></is></c><c r="B1"><f>1+1</f><v>2</v></c>
  <c r="C1" t="str"><f>"x"&amp;"y"</f><v>xy</v></c><c r="D1" t="b"><f>TRUE()</f><v>1</v></c>
  <c r="E1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="F1" s="1"><f>TODAY()</f><v>46000</v></c><c r="G1"><f>A2*2</f></c></row>
<!-- a comment with <row r="99"> inside -->
<row r="2"><c r="A2"><f t="shared" ref="A2:A3" si="0">B2+1</f><v>3</v></c><c r="B2" s="2"><v>0.75</v></c><c r="C2" s="3"><v>-5</v></c>
  <c r="D2" t="d"><v>2026-01-02T12:00:00Z</v></c><c r="E2" s="4"><v>46024</v></c><c r="F2" t="b"><v>0</v></c></row>
<row r="3"><c r="A3"><f t="shared" si="0"/><v>4</v></c><c><v>7</v></c><c t="s"/></row>
<row r="5" spans="1:1"><c r="B5" s="1"/></row>
<x:row r="6" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:c r="C6" t="inlineStr"><x:is><x:t>prefixed</x:t></x:is></x:c></x:row>`}
	rows := readAll(t, rawWorkbook(t, "", numFmts, xfs, sheet), Options{})

	formula := func(c connectors.Cell) connectors.Cell { c.Formula = true; return c }
	require.Equal(t, []connectors.Cell{
		text("a <c r=\"Z9\"> in text"), formula(number("2")), formula(text("xy")),
		formula(connectors.Cell{Value: "TRUE", Type: connectors.CellBool}),
		formula(connectors.Cell{Value: "#DIV/0!", Type: connectors.CellError}),
		formula(date("46000")),
		{Formula: true}, // a formula saved without a cached value (openpyxl does that)
	}, rows[0].Cells)
	require.Equal(t, []connectors.Cell{
		formula(number("3")), date("0.75"), number("-5"), date("46024.5"), date("46024"),
		{Value: "FALSE", Type: connectors.CellBool},
	}, rows[1].Cells)
	require.Equal(t, []connectors.Cell{formula(number("4")), number("7")}, rows[2].Cells)
	require.Len(t, rows, 4, "the styled empty row 5 holds no cell")
	require.Equal(t, connectors.Row{Sheet: "Data", Number: 6, Cells: []connectors.Cell{{}, {}, text("prefixed")}}, rows[3])
}

func TestDate1904SerialsAreShiftedTo1900(t *testing.T) {
	t.Parallel()
	xfs := []string{`<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`}
	b := rawWorkbook(t, `<workbookPr date1904="1"/>`, "", xfs,
		rawSheet{name: "S", data: `<row r="1"><c r="A1" s="1"><v>44561</v></c><c r="B1"><v>44561</v></c></row>`})
	rows := readAll(t, b, Options{})
	// 44561 in the 1904 system is 2026-01-01, which is 46023 in the 1900 system.
	require.Equal(t, []connectors.Cell{date("46023"), number("44561")}, rows[0].Cells)
}

func TestNextHonoursContext(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	require.NoError(t, f.SetCellStr("Sheet1", "A1", "x"))
	b := excelizeBytes(t, f)
	r, err := Open(bytes.NewReader(b), int64(len(b)), Options{})
	require.NoError(t, err)
	defer r.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = r.Next(ctx)
	require.ErrorIs(t, err, context.Canceled)
}

func TestDateFormatDetection(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]bool{
		"yyyy-mm-dd": true, "YYYY/M/D": true, `yyyy"年"m"月"d"日"`: true, "h:mm:ss": true, "[h]:mm": true,
		"[$-804]yyyy/m/d": true, "mm:ss.0": true,
		"General": false, "0.00": false, `#,##0.00 "days"`: false, "[Red]0.0": false, `0.0\d`: false,
		`"¥"#,##0.00`: false, "[$-804]0.00": false, "0.00E+00": false, "@": false, `_(* #,##0_)`: false,
	} {
		require.Equal(t, want, isDateFormatCode(code), code)
	}
	for id, want := range map[int]bool{0: false, 2: false, 14: true, 22: true, 31: true, 49: false, 57: true, 164: false} {
		require.Equal(t, want, isBuiltInDateFormat(id), id)
	}
}
