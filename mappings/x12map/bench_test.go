package x12map_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/x12map"
)

// order850 builds an 850 of n lines, each PO1 with three ids, a PID and
// a DTM.
func bigOrder(n int) connectors.EDITransaction {
	lines := []string{"BEG*00*SA*PO-BENCH**20260105", "CUR*BY*USD", "N1*ST*DEALER*92*0001", "N3*1 MAIN ST", "N4*DALLAS*TX*75001*US"}
	for i := 1; i <= n; i++ {
		lines = append(lines,
			fmt.Sprintf("PO1*%d*%d*EA*%d.25*PE*VN*SKU-%06d*BP*B-%06d*UP*%012d", i, i%50+1, i%90+1, i, i, 100000000000+i),
			fmt.Sprintf("PID*F****ITEM %d", i),
			"DTM*002*20260120")
	}
	lines = append(lines, fmt.Sprintf("CTT*%d", n))
	return txOf("850", lines...)
}

// BenchmarkToCanonical850 maps an 850 of 1,000 lines.
func BenchmarkToCanonical850(b *testing.B) {
	tx := bigOrder(1000)
	docs, err := x12map.ToCanonical(tx, x12map.Options{})
	require.NoError(b, err)
	require.Len(b, docs[0].Body["lines"], 1000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := x12map.ToCanonical(tx, x12map.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/line")
}

// BenchmarkFromCanonical850 writes the same order back as an 850.
func BenchmarkFromCanonical850(b *testing.B) {
	docs, err := x12map.ToCanonical(bigOrder(1000), x12map.Options{})
	require.NoError(b, err)
	body := docs[0].Body
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := x12map.FromCanonical("order", body, x12map.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
