package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

// memLines is a FetchLines over rows held in SKU order; it records the
// after of every fetch.
type memLines struct {
	rows   []store.LineRow
	afters []string
	err    error
}

func (m *memLines) fetch(after string, limit int, each func(store.LineRow) error) error {
	m.afters = append(m.afters, after)
	if m.err != nil {
		return m.err
	}
	i := sort.Search(len(m.rows), func(i int) bool { return m.rows[i].SKU > after })
	for _, r := range m.rows[i:min(i+limit, len(m.rows))] {
		if err := each(r); err != nil {
			return err
		}
	}
	return nil
}

func readAll(t *testing.T, r *store.LineReader) ([]pricelist.Line, error) {
	t.Helper()
	var out []pricelist.Line
	for {
		l, ok, err := r.Next()
		if err != nil || !ok {
			return out, err
		}
		out = append(out, l)
	}
}

func TestLineReaderPagesAndTax(t *testing.T) {
	t.Parallel()
	n := store.DiffPageSize + 3
	m := &memLines{}
	for i := range n {
		r := store.LineRow{SKU: fmt.Sprintf("S%05d", i), UnitPrice: "1.00", Body: []byte(`{}`)}
		if i == 1 {
			r.Body = []byte(`{"tax_included":false,"tax_rate":"0"}`)
			r.Tiers = []byte(`[{"min_quantity":"10","unit_price":"0.90"}]`)
		}
		m.rows = append(m.rows, r)
	}
	r, err := store.NewLineReader("pl1", []byte(`{"tax_included":true,"tax_rate":"13"}`), m.fetch)
	require.NoError(t, err)
	lines, err := readAll(t, r)
	require.NoError(t, err)
	require.Len(t, lines, n)
	require.Equal(t, []string{"", fmt.Sprintf("S%05d", store.DiffPageSize-1)}, m.afters)
	require.Equal(t, pricelist.Line{SKU: "S00000", UnitPrice: "1.00", TaxIncluded: "true", TaxRate: "13"}, lines[0])
	require.Equal(t, pricelist.Line{SKU: "S00001", UnitPrice: "1.00", TaxIncluded: "false", TaxRate: "0",
		Tiers: []pricelist.Tier{{MinQuantity: "10", UnitPrice: "0.90"}}}, lines[1])
	require.Equal(t, fmt.Sprintf("S%05d", n-1), lines[n-1].SKU)
}

func TestLineReaderErrors(t *testing.T) {
	t.Parallel()
	_, err := store.NewLineReader("pl1", []byte(`{"tax_rate":`), (&memLines{}).fetch)
	require.ErrorContains(t, err, "reading the tax basis of pl1")

	for _, tc := range []struct {
		name string
		m    *memLines
		want string
	}{
		{"fetch fails", &memLines{err: errors.New("connection lost")},
			`reading the lines of pl1 after "": connection lost`},
		{"bad tiers", &memLines{rows: []store.LineRow{{SKU: "A", Tiers: []byte(`{`)}}},
			`decoding the tiers of SKU "A"`},
		{"bad body", &memLines{rows: []store.LineRow{{SKU: "B", Body: []byte(`{"tax_rate":1`)}}},
			`reading the tax basis of SKU "B"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := store.NewLineReader("pl1", nil, tc.m.fetch)
			require.NoError(t, err)
			_, err = readAll(t, r)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestDiffListsSkipsRejectedRemovals(t *testing.T) {
	t.Parallel()
	rows := func(skus ...string) *memLines {
		m := &memLines{}
		for _, s := range skus {
			m.rows = append(m.rows, store.LineRow{SKU: s, UnitPrice: "1.00"})
		}
		return m
	}
	prev, err := store.NewLineReader("old", nil, rows("A", "B", "C").fetch)
	require.NoError(t, err)
	next, err := store.NewLineReader("new", nil, rows("A", "D").fetch)
	require.NoError(t, err)
	var got []string
	counts, err := store.DiffLists(prev, next, []string{"B"}, func(c pricelist.Change) error {
		got = append(got, c.SKU+" "+string(c.Kind))
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []string{"C removed", "D added"}, got)
	require.Equal(t, 1, counts.Removed)
	require.Equal(t, 1, counts.Added)

	prev, err = store.NewLineReader("old", nil, rows("A").fetch)
	require.NoError(t, err)
	next, err = store.NewLineReader("new", nil, rows("B").fetch)
	require.NoError(t, err)
	_, err = store.DiffLists(prev, next, nil, func(pricelist.Change) error { return errors.New("disk full") })
	require.ErrorContains(t, err, "comparing with the predecessor old: disk full")
}

func TestCheckTodayAndHeader(t *testing.T) {
	t.Parallel()
	d, err := store.CheckToday("2026-01-02")
	require.NoError(t, err)
	require.Equal(t, "2026-01-02", d)
	d, err = store.CheckToday("")
	require.NoError(t, err)
	require.Len(t, d, len("2026-01-02"))
	_, err = store.CheckToday("02.01.2026")
	require.ErrorContains(t, err, `today "02.01.2026" is not a YYYY-MM-DD date`)

	for _, tc := range []struct {
		h    store.PriceListHeader
		want string
	}{
		{store.PriceListHeader{ValidFrom: "2026-01-02"}, ""},
		{store.PriceListHeader{ValidFrom: "2026-01-02", ValidTo: "2026-12-31"}, ""},
		{store.PriceListHeader{ValidFrom: "2026-1-2"}, `valid_from "2026-1-2"`},
		{store.PriceListHeader{ValidFrom: "2026-01-02", ValidTo: "soon"}, `valid_to "soon"`},
	} {
		err := store.CheckPriceListHeader(tc.h)
		if tc.want == "" {
			require.NoError(t, err)
			continue
		}
		require.ErrorContains(t, err, tc.want)
	}
}

func TestPriceListDiffColumns(t *testing.T) {
	t.Parallel()
	pl := store.PriceList{Diff: store.PriceDiff{Counts: pricelist.Counts{Added: 2, ChangedSKUs: 2}}, Notified: []string{"d1"}}
	diff, notified, err := pl.DiffColumns()
	require.NoError(t, err)
	var back store.PriceDiff
	require.NoError(t, json.Unmarshal(diff, &back))
	require.Equal(t, pl.Diff, back)
	require.JSONEq(t, `["d1"]`, string(notified))
}
