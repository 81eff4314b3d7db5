package rest

import (
	"math/big"
	"strings"
	"time"
)

// laterWatermark reports whether a is later than b. Two RFC 3339 instants
// compare as instants (so "…+08:00" and "…Z" compare right), two numbers
// as numbers, anything else as strings. The empty string is earliest.
func laterWatermark(a, b string) bool {
	switch {
	case a == "":
		return false
	case b == "":
		return true
	}
	if ta, err := time.Parse(time.RFC3339Nano, a); err == nil {
		if tb, err := time.Parse(time.RFC3339Nano, b); err == nil {
			return ta.After(tb)
		}
	}
	if na, ok := new(big.Rat).SetString(a); ok && isNumeric(a) {
		if nb, ok := new(big.Rat).SetString(b); ok && isNumeric(b) {
			return na.Cmp(nb) > 0
		}
	}
	return a > b
}

// isNumeric reports whether s is written as a decimal number (big.Rat also
// reads fractions like "1/2", which no watermark is).
func isNumeric(s string) bool { return !strings.Contains(s, "/") }
