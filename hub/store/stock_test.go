package store_test

import (
	"encoding/json"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func TestEvaluateStock(t *testing.T) {
	t.Parallel()
	// Each want is worked out by hand from the rule in EvaluateStock's doc.
	cases := []struct {
		name                string
		level               store.StockLevel
		policy              store.StockPolicy
		sold, pack, minimum string
		want                store.Reorder
	}{
		{
			name:   "at the reorder point is not low",
			level:  store.StockLevel{OnHand: "15", Available: "15", OnOrder: "5"},
			policy: store.StockPolicy{ReorderPoint: "20", MaxLevel: "50"},
			want:   store.Reorder{Position: "20", ReorderPoint: "20", Suggested: "0"},
		},
		{
			name:   "safety stock is the reorder point when unset",
			level:  store.StockLevel{OnHand: "4", Available: "4"},
			policy: store.StockPolicy{SafetyStock: "10"},
			want:   store.Reorder{Low: true, Position: "4", ReorderPoint: "10", Suggested: "6", Basis: "reorder_point"},
		},
		{
			name:   "available defaults to on hand, empty on order is zero",
			level:  store.StockLevel{OnHand: "3"},
			policy: store.StockPolicy{SafetyStock: "1", ReorderPoint: "5"},
			want:   store.Reorder{Low: true, Position: "3", ReorderPoint: "5", Suggested: "2", Basis: "reorder_point"},
		},
		{
			name:   "available, not on hand, counts",
			level:  store.StockLevel{OnHand: "30", Available: "2", Reserved: "28"},
			policy: store.StockPolicy{ReorderPoint: "5"},
			want:   store.Reorder{Low: true, Position: "2", ReorderPoint: "5", Suggested: "3", Basis: "reorder_point"},
		},
		{
			name:   "max_level fills up",
			level:  store.StockLevel{OnHand: "5", Available: "5", OnOrder: "3"},
			policy: store.StockPolicy{ReorderPoint: "20", MaxLevel: "50"},
			want:   store.Reorder{Low: true, Position: "8", ReorderPoint: "20", Suggested: "42", Basis: "max_level"},
		},
		{
			name:   "max_level rounded up to the pack size",
			level:  store.StockLevel{OnHand: "5", Available: "5", OnOrder: "3"},
			policy: store.StockPolicy{ReorderPoint: "20", MaxLevel: "50", PackSize: "12"},
			want:   store.Reorder{Low: true, Position: "8", ReorderPoint: "20", Suggested: "48", Basis: "max_level", PackSize: "12"},
		},
		{
			name:   "max_level wins over cover_days",
			level:  store.StockLevel{OnHand: "0"},
			policy: store.StockPolicy{ReorderPoint: "1", MaxLevel: "7", CoverDays: 30},
			sold:   "3000",
			want:   store.Reorder{Low: true, Position: "0", ReorderPoint: "1", Suggested: "7", Basis: "max_level"},
		},
		{
			name:   "max_level at or under the position: low, nothing to order",
			level:  store.StockLevel{OnHand: "8"},
			policy: store.StockPolicy{ReorderPoint: "20", MaxLevel: "5"},
			pack:   "10", minimum: "10",
			want: store.Reorder{Low: true, Position: "8", ReorderPoint: "20", Suggested: "0", Basis: "max_level"},
		},
		{
			name:   "cover_days: 45 sold in 30 days, 10 days of cover",
			level:  store.StockLevel{OnHand: "5"},
			policy: store.StockPolicy{ReorderPoint: "20", CoverDays: 10},
			sold:   "45",
			// 45/30 = 1.5 a day × 10 = 15 − 5 = 10.
			want: store.Reorder{Low: true, Position: "5", ReorderPoint: "20", Suggested: "10", Basis: "cover_days", AvgDailySales: "1.5"},
		},
		{
			name:   "cover_days rounds the cover up before subtracting",
			level:  store.StockLevel{OnHand: "0"},
			policy: store.StockPolicy{ReorderPoint: "1", CoverDays: 7},
			sold:   "10",
			// 10/30 a day × 7 = 2.33… → 3.
			want: store.Reorder{Low: true, Position: "0", ReorderPoint: "1", Suggested: "3", Basis: "cover_days", AvgDailySales: "0.333333"},
		},
		{
			name:   "cover_days with decimal sales",
			level:  store.StockLevel{OnHand: "1.5"},
			policy: store.StockPolicy{ReorderPoint: "4", CoverDays: 14},
			sold:   "37.5",
			// 37.5/30 = 1.25 × 14 = 17.5 → 18 − 1.5 = 16.5.
			want: store.Reorder{Low: true, Position: "1.5", ReorderPoint: "4", Suggested: "16.5", Basis: "cover_days", AvgDailySales: "1.25"},
		},
		{
			name:   "cover_days without sales: nothing to order",
			level:  store.StockLevel{OnHand: "0"},
			policy: store.StockPolicy{ReorderPoint: "5", CoverDays: 10},
			want:   store.Reorder{Low: true, Position: "0", ReorderPoint: "5", Suggested: "0", Basis: "cover_days", AvgDailySales: "0"},
		},
		{
			name:    "raised to the minimum order",
			level:   store.StockLevel{OnHand: "8"},
			policy:  store.StockPolicy{ReorderPoint: "10"},
			minimum: "5",
			want:    store.Reorder{Low: true, Position: "8", ReorderPoint: "10", Suggested: "5", Basis: "reorder_point", MinOrder: "5"},
		},
		{
			name:   "minimum order, then the pack size",
			level:  store.StockLevel{OnHand: "8"},
			policy: store.StockPolicy{ReorderPoint: "10"},
			pack:   "4", minimum: "5",
			// 2 → 5 → 2 packs of 4 = 8.
			want: store.Reorder{Low: true, Position: "8", ReorderPoint: "10", Suggested: "8", Basis: "reorder_point", PackSize: "4", MinOrder: "5"},
		},
		{
			name:   "the policy's pack and minimum override the product's",
			level:  store.StockLevel{OnHand: "8"},
			policy: store.StockPolicy{ReorderPoint: "10", PackSize: "6", MinOrder: "1"},
			pack:   "4", minimum: "100",
			want: store.Reorder{Low: true, Position: "8", ReorderPoint: "10", Suggested: "6", Basis: "reorder_point", PackSize: "6", MinOrder: "1"},
		},
		{
			name:   "zero pack and minimum are ignored",
			level:  store.StockLevel{OnHand: "8"},
			policy: store.StockPolicy{ReorderPoint: "10"},
			pack:   "0", minimum: "0.000",
			want: store.Reorder{Low: true, Position: "8", ReorderPoint: "10", Suggested: "2", Basis: "reorder_point"},
		},
		{
			name:   "decimal quantities and a decimal pack",
			level:  store.StockLevel{OnHand: "9", Available: "2.5", OnOrder: "0.25"},
			policy: store.StockPolicy{ReorderPoint: "10", PackSize: "0.5"},
			// 10 − 2.75 = 7.25 → 15 packs of 0.5 = 7.5.
			want: store.Reorder{Low: true, Position: "2.75", ReorderPoint: "10", Suggested: "7.5", Basis: "reorder_point", PackSize: "0.5"},
		},
		{
			name:   "an exact multiple of the pack stays",
			level:  store.StockLevel{OnHand: "0"},
			policy: store.StockPolicy{ReorderPoint: "1", MaxLevel: "24"},
			pack:   "12",
			want:   store.Reorder{Low: true, Position: "0", ReorderPoint: "1", Suggested: "24", Basis: "max_level", PackSize: "12"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := store.EvaluateStock(c.level, c.policy, c.sold, c.pack, c.minimum)
			require.NoError(t, err)
			require.Equal(t, c.want, got)
		})
	}
}

func TestEvaluateStockErrors(t *testing.T) {
	t.Parallel()
	ok := store.StockLevel{OnHand: "1"}
	low := store.StockPolicy{ReorderPoint: "10", CoverDays: 5}
	cases := []struct {
		name                string
		level               store.StockLevel
		policy              store.StockPolicy
		sold, pack, minimum string
		field               string
	}{
		{"available", store.StockLevel{OnHand: "1", Available: "lots"}, low, "", "", "", "available"},
		{"on hand when no available", store.StockLevel{OnHand: "1,5"}, low, "", "", "", "available"},
		{"on order", store.StockLevel{OnHand: "1", OnOrder: "x"}, low, "", "", "", "on_order"},
		{"reorder point", ok, store.StockPolicy{ReorderPoint: "ten"}, "", "", "", "reorder_point"},
		{"max level", ok, store.StockPolicy{ReorderPoint: "10", MaxLevel: "1e3"}, "", "", "", "max_level"},
		{"sales", ok, low, "3 units", "", "", "sold_30d"},
		{"pack", ok, low, "300", "a dozen", "", "pack_size"},
		{"minimum", ok, low, "300", "", "?", "min_order"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := store.EvaluateStock(c.level, c.policy, c.sold, c.pack, c.minimum)
			require.Error(t, err)
			require.Contains(t, err.Error(), c.field)
		})
	}
}

