package xlsx

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
)

// Workbooks written by other programs, generated once per test binary:
// LibreOffice converts testdata/pricelist.fods (it writes cached values for
// formulas, error cells, built-in and custom date formats, merged ranges as
// styled empty cells); openpyxl runs testdata/pricelist_openpyxl.py (it
// writes formulas without cached values, Python dates with custom number
// formats, booleans, a date typed as text in a cell formatted "@").

// fixture builds one workbook once per test binary.
type fixture struct {
	once sync.Once
	path string
	err  error
}

var (
	libreOfficeBook fixture
	openpyxlBook    fixture
	fixtureDir      string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "xlsx-fixtures-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fixtureDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
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

func libreOfficeWorkbook(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("libreoffice")
	if err != nil {
		bin, err = exec.LookPath("soffice")
	}
	needTool(t, err == nil, "LibreOffice", "apt-get install -y libreoffice-calc-nogui")
	libreOfficeBook.once.Do(func() {
		src, err := filepath.Abs(filepath.Join("testdata", "pricelist.fods"))
		if err != nil {
			libreOfficeBook.err = err
			return
		}
		out := filepath.Join(fixtureDir, "libreoffice")
		// A private profile, so parallel runs and a user's own LibreOffice do
		// not share (and lock) one.
		profile := "file://" + filepath.Join(fixtureDir, "lo-profile")
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, "-env:UserInstallation="+profile, "--headless", "--norestore",
			"--convert-to", "xlsx", "--outdir", out, src)
		if b, err := cmd.CombinedOutput(); err != nil {
			libreOfficeBook.err = fmt.Errorf("converting with LibreOffice: %w: %s", err, b)
			return
		}
		libreOfficeBook.path = filepath.Join(out, "pricelist.xlsx")
		if _, err := os.Stat(libreOfficeBook.path); err != nil {
			libreOfficeBook.err = fmt.Errorf("LibreOffice wrote no workbook: %w", err)
		}
	})
	require.NoError(t, libreOfficeBook.err)
	return libreOfficeBook.path
}

func openpyxlWorkbook(t *testing.T) string {
	t.Helper()
	const python = "/usr/bin/python3" // the system Python, where Debian's openpyxl lives
	err := exec.Command(python, "-c", "import openpyxl").Run()
	needTool(t, err == nil, "openpyxl for "+python, "apt-get install -y python3-openpyxl")
	openpyxlBook.once.Do(func() {
		openpyxlBook.path = filepath.Join(fixtureDir, "openpyxl.xlsx")
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, python, filepath.Join("testdata", "pricelist_openpyxl.py"), openpyxlBook.path)
		if b, err := cmd.CombinedOutput(); err != nil {
			openpyxlBook.err = fmt.Errorf("writing with openpyxl: %w: %s", err, b)
		}
	})
	require.NoError(t, openpyxlBook.err)
	return openpyxlBook.path
}

func readFile(t *testing.T, path string, opts Options) []connectors.Row {
	t.Helper()
	r, err := OpenFile(path, opts)
	require.NoError(t, err)
	defer func() { require.NoError(t, r.Close()) }()
	return drain(t, r)
}

func TestLibreOfficeWorkbook(t *testing.T) {
	t.Parallel()
	path := libreOfficeWorkbook(t)
	rows := readFile(t, path, Options{})
	formula := func(c connectors.Cell) connectors.Cell { c.Formula = true; return c }
	const s = "价格表"

	require.Len(t, rows, 6)
	// The merged banner: the value in A1, the covered cells empty and absent.
	require.Equal(t, connectors.Row{Sheet: s, Number: 1, Cells: []connectors.Cell{text("某某五金 2026年价格表")}}, rows[0])
	require.Equal(t, connectors.Row{Sheet: s, Number: 2, Cells: []connectors.Cell{
		text("物料编码"), text("品名"), text("单价"), text("数量"), text("金额"), text("生效日期"), text("截止日期"),
	}}, rows[1])
	require.Equal(t, []connectors.Cell{
		text("00123"), text("不锈钢螺丝 M4"), number("1234.5"), number("10"),
		formula(number("12345")), // cached value of =C3*D3
		date("46023"),            // 2026-01-01, a date cell
		text("2026年12月31日"),      // a date typed as text
	}, rows[2].Cells)
	require.Equal(t, []connectors.Cell{
		text("A-77"), text("垫片"), text("88.50"), number("0"),
		formula(connectors.Cell{Value: "#DIV/0!", Type: connectors.CellError}),
		text("2026/1/2"), date("46203.5"),
	}, rows[3].Cells)
	require.Equal(t, connectors.Row{Sheet: s, Number: 5, Cells: []connectors.Cell{
		text("合计"), {}, {}, {}, formula(number("12345")),
	}}, rows[4])
	require.Equal(t, connectors.Row{Sheet: "说明", Number: 1, Cells: []connectors.Cell{{}, text("价格含税")}}, rows[5])

	only := readFile(t, path, Options{Sheets: []string{"说明"}})
	require.Len(t, only, 1)
	require.Equal(t, "说明", only[0].Sheet)
}

func TestOpenpyxlWorkbook(t *testing.T) {
	t.Parallel()
	path := openpyxlWorkbook(t)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	rows := readAll(t, b, Options{}) // through Open, the io.ReaderAt path
	const s = "价格表"

	require.Len(t, rows, 7)
	require.Equal(t, connectors.Row{Sheet: s, Number: 1, Cells: []connectors.Cell{text("某某五金 2026年价格表")}}, rows[0])
	require.Equal(t, text("生效日期"), rows[1].Cells[5])
	require.Equal(t, []connectors.Cell{
		text("00123"), text("不锈钢螺丝 M4"), number("1234.5"), number("10"),
		{Formula: true}, // openpyxl saves =C3*D3 without a cached value
		date("46023"),
	}, rows[2].Cells)
	require.Equal(t, []connectors.Cell{
		text("A-77"), text("垫片"), text("88.50"), {Value: "TRUE", Type: connectors.CellBool}, {}, text("2026年1月2日"),
	}, rows[3].Cells)
	require.Equal(t, date("46203.5"), rows[4].Cells[5]) // a datetime, yyyy-mm-dd h:mm:ss
	require.Equal(t, connectors.Row{Sheet: s, Number: 6, Cells: []connectors.Cell{text("合计"), {}, {}, {}, {Formula: true}}}, rows[5])
	require.Equal(t, connectors.Row{Sheet: "说明", Number: 1, Cells: []connectors.Cell{{}, text("价格含税")}}, rows[6])
}
