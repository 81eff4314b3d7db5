package edimap

import "time"

// Century returns the century digits of a two-digit year yy ("00"–"99"):
// "20" below "50", else "19". X12 six-digit dates and EDIFACT DTM formats
// 101 and 201 (YYMMDD) are widened with it: "491231" is 2049-12-31,
// "500101" 1950-01-01.
func Century(yy string) string {
	if yy < "50" {
		return "20"
	}
	return "19"
}

// FormatDate writes a canonical date (YYYY-MM-DD) as CCYYMMDD, the form
// of an X12 date (DT) and of an EDIFACT DTM in format 102. ok is false
// when date is not a calendar date so written.
func FormatDate(date string) (string, bool) {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return "", false
	}
	return t.Format("20060102"), true
}
