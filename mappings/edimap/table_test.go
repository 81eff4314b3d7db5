package edimap_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/mappings/edimap"
)

func TestLookup(t *testing.T) {
	t.Parallel()
	partner := map[string]string{"IA": "changed", "ZZ": "rejected"}
	builtin := map[string]string{"IA": "accepted", "IR": "rejected"}
	tests := []struct {
		code, want string
		ok         bool
	}{
		{"IA", "changed", true}, // the partner overrides
		{"ZZ", "rejected", true},
		{"IR", "rejected", true},
		{"XX", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := edimap.Lookup(tt.code, partner, builtin)
		require.Equal(t, tt.ok, ok, tt.code)
		require.Equal(t, tt.want, got, tt.code)
	}
	got, ok := edimap.Lookup("IA", nil, builtin)
	require.True(t, ok)
	require.Equal(t, "accepted", got, "a nil partner table is empty")
	_, ok = edimap.Lookup("IA")
	require.False(t, ok)
}

func TestCodeFor(t *testing.T) {
	t.Parallel()
	m := map[string]string{"X3": "delivered", "D1": "delivered", "AF": "picked_up"}
	tests := []struct {
		v, want string
		ok      bool
	}{
		{"delivered", "D1", true}, // the smallest of several codes
		{"picked_up", "AF", true},
		{"in_transit", "", false},
	}
	for _, tt := range tests {
		got, ok := edimap.CodeFor(m, tt.v)
		require.Equal(t, tt.ok, ok, tt.v)
		require.Equal(t, tt.want, got, tt.v)
	}
	_, ok := edimap.CodeFor(nil, "delivered")
	require.False(t, ok)
}

func TestCanonicalUnit(t *testing.T) {
	t.Parallel()
	standard := map[string]string{"PC": "PCE", "CA": "CS", "EA": "EA", "BX": "PK"}
	partner := map[string]string{"CA": "CT", "BX12": "BX"}
	tests := []struct {
		code, want string
		ok         bool
	}{
		{"CA", "CT", true},   // the partner's alias first
		{"PC", "PCE", true},  // then the standard's table
		{"BX", "PK", true},   // which wins over the same Rec 20 code
		{"BX12", "BX", true}, // partner alias to a canonical code
		{"KGM", "KGM", true}, // a code already canonical
		{"kgm", "", false},   // looked up as given
		{"LB", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := edimap.CanonicalUnit(tt.code, partner, standard)
		require.Equal(t, tt.ok, ok, tt.code)
		require.Equal(t, tt.want, got, tt.code)
	}
}

func TestStrings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   any
		want []string
	}{
		{"typed", []string{"a", "b"}, []string{"a", "b"}},
		{"decoded", []any{"a", 1.0, "b", nil}, []string{"a", "b"}},
		{"empty", []any{}, []string{}},
		{"not a list", "a", nil},
		{"absent", nil, nil},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, edimap.Strings(tt.in), tt.name)
	}
}
