package mappings

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
)

func TestDecimal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want, err string }{
		{"1234.5", "1234.5", ""},
		{"1,234.00", "1234.00", ""},
		{"¥1,234.00", "1234.00", ""},
		{"￥12.30", "12.30", ""},
		{"12.30元", "12.30", ""},
		{"RMB 1 234.5", "1234.5", ""},
		{"cny99", "99", ""},
		{"$5", "5", ""},
		{"１２３，４５６．７", "123456.7", ""},
		{"-¥3", "-3", ""},
		{"+7", "7", ""},
		{".5", "0.5", ""},
		{"5.", "5", ""},
		{"007", "7", ""},
		{"-0.00", "0.00", ""},
		{"1.5E-3", "0.0015", ""},
		{"1E+3", "1000", ""},
		{"12.3.4", "", "more than one decimal point"},
		{"abc", "", "not a number"},
		{"", "", "no digits"},
		{"¥", "", "no digits"},
		{"12,5", "", "thousands separator"},
		{"1,23,456", "", "thousands separator"},
		{"1.2万", "", "not a number"},
		{"1e999", "", "exponent"},
	} {
		got, err := Decimal(tc.in)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err, "%q", tc.in)
			continue
		}
		require.NoError(t, err, "%q", tc.in)
		require.Equal(t, tc.want, got, "%q", tc.in)
	}
}

func TestCellDecimalRoundsBinaryNoise(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0.30000000000000004": "0.3",
		"12.300000000000001":  "12.3",
		"1234.5":              "1234.5",
		"99.999999999999999":  "100",
		"123456789012345678":  "123456789012346000",
	} {
		got, err := cellDecimal(in, connectors.CellNumber)
		require.NoError(t, err)
		require.Equal(t, want, got, in)
	}
	got, err := cellDecimal("0.30000000000000004", connectors.CellText)
	require.NoError(t, err)
	require.Equal(t, "0.30000000000000004", got, "text is taken as typed")
}

func TestPercentAndInteger(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"13%": "0.13", "13.5 ％": "0.135", "100%": "1.00", "0.13": "0.13", "5%": "0.05"} {
		got, err := Percent(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	_, err := Percent("x%")
	require.Error(t, err)
	got, err := integer("1,200.00", connectors.CellText)
	require.NoError(t, err)
	require.Equal(t, "1200", got)
	_, err = integer("12.5", connectors.CellText)
	require.ErrorContains(t, err, "whole number")
}

func TestDate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		typ  connectors.CellType
		want string
		err  string
	}{
		{"2026-12-01", connectors.CellText, "2026-12-01", ""},
		{"2026-12-01 00:00:00", connectors.CellText, "2026-12-01", ""},
		{"2026-12-01T08:00:00+08:00", connectors.CellText, "2026-12-01", ""},
		{"2026/1/2", connectors.CellText, "2026-01-02", ""},
		{"2026-1-2", connectors.CellText, "2026-01-02", ""},
		{"2026.1.2", connectors.CellText, "2026-01-02", ""},
		{"2026年1月2日", connectors.CellText, "2026-01-02", ""},
		{"２０２６年１２月１日", connectors.CellText, "2026-12-01", ""},
		{"20261201", connectors.CellText, "2026-12-01", ""},
		{"20261201", connectors.CellNumber, "2026-12-01", ""},
		{"46357", connectors.CellDate, "2026-12-01", ""},
		{"45992.75", connectors.CellDate, "2025-12-01", ""},
		{"45992", connectors.CellNumber, "2025-12-01", ""},
		{"45992", connectors.CellText, "2025-12-01", ""},
		{"1", connectors.CellDate, "1900-01-01", ""},
		{"59", connectors.CellDate, "1900-02-28", ""},
		{"61", connectors.CellDate, "1900-03-01", ""},
		{"60", connectors.CellDate, "", "1900-02-29"},
		{"0", connectors.CellDate, "", "outside"},
		{"2958466", connectors.CellNumber, "", "outside"},
		{"2026-02-30", connectors.CellText, "", "does not exist"},
		{"2026-13-01", connectors.CellText, "", "does not exist"},
		{"2025/2/29", connectors.CellText, "", "does not exist"},
		{"1/2/2026", connectors.CellText, "", "YYYY-MM-DD"},
		{"next week", connectors.CellText, "", "not a date"},
		{"", connectors.CellText, "", "empty"},
	} {
		got, err := Date(tc.in, tc.typ)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err, "%q", tc.in)
			continue
		}
		require.NoError(t, err, "%q", tc.in)
		require.Equal(t, tc.want, got, "%q", tc.in)
	}
}

func TestUnitCurrencyText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"个": "PCE", " pcs ": "PCE", "箱": "CT", "EA": "EA", "ＫＧ": "KGM", "套": "SET"} {
		got, err := Unit(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	_, err := Unit("坨")
	require.ErrorContains(t, err, "unknown unit")
	for in, want := range map[string]string{"人民币": "CNY", "rmb": "CNY", "¥": "CNY", "usd": "USD", "EUR": "EUR"} {
		got, err := Currency(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	_, err = Currency("元宝")
	require.Error(t, err)
	require.Equal(t, "a b", Text("\u3000a \n\t b\u00a0"))
	require.Equal(t, "A-1 (x)", HalfWidth("Ａ－１\u3000（ｘ）"))
	require.Equal(t, "CNY", currencyOf("￥1,234"))
	require.Equal(t, "USD", currencyOf("US$5"))
	require.Equal(t, "", currencyOf("$5"))
	c, err := code("6.901234567892E+12", connectors.CellNumber)
	require.NoError(t, err)
	require.Equal(t, "6901234567892", c)
}

func FuzzDecimal(f *testing.F) {
	for _, s := range []string{"¥1,234.00", "1.5E-3", "12.3.4", "-0", "１２３", "1,2", "元"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Decimal(s)
		if err != nil {
			return
		}
		if !validDecimal(d) {
			t.Fatalf("Decimal(%q) = %q, not a canonical decimal", s, d)
		}
		if d2, err := Decimal(d); err != nil || d2 != d {
			t.Fatalf("Decimal(%q) = %q is not stable: %q, %v", s, d, d2, err)
		}
		r := roundSignificant(d, 15)
		if !validDecimal(r) {
			t.Fatalf("roundSignificant(%q) = %q", d, r)
		}
	})
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"2026-12-01", "2026年1月2日", "46357", "60", "2026.1.2 10:00"} {
		f.Add(s, uint8(1))
	}
	f.Fuzz(func(t *testing.T, s string, typ uint8) {
		d, err := Date(s, connectors.CellType(typ%6))
		if err != nil {
			return
		}
		if len(d) != 10 || d[4] != '-' || d[7] != '-' {
			t.Fatalf("Date(%q) = %q", s, d)
		}
		if d2, err := Date(d, connectors.CellText); err != nil || d2 != d {
			t.Fatalf("Date(%q) = %q is not stable: %q, %v", s, d, d2, err)
		}
	})
}

func validDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	in, fr, hasPoint := strings.Cut(s, ".")
	return in != "" && allDigits(in) && allDigits(fr) && (!hasPoint || fr != "") && (len(in) == 1 || in[0] != '0')
}
