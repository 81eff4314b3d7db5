package x12map

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// zone is what an X12 time code (element 623) means: a fixed offset, or
// a North American zone's standard offset that moves one hour ahead
// during daylight saving time (the generic codes ET, CT, MT, PT, AT, NT,
// TT).
type zone struct {
	offset int  // seconds east of UTC (standard time for a generic code)
	dst    bool // follows the US/Canada daylight saving rules
}

// timeCodes are the X12 time codes with their offsets in minutes and
// whether they follow daylight saving time. "S" codes are standard time,
// "D" codes daylight time all year, "T" codes (generic) whichever is in
// force on the date. Hawaii-Aleutian time (HT) is taken as Hawaii's,
// which has no daylight saving time.
var timeCodes = map[string]struct {
	minutes int
	dst     bool
}{
	"UT": {0, false}, "GM": {0, false},
	"ES": {-300, false}, "ED": {-240, false}, "ET": {-300, true},
	"CS": {-360, false}, "CD": {-300, false}, "CT": {-360, true},
	"MS": {-420, false}, "MD": {-360, false}, "MT": {-420, true},
	"PS": {-480, false}, "PD": {-420, false}, "PT": {-480, true},
	"AS": {-540, false}, "AD": {-480, false}, "AT": {-540, true}, // Alaska
	"HS": {-600, false}, "HD": {-540, false}, "HT": {-600, false}, // Hawaii-Aleutian
	"TS": {-240, false}, "TD": {-180, false}, "TT": {-240, true}, // Atlantic
	"NS": {-210, false}, "ND": {-150, false}, "NT": {-210, true}, // Newfoundland
}

// parseZone reads an X12 time code ("ET", "UT"; "01"–"12" are UTC+1 to
// +12, "13"–"24" UTC-12 to -1) or a fixed offset ("+08:00", "-0500", "Z").
func parseZone(s string) (zone, error) {
	if tc, ok := timeCodes[s]; ok {
		return zone{offset: tc.minutes * 60, dst: tc.dst}, nil
	}
	if len(s) == 2 && edimap.Digits(s) {
		n := atoi(s)
		switch {
		case n >= 1 && n <= 12:
			return zone{offset: n * 3600}, nil
		case n >= 13 && n <= 24:
			return zone{offset: -(25 - n) * 3600}, nil
		}
	}
	if s == "Z" || s == "UTC" {
		return zone{}, nil
	}
	if len(s) >= 5 && (s[0] == '+' || s[0] == '-') {
		hm := strings.ReplaceAll(s[1:], ":", "")
		if len(hm) == 4 && edimap.Digits(hm) && atoi(hm[:2]) <= 14 && atoi(hm[2:]) < 60 {
			off := atoi(hm[:2])*3600 + atoi(hm[2:])*60
			if s[0] == '-' {
				off = -off
			}
			return zone{offset: off}, nil
		}
	}
	return zone{}, fmt.Errorf("time zone %q is neither an X12 time code nor an offset such as +08:00", s)
}

// offsetAt returns the zone's offset in seconds for a wall-clock time on
// day. Daylight saving time follows the US and Canadian rules: since 2007
// from the second Sunday of March to the first Sunday of November, before
// that from the first Sunday of April to the last Sunday of October, each
// at 02:00 local time. In the repeated hour of the autumn change the
// daylight offset is taken.
func (z zone) offsetAt(day time.Time, c clock) int {
	if !z.dst {
		return z.offset
	}
	y := day.Year()
	var start, end time.Time
	if y >= 2007 {
		start = nthSunday(y, time.March, 2)
		end = nthSunday(y, time.November, 1)
	} else {
		start = nthSunday(y, time.April, 1)
		end = lastSunday(y, time.October)
	}
	wall := time.Date(y, day.Month(), day.Day(), c.h, c.m, c.s, 0, time.UTC)
	if !wall.Before(start.Add(2*time.Hour)) && wall.Before(end.Add(2*time.Hour)) {
		return z.offset + 3600
	}
	return z.offset
}

func nthSunday(y int, m time.Month, n int) time.Time {
	d := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	for d.Weekday() != time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d.AddDate(0, 0, 7*(n-1))
}

func lastSunday(y int, m time.Month) time.Time {
	d := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
	for d.Weekday() != time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// offsetCodes names each offset (seconds) an X12 time code writes
// exactly, preferring the US standard and daylight codes.
var offsetCodes = map[int]string{
	0: "UT", -4 * 3600: "ED", -5 * 3600: "ES", -6 * 3600: "CS", -7 * 3600: "MS",
	-8 * 3600: "PS", -9 * 3600: "AS", -10 * 3600: "HS", -3 * 3600: "TD",
	-210 * 60: "NS", -150 * 60: "ND",
}

// codeForOffset returns the X12 time code of an offset in seconds.
func codeForOffset(off int) (string, bool) {
	if c, ok := offsetCodes[off]; ok {
		return c, true
	}
	if off%3600 != 0 {
		return "", false
	}
	h := off / 3600
	switch {
	case h >= 1 && h <= 12:
		return fmt.Sprintf("%02d", h), true
	case h <= -1 && h >= -12:
		return strconv.Itoa(25 + h), true
	}
	return "", false
}
