package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// The expected suggestions below are worked out by hand from the policy
// rule (store.EvaluateStock's doc), not by calling it.

func testLowStockEpisode(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	f.partner("sup", "supplier")
	// No level yet: nothing to evaluate.
	require.Empty(t, f.putPolicies("dlr", store.StockPolicy{
		Location: "W1", SKU: "A", SafetyStock: "10", ReorderPoint: "20", MaxLevel: "50", PackSize: "12",
	}))

	// available 5 + on order 3 = 8 < 20: fill up to 50 → 42, in packs of
	// 12 → 4 packs = 48.
	low := f.syncStock("dlr", levels(
		lvl{loc: "W1", sku: "A", supplier: "sup", supplierSKU: "S-A", available: "5", onOrder: "3"},
		lvl{loc: "W1", sku: "NOPOLICY", available: "0"},
	))
	require.Len(t, low.res.Raised, 1, "one alert, and none for the level without a policy")
	n := low.res.Raised[0]
	require.NotEmpty(t, n.ID)
	require.Equal(t, "dlr", n.Partner)
	require.Equal(t, store.NotificationLowStock, n.Type)
	require.Equal(t, store.LowStockKey("W1", "A"), n.Key)
	require.Nil(t, n.ResolvedAt)
	requireRecent(t, n.CreatedAt, "created_at")
	require.NotEmpty(t, n.Title)
	d := f.reorderOf(n)
	require.Equal(t, "W1", d.Location)
	require.Equal(t, "A", d.SKU)
	require.Equal(t, "8", d.Position)
	require.Equal(t, "20", d.ReorderPoint)
	require.Equal(t, "48", d.Suggested)
	require.Equal(t, "max_level", d.Basis)
	require.Equal(t, "12", d.PackSize)

	open := f.openAlerts("dlr", store.NotificationLowStock)
	require.Len(t, open, 1)
	require.Equal(t, n.ID, open[0].ID)
	require.Equal(t, n.Key, open[0].Key)
	got := f.stockOf(store.PartnerScope("dlr"), store.StockFilter{SKU: "A"})
	require.Len(t, got, 1)
	require.True(t, got[0].LowStock)
	require.NotNil(t, got[0].Policy)
	require.Equal(t, "50", got[0].Policy.MaxLevel)
	require.Equal(t, "12", got[0].Policy.PackSize)

	// Changed but still low: no second alert.
	still := f.syncStock("dlr", levels(lvl{loc: "W1", sku: "A", supplier: "sup", supplierSKU: "S-A", available: "4", onOrder: "3"}))
	require.Equal(t, 1, still.res.LevelsChanged)
	require.Empty(t, still.res.Raised)
	require.Zero(t, still.res.Resolved)
	require.Len(t, f.openAlerts("dlr", store.NotificationLowStock), 1)

	// Recovered: 25 + 3 = 28 >= 20.
	ok := f.syncStock("dlr", levels(lvl{loc: "W1", sku: "A", supplier: "sup", supplierSKU: "S-A", available: "25", onOrder: "3"}))
	require.Empty(t, ok.res.Raised)
	require.Equal(t, 1, ok.res.Resolved)
	require.Empty(t, f.openAlerts("dlr", store.NotificationLowStock))
	all := f.notificationsOf("dlr", store.NotificationLowStock)
	require.Len(t, all, 1)
	require.NotNil(t, all[0].ResolvedAt, "the alert is resolved, not deleted")
	requireRecent(t, *all[0].ResolvedAt, "resolved_at")
	got = f.stockOf(store.PartnerScope("dlr"), store.StockFilter{SKU: "A"})
	require.False(t, got[0].LowStock)

	// Low again: a new episode, a new alert.
	again := f.syncStock("dlr", levels(lvl{loc: "W1", sku: "A", supplier: "sup", supplierSKU: "S-A", available: "1", onOrder: "3"}))
	require.Len(t, again.res.Raised, 1)
	require.NotEqual(t, n.ID, again.res.Raised[0].ID)
	// 1 + 3 = 4: 50 − 4 = 46 → 4 packs of 12 = 48.
	require.Equal(t, "48", f.reorderOf(again.res.Raised[0]).Suggested)
}

