package storetest

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// stockNetwork sets up two dealers and three suppliers:
//
//	d1 shares stock and sales with s1, stock only with s2;
//	d2 buys from s1 and shares nothing; s3 has no relationship.
//
// d1 stocks W1/A (s1), W1/B (s2) and W1/C (no supplier), with sales of A
// and B today and a low policy on A; d2 stocks W9/X (s1).
func (f *fixture) stockNetwork() {
	f.t.Helper()
	f.partner("d1", "dealer")
	f.partner("d2", "dealer")
	f.partner("s1", "supplier")
	f.partner("s2", "supplier")
	f.partner("s3", "supplier")
	f.shareWith("d1", "s1", true, true)
	f.shareWith("d1", "s2", true, false)
	f.shareWith("d2", "s1", false, false)
	f.putPolicies("d1", store.StockPolicy{Location: "W1", SKU: "A", ReorderPoint: "10"})
	f.syncStock("d1", levels(
		lvl{loc: "W1", sku: "A", supplier: "s1", supplierSKU: "S1-A", available: "3"},
		lvl{loc: "W1", sku: "B", supplier: "s2", supplierSKU: "S2-B", available: "30"},
		lvl{loc: "W1", sku: "C", available: "1"},
	), salesDay("W1", stockToday, sold("A", "s1", "S1-A", "3"), sold("B", "s2", "S2-B", "4")))
	f.syncStock("d2", levels(lvl{loc: "W9", sku: "X", supplier: "s1", supplierSKU: "S1-X", available: "9"}))
}

func testStockVisibility(t *testing.T, f *fixture) {
	f.stockNetwork()
	today := store.StockFilter{Today: stockToday}

	op := f.stockOf(store.OperatorScope(), today)
	require.Equal(t, []string{"d1/W1/A", "d1/W1/B", "d1/W1/C", "d2/W9/X"}, stockKeys(op))
	require.NotNil(t, op[0].Sold30d)
	require.Equal(t, "3", *op[0].Sold30d)
	require.NotNil(t, op[0].Policy, "operators see policies")
	require.True(t, op[0].LowStock)
	require.NotNil(t, op[3].Sold30d)
	require.Equal(t, "0", *op[3].Sold30d, "a level without sales sold 0")

	own := f.stockOf(store.PartnerScope("d1"), today)
	require.Equal(t, []string{"d1/W1/A", "d1/W1/B", "d1/W1/C"}, stockKeys(own))
	require.Equal(t, "3", *own[0].Sold30d)
	require.Equal(t, "4", *own[1].Sold30d)
	require.NotNil(t, own[0].Policy)
	require.Equal(t, "10", own[0].Policy.ReorderPoint)
	require.True(t, own[0].LowStock)
	require.Nil(t, own[1].Policy)
	require.False(t, own[1].LowStock)

	// s1: its product at d1 (shares stock and sales), never d2's (shares
	// nothing) nor another supplier's products.
	s1 := f.stockOf(store.PartnerScope("s1"), today)
	require.Equal(t, []string{"d1/W1/A"}, stockKeys(s1))
	require.NotNil(t, s1[0].Sold30d, "d1 shares sales with s1")
	require.Equal(t, "3", *s1[0].Sold30d)
	require.Nil(t, s1[0].Policy, "policies are the dealer's")
	require.False(t, s1[0].LowStock, "alerts are the dealer's")
	require.Equal(t, []string{"d1/W1/A"}, stockKeys(f.stockOf(store.PartnerScope("s1"), store.StockFilter{Dealer: "d1"})))

	// s2: stock shared, sales not.
	s2 := f.stockOf(store.PartnerScope("s2"), today)
	require.Equal(t, []string{"d1/W1/B"}, stockKeys(s2))
	require.Nil(t, s2[0].Sold30d, "d1 does not share sales with s2")

	require.Empty(t, f.stockOf(store.PartnerScope("s3"), today))
	require.Empty(t, f.stockOf(store.PartnerScope("d2"), store.StockFilter{Supplier: "s2"}))

	for _, c := range []struct{ scope, dealer string }{
		{"s1", "d2"}, // a relationship that does not share stock
		{"s3", "d1"}, // no relationship
		{"d2", "d1"}, // another dealer
		{"s1", "ghost"},
	} {
		_, _, err := f.st.ListStock(f.ctx, store.PartnerScope(c.scope), store.StockFilter{Dealer: c.dealer})
		errorsIsNotFound(t, err, "%s listing %s's stock", c.scope, c.dealer)
	}
	none, _, err := f.st.ListStock(f.ctx, store.Scope{}, store.StockFilter{})
	require.NoError(t, err)
	require.Empty(t, none, "an empty scope sees nothing")
}

func testStockFilters(t *testing.T, f *fixture) {
	f.stockNetwork()
	op := store.OperatorScope()
	require.Equal(t, []string{"d1/W1/A", "d2/W9/X"}, stockKeys(f.stockOf(op, store.StockFilter{Supplier: "s1"})))
	require.Equal(t, []string{"d2/W9/X"}, stockKeys(f.stockOf(op, store.StockFilter{Dealer: "d2"})))
	require.Equal(t, []string{"d2/W9/X"}, stockKeys(f.stockOf(op, store.StockFilter{Location: "W9"})))
	require.Equal(t, []string{"d1/W1/B"}, stockKeys(f.stockOf(op, store.StockFilter{SKU: "B"})))
	require.Equal(t, []string{"d1/W1/C"}, stockKeys(f.stockOf(store.PartnerScope("d1"), store.StockFilter{Dealer: "d1", SKU: "C"})))
	require.Empty(t, f.stockOf(op, store.StockFilter{Dealer: "d1", Location: "W9"}))
	_, _, err := f.st.ListStock(f.ctx, op, store.StockFilter{Today: "31/03/2026"})
	require.Error(t, err, "today must be YYYY-MM-DD")
	_, _, err = f.st.ListStock(f.ctx, op, store.StockFilter{Page: store.Page{Cursor: "not a cursor!"}})
	require.ErrorIs(t, err, store.ErrInvalidCursor)
}

func testStockPaging(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	f.partner("aaa", "dealer")
	var ls []lvl
	var want []string
	for _, loc := range []string{"W1", "W2"} {
		for i := range 4 {
			sku := fmt.Sprintf("SKU-%d", i)
			ls = append(ls, lvl{loc: loc, sku: sku, available: "1"})
			want = append(want, "dlr/"+loc+"/"+sku)
		}
	}
	// Given out of order; listed by (dealer, location, sku).
	ls[0], ls[7] = ls[7], ls[0]
	f.syncStock("dlr", levels(ls...))
	f.syncStock("aaa", levels(lvl{loc: "Z", sku: "Z", available: "1"}))
	want = append([]string{"aaa/Z/Z"}, want...)

	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 5, "paging must end")
		page, next, err := f.st.ListStock(f.ctx, store.OperatorScope(), store.StockFilter{Page: store.Page{Cursor: cursor, Limit: 3}})
		require.NoError(t, err)
		require.LessOrEqual(t, len(page), 3)
		got = append(got, stockKeys(page)...)
		if next == "" {
			break
		}
		cursor = next
	}
	require.Equal(t, want, got)
}
