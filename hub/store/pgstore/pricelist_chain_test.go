package pgstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

func TestPublishNotifiesDealersWhoseSKUsChanged(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	// d-stock stocks A of acme, F of acme under its own code (and B, but
	// of globex); d-order ordered B
	// and C from acme (and E from globex); d-xref cross-references E of
	// acme (and A of globex); d-none stocks only C, which does not change;
	// stranger cross-references A of acme but has no relationship.
	f.stockLevel("d-stock", "acme", "A")
	f.stockLevel("d-stock", "globex", "B")
	f.commitDoc(store.DocumentInput{Doctype: "stock_level", Sender: "d-stock", ExternalID: "main/own-9",
		Body: []byte(`{"sku":"own-9","supplier":"acme","supplier_sku":"F"}`), ContentHash: "own-9"})
	f.order("d-order", "acme", "PO-1", "B", "C")
	f.order("d-order", "globex", "PO-2", "E")
	require.NoError(t, f.st.PutCrossRefs(f.ctx, "d-xref", []store.CrossRef{
		{Code: "X1", Supplier: "acme", SupplierSKU: "E"}, {Code: "X2", Supplier: "globex", SupplierSKU: "A"}}))
	f.stockLevel("d-none", "acme", "C")
	require.NoError(t, f.st.PutCrossRefs(f.ctx, "stranger", []store.CrossRef{{Code: "S1", Supplier: "acme", SupplierSKU: "A"}}))

	f.mustPublish(pub{lines: lines("A:10.00", "B:20.00", "C:5.00", "E:1.00")})
	out := f.mustPublish(pub{lines: lines("A:11.00", "B:15.00", "C:5.00", "F:3.00"), validFrom: "2026-02-01"})
	pl := out.PriceList
	require.Equal(t, []string{"d-order", "d-stock", "d-xref"}, pl.Notified)
	require.Len(t, out.Notifications, 3)

	tests := []struct {
		dealer string
		want   []pricelist.Change
	}{
		{"d-stock", []pricelist.Change{{SKU: "A", Kind: pricelist.PriceUp, OldPrice: "10.00", NewPrice: "11.00",
			Percent: "+10.00", OldUnit: "EA", NewUnit: "EA"},
			{SKU: "F", Kind: pricelist.Added, NewPrice: "3.00", NewUnit: "EA"}}},
		{"d-order", []pricelist.Change{{SKU: "B", Kind: pricelist.PriceDown, OldPrice: "20.00", NewPrice: "15.00",
			Percent: "-25.00", OldUnit: "EA", NewUnit: "EA"}}},
		{"d-xref", []pricelist.Change{{SKU: "E", Kind: pricelist.Removed, OldPrice: "1.00", OldUnit: "EA"}}},
		{"d-none", nil},
		{"stranger", nil},
	}
	for _, tc := range tests {
		t.Run(tc.dealer, func(t *testing.T) {
			ns, _, err := f.st.ListNotifications(f.ctx, store.PartnerScope(tc.dealer), store.NotificationFilter{})
			require.NoError(t, err)
			if tc.want == nil {
				require.Empty(t, ns)
				return
			}
			require.Len(t, ns, 1)
			n := ns[0]
			require.Contains(t, out.Notifications, n, "the result carries the stored notification")
			wantN := store.PriceNotification(tc.dealer, pl, tc.want)
			require.Equal(t, store.NotificationPriceChange, n.Type)
			require.Equal(t, wantN.Title, n.Title)
			require.Equal(t, wantN.Link, n.Link)
			require.JSONEq(t, string(wantN.Data), string(n.Data))
			var data struct {
				Changes []pricelist.Change `json:"changes"`
			}
			require.NoError(t, json.Unmarshal(n.Data, &data))
			require.Equal(t, tc.want, data.Changes)
		})
	}
}

func TestStatusesAndPredecessorWithAFutureList(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	l1 := f.mustPublish(pub{externalID: "PL-1", lines: lines("A:10.00"), today: "2026-01-10"}).PriceList
	l2 := f.mustPublish(pub{externalID: "PL-2", lines: lines("A:12.00"), validFrom: "2026-03-01", today: "2026-02-01"}).PriceList
	l3 := f.mustPublish(pub{externalID: "PL-3", lines: lines("A:11.00"), validFrom: "2026-02-01", today: "2026-02-01"}).PriceList
	l4 := f.mustPublish(pub{externalID: "PL-4", lines: lines("A:9.00"), validFrom: "2026-01-01", validTo: "2026-01-31",
		today: "2026-02-01"}).PriceList

	require.Equal(t, store.PriceListUpcoming, l2.Status)
	require.Equal(t, l1.ID, l2.Predecessor)
	require.Equal(t, store.PriceListCurrent, l3.Status)
	require.Equal(t, l1.ID, l3.Predecessor, "the future-dated list is not the predecessor of an earlier one")
	require.Equal(t, "+10.00", f.allChanges(l3.ID, 0)[0].Percent, "compared with PL-1's 10.00")
	require.Equal(t, store.PriceListExpired, l4.Status)
	require.Equal(t, l1.ID, l4.Predecessor)

	ids := map[string]string{l1.ID: "PL-1", l2.ID: "PL-2", l3.ID: "PL-3", l4.ID: "PL-4"}
	tests := []struct {
		today string
		want  map[string]string
	}{
		{"2026-01-20", map[string]string{"PL-1": store.PriceListSuperseded, "PL-2": store.PriceListUpcoming,
			"PL-3": store.PriceListUpcoming, "PL-4": store.PriceListCurrent}},
		{"2026-02-15", map[string]string{"PL-1": store.PriceListSuperseded, "PL-2": store.PriceListUpcoming,
			"PL-3": store.PriceListCurrent, "PL-4": store.PriceListExpired}},
		{"2026-03-05", map[string]string{"PL-1": store.PriceListSuperseded, "PL-2": store.PriceListSuperseded,
			"PL-3": store.PriceListCurrent, "PL-4": store.PriceListExpired}},
	}
	for _, tc := range tests {
		t.Run(tc.today, func(t *testing.T) {
			all, next, err := f.st.ListPriceLists(f.ctx, store.OperatorScope(), store.PriceListFilter{Today: tc.today})
			require.NoError(t, err)
			require.Empty(t, next)
			require.Equal(t, []string{l4.ID, l3.ID, l2.ID, l1.ID}, plIDs(all), "latest published first")
			for _, pl := range all {
				require.Equal(t, tc.want[ids[pl.ID]], pl.Status, ids[pl.ID])
				got, err := f.st.GetPriceList(f.ctx, store.OperatorScope(), pl.ID, tc.today)
				require.NoError(t, err)
				require.Equal(t, pl.Status, got.Status)
			}
			for _, status := range []string{store.PriceListCurrent, store.PriceListUpcoming, store.PriceListSuperseded,
				store.PriceListExpired} {
				var want []string
				for _, pl := range all {
					if pl.Status == status {
						want = append(want, pl.ID)
					}
				}
				got := listAll(t, f, store.PriceListFilter{Today: tc.today, Status: status, Page: store.Page{Limit: 1}})
				require.Equal(t, want, plIDs(got), status)
			}
		})
	}
}

func TestChainsArePerCurrency(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	eur := f.mustPublish(pub{externalID: "PL-EUR", lines: lines("A:10.00")}).PriceList
	usd := f.mustPublish(pub{externalID: "PL-USD", currency: "USD", lines: lines("A:12.00")}).PriceList
	require.True(t, usd.Diff.First, "no predecessor across currencies")
	require.Empty(t, usd.Predecessor)
	require.Equal(t, store.PriceListCurrent, usd.Status)
	got, err := f.st.GetPriceList(f.ctx, store.OperatorScope(), eur.ID, "2026-01-15")
	require.NoError(t, err)
	require.Equal(t, store.PriceListCurrent, got.Status, "each chain has its current list")
	eur2 := f.mustPublish(pub{externalID: "PL-EUR", lines: lines("A:10.50")}).PriceList
	require.Equal(t, eur.ID, eur2.Predecessor)

	byCurrency := listAll(t, f, store.PriceListFilter{Currency: "USD"})
	require.Equal(t, []string{usd.ID}, plIDs(byCurrency))
	bySupplier := listAll(t, f, store.PriceListFilter{Supplier: "globex"})
	require.Empty(t, bySupplier)
}

