package edifactmap

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDivDecimal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b, want string
		ok         bool
	}{
		{"1280", "100", "12.8", true},
		{"12.80", "1", "12.8", true},
		{"1", "8", "0.125", true},
		{"3", "1000", "0.003", true},
		{"10", "3", "", false},
		{"10", "0", "", false},
	}
	for _, tt := range tests {
		got, ok := divDecimal(tt.a, tt.b)
		require.Equal(t, tt.ok, ok, "%s/%s", tt.a, tt.b)
		require.Equal(t, tt.want, got, "%s/%s", tt.a, tt.b)
	}
}

func TestParseDTM(t *testing.T) {
	t.Parallel()
	sh := time.FixedZone("+08:00", 8*3600)
	tests := []struct {
		value, format string
		start, end    string // RFC 3339
		err           bool
	}{
		{"20260105", "102", "2026-01-05T00:00:00+08:00", "2026-01-05T00:00:00+08:00", false},
		{"200105022200", "203", "2001-05-02T22:00:00+08:00", "2001-05-02T22:00:00+08:00", false},
		{"20260105183005", "204", "2026-01-05T18:30:05+08:00", "2026-01-05T18:30:05+08:00", false},
		{"202601051830-0500", "205", "2026-01-05T18:30:00-05:00", "2026-01-05T18:30:00-05:00", false},
		{"991231", "101", "1999-12-31T00:00:00+08:00", "1999-12-31T00:00:00+08:00", false},
		{"250101", "101", "2025-01-01T00:00:00+08:00", "2025-01-01T00:00:00+08:00", false},
		{"4912311200", "201", "2049-12-31T12:00:00+08:00", "2049-12-31T12:00:00+08:00", false},
		{"20260101-20260331", "718", "2026-01-01T00:00:00+08:00", "2026-03-31T00:00:00+08:00", false},
		{"202601010800-202601011700", "719", "2026-01-01T08:00:00+08:00", "2026-01-01T17:00:00+08:00", false},
		{"20260105", "", "2026-01-05T00:00:00+08:00", "2026-01-05T00:00:00+08:00", false},
		{"202601051830", "", "2026-01-05T18:30:00+08:00", "2026-01-05T18:30:00+08:00", false},
		{"20260230", "102", "", "", true},
		{"2026010", "102", "", "", true},
		{"202601", "610", "", "", true},
		{"20260101", "718", "", "", true},
		{"2026010a", "102", "", "", true},
	}
	for _, tt := range tests {
		d, err := parseDTM(tt.value, tt.format, sh)
		if tt.err {
			require.Error(t, err, "%s/%s", tt.value, tt.format)
			continue
		}
		require.NoError(t, err, "%s/%s", tt.value, tt.format)
		require.Equal(t, tt.start, d.start.Format(time.RFC3339), "%s/%s", tt.value, tt.format)
		require.Equal(t, tt.end, d.end.Format(time.RFC3339), "%s/%s", tt.value, tt.format)
	}
}

func TestCanonicalInstantUsesThePartnersZone(t *testing.T) {
	t.Parallel()
	sh := time.FixedZone("", 8*3600)
	tests := []struct {
		in, value, format string
	}{
		{"2026-01-05T10:30:00Z", "202601051830", "203"},
		{"2026-01-05T18:30:00+08:00", "202601051830", "203"},
		{"2026-01-05T18:30:05+08:00", "20260105183005", "204"},
	}
	for _, tt := range tests {
		v, f, ok := canonicalInstant(tt.in, sh)
		require.True(t, ok)
		require.Equal(t, []string{tt.value, tt.format}, []string{v, f}, tt.in)
	}
	_, _, ok := canonicalInstant("2026-01-05 10:30", sh)
	require.False(t, ok)
}

func TestUnitCodes(t *testing.T) {
	t.Parallel()
	c, err := Options{Units: map[string]string{"PCS": "PCE", "KG": "KGM"}}.resolve()
	require.NoError(t, err)
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"PCE", "PCE", true},
		{"kgm", "KGM", true},
		{"PCS", "PCE", true},
		{"KG", "KGM", true},
		{"NAR", "PCE", true},
		{"NPR", "PR", true},
		{"XYZ", "", false},
		{"个", "", false}, // words are spreadsheet business, not EDI codes
	}
	for _, tt := range tests {
		got, ok := c.unit(tt.in)
		require.Equal(t, tt.ok, ok, tt.in)
		require.Equal(t, tt.want, got, tt.in)
	}
}

func TestChunksCountCharacters(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"快件已到", "达【上海", "转运中心", "】"}, chunks("快件已到达【上海转运中心】", 4))
	require.Equal(t, []string{"abc"}, chunks("abc", 4))
	require.Nil(t, chunks("", 4))
}

func TestDecodeOptions(t *testing.T) {
	t.Parallel()
	o, err := DecodeOptions(map[string]any{
		"sku_qualifiers": []any{"SA", "MF"},
		"units":          map[string]any{"PCS": "PCE"},
		"time_zone":      "+08:00",
		"status_codes":   map[string]any{"X1": "out_for_delivery"},
	})
	require.NoError(t, err)
	require.Equal(t, []string{"SA", "MF"}, o.SKUQualifiers)
	require.Equal(t, "PCE", o.Units["PCS"])

	o, err = DecodeOptions(nil)
	require.NoError(t, err)
	require.Equal(t, Options{}, o)

	_, err = DecodeOptions(map[string]any{"sku_qualifier": []any{"SA"}})
	require.ErrorContains(t, err, `unknown field "sku_qualifier"`)

	_, err = DecodeOptions(map[string]any{
		"units":               map[string]any{"PCS": "PIECE"},
		"default_unit":        "PIECE",
		"time_zone":           "Mars/Olympus",
		"line_response_codes": map[string]any{"9": "maybe"},
		"status_codes":        map[string]any{"X1": "lost"},
		"stock_quantities":    map[string]any{"1": "free"},
		"catalog_docs":        []any{"invoice"},
		"associations":        map[string]any{"INVOIC": "EAN010"},
	})
	require.Error(t, err)
	for _, field := range []string{"units.PCS", "default_unit", "time_zone", "line_response_codes.9",
		"status_codes.X1", "stock_quantities.1", "catalog_docs", "associations.INVOIC"} {
		require.ErrorContains(t, err, "edifact options: "+field+":")
	}
}

func TestInvalidOptionsAreRefusedByBothDirections(t *testing.T) {
	t.Parallel()
	bad := Options{TimeZone: "+25:00"}
	_, err := ToCanonical(message("ORDERS", orderBody()...), bad)
	require.ErrorContains(t, err, "time_zone")
	_, err = FromCanonical("order", map[string]any{}, bad)
	require.ErrorContains(t, err, "time_zone")
}
