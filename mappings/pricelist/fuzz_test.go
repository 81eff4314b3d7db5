package pricelist

import (
	"math/big"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

var percentPattern = regexp.MustCompile(`^[+-][0-9]+\.[0-9]{2}$`)

// FuzzComputePrices checks Compute's decimal handling for any pair of price
// strings against exact big.Rat arithmetic: invalid prices are errors, the
// kind follows the exact order, and the percent is the exact change rounded
// to two places, half away from zero.
func FuzzComputePrices(f *testing.F) {
	for _, seed := range [][2]string{
		{"10", "10.5"}, {"0", "1"}, {"1", "0"}, {"007.50", "7.5"}, {"1", "1.00005"}, {"1", "0.99995"},
		{"3", "4"}, {"-1", "2"}, {"1e3", "1"}, {"1.", ".5"}, {"", "1"}, {"¥1,234.00", "1234"},
		{"99999999999999999999.99999999999999999", "0.00000000000000000000000000000000000001"},
	} {
		f.Add(seed[0], seed[1])
	}
	pctRat := func(s string) *big.Rat {
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			panic("unparsable percent " + s)
		}
		return r
	}
	f.Fuzz(func(t *testing.T, oldPrice, newPrice string) {
		d, err := Compute([]Line{{SKU: "A", UnitPrice: oldPrice}}, []Line{{SKU: "A", UnitPrice: newPrice}}, nil)
		o, okOld := exact(oldPrice)
		n, okNew := exact(newPrice)
		if !okOld || !okNew {
			require.ErrorIs(t, err, ErrInvalidLine)
			return
		}
		require.NoError(t, err)
		switch o.Cmp(n) {
		case 0:
			require.Empty(t, d.Changes)
			require.Equal(t, 1, d.Unchanged)
			return
		case -1:
			require.Len(t, d.Changes, 1)
			require.Equal(t, PriceUp, d.Changes[0].Kind)
		case 1:
			require.Len(t, d.Changes, 1)
			require.Equal(t, PriceDown, d.Changes[0].Kind)
		}
		c := d.Changes[0]
		require.Equal(t, oldPrice, c.OldPrice)
		require.Equal(t, newPrice, c.NewPrice)
		if o.Sign() == 0 {
			require.Empty(t, c.Percent)
			return
		}
		require.Regexp(t, percentPattern, c.Percent)
		require.Equal(t, c.Kind == PriceUp, c.Percent[0] == '+', "the sign follows the direction")
		// want is the exact percent; got may differ by at most half a hundredth,
		// and a tie goes away from zero.
		want := new(big.Rat).Sub(n, o)
		want.Quo(want, o).Mul(want, big.NewRat(100, 1))
		got := pctRat(c.Percent)
		gap := new(big.Rat).Sub(got, want)
		gap.Abs(gap)
		half := big.NewRat(1, 200)
		require.LessOrEqual(t, gap.Cmp(half), 0, "percent %s for exact %s", c.Percent, want.FloatString(10))
		if gap.Cmp(half) == 0 {
			require.Equal(t, 1, new(big.Rat).Abs(got).Cmp(new(big.Rat).Abs(want)), "a tie rounds away from zero")
		}
	})
}

// exact parses a price the way the canonical schemas allow it, independently
// of the package's own parser.
func exact(s string) (*big.Rat, bool) {
	if len(s) > 40 || !regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`).MatchString(s) {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}