func TestPriceListVisibility(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	f.mustPublish(pub{lines: lines("A:10.00")})
	pl := f.mustPublish(pub{lines: lines("A:11.00")}).PriceList
	tests := []struct {
		scope   store.Scope
		visible bool
	}{
		{store.OperatorScope(), true},
		{store.PartnerScope("acme"), true},
		{store.PartnerScope("d-none"), true},
		{store.PartnerScope("stranger"), false},
		{store.PartnerScope("globex"), false},
		{store.Scope{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.scope.Partner, func(t *testing.T) {
			_, errGet := f.st.GetPriceList(f.ctx, tc.scope, pl.ID, "")
			_, errOf := f.st.PriceListOf(f.ctx, tc.scope, pl.DocumentID, pl.Version, "")
			_, _, errLines := f.st.ListPriceListLines(f.ctx, tc.scope, pl.ID, store.Page{})
			_, _, errChanges := f.st.ListPriceListChanges(f.ctx, tc.scope, pl.ID, store.Page{})
			listed, _, errList := f.st.ListPriceLists(f.ctx, tc.scope, store.PriceListFilter{})
			require.NoError(t, errList)
			for _, err := range []error{errGet, errOf, errLines, errChanges} {
				if tc.visible {
					require.NoError(t, err)
				} else {
					require.ErrorIs(t, err, store.ErrNotFound)
				}
			}
			if tc.visible {
				require.Len(t, listed, 2)
			} else {
				require.Empty(t, listed)
			}
		})
	}
}

func TestLinesAndChangesPageByCursor(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	var a, b []string
	for i := range 25 {
		sku := string(rune('a'+i%26)) + "-sku"
		a = append(a, sku+":1.00")
		b = append(b, sku+":2.00")
	}
	f.mustPublish(pub{lines: lines(a...)})
	pl := f.mustPublish(pub{lines: lines(b...)}).PriceList
	for _, limit := range []int{1, 7, 25, 100} {
		ls := f.allLines(pl.ID, limit)
		require.Len(t, ls, 25)
		for i, l := range ls {
			require.Equal(t, i+1, l.LineNo)
		}
		cs := f.allChanges(pl.ID, limit)
		require.Len(t, cs, 25)
		for i, c := range cs {
			require.Equal(t, i+1, c.Seq)
			require.Equal(t, pricelist.PriceUp, c.Kind)
		}
	}
	// Lines that share a number (the caller numbers them) page in SKU order.
	shared := lines("e:1.00", "d:1.00", "c:1.00", "b:1.00", "a:1.00")
	for i, no := range []int{1, 1, 1, 2, 2} {
		shared[i].LineNo = no
	}
	sh := f.mustPublish(pub{externalID: "PL-shared", lines: shared}).PriceList
	for _, limit := range []int{1, 2} {
		var got []string
		for _, l := range f.allLines(sh.ID, limit) {
			got = append(got, fmt.Sprint(l.LineNo, l.SKU))
		}
		require.Equal(t, []string{"1c", "1d", "1e", "2a", "2b"}, got)
	}
	_, _, err := f.st.ListPriceListChanges(f.ctx, store.OperatorScope(), pl.ID, store.Page{Cursor: "not-a-cursor"})
	require.ErrorIs(t, err, store.ErrInvalidCursor)
	_, _, err = f.st.ListPriceLists(f.ctx, store.OperatorScope(), store.PriceListFilter{Page: store.Page{Cursor: "%%"}})
	require.ErrorIs(t, err, store.ErrInvalidCursor)
}

// listAll pages through ListPriceLists.
func listAll(t *testing.T, f *plFixture, filter store.PriceListFilter) []store.PriceList {
	t.Helper()
	var all []store.PriceList
	for {
		page, next, err := f.st.ListPriceLists(f.ctx, store.OperatorScope(), filter)
		require.NoError(t, err)
		all = append(all, page...)
		if next == "" {
			return all
		}
		filter.Cursor = next
	}
}

func plIDs(pls []store.PriceList) []string {
	var ids []string
	for _, pl := range pls {
		ids = append(ids, pl.ID)
	}
	return ids
}

func TestConcurrentPublicationsOfAChainFormOneLine(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	const n = 6
	reqs := make([]store.PriceListPublish, n)
	for i := range reqs {
		p := pub{supplier: "acme", externalID: fmt.Sprintf("PL-%d", i), currency: "EUR", validFrom: "2026-01-01",
			lines: lines("A:" + fmt.Sprintf("%d.00", 10+i))}
		reqs[i] = store.PriceListPublish{MessageID: f.message("acme", "price_list").ID, Supplier: "acme", Today: "2026-01-15",
			Write: func(_ context.Context, put func([]store.PriceLine) error) (store.PriceListHeader, error) {
				return p.header(), put(p.lines)
			}}
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range reqs {
		wg.Go(func() { _, errs[i] = f.st.PublishPriceList(f.ctx, reqs[i]) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	// Latest first: each publication's predecessor is the one before it.
	all := listAll(t, f, store.PriceListFilter{Today: "2026-01-15"})
	require.Len(t, all, n)
	for i, pl := range all {
		if i == n-1 {
			require.True(t, pl.Diff.First)
			require.Empty(t, pl.Predecessor)
			continue
		}
		require.Equal(t, all[i+1].ID, pl.Predecessor, "publication %d", n-i)
		require.Equal(t, 1, pl.Diff.ChangedSKUs)
	}
	require.Equal(t, store.PriceListCurrent, all[0].Status)
}
