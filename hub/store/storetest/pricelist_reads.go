package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

// priceListReadCases check chains, statuses, scopes and paging of
// publications.
func priceListReadCases() []testCase {
	return []testCase{
		{"StatusesAndPredecessor", testStatusesAndPredecessor},
		{"ChainsPerCurrency", testChainsPerCurrency},
		{"Visibility", testPriceListVisibility},
		{"LargeListAcrossPages", testLargeList},
		{"PagingLinesAndChanges", testPagingLinesAndChanges},
		{"PagingPriceLists", testPagingPriceLists},
	}
}

// statusesOn reads the status of each publication on a date.
func (f *fixture) statusesOn(today string, ids ...string) []string {
	f.t.Helper()
	out := make([]string, len(ids))
	for i, id := range ids {
		pl, err := f.st.GetPriceList(f.ctx, store.OperatorScope(), id, today)
		require.NoError(f.t, err)
		out[i] = pl.Status
	}
	return out
}

// listIDs lists the ids of the publications a filter selects (one page).
func (f *fixture) listIDs(scope store.Scope, filter store.PriceListFilter) []string {
	f.t.Helper()
	lists, next, err := f.st.ListPriceLists(f.ctx, scope, filter)
	require.NoError(f.t, err)
	require.Empty(f.t, next)
	ids := make([]string, len(lists))
	for i, pl := range lists {
		ids[i] = pl.ID
	}
	return ids
}

func testStatusesAndPredecessor(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	f.partner("dlr", "dealer")
	f.relate("dlr", "sup")
	require.NoError(t, f.st.PutCrossRefs(f.ctx, "dlr", []store.CrossRef{{Code: "X-A", Supplier: "sup", SupplierSKU: "A"}}))
	first := eurList("PL", plLines("A=10.00", "B=20.00"))
	first.validTo = "2026-12-31"
	v1 := f.publish("sup", first).res.PriceList

	// A list for the third quarter, published ahead of time.
	q3 := eurList("PL-Q3", plLines("A=12.00", "B=20.00"))
	q3.validFrom = "2026-06-01"
	res := f.publish("sup", q3).res
	up := res.PriceList
	require.Equal(t, store.PriceListUpcoming, up.Status)
	require.Equal(t, v1.ID, up.Predecessor)
	require.Equal(t, 1, up.Diff.PriceUp)
	require.Len(t, res.Notifications, 1)
	data := decodeNotification(t, res.Notifications[0])
	require.Equal(t, store.PriceListUpcoming, data.Status, "dealers see the change before it bites")
	require.Contains(t, res.Notifications[0].Title, "(upcoming)")
	require.Equal(t, []string{store.PriceListSuperseded, store.PriceListCurrent}, f.statusesOn("2026-07-01", v1.ID, up.ID),
		"the future list takes over on its date")

	// A correction of the current list: its predecessor is the list in
	// force, not the later-dated one published before it.
	fix := eurList("PL", plLines("A=9.00", "B=20.00"))
	fix.validFrom = "2026-02-01"
	cur := f.publish("sup", fix).res.PriceList
	require.Equal(t, v1.ID, cur.Predecessor, "the future list starts after this one")
	require.Equal(t, 1, cur.Diff.PriceDown)
	require.Equal(t, store.PriceListCurrent, cur.Status)

	// The chain's last publication dated before it, whatever its date.
	q4 := eurList("PL-Q4", plLines("A=13.00", "B=20.00"))
	q4.validFrom = "2026-09-01"
	late := f.publish("sup", q4).res.PriceList
	require.Equal(t, cur.ID, late.Predecessor)

	ids := []string{v1.ID, up.ID, cur.ID, late.ID}
	tests := []struct {
		today string
		want  []string
	}{
		{"2025-12-01", []string{store.PriceListUpcoming, store.PriceListUpcoming, store.PriceListUpcoming, store.PriceListUpcoming}},
		{plToday, []string{store.PriceListSuperseded, store.PriceListUpcoming, store.PriceListCurrent, store.PriceListUpcoming}},
		// The chain's current list is the one published last among those
		// in force: the correction, published after the third-quarter
		// list, stays current once both have started.
		{"2026-07-01", []string{store.PriceListSuperseded, store.PriceListSuperseded, store.PriceListCurrent, store.PriceListUpcoming}},
		{"2026-10-01", []string{store.PriceListSuperseded, store.PriceListSuperseded, store.PriceListSuperseded, store.PriceListCurrent}},
		{"2027-01-05", []string{store.PriceListExpired, store.PriceListSuperseded, store.PriceListSuperseded, store.PriceListCurrent}},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, f.statusesOn(tc.today, ids...), "statuses on %s", tc.today)
		for _, status := range []string{store.PriceListCurrent, store.PriceListUpcoming, store.PriceListSuperseded, store.PriceListExpired} {
			var want []string
			for i := len(ids) - 1; i >= 0; i-- { // latest published first
				if tc.want[i] == status {
					want = append(want, ids[i])
				}
			}
			got := f.listIDs(store.OperatorScope(), store.PriceListFilter{Status: status, Today: tc.today})
			require.Equal(t, want, nilIfEmpty(got), "%s lists on %s", status, tc.today)
		}
	}
	// No date means the store's clock, in UTC.
	now := store.Today(time.Now())
	require.Equal(t, f.statusesOn(now, ids...), f.statusesOn("", ids...))
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func testChainsPerCurrency(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	f.partner("other", "supplier")
	eur1 := f.publish("sup", eurList("PL-EUR", plLines("A=10.00"))).res.PriceList
	usdSpec := eurList("PL-USD", plLines("A=11.00"))
	usdSpec.currency = "USD"
	usd := f.publish("sup", usdSpec).res.PriceList
	require.True(t, usd.Diff.First, "another currency is another chain")
	require.Empty(t, usd.Predecessor)
	otherEUR := f.publish("other", eurList("PL-EUR", plLines("A=1.00"))).res.PriceList
	require.True(t, otherEUR.Diff.First, "another supplier is another chain")

	eur2 := f.publish("sup", eurList("PL-EUR", plLines("A=12.00"))).res.PriceList
	require.Equal(t, eur1.ID, eur2.Predecessor)
	changes := changesOf(t, f.allChanges(store.OperatorScope(), eur2.ID, 0))
	require.Equal(t, []pricelist.Change{{SKU: "A", Kind: pricelist.PriceUp, OldPrice: "10.00", NewPrice: "12.00",
		Percent: "+20.00", OldUnit: "EA", NewUnit: "EA"}}, changes)

	require.Equal(t, []string{store.PriceListSuperseded, store.PriceListCurrent, store.PriceListCurrent, store.PriceListCurrent},
		f.statusesOn(plToday, eur1.ID, usd.ID, otherEUR.ID, eur2.ID))
	op := store.OperatorScope()
	require.Equal(t, []string{usd.ID}, f.listIDs(op, store.PriceListFilter{Currency: "USD"}))
	require.Equal(t, []string{eur2.ID, otherEUR.ID, eur1.ID}, f.listIDs(op, store.PriceListFilter{Currency: "EUR"}))
	require.Equal(t, []string{eur2.ID, usd.ID, eur1.ID}, f.listIDs(op, store.PriceListFilter{Supplier: "sup"}))
	require.Equal(t, []string{eur2.ID, otherEUR.ID, usd.ID}, f.listIDs(op, store.PriceListFilter{Status: store.PriceListCurrent, Today: plToday}))
	require.Empty(t, f.listIDs(op, store.PriceListFilter{Supplier: "nobody"}))
}

