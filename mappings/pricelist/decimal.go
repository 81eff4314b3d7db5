package pricelist

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"

	"github.com/dealerhub/dealerhub/schemas"
)

// maxDecimalLen mirrors the canonical schemas' limit on decimal strings.
const maxDecimalLen = 40

// validDecimal reports whether s is a non-negative decimal as the canonical
// schemas write it (schemas.Decimal), within their length limit.
func validDecimal(s string) bool {
	return s != "" && len(s) <= maxDecimalLen && s[0] != '-' && schemas.Decimal(s).Valid()
}

// trimDecimal splits a valid decimal into its integer part without leading
// zeros and its fraction without trailing zeros, so that equal values have
// equal parts ("007.50" and "7.5" both give "7", "5"; "0.0" gives "", "").
func trimDecimal(s string) (intPart, frac string) {
	intPart, frac, _ = strings.Cut(s, ".")
	return strings.TrimLeft(intPart, "0"), strings.TrimRight(frac, "0")
}

// compareDecimal compares two valid decimals by value without allocating:
// -1 when a < b, 0 when equal, +1 when a > b.
func compareDecimal(a, b string) int {
	if a == b {
		return 0
	}
	ai, af := trimDecimal(a)
	bi, bf := trimDecimal(b)
	if len(ai) != len(bi) {
		if len(ai) < len(bi) {
			return -1
		}
		return 1
	}
	if c := strings.Compare(ai, bi); c != 0 {
		return c
	}
	// With trailing zeros gone, fractions compare as strings: "05" < "5" < "51".
	return strings.Compare(af, bf)
}

// percentChange returns (next-old)/old as a signed percent with two
// decimals, rounded half away from zero ("+5.00", "-12.50"), or "" when old
// is zero. Both arguments are valid decimals that differ in value.
func percentChange(old, next string) string {
	if p, ok := percentSmall(old, next); ok {
		return p
	}
	o, _ := new(big.Rat).SetString(old)
	if o.Sign() == 0 {
		return ""
	}
	n, _ := new(big.Rat).SetString(next)
	x := new(big.Rat).Sub(n, o)
	return formatRatio(x.Quo(x, o))
}

// formatRatio writes a relative change (0.05 for +5%) as a signed percent
// with two decimals, rounded half away from zero ("+5.00"). x is modified.
func formatRatio(x *big.Rat) string {
	// x becomes the change in hundredths of a percent.
	x.Mul(x, big.NewRat(10000, 1))
	sign := "+"
	if x.Sign() < 0 {
		sign = "-"
	}
	num := new(big.Int).Abs(x.Num())
	den := x.Denom()
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	if r.Lsh(r, 1).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	return formatHundredths(sign, q.String())
}

// percentSmall is percentChange without allocating big numbers, for the
// usual prices whose digits fit in a uint64 once both are scaled to the same
// number of decimals; ok is false when they do not.
func percentSmall(old, next string) (string, bool) {
	oi, of := trimDecimal(old)
	ni, nf := trimDecimal(next)
	scale := max(len(of), len(nf))
	o, ok1 := scaled(oi, of, scale)
	n, ok2 := scaled(ni, nf, scale)
	if !ok1 || !ok2 {
		return "", false
	}
	if o == 0 {
		return "", true
	}
	sign, diff := "+", n-o
	if n < o {
		sign, diff = "-", o-n
	}
	// The change in hundredths of a percent is diff × 10000 / o, exactly
	// with a 128-bit product.
	hi, lo := bits.Mul64(diff, 10000)
	if hi >= o {
		return "", false // the quotient would not fit
	}
	q, r := bits.Div64(hi, lo, o)
	if r >= o-r { // 2r ≥ o without overflow: round half away from zero
		if q == math.MaxUint64 {
			return "", false
		}
		q++
	}
	return formatHundredths(sign, strconv.FormatUint(q, 10)), true
}

// scaled returns intPart.frac × 10^scale as an integer, if it has at most 18
// digits.
func scaled(intPart, frac string, scale int) (uint64, bool) {
	if len(intPart)+scale > 18 {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(intPart); i++ {
		v = v*10 + uint64(intPart[i]-'0')
	}
	for i := 0; i < scale; i++ {
		v *= 10
		if i < len(frac) {
			v += uint64(frac[i] - '0')
		}
	}
	return v, true
}

// formatHundredths writes a count of hundredths as a signed decimal with two
// places: "+", "1250" → "+12.50".
func formatHundredths(sign, s string) string {
	if len(s) < 3 {
		s = strings.Repeat("0", 3-len(s)) + s
	}
	return sign + s[:len(s)-2] + "." + s[len(s)-2:]
}
