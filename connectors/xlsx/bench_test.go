package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

const benchRows = 100_000

var benchBook struct {
	once sync.Once
	path string
	err  error
}

// benchWorkbook writes a 100k-row × 12-column price list with Chinese text,
// prices, quantities and date cells, once per test binary.
func benchWorkbook(b *testing.B) string {
	b.Helper()
	benchBook.once.Do(func() {
		benchBook.path = filepath.Join(fixtureDir, "bench.xlsx")
		benchBook.err = writeBenchWorkbook(benchBook.path, benchRows)
	})
	require.NoError(b, benchBook.err)
	return benchBook.path
}

func writeBenchWorkbook(path string, n int) error {
	f := excelize.NewFile()
	defer f.Close()
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	header := []any{"物料编码", "品名", "规格", "单位", "单价", "数量", "金额", "税率", "生效日期", "截止日期", "条码", "备注"}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := make([]any, 12)
	for i := range n {
		row[0] = fmt.Sprintf("SKU-%06d", i)
		row[1] = "不锈钢六角螺丝" + strconv.Itoa(i%97)
		row[2] = "M" + strconv.Itoa(3+i%10) + "×20"
		row[3] = "个"
		row[4] = float64(i%5000) + 0.25
		row[5] = i % 1000
		row[6] = excelize.Cell{Formula: "E" + strconv.Itoa(i+2) + "*F" + strconv.Itoa(i+2), Value: float64(i%5000) * 2}
		row[7] = 0.13
		row[8] = excelize.Cell{StyleID: dateStyle, Value: 46023 + i%365}
		row[9] = excelize.Cell{StyleID: dateStyle, Value: 46387}
		row[10] = fmt.Sprintf("69%011d", i)
		row[11] = strings.Repeat("备", i%3)
		if err := sw.SetRow("A"+strconv.Itoa(i+2), row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// BenchmarkReadRows streams every cell of a 100k × 12 workbook: "excelize"
// is the baseline (Rows, Columns with RawCellValue, no types), "reader" is
// this package (the same plus the cell-attribute scan and typing).
func BenchmarkReadRows(b *testing.B) {
	path := benchWorkbook(b)
	b.Run("excelize", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f, err := excelize.OpenFile(path)
			require.NoError(b, err)
			rows, err := f.Rows("Sheet1")
			require.NoError(b, err)
			n := 0
			for rows.Next() {
				cells, err := rows.Columns(excelize.Options{RawCellValue: true})
				require.NoError(b, err)
				if len(cells) > 0 {
					n++
				}
			}
			require.NoError(b, rows.Close())
			require.NoError(b, f.Close())
			require.Equal(b, benchRows+1, n)
		}
		b.ReportMetric(float64(benchRows+1)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("reader", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r, err := OpenFile(path, Options{})
			require.NoError(b, err)
			n := 0
			for {
				row, err := r.Next(b.Context())
				if errors.Is(err, io.EOF) {
					break
				}
				require.NoError(b, err)
				n++
				if n == 2 && row.Cells[8].Type.String() != "date" {
					b.Fatalf("I2 is %v, want a date", row.Cells[8])
				}
			}
			require.NoError(b, r.Close())
			require.Equal(b, benchRows+1, n)
		}
		b.ReportMetric(float64(benchRows+1)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(peakRSSMiB(), "peak-RSS-MiB")
	})
}

// BenchmarkCellScan is the cost the reader adds to excelize: inflating the
// sheet XML a second time and scanning it for cell attributes.
func BenchmarkCellScan(b *testing.B) {
	path := benchWorkbook(b)
	file, err := os.Open(path)
	require.NoError(b, err)
	defer file.Close()
	fi, err := file.Stat()
	require.NoError(b, err)
	parts, err := checkWorkbook(file, fi.Size(), Options{}.withDefaults())
	require.NoError(b, err)
	for b.Loop() {
		rc, err := parts["Sheet1"].Open()
		require.NoError(b, err)
		s := newCellScanner(rc)
		var ra rowAttrs
		n := 0
		for s.next(&ra) == nil {
			n++
		}
		require.NoError(b, s.Close())
		require.Equal(b, benchRows+1, n)
	}
	b.ReportMetric(float64(benchRows+1)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// peakRSSMiB is the process's peak resident set (VmHWM), which includes
// writing the workbook and whatever ran before.
func peakRSSMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range bytes.Lines(b) {
		if v, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(string(v)), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
