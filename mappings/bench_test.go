package mappings

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
)

// benchRows builds a 12-column price list of n rows with Chinese text.
func benchRows(n int) []connectors.Row {
	rows := make([]connectors.Row, 0, n+2)
	rows = append(rows, row("价格表", 1, text("2026 价格表")))
	rows = append(rows, row("价格表", 2, text("货号"), text("品名"), text("规格"), text("单位"), text("单价"), text("币种"),
		text("起订量"), text("条形码"), text("生效日期"), text("失效日期"), text("品牌"), text("备注")))
	for i := range n {
		s := strconv.Itoa(i)
		rows = append(rows, row("价格表", i+3, text("SKU-"+s), text("不锈钢螺丝 M"+s), text("10x20"), text("个"),
			text("¥1,"+strconv.Itoa(100+i%900)+".50"), text("CNY"), num("10"), num("690123456789"+strconv.Itoa(i%10)),
			date("46357"), text("2027/12/31"), text("华南"), text("含税")))
	}
	return rows
}

// BenchmarkMapPriceList maps and validates 100k rows; compare rows/s with
// the excelize raw read (23.7k rows/s in notes/performance.md).
func BenchmarkMapPriceList(b *testing.B) {
	reg := newRegistry(b)
	rows := benchRows(100_000)
	eng := NewEngine(reg)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rep, err := eng.Map(context.Background(), &sliceReader{rows: rows}, DefaultMapping("price_list"), Options{Partner: "acme", File: "x.xlsx"},
			func(Record) error { return nil })
		require.NoError(b, err)
		require.Equal(b, 100_000, rep.Mapped)
	}
	b.ReportMetric(float64(100_000*b.N)/b.Elapsed().Seconds(), "rows/s")
}