func testPriceListVisibility(t *testing.T, f *fixture) {
	for _, id := range []string{"sup", "other"} {
		f.partner(id, "supplier")
	}
	for _, id := range []string{"dlr", "stranger"} {
		f.partner(id, "dealer")
	}
	f.relate("dlr", "sup")
	f.relate("stranger", "other")
	f.publish("sup", eurList("PL", plLines("A=1.00", "B=2.00")))
	pl := f.publish("sup", eurList("PL", plLines("A=1.50", "B=2.00"))).res.PriceList
	otherPL := f.publish("other", eurList("PL", plLines("A=1.00"))).res.PriceList

	seeing := []struct {
		name  string
		scope store.Scope
		lists int
	}{
		{"supplier", store.PartnerScope("sup"), 2},
		{"related dealer", store.PartnerScope("dlr"), 2},
		{"operator", store.OperatorScope(), 3},
	}
	for _, s := range seeing {
		got, err := f.st.GetPriceList(f.ctx, s.scope, pl.ID, plToday)
		require.NoError(t, err, s.name)
		require.Equal(t, pl.ID, got.ID)
		_, err = f.st.PriceListOf(f.ctx, s.scope, pl.DocumentID, pl.Version, plToday)
		require.NoError(t, err, s.name)
		require.Len(t, f.allLines(s.scope, pl.ID, 0), 2, s.name)
		require.Len(t, f.allChanges(s.scope, pl.ID, 0), 1, s.name)
		ids := f.listIDs(s.scope, store.PriceListFilter{})
		require.Len(t, ids, s.lists, s.name)
		require.Contains(t, ids, pl.ID, s.name)
	}
	hidden := []struct {
		name  string
		scope store.Scope
		sees  []string
	}{
		{"unrelated dealer", store.PartnerScope("stranger"), []string{otherPL.ID}},
		{"another supplier", store.PartnerScope("other"), []string{otherPL.ID}},
		{"no one", store.Scope{}, nil},
	}
	for _, h := range hidden {
		_, err := f.st.GetPriceList(f.ctx, h.scope, pl.ID, plToday)
		errorsIsNotFound(t, err, h.name)
		_, err = f.st.PriceListOf(f.ctx, h.scope, pl.DocumentID, pl.Version, plToday)
		errorsIsNotFound(t, err, h.name)
		_, _, err = f.st.ListPriceListLines(f.ctx, h.scope, pl.ID, store.Page{})
		errorsIsNotFound(t, err, h.name)
		_, _, err = f.st.ListPriceListChanges(f.ctx, h.scope, pl.ID, store.Page{})
		errorsIsNotFound(t, err, h.name)
		require.Equal(t, h.sees, nilIfEmpty(f.listIDs(h.scope, store.PriceListFilter{})), h.name)
	}
	_, _, err := f.st.ListPriceListLines(f.ctx, store.OperatorScope(), "0190a5b8-0000-7000-8000-000000000000", store.Page{})
	errorsIsNotFound(t, err)
}

