package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// fcell is one cell of the supplier fixture: t is 's' (text), 'n'
// (number) or 'd' (a date cell, v in ISO form).
type fcell struct {
	T string `json:"t"`
	V string `json:"v"`
}

func s(v string) fcell { return fcell{"s", v} }
func n(v string) fcell { return fcell{"n", v} }
func d(v string) fcell { return fcell{"d", v} }

const fixtureSheet = "价格表"

// plantedFormula is a text cell that a spreadsheet program would run as a
// formula if it lost its text type.
const plantedFormula = `=HYPERLINK("http://evil.example/","点击")`

// supplierFixture is a supplier's price list as people really send them: a
// title banner merged over A1:G1, a blank row, Chinese headers in an
// unusual order, ¥ text prices next to a number price, dates as date cells,
// 2026/12/1 text and 2026年12月1日 text, a 合计 row, and three planted bad
// rows: 7 (price "abc"), 8 (2026-02-30), 9 (no SKU).
var supplierFixture = [][]fcell{
	{s("华南五金有限公司 2026年12月价格表")},
	{},
	{s("序号"), s("单价(元)"), s("品名"), s("货号"), s("计量单位"), s("生效日期"), s("备注")},
	{n("1"), s("¥1,234.00"), s("电钻 500W"), s("DR-500"), s("台"), d("2026-12-01")},
	{n("2"), n("88.5"), s("扳手"), s("WR-10"), s("把"), s("2026/12/1")},
	{n("3"), s("¥12.30"), s("螺丝 M3"), s("SC-3"), s("盒"), s("2026年12月1日"), s("含税")},
	{n("4"), s("abc"), s("坏价格"), s("BAD-1"), s("个"), s("2026/12/1"), s(plantedFormula)},
	{n("5"), s("¥5.00"), s("坏日期"), s("BAD-2"), s("个"), s("2026-02-30")},
	{n("6"), s("¥7.50"), s("无货号"), s(""), s("个"), d("2026-12-01")},
	{n("7"), s("¥2.00"), s("垫片"), s("WS-8"), s("个"), d("2026-12-01")},
	{s("合计"), s("¥1,349.30")},
}

// needTool skips the test when a program is missing, and fails it in CI.
func needTool(t *testing.T, ok bool, what, install string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing; install it: %s", what, install)
	}
	t.Skipf("%s is missing; install it: %s", what, install)
}

// fodsFixture renders the fixture as a flat OpenDocument spreadsheet.
func fodsFixture() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
  office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:date-style style:name="Ndate">
   <number:year number:style="long"/><number:text>-</number:text>
   <number:month number:style="long"/><number:text>-</number:text>
   <number:day number:style="long"/>
  </number:date-style>
  <style:style style:name="ceDate" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="Ndate"/>
 </office:automatic-styles>
 <office:body><office:spreadsheet>
  <table:table table:name="` + fixtureSheet + `">
   <table:table-column table:number-columns-repeated="7"/>
