package edimap

import "strings"

// Decimal marks ParseDecimal accepts.
const (
	// PointMark is X12's only decimal mark (numeric types R and N).
	PointMark = "."
	// PointOrComma accepts either mark, as EDIFACT does (ISO 9735 lets
	// a partner send a comma).
	PointOrComma = ".,"
)

// ParseDecimal normalises a number as EDI sends it ("0009.250", ".5",
// "120.", "-3", "12,80" where marks allow a comma) to a canonical decimal
// string ("9.250", "0.5", "120", "-3", "12.80"): surrounding spaces,
// leading zeros, a bare mark and the sign of zero go, the fraction's
// digits stay as sent. marks lists the accepted decimal marks (PointMark,
// PointOrComma). ok is false for anything else: exponents, a plus sign,
// thousands separators, a second mark.
func ParseDecimal(s, marks string) (string, bool) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexAny(s, marks); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	if intPart == "" && frac == "" || !digitsOrEmpty(intPart) || !digitsOrEmpty(frac) {
		return "", false
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if neg && strings.Trim(out, "0.") != "" {
		out = "-" + out
	}
	return out, true
}

// Digits reports whether s is one or more ASCII digits.
func Digits(s string) bool { return s != "" && digitsOrEmpty(s) }

func digitsOrEmpty(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsGTIN reports whether s has the shape of a GTIN: 8, 12, 13 or 14
// digits. The check digit is not verified: partners send GTINs that
// their own systems accept.
func IsGTIN(s string) bool {
	n := len(s)
	return Digits(s) && (n == 8 || n == 12 || n == 13 || n == 14)
}