// largeLists builds a list of n lines and its successor, which removes,
// rejects, reprices, changes the minimum quantity of and adds SKUs spread
// over the whole list, and gives its lines in reverse SKU order.
func largeLists(n int) (cur, next plSpec) {
	var curLines, nextLines []store.PriceLine
	var rejected []string
	for i := range n {
		sku := fmtSKU(2 * i)
		price := fmt.Sprintf("%d.00", i%97+1)
		curLines = append(curLines, store.PriceLine{SKU: sku, Unit: "EA", UnitPrice: price})
		switch {
		case i%11 == 0:
			continue // removed
		case i%13 == 0:
			rejected = append(rejected, sku)
			continue
		}
		l := store.PriceLine{SKU: sku, Unit: "EA", UnitPrice: price}
		if i%7 == 0 {
			l.UnitPrice = fmt.Sprintf("%d.50", i%97+1)
		}
		if i%5 == 0 {
			l.MinQuantity = "5"
		}
		nextLines = append(nextLines, l)
		if i%17 == 0 {
			nextLines = append(nextLines, store.PriceLine{SKU: fmtSKU(2*i + 1), Unit: "EA", UnitPrice: "3.00"})
		}
	}
	slices.Reverse(nextLines)
	cur, next = eurList("PL", curLines), eurList("PL", nextLines)
	next.rejectedSKUs = rejected
	return cur, next
}

func testLargeList(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	const n = 5200 // more than two pages of the diff's reader
	curSpec, nextSpec := largeLists(n)
	v1 := f.publish("sup", curSpec).res.PriceList
	require.Equal(t, n, v1.Lines)
	v2 := f.publish("sup", nextSpec).res.PriceList
	require.Equal(t, len(nextSpec.lines), v2.Lines)

	lineOf := func(ls []store.PriceLine) []pricelist.Line {
		out := make([]pricelist.Line, len(ls))
		for i, l := range ls {
			out[i] = l.Line()
		}
		return out
	}
	rejected := map[string]bool{}
	for _, sku := range nextSpec.rejectedSKUs {
		rejected[sku] = true
	}
	want, err := pricelist.Compute(lineOf(curSpec.lines), lineOf(nextSpec.lines), rejected)
	require.NoError(t, err)
	got := changesOf(t, f.allChanges(store.OperatorScope(), v2.ID, store.MaxPageLimit))
	require.Equal(t, len(want.Changes), len(got))
	require.Equal(t, want.Changes, got)

	var counts pricelist.Counts
	skus := map[string]bool{}
	for _, c := range want.Changes {
		counts.Add(c)
		skus[c.SKU] = true
	}
	counts.Unchanged, counts.Rejected, counts.ChangedSKUs = want.Unchanged, want.Rejected, len(skus)
	require.Equal(t, store.PriceDiff{Counts: counts}, v2.Diff)
	require.Positive(t, counts.Removed)
	require.Positive(t, counts.Added)
	require.Positive(t, counts.PriceUp)
	require.Positive(t, counts.MinQuantityChanged)
	require.Positive(t, counts.Rejected)

	lines := f.allLines(store.OperatorScope(), v2.ID, store.MaxPageLimit)
	require.Len(t, lines, len(nextSpec.lines))
	for i, l := range lines {
		require.Equal(t, i+1, l.LineNo)
		require.Equal(t, nextSpec.lines[i].SKU, l.SKU)
	}
}