`)
	for i, row := range supplierFixture {
		b.WriteString("   <table:table-row>")
		if len(row) == 0 {
			b.WriteString(`<table:table-cell/>`)
		}
		for _, c := range row {
			v := html.EscapeString(c.V)
			switch {
			case i == 0:
				fmt.Fprintf(&b, `<table:table-cell table:number-columns-spanned="7" table:number-rows-spanned="1" office:value-type="string"><text:p>%s</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="6"/>`, v)
			case c.V == "":
				b.WriteString(`<table:table-cell/>`)
			case c.T == "n":
				fmt.Fprintf(&b, `<table:table-cell office:value-type="float" office:value="%s"><text:p>%s</text:p></table:table-cell>`, v, v)
			case c.T == "d":
				fmt.Fprintf(&b, `<table:table-cell table:style-name="ceDate" office:value-type="date" office:date-value="%s"><text:p>%s</text:p></table:table-cell>`, v, v)
			default:
				fmt.Fprintf(&b, `<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>`, v)
			}
		}
		b.WriteString("</table:table-row>\n")
	}
	b.WriteString("  </table:table>\n </office:spreadsheet></office:body>\n</office:document>\n")
	return b.String()
}

// libreOfficeFixture converts the fixture with LibreOffice into dir.
func libreOfficeFixture(t *testing.T, dir string) string {
	t.Helper()
	bin, err := exec.LookPath("libreoffice")
	if err != nil {
		bin, err = exec.LookPath("soffice")
	}
	needTool(t, err == nil, "LibreOffice", "apt-get install -y libreoffice-calc-nogui")
	src := filepath.Join(dir, "lo-pricelist.fods")
	require.NoError(t, os.WriteFile(src, []byte(fodsFixture()), 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// A private profile, so parallel runs and a user's own LibreOffice do
	// not share (and lock) one.
	profile := "file://" + filepath.Join(dir, "lo-profile")
	out, err := exec.CommandContext(ctx, bin, "-env:UserInstallation="+profile, "--headless", "--norestore",
		"--convert-to", "xlsx", "--outdir", dir, src).CombinedOutput()
	require.NoError(t, err, "converting with LibreOffice: %s", out)
	path := filepath.Join(dir, "lo-pricelist.xlsx")
	require.FileExists(t, path)
	return path
}

const openpyxlScript = `
import datetime, json, sys
from openpyxl import Workbook
rows = json.load(open(sys.argv[1], encoding="utf-8"))
wb = Workbook()
ws = wb.active
ws.title = sys.argv[3]
for r, row in enumerate(rows, start=1):
    for c, cell in enumerate(row, start=1):
        if cell["v"] == "":
            continue
        x = ws.cell(row=r, column=c)
        if cell["t"] == "n":
            x.value = float(cell["v"]) if "." in cell["v"] else int(cell["v"])
        elif cell["t"] == "d":
            x.value = datetime.date.fromisoformat(cell["v"])
            x.number_format = "yyyy-mm-dd"
        else:
            x.value = cell["v"]
            x.data_type = "s"  # text, even when it starts with "="
ws.merge_cells("A1:G1")
wb.save(sys.argv[2])
`

// openpyxlFixture writes the fixture with openpyxl into dir.
func openpyxlFixture(t *testing.T, dir string) string {
	t.Helper()
	const python = "/usr/bin/python3" // the system Python, where Debian's openpyxl lives
	err := exec.Command(python, "-c", "import openpyxl").Run()
	needTool(t, err == nil, "openpyxl for "+python, "apt-get install -y python3-openpyxl")
	spec, err := json.Marshal(supplierFixture)
	require.NoError(t, err)
	specPath, script := filepath.Join(dir, "fixture.json"), filepath.Join(dir, "make.py")
	require.NoError(t, os.WriteFile(specPath, spec, 0o644))
	require.NoError(t, os.WriteFile(script, []byte(openpyxlScript), 0o644))
	path := filepath.Join(dir, "openpyxl-pricelist.xlsx")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, python, script, specPath, path, fixtureSheet).CombinedOutput()
	require.NoError(t, err, "writing with openpyxl: %s", out)
	return path
}

// gbkCSVFixture writes the fixture as Chinese Excel saves a CSV: GBK, with
// the full-width ￥ (GBK has no ¥).
func gbkCSVFixture(t *testing.T, dir string) string {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	for _, row := range supplierFixture {
		rec := make([]string, 0, 7)
		for _, c := range row {
			rec = append(rec, strings.ReplaceAll(c.V, "¥", "￥"))
		}
		if len(rec) == 0 {
			rec = []string{""}
		}
		require.NoError(t, w.Write(rec))
	}
	w.Flush()
	require.NoError(t, w.Error())
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes(buf.Bytes())
	require.NoError(t, err)
	path := filepath.Join(dir, "pricelist-gbk.csv")
	require.NoError(t, os.WriteFile(path, b, 0o644))
	return path
}