func TestRatString(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		num, den int64
		want     string
	}{
		{0, 1, "0"}, {10, 1, "10"}, {5, 2, "2.5"}, {1, 8, "0.125"}, {-3, 2, "-1.5"},
		{1, 3, "0.333333"}, {2, 3, "0.666667"}, {1, 7000000, "0"}, {123456789, 1000000000000, "0.000123456789"},
	} {
		require.Equal(t, c.want, store.RatString(big.NewRat(c.num, c.den)), "%d/%d", c.num, c.den)
	}
}

func TestSumDecimals(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, "0"},
		{[]string{"1"}, "1"},
		{[]string{"1", "2.5", "0.25"}, "3.75"},
		{[]string{"27.5", "17.5"}, "45"},
		{[]string{"0.1", "0.2"}, "0.3"},
		{[]string{"10", "-2.5"}, "7.5"},
	} {
		got, err := store.SumDecimals(c.in...)
		require.NoError(t, err)
		require.Equal(t, c.want, got, "%v", c.in)
	}
	_, err := store.SumDecimals("1", "2,5")
	require.ErrorContains(t, err, `"2,5"`)
	_, err = store.SumDecimals("")
	require.Error(t, err)
}

func TestStockKeys(t *testing.T) {
	t.Parallel()
	require.Equal(t, "W1:SKU-9", store.StockExternalID("W1", "SKU-9"))
	require.Equal(t, "sales:W1:2026-03-31", store.SalesExternalID("W1", "2026-03-31"))
	require.Equal(t, "low_stock:W1:SKU-9", store.LowStockKey("W1", "SKU-9"))
}

