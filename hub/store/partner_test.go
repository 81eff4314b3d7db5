package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func TestNormRoles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want []string
	}{
		{nil, []string{}},
		{[]string{""}, []string{}},
		{[]string{"supplier", "dealer", "supplier", ""}, []string{"dealer", "supplier"}},
		{[]string{"operator"}, []string{"operator"}},
	}
	for _, tt := range tests {
		got := store.NormRoles(tt.in)
		require.NotNil(t, got, "never nil: stored as an empty set, not NULL")
		require.Equal(t, tt.want, got)
	}
}

func TestLastCrossRefs(t *testing.T) {
	t.Parallel()
	ref := func(code, sku string) store.CrossRef {
		return store.CrossRef{Code: code, Supplier: "sup", SupplierSKU: sku}
	}
	tests := []struct {
		name     string
		in, want []store.CrossRef
	}{
		{"none", nil, []store.CrossRef{}},
		{"distinct codes keep their order", []store.CrossRef{ref("b", "1"), ref("a", "2")},
			[]store.CrossRef{ref("b", "1"), ref("a", "2")}},
		{"the last row of a code wins, at its place",
			[]store.CrossRef{ref("a", "1"), ref("b", "2"), ref("a", "3")},
			[]store.CrossRef{ref("b", "2"), ref("a", "3")}},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, store.LastCrossRefs(tt.in), tt.name)
	}
}
