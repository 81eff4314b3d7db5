package edifactmap

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// divDecimal divides the decimal a by the decimal b exactly; ok is false
// when b is zero or the quotient has no finite decimal form.
func divDecimal(a, b string) (string, bool) {
	x, okA := new(big.Rat).SetString(a)
	y, okB := new(big.Rat).SetString(b)
	if !okA || !okB || y.Sign() == 0 {
		return "", false
	}
	q := new(big.Rat).Quo(x, y)
	// A quotient is a finite decimal when its denominator has no prime
	// factor but 2 and 5; then 10^k is a multiple of it for some k ≤ 64.
	den := new(big.Int).Set(q.Denom())
	places := 0
	for _, f := range []int64{2, 5} {
		n, m := 0, big.NewInt(f)
		for new(big.Int).Rem(den, m).Sign() == 0 {
			den.Quo(den, m)
			n++
		}
		places = max(places, n)
	}
	if den.Cmp(big.NewInt(1)) != 0 {
		return "", false
	}
	return q.FloatString(places), true
}

// builtinUnits are EDIFACT and EANCOM unit codes that are not canonical
// codes themselves.
var builtinUnits = map[string]string{
	"NAR": "PCE", // number of articles
	"NPR": "PR",  // number of pairs
}

// unit maps an EDI unit code (6411), trimmed and in capitals, to a
// canonical unit: the partner's Units first, then builtinUnits, then the
// canonical codes themselves (no builtin code is one).
func (c *config) unit(code string) (string, bool) {
	return edimap.CanonicalUnit(strings.ToUpper(strings.TrimSpace(code)), c.Units, builtinUnits)
}

// dtm is a date, a time or a period read from a DTM C507 value and its
// format code (2379).
type dtm struct {
	start, end time.Time
}

// dtmLayouts are the Go layouts of the DTM formats read; YYMMDD formats
// are widened to four-digit years first. A period format has two.
var dtmLayouts = map[string]string{
	"102": "20060102",
	"203": "200601021504",
	"204": "20060102150405",
	"205": "200601021504-0700",
	"718": "20060102",
	"719": "200601021504",
}

// parseDTM reads value in format (2379); an empty format is inferred from
// the length (6 → 101, 8 → 102, 12 → 203, 14 → 204). Times without an
// offset are in zone.
func parseDTM(value, format string, zone *time.Location) (dtm, error) {
	value = strings.TrimSpace(value)
	if format == "" {
		format = map[int]string{6: "101", 8: "102", 12: "203", 14: "204"}[len(value)]
	}
	switch format {
	case "101", "201":
		if len(value) < 2 || !edimap.Digits(value[:2]) {
			return dtm{}, fmt.Errorf("%q is not a date in format %s", value, format)
		}
		value = edimap.Century(value[:2]) + value
		format = map[string]string{"101": "102", "201": "203"}[format]
	}
	layout, ok := dtmLayouts[format]
	if !ok {
		return dtm{}, fmt.Errorf("date format %q is not supported (use 102, 203, 204, 205, 718 or 719)", format)
	}
	parts := []string{value}
	if format == "718" || format == "719" {
		if parts = strings.Split(value, "-"); len(parts) != 2 {
			return dtm{}, fmt.Errorf("%q is not a period in format %s", value, format)
		}
	}
	var d dtm
	for i, part := range parts {
		t, err := time.ParseInLocation(layout, part, zone)
		if err != nil || len(part) != len(layout) {
			return dtm{}, fmt.Errorf("%q is not a valid date in format %s", value, format)
		}
		if i == 0 {
			d.start, d.end = t, t
		} else {
			d.end = t
		}
	}
	return d, nil
}

// canonicalInstant reads an RFC 3339 instant and writes it in zone as a
// DTM value and format: 203 (CCYYMMDDHHMM), or 204 when it has seconds.
func canonicalInstant(s string, zone *time.Location) (value, format string, ok bool) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return "", "", false
	}
	t = t.In(zone)
	if t.Second() != 0 || t.Nanosecond() != 0 {
		return t.Format("20060102150405"), "204", true
	}
	return t.Format("200601021504"), "203", true
}
