package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// stockPolicyCases check PutStockPolicies and ListStockPolicies.
func stockPolicyCases() []testCase {
	return []testCase{
		{"PutAndList", testPutAndListPolicies},
		{"Validation", testPolicyValidation},
		{"EvaluatesStoredLevel", testPolicyEvaluatesLevel},
		{"Paging", testPolicyPaging},
	}
}

func testPutAndListPolicies(t *testing.T, f *fixture) {
	f.partner("d1", "dealer")
	f.partner("d2", "dealer")
	f.partner("s1", "supplier")
	f.shareWith("d1", "s1", true, true)
	f.putPolicies("d1",
		store.StockPolicy{Location: "W2", SKU: "A", SafetyStock: "5"},
		store.StockPolicy{Dealer: "ignored", Location: "W1", SKU: "B", SafetyStock: "1.5", ReorderPoint: "4",
			MaxLevel: "20", CoverDays: 14, PackSize: "6", MinOrder: "12"},
		store.StockPolicy{Location: "W1", SKU: "A", ReorderPoint: "3"},
	)
	f.putPolicies("d2", store.StockPolicy{Location: "W1", SKU: "A", SafetyStock: "9"})

	list := func(scope store.Scope, fl store.StockPolicyFilter) []store.StockPolicy {
		t.Helper()
		ps, next, err := f.st.ListStockPolicies(f.ctx, scope, fl)
		require.NoError(t, err)
		require.Empty(t, next)
		return ps
	}
	keys := func(ps []store.StockPolicy) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = p.Dealer + "/" + p.Location + "/" + p.SKU
		}
		return out
	}
	own := list(store.PartnerScope("d1"), store.StockPolicyFilter{})
	require.Equal(t, []string{"d1/W1/A", "d1/W1/B", "d1/W2/A"}, keys(own))
	b := own[1]
	requireRecent(t, b.UpdatedAt, "updated_at")
	require.Equal(t, store.StockPolicy{Dealer: "d1", Location: "W1", SKU: "B", SafetyStock: "1.5", ReorderPoint: "4",
		MaxLevel: "20", CoverDays: 14, PackSize: "6", MinOrder: "12", UpdatedAt: b.UpdatedAt}, b)

	require.Equal(t, []string{"d1/W1/A", "d1/W1/B", "d1/W2/A", "d2/W1/A"}, keys(list(store.OperatorScope(), store.StockPolicyFilter{})))
	require.Equal(t, []string{"d2/W1/A"}, keys(list(store.OperatorScope(), store.StockPolicyFilter{Dealer: "d2"})))
	require.Equal(t, []string{"d1/W1/A", "d1/W1/B"}, keys(list(store.PartnerScope("d1"), store.StockPolicyFilter{Location: "W1"})))
	require.Equal(t, []string{"d1/W1/A", "d2/W1/A"}, keys(list(store.OperatorScope(), store.StockPolicyFilter{Location: "W1", SKU: "A"})))
	require.Empty(t, list(store.PartnerScope("d1"), store.StockPolicyFilter{Dealer: "d2"}), "another dealer's policies")
	require.Empty(t, list(store.PartnerScope("s1"), store.StockPolicyFilter{}), "a supplier sees no policy")

	// Upsert: the same key replaces every field.
	f.putPolicies("d1", store.StockPolicy{Location: "W1", SKU: "B", SafetyStock: "2"})
	got := list(store.PartnerScope("d1"), store.StockPolicyFilter{SKU: "B"})
	require.Len(t, got, 1)
	require.Equal(t, "2", got[0].SafetyStock)
	require.Empty(t, got[0].ReorderPoint)
	require.Empty(t, got[0].MaxLevel)
	require.Zero(t, got[0].CoverDays)
	require.Empty(t, got[0].PackSize)
	require.Empty(t, got[0].MinOrder)
}

func testPolicyValidation(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	_, err := f.st.PutStockPolicies(f.ctx, "dlr", []store.StockPolicy{
		{Location: "W1", SKU: "A", SafetyStock: "1"},
		{Location: "W1", SKU: "B", SafetyStock: "1", PackSize: "-2"},
	}, stockToday)
	require.Error(t, err)
	require.Contains(t, err.Error(), "1", "names the index")
	require.Contains(t, err.Error(), "pack_size", "names the field")
	ps, _, err := f.st.ListStockPolicies(f.ctx, store.OperatorScope(), store.StockPolicyFilter{})
	require.NoError(t, err)
	require.Empty(t, ps, "all or nothing")

	_, err = f.st.PutStockPolicies(f.ctx, "dlr", []store.StockPolicy{{Location: "W1", SKU: "A"}}, stockToday)
	require.Error(t, err, "safety_stock or reorder_point is required")
	_, err = f.st.PutStockPolicies(f.ctx, "ghost", []store.StockPolicy{{Location: "W1", SKU: "A", SafetyStock: "1"}}, stockToday)
	errorsIsNotFound(t, err)
	_, err = f.st.PutStockPolicies(f.ctx, "dlr", []store.StockPolicy{{Location: "W1", SKU: "A", SafetyStock: "1"}}, "yesterday")
	require.Error(t, err, "today must be YYYY-MM-DD")
}

func testPolicyEvaluatesLevel(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	f.syncStock("dlr", levels(lvl{loc: "W1", sku: "A", available: "3", onOrder: "1"}, lvl{loc: "W1", sku: "B", available: "50"}))
	require.Empty(t, f.openAlerts("dlr", store.NotificationLowStock), "no policy, no alert")

	// 3 + 1 = 4 < 10: back up to the reorder point → 6, at least 8 → 8.
	raised := f.putPolicies("dlr",
		store.StockPolicy{Location: "W1", SKU: "A", ReorderPoint: "10", MinOrder: "8"},
		store.StockPolicy{Location: "W1", SKU: "B", ReorderPoint: "10"},
		store.StockPolicy{Location: "W1", SKU: "NOLEVEL", ReorderPoint: "10"},
	)
	require.Len(t, raised, 1)
	require.Equal(t, store.LowStockKey("W1", "A"), raised[0].Key)
	d := f.reorderOf(raised[0])
	require.Equal(t, "reorder_point", d.Basis)
	require.Equal(t, "8", d.Suggested)
	require.Len(t, f.openAlerts("dlr", store.NotificationLowStock), 1)

	// Still low under a new policy: no second alert.
	require.Empty(t, f.putPolicies("dlr", store.StockPolicy{Location: "W1", SKU: "A", ReorderPoint: "9"}))
	require.Len(t, f.openAlerts("dlr", store.NotificationLowStock), 1)
	// Not low any more: resolved.
	require.Empty(t, f.putPolicies("dlr", store.StockPolicy{Location: "W1", SKU: "A", ReorderPoint: "4"}))
	require.Empty(t, f.openAlerts("dlr", store.NotificationLowStock))
}

func testPolicyPaging(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	var ps []store.StockPolicy
	for _, sku := range []string{"E", "C", "A", "D", "B"} {
		ps = append(ps, store.StockPolicy{Location: "W1", SKU: sku, SafetyStock: "1"})
	}
	f.putPolicies("dlr", ps...)
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 5, "paging must end")
		page, next, err := f.st.ListStockPolicies(f.ctx, store.PartnerScope("dlr"),
			store.StockPolicyFilter{Page: store.Page{Cursor: cursor, Limit: 2}})
		require.NoError(t, err)
		require.LessOrEqual(t, len(page), 2)
		for _, p := range page {
			got = append(got, p.SKU)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	require.Equal(t, []string{"A", "B", "C", "D", "E"}, got)
}
