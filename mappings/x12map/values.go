package x12map

import (
	"math/big"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/mappings/edimap"
	"github.com/dealerhub/dealerhub/schemas"
)

// isPositive reports whether the canonical decimal d is above zero.
func isPositive(d string) bool {
	return !strings.HasPrefix(d, "-") && strings.Trim(d, "0.") != ""
}

// decimalSum adds canonical decimals exactly; scale is the longest
// fraction among them.
func decimalSum(ds []string) string {
	sum, scale := new(big.Rat), 0
	for _, d := range ds {
		r, ok := schemas.Decimal(d).Rat()
		if !ok {
			continue
		}
		sum.Add(sum, r)
		if _, frac, ok := strings.Cut(d, "."); ok && len(frac) > scale {
			scale = len(frac)
		}
	}
	return sum.FloatString(scale)
}

// poundsToKilograms converts a weight in pounds (canonical decimal) to
// kilograms, exactly (1 lb = 0.45359237 kg) and then rounded to grams.
func poundsToKilograms(d string) string {
	r, ok := schemas.Decimal(d).Rat()
	if !ok {
		return d
	}
	r.Mul(r, big.NewRat(45359237, 100000000))
	return trimFraction(r.FloatString(3))
}

// ouncesToGrams converts avoirdupois ounces (1 oz = 28.349523125 g) to
// grams rounded to milligrams.
func ouncesToGrams(d string) string {
	r, ok := schemas.Decimal(d).Rat()
	if !ok {
		return d
	}
	r.Mul(r, big.NewRat(28349523125, 1000000000))
	return trimFraction(r.FloatString(3))
}

// trimFraction drops trailing fraction zeros and a bare point.
func trimFraction(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// parseDate reads an X12 date, CCYYMMDD or YYMMDD (widened by
// edimap.Century: 00–49 is 20xx, 50–99 19xx), as YYYY-MM-DD.
func parseDate(s string) (string, bool) {
	if len(s) == 6 && edimap.Digits(s) {
		s = edimap.Century(s[:2]) + s
	}
	if len(s) != 8 || !edimap.Digits(s) {
		return "", false
	}
	y, m, d := atoi(s[:4]), atoi(s[4:6]), atoi(s[6:8])
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// clock is a time of day as X12 writes it.
type clock struct{ h, m, s, ns int }

// parseClock reads HHMM, HHMMSS, HHMMSSD or HHMMSSDD.
func parseClock(s string) (clock, bool) {
	if !edimap.Digits(s) || len(s) < 4 || len(s) > 8 || len(s) == 5 {
		return clock{}, false
	}
	c := clock{h: atoi(s[:2]), m: atoi(s[2:4])}
	if len(s) >= 6 {
		c.s = atoi(s[4:6])
	}
	if frac := s[min(len(s), 6):]; frac != "" {
		c.ns = atoi(frac) * 100_000_000
		if len(frac) == 2 {
			c.ns = atoi(frac) * 10_000_000
		}
	}
	if c.h > 23 || c.m > 59 || c.s > 59 {
		return clock{}, false
	}
	return c, true
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// instant combines an X12 date, time and time code into an RFC 3339
// date-time. An empty time is midnight; an empty code or LT takes the
// default zone. ok is false, with a reason, when something is malformed.
func instant(date, tm, code string, def zone) (string, string) {
	d, ok := parseDate(date)
	if !ok {
		return "", "date " + quote(date) + " is not CCYYMMDD or YYMMDD"
	}
	var c clock
	if tm != "" {
		if c, ok = parseClock(tm); !ok {
			return "", "time " + quote(tm) + " is not HHMM, HHMMSS or HHMMSSDD"
		}
	}
	z := def
	if code != "" && code != "LT" {
		var err error
		if z, err = parseZone(code); err != nil {
			return "", err.Error()
		}
	}
	day, _ := time.Parse(time.DateOnly, d)
	off := z.offsetAt(day, c)
	t := time.Date(day.Year(), day.Month(), day.Day(), c.h, c.m, c.s, c.ns, time.FixedZone("", off))
	return t.Format(time.RFC3339Nano), ""
}

func quote(s string) string { return `"` + s + `"` }

// splitInstant turns an RFC 3339 date-time into X12 date, time and time
// code: the time is written in its own offset when an X12 code names that
// offset exactly, else in UTC with code UT.
func splitInstant(v string) (date, tm, code string, ok bool) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return "", "", "", false
	}
	_, off := t.Zone()
	code, found := codeForOffset(off)
	if !found {
		t, code = t.UTC(), "UT"
	}
	tm = t.Format("1504")
	if t.Second() != 0 || t.Nanosecond() != 0 {
		tm = t.Format("150405")
	}
	if cs := t.Nanosecond() / 10_000_000; cs != 0 {
		tm += twoDigits(cs)
	}
	return t.Format("20060102"), tm, code, true
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }
