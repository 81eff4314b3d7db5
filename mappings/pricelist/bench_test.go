package pricelist

import (
	"fmt"
	"testing"
)

// benchLists builds two n-line lists in shuffled SKU order: 10% of the prices
// move, 1% of the SKUs are removed and 1% added, one line in 10 has tiers.
func benchLists(n int) (current, next []Line) {
	current, next = make([]Line, 0, n), make([]Line, 0, n)
	for i := range n {
		k := (i * 7919) % n // a permutation of 0..n-1, so neither list is sorted
		sku := fmt.Sprintf("SKU-%07d", k)
		price := fmt.Sprintf("%d.%02d", 10+k%5000, k%100)
		l := Line{SKU: sku, Unit: "EA", UnitPrice: price, Currency: "CNY", MinQuantity: "1", ValidFrom: "2026-01-01"}
		if k%10 == 0 {
			l.Tiers = []Tier{{MinQuantity: "100", UnitPrice: price}, {MinQuantity: "1000", UnitPrice: "9.50"}}
		}
		if k%100 != 1 {
			current = append(current, l)
		}
		switch {
		case k%100 == 2:
			continue // removed
		case k%10 == 3:
			l.UnitPrice = fmt.Sprintf("%d.%02d", 11+k%5000, k%100)
		case k%10 == 4:
			l.UnitPrice = fmt.Sprintf("%d.%02d", 9+k%5000, k%100)
		}
		l.ValidFrom = "2026-02-01"
		next = append(next, l)
	}
	return current, next
}

// BenchmarkCompute100k diffs two 100,000-line lists.
func BenchmarkCompute100k(b *testing.B) {
	current, next := benchLists(100_000)
	rejected := map[string]bool{"SKU-0000102": true}
	b.ReportAllocs()
	var d Diff
	for b.Loop() {
		var err error
		if d, err = Compute(current, next, rejected); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(d.Changes)), "changes")
}

func TestBenchListsShape(t *testing.T) {
	t.Parallel()
	current, next := benchLists(1000)
	d, err := Compute(current, next, nil)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[ChangeKind]int{}
	for _, c := range d.Changes {
		counts[c.Kind]++
	}
	want := map[ChangeKind]int{Added: 10, Removed: 10, PriceUp: 100, PriceDown: 100}
	if fmt.Sprint(counts) != fmt.Sprint(want) || d.Unchanged != 1000-10-10-200 {
		t.Fatalf("benchmark lists have %v and %d unchanged, want %v and %d", counts, d.Unchanged, want, 1000-220)
	}
}
