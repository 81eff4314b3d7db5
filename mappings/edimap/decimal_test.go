package edimap_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/mappings/edimap"
	"github.com/dealerhub/dealerhub/schemas"
)

func TestParseDecimal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, marks, want string
		ok              bool
	}{
		// X12 (types R and N): a point only.
		{"9.25", edimap.PointMark, "9.25", true},
		{"120", edimap.PointMark, "120", true},
		{"0009.250", edimap.PointMark, "9.250", true},
		{".5", edimap.PointMark, "0.5", true},
		{"120.", edimap.PointMark, "120", true},
		{"-3", edimap.PointMark, "-3", true},
		{"-0", edimap.PointMark, "0", true},
		{"-.25", edimap.PointMark, "-0.25", true},
		{" 7 ", edimap.PointMark, "7", true},
		{"0", edimap.PointMark, "0", true},
		{"", edimap.PointMark, "", false},
		{".", edimap.PointMark, "", false},
		{"1,5", edimap.PointMark, "", false},
		{"1e3", edimap.PointMark, "", false},
		{"+1", edimap.PointMark, "", false},
		{"1.2.3", edimap.PointMark, "", false},
		{"--1", edimap.PointMark, "", false},
		{"ten", edimap.PointMark, "", false},
		// EDIFACT: either mark.
		{"12.80", edimap.PointOrComma, "12.80", true},
		{"12,80", edimap.PointOrComma, "12.80", true},
		{"0120", edimap.PointOrComma, "120", true},
		{" 9.25 ", edimap.PointOrComma, "9.25", true},
		{"-3", edimap.PointOrComma, "-3", true},
		{"-0", edimap.PointOrComma, "0", true},
		{"-0,0", edimap.PointOrComma, "0.0", true},
		{",5", edimap.PointOrComma, "0.5", true},
		{"5.", edimap.PointOrComma, "5", true},
		{"000", edimap.PointOrComma, "0", true},
		{"1.200,50", edimap.PointOrComma, "", false},
		{"1e3", edimap.PointOrComma, "", false},
		{"+5", edimap.PointOrComma, "", false},
		{"", edimap.PointOrComma, "", false},
		{".", edimap.PointOrComma, "", false},
		{"-", edimap.PointOrComma, "", false},
		{"12 80", edimap.PointOrComma, "", false},
		// No mark at all: whole numbers only.
		{"42", "", "42", true},
		{"4.2", "", "", false},
	}
	for _, tt := range tests {
		got, ok := edimap.ParseDecimal(tt.in, tt.marks)
		require.Equal(t, tt.ok, ok, "%q with marks %q", tt.in, tt.marks)
		require.Equal(t, tt.want, got, "%q with marks %q", tt.in, tt.marks)
	}
}

// FuzzParseDecimal checks what ParseDecimal promises for any input: a
// result is a valid canonical decimal, reads back as itself, and a comma
// is accepted only where the marks allow it.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"9.25", "0009.250", ".5", "120.", "-0", "-.25", " 7 ", "12,80", "1.200,50", "1e3", "+1", "-", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		point, okPoint := edimap.ParseDecimal(s, edimap.PointMark)
		either, okEither := edimap.ParseDecimal(s, edimap.PointOrComma)
		if okPoint {
			if !okEither || either != point {
				t.Fatalf("%q: %q with a point, %q (%v) with either mark", s, point, either, okEither)
			}
		}
		if !okEither {
			return
		}
		if !schemas.Decimal(either).Valid() {
			t.Fatalf("%q gave %q, not a canonical decimal", s, either)
		}
		again, ok := edimap.ParseDecimal(either, edimap.PointMark)
		if !ok || again != either {
			t.Fatalf("%q gave %q, which reads back as %q (%v)", s, either, again, ok)
		}
	})
}

func TestDigitsAndGTIN(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"0": true, "0123456789": true, "": false, "12a": false, "-1": false, "١٢": false} {
		require.Equal(t, want, edimap.Digits(s), "%q", s)
	}
	for s, want := range map[string]bool{
		"12345678": true, "123456789012": true, "1234567890123": true, "12345678901234": true,
		"1234567": false, "123456789": false, "123456789012345": false, "12345678901X": false, "": false,
	} {
		require.Equal(t, want, edimap.IsGTIN(s), "%q", s)
	}
}