func TestLowStockNotification(t *testing.T) {
	t.Parallel()
	l := store.StockLevel{Dealer: "dlr", Location: "W1", SKU: "A", Supplier: "sup", SupplierSKU: "S-A",
		OnHand: "6", Available: "5", OnOrder: "3", Unit: "EA"}
	r, err := store.EvaluateStock(l, store.StockPolicy{ReorderPoint: "20", MaxLevel: "50", PackSize: "12"}, "", "", "")
	require.NoError(t, err)
	n := store.LowStockNotification(l, r)
	require.Equal(t, "dlr", n.Partner)
	require.Equal(t, store.NotificationLowStock, n.Type)
	require.Equal(t, "low_stock:W1:A", n.Key)
	require.Equal(t, "Low stock: A at W1: 8 available and on order, under the reorder point 20; suggested order 48 EA", n.Title)
	require.Equal(t, "/api/v1/stock?dealer=dlr&location=W1&sku=A", n.Link)
	require.JSONEq(t, `{"location":"W1","sku":"A","supplier":"sup","supplier_sku":"S-A","available":"5",
		"on_hand":"6","on_order":"3","low":true,"position":"8","reorder_point":"20","suggested_quantity":"48",
		"basis":"max_level","pack_size":"12"}`, string(n.Data))
	require.True(t, json.Valid(n.Data))
	require.Empty(t, n.ID, "the store sets the id")
}

func TestStockPolicyValidate(t *testing.T) {
	t.Parallel()
	valid := store.StockPolicy{Location: "W1", SKU: "A", SafetyStock: "2.5", ReorderPoint: "5", MaxLevel: "20",
		CoverDays: 14, PackSize: "6", MinOrder: "12"}
	require.NoError(t, valid.Validate())
	require.NoError(t, store.StockPolicy{Location: "W1", SKU: "A", ReorderPoint: "0"}.Validate())
	for _, c := range []struct {
		name  string
		edit  func(p *store.StockPolicy)
		field string
	}{
		{"no location", func(p *store.StockPolicy) { p.Location = "" }, "location"},
		{"no sku", func(p *store.StockPolicy) { p.SKU = "" }, "sku"},
		{"bad safety stock", func(p *store.StockPolicy) { p.SafetyStock = "two" }, "safety_stock"},
		{"negative reorder point", func(p *store.StockPolicy) { p.ReorderPoint = "-1" }, "reorder_point"},
		{"bad max level", func(p *store.StockPolicy) { p.MaxLevel = "20 EA" }, "max_level"},
		{"bad pack size", func(p *store.StockPolicy) { p.PackSize = "-6" }, "pack_size"},
		{"bad min order", func(p *store.StockPolicy) { p.MinOrder = "1.2.3" }, "min_order"},
		{"negative cover days", func(p *store.StockPolicy) { p.CoverDays = -1 }, "cover_days"},
		{"neither safety stock nor reorder point", func(p *store.StockPolicy) { p.SafetyStock, p.ReorderPoint = "", "" }, "reorder_point"},
	} {
		p := valid
		c.edit(&p)
		err := p.Validate()
		require.Error(t, err, c.name)
		require.Contains(t, err.Error(), c.field, c.name)
	}
}
