package csv_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/dealerhub/dealerhub/connectors/csv"
)

// priceListRow writes row i of a 12-column price list with Chinese text.
func priceListRow(buf []byte, i int) []byte {
	buf = append(buf, "SKU-"...)
	buf = strconv.AppendInt(buf, int64(i), 10)
	buf = append(buf, ",不锈钢水槽 型号"...)
	buf = strconv.AppendInt(buf, int64(i%977), 10)
	buf = append(buf, ",\"600×450mm, 加厚\",个,\"￥"...)
	buf = strconv.AppendInt(buf, int64(1+i%9), 10)
	buf = append(buf, ",234.00\",CNY,10,含税,2026/1/2,2026年12月31日,\"备注 \"\"特价\"\"\",69012345"...)
	buf = strconv.AppendInt(buf, int64(10000+i%90000), 10)
	return append(buf, "\r\n"...)
}

// priceList returns a whole rows-row price list (plus a header) in UTF-8.
func priceList(rows int) []byte {
	buf := []byte("编码,名称,规格,单位,单价,币种,起订量,税,生效日期,失效日期,备注,条码\r\n")
	for i := range rows {
		buf = priceListRow(buf, i)
	}
	return buf
}

// BenchmarkReader reads a 100k-row × 12-column price list, as UTF-8 and as
// GBK, and reports rows/s; -benchmem shows the allocations (per file).
func BenchmarkReader(b *testing.B) {
	const rows = 100_000
	utf8Data := priceList(rows)
	gbkData, err := simplifiedchinese.GBK.NewEncoder().Bytes(utf8Data)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		data []byte
	}{{"utf-8", utf8Data}, {"gbk", gbkData}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.data)))
			b.ReportAllocs()
			for b.Loop() {
				if n := drain(b, bytes.NewReader(bc.data)); n != rows+1 {
					b.Fatalf("read %d rows", n)
				}
			}
			b.ReportMetric(float64(rows+1)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(testing.AllocsPerRun(1, func() { drain(b, bytes.NewReader(bc.data)) }))/(rows+1), "allocs/row")
		})
	}
}

// drain reads every row of r and returns how many there were.
func drain(tb testing.TB, r io.Reader) int {
	cr, err := csv.NewReader(r, csv.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for {
		row, err := cr.Next(tb.Context())
		if err == io.EOF {
			return n
		}
		if err != nil {
			tb.Fatal(err)
		}
		if len(row.Cells) != 12 {
			tb.Fatalf("line %d has %d cells", row.Number, len(row.Cells))
		}
		n++
	}
}

// generator streams a price list of rows rows without holding it.
type generator struct {
	rows, next int
	pending    []byte
	buf        []byte
}

func (g *generator) Read(p []byte) (int, error) {
	for len(g.pending) == 0 {
		if g.next == g.rows {
			return 0, io.EOF
		}
		g.buf = priceListRow(g.buf[:0], g.next)
		g.pending = g.buf
		g.next++
	}
	n := copy(p, g.pending)
	g.pending = g.pending[n:]
	return n, nil
}

// BenchmarkReaderMemory1M streams a generated 1,000,000-row price list
// (about 160 MB) and reports the peak live heap, sampled every 10k rows, to
// show that reading is streaming. It is slow, so it runs only with
// DEALERHUB_BENCH_1M=1:
//
//	DEALERHUB_BENCH_1M=1 go test -run '^$' -bench ReaderMemory1M -benchtime 1x ./connectors/csv/
func BenchmarkReaderMemory1M(b *testing.B) {
	if os.Getenv("DEALERHUB_BENCH_1M") == "" {
		b.Skip("set DEALERHUB_BENCH_1M=1 to stream 1,000,000 rows")
	}
	const rows = 1_000_000
	for b.Loop() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base, peak := ms.HeapAlloc, ms.HeapAlloc
		g := &generator{rows: rows}
		r, err := csv.NewReader(g, csv.Options{})
		if err != nil {
			b.Fatal(err)
		}
		var bytesIn int64
		for n := 0; ; n++ {
			row, err := r.Next(b.Context())
			if err == io.EOF {
				if n != rows {
					b.Fatalf("read %d rows", n)
				}
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			for _, c := range row.Cells {
				bytesIn += int64(len(c.Value))
			}
			if n%10_000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
		}
		b.ReportMetric(float64(peak-base)/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(bytesIn)/(1<<20), "cell-MiB")
		fmt.Fprintf(os.Stderr, "1M rows: peak heap above baseline %.1f MiB, %.0f MiB of cell text read\n",
			float64(peak-base)/(1<<20), float64(bytesIn)/(1<<20))
	}
}