func testPagingLinesAndChanges(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	const n = 250
	var cur, next []string
	for i := range n {
		cur = append(cur, fmt.Sprintf("%s=%d.00", fmtSKU(n-i), i+1)) // line order is reverse SKU order
		next = append(next, fmt.Sprintf("%s=%d.00", fmtSKU(n-i), i+2))
	}
	f.publish("sup", eurList("PL", plLines(cur...)))
	pl := f.publish("sup", eurList("PL", plLines(next...))).res.PriceList

	op := store.OperatorScope()
	lines := f.allLines(op, pl.ID, 100)
	require.Len(t, lines, n)
	for i, l := range lines {
		require.Equal(t, i+1, l.LineNo)
		require.Equal(t, fmtSKU(n-i), l.SKU)
	}
	first, cursor, err := f.st.ListPriceListLines(f.ctx, op, pl.ID, store.Page{})
	require.NoError(t, err)
	require.Len(t, first, store.DefaultPageLimit)
	require.NotEmpty(t, cursor)

	changes := f.allChanges(op, pl.ID, 7)
	require.Len(t, changes, n)
	for i, c := range changesOf(t, changes) {
		require.Equal(t, fmtSKU(i+1), c.SKU, "changes come in SKU order")
		require.Equal(t, pricelist.PriceUp, c.Kind)
	}

	for _, c := range []string{"!!not-base64!!", "bm8tc2VwYXJhdG9y"} {
		_, _, err := f.st.ListPriceListLines(f.ctx, op, pl.ID, store.Page{Cursor: c})
		require.ErrorIs(t, err, store.ErrInvalidCursor)
		_, _, err = f.st.ListPriceListChanges(f.ctx, op, pl.ID, store.Page{Cursor: c})
		require.ErrorIs(t, err, store.ErrInvalidCursor)
		_, _, err = f.st.ListPriceLists(f.ctx, op, store.PriceListFilter{Page: store.Page{Cursor: c}})
		require.ErrorIs(t, err, store.ErrInvalidCursor)
	}
}

func testPagingPriceLists(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	var published []string
	for _, cur := range []string{"EUR", "USD", "GBP", "CNY", "JPY", "EUR"} {
		spec := eurList("PL-"+cur, plLines("A=1.00"))
		spec.currency = cur
		if len(published) == 5 {
			spec.lines = plLines("A=2.00")
		}
		published = append(published, f.publish("sup", spec).res.PriceList.ID)
	}
	slices.Reverse(published) // latest first
	pageThrough := func(filter store.PriceListFilter) []string {
		var ids []string
		for pages := 0; ; pages++ {
			require.Less(t, pages, 10, "paging must end")
			page, next, err := f.st.ListPriceLists(f.ctx, store.PartnerScope("sup"), filter)
			require.NoError(t, err)
			for _, pl := range page {
				ids = append(ids, pl.ID)
			}
			if next == "" {
				return ids
			}
			require.Len(t, page, filter.Limit)
			filter.Cursor = next
		}
	}
	require.Equal(t, published, pageThrough(store.PriceListFilter{Page: store.Page{Limit: 2}}))
	// The filter holds across pages: the superseded EUR list is left out.
	current := pageThrough(store.PriceListFilter{Status: store.PriceListCurrent, Today: plToday, Page: store.Page{Limit: 2}})
	require.Equal(t, published[:5], current)
}

// commitPartialCases check CommitPartial.
func commitPartialCases() []testCase {
	return []testCase{
		{"RejectedRowsOnDoneMessage", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			m := f.message("sup", "product")
			f.start(m.ID)
			rejected := []store.DataError{{Code: "schema", Sheet: "Items", Row: 4, Column: "C", Header: "价格", Value: "abc",
				Reason: "unit_price is not a decimal"}}
			res, err := f.st.CommitPartial(f.ctx, m.ID, []store.DocumentInput{
				newDoc("product", "sup", "", "SKU-1", `{"sku":"SKU-1"}`),
			}, rejected, noOutbox)
			require.NoError(t, err)
			require.Len(t, res, 1)
			msg, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m.ID)
			require.NoError(t, err)
			require.Equal(t, store.StatusDone, msg.Status)
			require.Equal(t, rejected, msg.Errors)
			require.Equal(t, []string{res[0].DocumentID}, msg.DocumentIDs)
			require.NotNil(t, msg.FinishedAt)

			_, err = f.st.CommitPartial(f.ctx, m.ID, nil, rejected, noOutbox)
			errorsIsConflict(t, err, "a done message is finished once")

			m2 := f.message("sup", "product")
			f.start(m2.ID)
			_, err = f.st.CommitPartial(f.ctx, m2.ID, nil, nil, noOutbox)
			require.NoError(t, err)
			msg, err = f.st.GetMessage(f.ctx, store.OperatorScope(), m2.ID)
			require.NoError(t, err)
			require.Equal(t, store.StatusDone, msg.Status)
			require.Empty(t, msg.Errors, "no rejected rows, no errors")
		}},
	}
}
