package pricelist

import (
	"math/big"
	"strings"
)

// maxDecimalLen mirrors the canonical schemas' limit on decimal strings.
const maxDecimalLen = 40

// validDecimal reports whether s is a non-negative decimal as the canonical
// schemas write it: digits, optionally a point and more digits.
func validDecimal(s string) bool {
	if s == "" || len(s) > maxDecimalLen {
		return false
	}
	intPart, frac, hasPoint := strings.Cut(s, ".")
	return digits(intPart) && (!hasPoint || digits(frac))
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
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

// canonicalDecimal writes a valid decimal in its shortest form: "007.50" → "7.5".
func canonicalDecimal(s string) string {
	i, f := trimDecimal(s)
	if i == "" {
		i = "0"
	}
	if f == "" {
		return i
	}
	return i + "." + f
}

// percentChange returns (next-old)/old as a signed percent with two
// decimals, rounded half away from zero ("+5.00", "-12.50"), or "" when old
// is zero. Both arguments are valid decimals that differ in value.
func percentChange(old, next string) string {
	o, _ := new(big.Rat).SetString(old)
	if o.Sign() == 0 {
		return ""
	}
	n, _ := new(big.Rat).SetString(next)
	// x is the change in hundredths of a percent: (n-o)/o × 10000.
	x := new(big.Rat).Sub(n, o)
	x.Quo(x, o)
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
	s := q.String()
	if len(s) < 3 {
		s = strings.Repeat("0", 3-len(s)) + s
	}
	return sign + s[:len(s)-2] + "." + s[len(s)-2:]
}
