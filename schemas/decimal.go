package schemas

import (
	"math/big"
	"strings"
)

// Decimal is a money amount or a quantity written as a decimal string
// ("12.50", "-3", "0.125"), the way canonical documents carry them. It is a
// string so that no value ever passes through float64.
type Decimal string

// String returns the decimal as written.
func (d Decimal) String() string { return string(d) }

// Valid reports whether d is a decimal as the schemas accept it: an optional
// minus sign, digits, and optionally a point followed by digits.
func (d Decimal) Valid() bool {
	s := string(d)
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if !allDigits(intPart) {
		return false
	}
	return !hasPoint || allDigits(frac)
}

// Rat returns the exact value of d; ok is false when d is not Valid.
func (d Decimal) Rat() (r *big.Rat, ok bool) {
	if !d.Valid() {
		return nil, false
	}
	return new(big.Rat).SetString(string(d))
}

func allDigits(s string) bool {
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
