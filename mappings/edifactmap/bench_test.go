package edifactmap

import (
	"fmt"
	"testing"

	"github.com/dealerhub/dealerhub/connectors"
)

// ordersWithLines builds an EANCOM ORDERS with n lines.
func ordersWithLines(n int) connectors.EDITransaction {
	body := []connectors.EDISegment{
		sg("BGM", "220", "PO-BENCH", "9"),
		sg("DTM", cp("137", "20260105", "102")),
		sg("DTM", cp("2", "20260120", "102")),
		sg("FTX", "AAI", "", "", "BENCHMARK ORDER"),
		sg("NAD", "BY", cp("5400110000009", "", "9")),
		sg("NAD", "SU", cp("5013546107732", "", "9"), "", "SUPPLIER"),
		sg("NAD", "DP", cp("5412345000013", "", "9"), "", "上海仓库", "张江路 88 号", "上海", "", "201203", "CN"),
		sg("CUX", cp("2", "CNY", "9")),
	}
	for i := 1; i <= n; i++ {
		no := fmt.Sprint(i)
		body = append(body,
			sg("LIN", no, "", cp("4006381333931", "EN")),
			sg("PIA", "5", cp("SKU-"+no, "SA")),
			sg("PIA", "1", cp("B-"+no, "IN")),
			sg("IMD", "F", "", cp("", "", "", "电钻 CORDLESS DRILL "+no)),
			sg("QTY", cp("21", fmt.Sprint(i%50+1))),
			sg("DTM", cp("2", "20260118", "102")),
			sg("PRI", cp("AAA", "458,50")),
		)
	}
	body = append(body, sg("UNS", "S"), sg("CNT", cp("2", fmt.Sprint(n))))
	return message("ORDERS", body...)
}

// BenchmarkToCanonicalOrders1000 maps an ORDERS with 1,000 lines.
func BenchmarkToCanonicalOrders1000(b *testing.B) {
	tx := ordersWithLines(1000)
	b.ReportAllocs()
	for b.Loop() {
		docs, err := ToCanonical(tx, Options{})
		if err != nil || len(docs[0].Body["lines"].([]any)) != 1000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkFromCanonicalOrders1000 writes an order with 1,000 lines.
func BenchmarkFromCanonicalOrders1000(b *testing.B) {
	docs, err := ToCanonical(ordersWithLines(1000), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromCanonical("order", docs[0].Body, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
