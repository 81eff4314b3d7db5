package pricelist

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func iterOf(lines []Line) Iter {
	i := 0
	return func() (Line, bool, error) {
		if i == len(lines) {
			return Line{}, false, nil
		}
		i++
		return lines[i-1], true, nil
	}
}

func sortedBySKU(lines []Line) []Line {
	out := slices.Clone(lines)
	slices.SortFunc(out, func(a, b Line) int { return strings.Compare(a.SKU, b.SKU) })
	return out
}

// TestWalkMatchesCompute checks the streaming walk against Compute on
// random lists: the same changes in the same order, the same counts.
func TestWalkMatchesCompute(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	prices := []string{"1.00", "1.0", "2.50", "3", "0", "10.25"}
	units := []string{"EA", "BX"}
	gen := func(n int) []Line {
		var out []Line
		for k := range n {
			if rng.IntN(3) == 0 {
				continue
			}
			l := Line{SKU: fmt.Sprintf("S%03d", k), Unit: units[rng.IntN(2)], UnitPrice: prices[rng.IntN(len(prices))]}
			if rng.IntN(4) == 0 {
				l.MinQuantity = "5"
			}
			if rng.IntN(5) == 0 {
				l.Tiers = []Tier{{MinQuantity: "10", UnitPrice: prices[rng.IntN(len(prices))]}}
			}
			l.TaxIncluded = []string{"", "true", "false"}[rng.IntN(3)]
			l.TaxRate = []string{"", "13", "13.0", "9"}[rng.IntN(4)]
			out = append(out, l)
		}
		return out
	}
	for round := range 50 {
		cur, next := gen(60), gen(60)
		rejected := map[string]bool{}
		for k := range 60 {
			if rng.IntN(10) == 0 {
				rejected[fmt.Sprintf("S%03d", k)] = true
			}
		}
		want, err := Compute(cur, next, rejected)
		require.NoError(t, err)
		var got []Change
		counts, err := Walk(iterOf(sortedBySKU(cur)), iterOf(sortedBySKU(next)), func(s string) bool { return rejected[s] },
			func(c Change) error { got = append(got, c); return nil })
		require.NoError(t, err)
		require.Equal(t, want.Changes, got, "round %d", round)
		require.Equal(t, want.Unchanged, counts.Unchanged, "round %d", round)
		require.Equal(t, want.Rejected, counts.Rejected, "round %d", round)
		require.Equal(t, len(got), counts.Changes())
		skus := map[string]bool{}
		for _, c := range got {
			skus[c.SKU] = true
		}
		require.Equal(t, len(skus), counts.ChangedSKUs)
	}
}

func TestWalkCounts(t *testing.T) {
	cur := []Line{{SKU: "A", Unit: "EA", UnitPrice: "10"}, {SKU: "B", Unit: "EA", UnitPrice: "5"}, {SKU: "C", Unit: "EA", UnitPrice: "1"}, {SKU: "D", Unit: "EA", UnitPrice: "1"},
		{SKU: "F", Unit: "EA", UnitPrice: "3", TaxIncluded: "true", TaxRate: "13"}}
	next := []Line{{SKU: "A", Unit: "EA", UnitPrice: "11"}, {SKU: "B", Unit: "EA", UnitPrice: "5.00"}, {SKU: "E", Unit: "EA", UnitPrice: "2"},
		{SKU: "F", Unit: "EA", UnitPrice: "3", TaxIncluded: "true", TaxRate: "9"}}
	var got []Change
	c, err := Walk(iterOf(cur), iterOf(next), func(s string) bool { return s == "D" }, func(ch Change) error { got = append(got, ch); return nil })
	require.NoError(t, err)
	require.Equal(t, Counts{Added: 1, Removed: 1, PriceUp: 1, TaxChanged: 1, Unchanged: 1, Rejected: 1, ChangedSKUs: 4}, c)
	require.Equal(t, 4, c.Changes())
	require.Equal(t, []Change{
		{SKU: "A", Kind: PriceUp, OldPrice: "10", NewPrice: "11", Percent: "+10.00", OldUnit: "EA", NewUnit: "EA"},
		{SKU: "C", Kind: Removed, OldPrice: "1", OldUnit: "EA"},
		{SKU: "E", Kind: Added, NewPrice: "2", NewUnit: "EA"},
		{SKU: "F", Kind: TaxChanged, OldPrice: "3", NewPrice: "3", OldUnit: "EA", NewUnit: "EA",
			TaxBasisChanged: true, OldTaxIncluded: "true", NewTaxIncluded: "true", OldTaxRate: "13", NewTaxRate: "9", PercentSameBasis: "+3.67"},
	}, got)
}

func TestWalkErrors(t *testing.T) {
	emit := func(Change) error { return nil }
	_, err := Walk(iterOf([]Line{{SKU: "B", UnitPrice: "1"}, {SKU: "A", UnitPrice: "1"}}), iterOf(nil), nil, emit)
	require.ErrorIs(t, err, ErrNotSorted)
	require.ErrorContains(t, err, `current list's line 2: SKU "A" after "B"`)
	_, err = Walk(iterOf(nil), iterOf([]Line{{SKU: "A", UnitPrice: "1"}, {SKU: "A", UnitPrice: "2"}}), nil, emit)
	require.ErrorIs(t, err, ErrNotSorted)
	_, err = Walk(iterOf(nil), iterOf([]Line{{SKU: "A", UnitPrice: "1,5"}}), nil, emit)
	require.ErrorIs(t, err, ErrInvalidLine)
	_, err = Walk(iterOf([]Line{{SKU: "A", UnitPrice: "1", TaxRate: "0.13%"}}), iterOf(nil), nil, emit)
	require.ErrorIs(t, err, ErrInvalidLine)
	require.ErrorContains(t, err, `tax_rate "0.13%"`)
	boom := errors.New("boom")
	_, err = Walk(iterOf(nil), func() (Line, bool, error) { return Line{}, false, boom }, nil, emit)
	require.ErrorIs(t, err, boom)
	_, err = Walk(iterOf(nil), iterOf([]Line{{SKU: "A", UnitPrice: "1"}}), nil, func(Change) error { return boom })
	require.ErrorIs(t, err, boom)
}
