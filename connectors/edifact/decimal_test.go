package edifact_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors/edifact"
)

func TestDecimal(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		mark byte
		want string // "" when refused
	}{
		{"12,80", ',', "12.80"},
		{"12.80", ',', "12.80"}, // either mark, whatever UNA says
		{"12,80", '.', "12.80"},
		{"12,80", 0, "12.80"},
		{"288", '.', "288"},
		{"-5,5", ',', "-5.5"},
		{",5", ',', "0.5"},
		{"5,", ',', "5"},
		{"007,10", ',', "7.10"},
		{"-0,00", ',', "0.00"},
		{"0", '.', "0"},
		{"1,234.56", '.', ""},
		{"1.234,56", ',', ""},
		{"1 234", '.', ""},
		{"+5", '.', ""},
		{"1E3", '.', ""},
		{"-", '.', ""},
		{",", ',', ""},
		{"", '.', ""},
		{"12,8O", ',', ""},
		{"--1", '.', ""},
		{"1-", '.', ""},
	}
	for _, tc := range cases {
		got, err := edifact.Decimal(tc.in, tc.mark)
		if tc.want == "" {
			require.ErrorIs(t, err, edifact.ErrNotNumber, "%q", tc.in)
			require.Contains(t, err.Error(), tc.in)
			continue
		}
		require.NoError(t, err, "%q", tc.in)
		require.Equal(t, tc.want, got, "%q", tc.in)
	}
	_, err := edifact.Decimal("1", ';')
	require.ErrorContains(t, err, "decimal mark")
}

func TestFormatDecimal(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		mark byte
		want string
	}{
		{"12.80", ',', "12,80"},
		{"12.80", '.', "12.80"},
		{"-0.5", ',', "-0,5"},
		{"100", ',', "100"},
	}
	for _, tc := range cases {
		got, err := edifact.FormatDecimal(tc.in, tc.mark)
		require.NoError(t, err)
		require.Equal(t, tc.want, got)
	}
	_, err := edifact.FormatDecimal("12.80 EUR", ',')
	require.ErrorIs(t, err, edifact.ErrNotNumber)
}
