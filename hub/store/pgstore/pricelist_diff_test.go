package pgstore_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

// revisedLines is a revision of skuLines(0, n): every 50th SKU gone (every
// 100th of them rejected rather than removed), every 7th price up or down,
// every 11th unit changed, extra SKUs added, all in reverse SKU order.
func revisedLines(n, added int) (next []store.PriceLine, rejected []string) {
	base := skuLines(0, n+added)
	for i, l := range base {
		switch {
		case i >= n:
		case i%100 == 0:
			rejected = append(rejected, l.SKU)
			continue
		case i%50 == 0:
			continue
		case i%7 == 0 && i%2 == 0:
			l = line(0, l.SKU, "1000."+l.UnitPrice[len(l.UnitPrice)-2:])
		case i%7 == 0:
			l = line(0, l.SKU, "0.50")
		case i%11 == 0:
			l.Unit = "BX"
		}
		next = append(next, l)
	}
	slices.Reverse(next)
	for i := range next {
		next[i].LineNo = i + 1
	}
	return next, rejected
}

func TestDiffOfLargeListsAcrossPages(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	const n = 6500 // more than three pages of the diff's reader
	cur := skuLines(0, n)
	next, rejected := revisedLines(n, 150)
	f.mustPublish(pub{lines: cur, batch: 777})
	out := f.mustPublish(pub{lines: next, batch: 1000, rejectedSKUs: rejected})

	asLines := func(ls []store.PriceLine) []pricelist.Line {
		out := make([]pricelist.Line, len(ls))
		for i, l := range ls {
			out[i] = l.Line()
		}
		return out
	}
	skip := map[string]bool{}
	for _, sku := range rejected {
		skip[sku] = true
	}
	want, err := pricelist.Compute(asLines(cur), asLines(next), skip)
	require.NoError(t, err)
	require.Greater(t, len(want.Changes), 1500)

	got := f.allChanges(out.PriceList.ID, 1000)
	require.Len(t, got, len(want.Changes))
	for i, c := range got {
		require.Equal(t, want.Changes[i], c.Change, "change %d", i+1)
	}
	var counts pricelist.Counts
	for _, c := range want.Changes {
		counts.Add(c)
	}
	d := out.PriceList.Diff
	require.False(t, d.First)
	require.Equal(t, counts.Added, d.Added)
	require.Equal(t, counts.Removed, d.Removed)
	require.Equal(t, counts.PriceUp, d.PriceUp)
	require.Equal(t, counts.PriceDown, d.PriceDown)
	require.Equal(t, counts.UnitChanged, d.UnitChanged)
	require.Equal(t, want.Unchanged, d.Unchanged)
	require.Equal(t, want.Rejected, d.Rejected)
	require.Equal(t, len(rejected), d.Rejected)
	require.Equal(t, len(next), out.PriceList.Lines)
}

// BenchmarkPublishPriceList100k publishes a list of 100k lines: first as
// the chain's first list (COPY, no diff), then a revision with 10% of the
// prices changed (COPY, diff of 100k against 100k, 10k changes stored).
func BenchmarkPublishPriceList100k(b *testing.B) {
	const n = 100_000
	f := newPLFixture(b)
	base := skuLines(0, n)
	revised := make([]store.PriceLine, n)
	copy(revised, base)
	for i := 0; i < n; i += 10 {
		revised[i] = line(i+1, base[i].SKU, "7777.77")
	}
	run := func(b *testing.B, setup func(i int) pub) {
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			p := setup(i)
			b.StartTimer()
			if _, err := f.publish(p); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	}
	b.Run("first", func(b *testing.B) {
		run(b, func(i int) pub {
			return pub{externalID: fmt.Sprintf("first-%d", i), currency: fmt.Sprintf("F%d", i), lines: base}
		})
	})
	b.Run("republish-10pct-changed", func(b *testing.B) {
		run(b, func(i int) pub {
			ext, cur := fmt.Sprintf("revised-%d", i), fmt.Sprintf("R%d", i)
			if _, err := f.publish(pub{externalID: ext, currency: cur, lines: base}); err != nil {
				b.Fatal(err)
			}
			return pub{externalID: ext, currency: cur, lines: revised}
		})
	})
}
