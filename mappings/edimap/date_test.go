package edimap_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/mappings/edimap"
)

func TestCentury(t *testing.T) {
	t.Parallel()
	for yy, want := range map[string]string{"00": "20", "26": "20", "49": "20", "50": "19", "96": "19", "99": "19"} {
		require.Equal(t, want, edimap.Century(yy), yy)
	}
}

func TestFormatDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"2026-01-05", "20260105", true},
		{"2024-02-29", "20240229", true},
		{"2025-02-29", "", false},
		{"2026-1-5", "", false},
		{"20260105", "", false},
		{"2026-01-05T10:00:00Z", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := edimap.FormatDate(tt.in)
		require.Equal(t, tt.ok, ok, tt.in)
		require.Equal(t, tt.want, got, tt.in)
	}
}
