package edifact

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotNumber is wrapped by Decimal's errors.
var ErrNotNumber = errors.New("not a number")

// Decimal turns an EDIFACT numeric value into the canonical decimal
// string: "12,80" → "12.80", "-,5" → "-0.5", "007" → "7". ISO 9735 lets
// data use either decimal mark whatever UNA advises, so both '.' and ','
// are accepted; mark (the interchange's advised mark, 0 for '.') must
// itself be one of them. A value with a thousands separator, exponent,
// plus sign, spaces or two marks is refused with an error wrapping
// ErrNotNumber. Trailing zeros are kept: they carry precision.
func Decimal(s string, mark byte) (string, error) {
	if mark != 0 && mark != '.' && mark != ',' {
		return "", fmt.Errorf("decimal mark %q is neither '.' nor ','", mark)
	}
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	intPart, frac, hasMark := body, "", false
	if i := strings.IndexAny(body, ".,"); i >= 0 {
		intPart, frac, hasMark = body[:i], body[i+1:], true
	}
	switch {
	case body == "":
		return "", fmt.Errorf("%q: %w", s, ErrNotNumber)
	case !digits(intPart) || !digits(frac):
		return "", fmt.Errorf("%q: %w (digits with one decimal mark '.' or ',' and an optional leading '-')", s, ErrNotNumber)
	case intPart == "" && frac == "":
		return "", fmt.Errorf("%q: %w (a decimal mark needs digits)", s, ErrNotNumber)
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	out := intPart
	if hasMark && frac != "" {
		out += "." + frac
	}
	if neg && strings.Trim(out, "0.") != "" {
		out = "-" + out
	}
	return out, nil
}

func digits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatDecimal writes a canonical decimal ("12.80") with the decimal
// mark a partner wants ("12,80" for ','); it refuses what Decimal would.
func FormatDecimal(s string, mark byte) (string, error) {
	canon, err := Decimal(s, mark)
	if err != nil {
		return "", err
	}
	if mark == ',' {
		canon = strings.Replace(canon, ".", ",", 1)
	}
	return canon, nil
}