func testPackFromProduct(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	f.partner("sup", "supplier")
	f.commit("sup", newDoc("product", "sup", "", "S-A",
		`{"sku":"S-A","name":"Widget","pack_quantity":"10","min_order_quantity":"25"}`))
	f.putPolicies("dlr",
		store.StockPolicy{Location: "W1", SKU: "A", ReorderPoint: "5", MaxLevel: "15"},
		store.StockPolicy{Location: "W2", SKU: "A", ReorderPoint: "5", MaxLevel: "15", PackSize: "4"},
		store.StockPolicy{Location: "W3", SKU: "B", ReorderPoint: "5", MaxLevel: "15"},
		store.StockPolicy{Location: "W4", SKU: "A", ReorderPoint: "5", MaxLevel: "15", MinOrder: "1", PackSize: "1"},
	)
	run := f.syncStock("dlr", levels(
		lvl{loc: "W1", sku: "A", supplier: "sup", supplierSKU: "S-A", available: "2"},
		lvl{loc: "W2", sku: "A", supplier: "sup", supplierSKU: "S-A", available: "2"},
		lvl{loc: "W3", sku: "B", supplier: "sup", supplierSKU: "S-NONE", available: "2"},
		lvl{loc: "W4", sku: "A", supplier: "sup", supplierSKU: "S-A", available: "2"},
	))
	require.Len(t, run.res.Raised, 4)
	byLoc := map[string]reorderData{}
	for _, n := range run.res.Raised {
		d := f.reorderOf(n)
		byLoc[d.Location] = d
	}
	// 15 − 2 = 13; the product's minimum 25; its pack 10 → 30.
	require.Equal(t, "30", byLoc["W1"].Suggested)
	require.Equal(t, "10", byLoc["W1"].PackSize)
	require.Equal(t, "25", byLoc["W1"].MinOrder)
	// The policy's pack 4 over the product's: 13 → 25 → 7 packs = 28.
	require.Equal(t, "28", byLoc["W2"].Suggested)
	require.Equal(t, "4", byLoc["W2"].PackSize)
	// No product for S-NONE: 13 as it is.
	require.Equal(t, "13", byLoc["W3"].Suggested)
	require.Empty(t, byLoc["W3"].PackSize)
	// The policy's minimum and pack of 1 override both: 13.
	require.Equal(t, "13", byLoc["W4"].Suggested)
}

func testSalesWindow(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	// Today 2026-03-31: the window is 2026-03-02 (today − 29) to today.
	f.putPolicies("dlr", store.StockPolicy{Location: "W1", SKU: "A", ReorderPoint: "20", CoverDays: 10})
	days := []store.SalesDayInput{
		salesDay("W1", "2026-03-01", sold("A", "", "", "300")), // today − 30: out
		salesDay("W1", "2026-03-02", sold("A", "", "", "27.5"), sold("B", "", "", "900")),
		salesDay("W1", "2026-03-31", sold("A", "", "", "17.5")),
		salesDay("W1", "2026-04-01", sold("A", "", "", "1000")), // after today: out
		salesDay("W2", "2026-03-20", sold("A", "", "", "500")),  // another location
	}
	run := f.syncStock("dlr", levels(lvl{loc: "W1", sku: "A", available: "5"}), days...)
	require.Equal(t, 5, run.res.SalesDays)
	require.Equal(t, 5, run.res.SalesChanged)
	// sold 27.5 + 17.5 = 45 → 1.5 a day → 15 for 10 days − position 5 = 10.
	require.Len(t, run.res.Raised, 1)
	d := f.reorderOf(run.res.Raised[0])
	require.Equal(t, "cover_days", d.Basis)
	require.Equal(t, "1.5", d.AvgDailySales)
	require.Equal(t, "10", d.Suggested)

	sold30 := func(today string) string {
		t.Helper()
		got := f.stockOf(store.OperatorScope(), store.StockFilter{Location: "W1", SKU: "A", Today: today})
		require.Len(t, got, 1)
		require.NotNil(t, got[0].Sold30d)
		return *got[0].Sold30d
	}
	require.Equal(t, "45", sold30(stockToday))
	require.Equal(t, "1017.5", sold30("2026-04-01"), "2026-03-03 … 2026-04-01")
	require.Equal(t, "327.5", sold30("2026-03-30"), "2026-03-01 … 2026-03-30: 300 + 27.5")

	// The same days again: nothing changes; a changed day replaces its lines.
	same := f.syncStock("dlr", nil, days...)
	require.Zero(t, same.res.SalesChanged)
	require.Empty(t, same.res.Changed)
	changed := f.syncStock("dlr", nil, salesDay("W1", "2026-03-02", sold("A", "", "", "7.5")))
	require.Equal(t, 1, changed.res.SalesChanged)
	require.Equal(t, 2, changed.res.Changed[0].Version)
	require.Equal(t, "25", sold30(stockToday), "B's line of that day is gone, A's replaced")
	require.Empty(t, changed.res.Raised, "sales alone evaluate nothing")
}
