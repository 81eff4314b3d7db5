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
	"sync"
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

// madeFixture is the supplier fixture as one program writes it, made once
// per test binary in fixtureDir and copied into each test's own folder: a
// program started by many tests at once is slow, and LibreOffice then
// sometimes fails to start ("The user interface language cannot be
// determined", exit 77).
type madeFixture struct {
	once sync.Once
	// missing says which program is missing and how to install it.
	missing, install string
	path             string
	err              error
}

var (
	libreOfficeMade, openpyxlMade madeFixture

	// fixtureDir holds the fixtures made once; TestMain removes it.
	fixtureDir struct {
		sync.Mutex
		path string
	}
)

// TestMain runs the tests and removes the fixtures made for them.
func TestMain(m *testing.M) {
	code := m.Run()
	fixtureDir.Lock()
	if fixtureDir.path != "" {
		os.RemoveAll(fixtureDir.path)
	}
	fixtureDir.Unlock()
	os.Exit(code)
}

// sharedFixtureDir makes, on first use, the folder of the fixtures made once.
func sharedFixtureDir() (string, error) {
	fixtureDir.Lock()
	defer fixtureDir.Unlock()
	if fixtureDir.path == "" {
		dir, err := os.MkdirTemp("", "dealerhub-fixtures-")
		if err != nil {
			return "", fmt.Errorf("making the fixture folder: %w", err)
		}
		fixtureDir.path = dir
	}
	return fixtureDir.path, nil
}

// copyTo hands a test its own copy of the fixture, in dir.
func (f *madeFixture) copyTo(t *testing.T, what, dir string) string {
	t.Helper()
	needTool(t, f.missing == "", f.missing, f.install)
	require.NoError(t, f.err, "writing the fixture with %s", what)
	b, err := os.ReadFile(f.path)
	require.NoError(t, err)
	path := filepath.Join(dir, filepath.Base(f.path))
	require.NoError(t, os.WriteFile(path, b, 0o644))
	return path
}

// retryOnce runs run, and once more if it fails: a program that failed to
// start under load usually starts the second time.
func retryOnce(run func(attempt int) error) error {
	err := run(1)
	if err == nil {
		return nil
	}
	if err2 := run(2); err2 != nil {
		return fmt.Errorf("twice: %w; first: %w", err2, err)
	}
	return nil
}

// libreOfficeFixture converts the fixture with LibreOffice (once per test
// binary) and copies the workbook into dir.
func libreOfficeFixture(t *testing.T, dir string) string {
	t.Helper()
	f := &libreOfficeMade
	f.once.Do(func() {
		bin, err := exec.LookPath("libreoffice")
		if err != nil {
			bin, err = exec.LookPath("soffice")
		}
		if err != nil {
			f.missing, f.install = "LibreOffice", "apt-get install -y libreoffice-calc-nogui"
			return
		}
		f.path, f.err = convertWithLibreOffice(bin)
	})
	return f.copyTo(t, "LibreOffice", dir)
}

// convertWithLibreOffice writes the fixture as a flat OpenDocument file in
// the shared fixture folder and converts it to xlsx there.
func convertWithLibreOffice(bin string) (string, error) {
	shared, err := sharedFixtureDir()
	if err != nil {
		return "", err
	}
	src := filepath.Join(shared, "lo-pricelist.fods")
	if err := os.WriteFile(src, []byte(fodsFixture()), 0o644); err != nil {
		return "", fmt.Errorf("writing %s: %w", src, err)
	}
	path := filepath.Join(shared, "lo-pricelist.xlsx")
	err = retryOnce(func(attempt int) error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		// A private profile, fresh for each attempt, so a user's own
		// LibreOffice or a half-made profile is never shared (and locked).
		profile := "file://" + filepath.Join(shared, fmt.Sprintf("lo-profile-%d", attempt))
		out, err := exec.CommandContext(ctx, bin, "-env:UserInstallation="+profile, "--headless", "--norestore",
			"--convert-to", "xlsx", "--outdir", shared, src).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%w: %s", err, out)
		}
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("no workbook after the conversion: %w: %s", err, out)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("converting with LibreOffice: %w", err)
	}
	return path, nil
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

// openpyxlFixture writes the fixture with openpyxl (once per test binary)
// and copies the workbook into dir.
func openpyxlFixture(t *testing.T, dir string) string {
	t.Helper()
	f := &openpyxlMade
	f.once.Do(func() {
		if err := exec.Command(openpyxlPython, "-c", "import openpyxl").Run(); err != nil {
			f.missing, f.install = "openpyxl for "+openpyxlPython, "apt-get install -y python3-openpyxl"
			return
		}
		f.path, f.err = writeWithOpenpyxl()
	})
	return f.copyTo(t, "openpyxl", dir)
}

// openpyxlPython is the system Python, where Debian's openpyxl lives.
const openpyxlPython = "/usr/bin/python3"

// writeWithOpenpyxl writes the fixture workbook in the shared fixture
// folder.
func writeWithOpenpyxl() (string, error) {
	shared, err := sharedFixtureDir()
	if err != nil {
		return "", err
	}
	spec, err := json.Marshal(supplierFixture)
	if err != nil {
		return "", fmt.Errorf("encoding the fixture: %w", err)
	}
	specPath, script := filepath.Join(shared, "fixture.json"), filepath.Join(shared, "make.py")
	if err := os.WriteFile(specPath, spec, 0o644); err != nil {
		return "", fmt.Errorf("writing %s: %w", specPath, err)
	}
	if err := os.WriteFile(script, []byte(openpyxlScript), 0o644); err != nil {
		return "", fmt.Errorf("writing %s: %w", script, err)
	}
	path := filepath.Join(shared, "openpyxl-pricelist.xlsx")
	err = retryOnce(func(int) error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, openpyxlPython, script, specPath, path, fixtureSheet).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%w: %s", err, out)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("writing with openpyxl: %w", err)
	}
	return path, nil
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
