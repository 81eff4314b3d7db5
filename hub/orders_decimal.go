package hub

import (
	"math/big"
	"strings"

	"github.com/dealerhub/dealerhub/schemas"
)

// Quantities are added and compared exactly (math/big), never through
// float64. An invalid decimal counts as zero: stored documents passed
// their schema, and requests are checked before they get here.

// ratOf returns the value of a decimal string and its number of decimals.
func ratOf(s string) (*big.Rat, int) {
	r, ok := schemas.Decimal(s).Rat()
	if !ok {
		return new(big.Rat), 0
	}
	scale := 0
	if _, frac, ok := strings.Cut(s, "."); ok {
		scale = len(frac)
	}
	return r, scale
}

// addDecimal returns a+b written with the larger number of decimals.
func addDecimal(a, b string) string {
	ra, sa := ratOf(a)
	rb, sb := ratOf(b)
	return new(big.Rat).Add(ra, rb).FloatString(max(sa, sb))
}

// compareDecimal returns -1, 0 or +1 as a is less than, equal to or
// greater than b.
func compareDecimal(a, b string) int {
	ra, _ := ratOf(a)
	rb, _ := ratOf(b)
	return ra.Cmp(rb)
}
