package x12map

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"20260105", "2026-01-05", true}, {"260105", "2026-01-05", true},
		{"491231", "2049-12-31", true}, {"500101", "1950-01-01", true},
		{"20240229", "2024-02-29", true}, {"20250229", "", false},
		{"20261301", "", false}, {"2026015", "", false}, {"2026-01-05", "", false}, {"", "", false},
	}
	for _, c := range cases {
		got, ok := parseDate(c.in)
		require.Equal(t, c.ok, ok, c.in)
		require.Equal(t, c.want, got, c.in)
	}
}

func TestInstant(t *testing.T) {
	t.Parallel()
	utc := zone{}
	eight, err := parseZone("+08:00")
	require.NoError(t, err)
	cases := []struct {
		date, tm, code string
		def            zone
		want           string
	}{
		{"20260110", "1405", "ES", utc, "2026-01-10T14:05:00-05:00"},
		{"20260710", "1405", "ES", utc, "2026-07-10T14:05:00-05:00"},
		{"20260110", "1405", "ET", utc, "2026-01-10T14:05:00-05:00"},
		{"20260710", "1405", "ET", utc, "2026-07-10T14:05:00-04:00"},
		// US daylight saving time starts 2026-03-08 02:00 and ends 2026-11-01 02:00.
		{"20260308", "0159", "CT", utc, "2026-03-08T01:59:00-06:00"},
		{"20260308", "0300", "CT", utc, "2026-03-08T03:00:00-05:00"},
		{"20261101", "0130", "PT", utc, "2026-11-01T01:30:00-07:00"},
		{"20261101", "0200", "PT", utc, "2026-11-01T02:00:00-08:00"},
		// Before 2007: first Sunday of April to last Sunday of October.
		{"20060402", "0300", "ET", utc, "2006-04-02T03:00:00-04:00"},
		{"20061029", "0300", "ET", utc, "2006-10-29T03:00:00-05:00"},
		{"20260710", "0800", "HT", utc, "2026-07-10T08:00:00-10:00"},
		{"20260710", "0800", "NT", utc, "2026-07-10T08:00:00-02:30"},
		{"20260110", "0800", "UT", eight, "2026-01-10T08:00:00Z"},
		{"20260110", "0800", "", eight, "2026-01-10T08:00:00+08:00"},
		{"20260110", "0800", "LT", eight, "2026-01-10T08:00:00+08:00"},
		{"20260110", "0800", "05", utc, "2026-01-10T08:00:00+05:00"},
		{"20260110", "0800", "13", utc, "2026-01-10T08:00:00-12:00"},
		{"20260110", "0800", "24", utc, "2026-01-10T08:00:00-01:00"},
		{"20260110", "080530", "UT", utc, "2026-01-10T08:05:30Z"},
		{"20260110", "08053025", "UT", utc, "2026-01-10T08:05:30.25Z"},
		{"20260110", "", "", utc, "2026-01-10T00:00:00Z"},
	}
	for _, c := range cases {
		got, why := instant(c.date, c.tm, c.code, c.def)
		require.Empty(t, why, c)
		require.Equal(t, c.want, got, c)
	}
	for _, bad := range [][3]string{{"2026011", "1200", ""}, {"20260110", "2400", ""}, {"20260110", "12", ""}, {"20260110", "1200", "XX"}, {"20260110", "1200", "25"}} {
		_, why := instant(bad[0], bad[1], bad[2], utc)
		require.NotEmpty(t, why, bad)
	}
}

func TestSplitInstant(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, date, tm, code string }{
		{"2026-01-10T14:05:00-05:00", "20260110", "1405", "ES"},
		{"2026-07-10T14:05:00-04:00", "20260710", "1405", "ED"},
		{"2026-01-10T14:05:00Z", "20260110", "1405", "UT"},
		{"2026-01-10T14:05:09+08:00", "20260110", "140509", "08"},
		{"2026-01-10T14:05:00-11:00", "20260110", "1405", "14"},
		{"2026-01-10T14:05:00+05:30", "20260110", "0835", "UT"},
		{"2026-01-10T14:05:00.5Z", "20260110", "14050050", "UT"},
	}
	for _, c := range cases {
		date, tm, code, ok := splitInstant(c.in)
		require.True(t, ok, c.in)
		require.Equal(t, []string{c.date, c.tm, c.code}, []string{date, tm, code}, c.in)
		back, why := instant(date, tm, code, zone{})
		require.Empty(t, why)
		b, _ := time.Parse(time.RFC3339Nano, back)
		a, _ := time.Parse(time.RFC3339Nano, c.in)
		require.True(t, a.Equal(b), "%s read back as %s", c.in, back)
	}
	_, _, _, ok := splitInstant("2026-01-10 14:05")
	require.False(t, ok)
}

func TestUnits(t *testing.T) {
	t.Parallel()
	o := Options{Units: map[string]string{"CA": "CT", "BX12": "BX", "AA": "BX"}}.defaulted()
	for code, want := range map[string]string{"EA": "EA", "PC": "PCE", "CA": "CT", "DZ": "DZN", "KG": "KGM", "PCE": "PCE", "SET": "SET", "BX12": "BX"} {
		got, ok := o.unitOf(code)
		require.True(t, ok, code)
		require.Equal(t, want, got, code)
	}
	_, ok := o.unitOf("LB")
	require.False(t, ok, "pounds are a weight, not a canonical unit")
	for unit, want := range map[string]string{"CT": "CA", "BX": "AA", "DZN": "DZ", "CS": "CA", "H87": "PC"} {
		got, ok := o.x12Unit(unit)
		require.True(t, ok, unit)
		require.Equal(t, want, got, unit)
	}
	_, ok = o.x12Unit("TNE")
	require.False(t, ok)

	for _, c := range [][4]string{
		{"6", "LB", "2.722", "KGM"}, {"24", "LB", "10.886", "KGM"}, {"1", "OZ", "28.35", "GRM"},
		{"1.5", "KG", "1.5", "KGM"}, {"100", "01", "45.359", "KGM"},
	} {
		v, u, ok := o.weight(c[0], c[1])
		require.True(t, ok, c)
		require.Equal(t, []string{c[2], c[3]}, []string{v, u}, c)
	}
}

func TestOptionsValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, Options{}.Validate())
	require.NoError(t, Options{Version: "005010", TimeZone: "ET", Units: map[string]string{"CA": "CT"}}.Validate())
	err := Options{
		Version: "003010", TimeZone: "Mars/Olympus", Units: map[string]string{"LB": "LBR"},
		AckCodes: map[string]string{"ZZ": "maybe"}, StatusCodes: map[string]string{"ZZ": "lost"},
		StockQuantities: map[string]string{"99": "sold"}, CatalogDocs: []string{"catalog"},
	}.Validate()
	require.Error(t, err)
	for _, field := range []string{"version", "time_zone", "units.LB", "ack_codes.ZZ", "status_codes.ZZ", "stock_quantities.99", "catalog_docs"} {
		require.Contains(t, err.Error(), "x12 options: "+field+":")
	}
}
