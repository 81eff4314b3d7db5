package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// stockCases check SyncStock (versioning of levels and sales days, the
// message, the outbox, low_stock alerts) and ListStock.
func stockCases() []testCase {
	return []testCase{
		{"FirstSyncStoresEveryLevel", testFirstStockSync},
		{"UnchangedResyncWritesNothing", testUnchangedResync},
		{"OneChangedLevel", testOneChangedLevel},
		{"MessageDoneWithRejected", testStockMessageDone},
		{"DoneMessageConflict", testStockDoneConflict},
		{"LowStockEpisode", testLowStockEpisode},
		{"PackAndMinOrderFromProduct", testPackFromProduct},
		{"SalesWindow", testSalesWindow},
		{"Visibility", testStockVisibility},
		{"Filters", testStockFilters},
		{"Paging", testStockPaging},
		{"ListCrossRefs", testListCrossRefs},
		{"StockHashes", testStockHashes},
	}
}

func testStockHashes(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	f.partner("other", "dealer")
	empty, err := f.st.StockHashes(f.ctx, "dlr")
	require.NoError(t, err)
	require.Empty(t, empty)
	in := levels(lvl{loc: "W1", sku: "A", available: "5"}, lvl{loc: "W2", sku: "A", available: "1"})
	f.syncStock("dlr", in)
	f.syncStock("other", levels(lvl{loc: "W1", sku: "Z", available: "9"}))
	got, err := f.st.StockHashes(f.ctx, "dlr")
	require.NoError(t, err)
	require.Equal(t, map[string]string{
		store.StockExternalID("W1", "A"): in[0].ContentHash,
		store.StockExternalID("W2", "A"): in[1].ContentHash,
	}, got)
}

func testFirstStockSync(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	f.partner("sup", "supplier")
	f.drainOutbox()
	run := f.syncStock("dlr", levels(
		lvl{loc: "W1", sku: "A", supplier: "sup", supplierSKU: "S-A", available: "5", onOrder: "2",
			deliveries: []store.NewDelivery{inboxTo("sup")}},
		lvl{loc: "W1", sku: "B", available: "0"},
		lvl{loc: "W2", sku: "A", supplier: "sup", supplierSKU: "S-A", available: "2.5"},
	), salesDay("W1", "2026-03-30", sold("A", "sup", "S-A", "1")))
	res := run.res
	require.Equal(t, 3, res.Levels)
	require.Equal(t, 3, res.LevelsChanged)
	require.Equal(t, 1, res.SalesDays)
	require.Equal(t, 1, res.SalesChanged)
	require.Len(t, res.Changed, 4, "three levels, then one sales day")
	require.Empty(t, res.Raised)
	require.Zero(t, res.Resolved)

	first := res.Changed[0]
	require.True(t, first.Changed)
	require.Equal(t, 1, first.Version)
	require.Zero(t, first.Previous)
	require.NotEmpty(t, first.DocumentID)
	require.Equal(t, "stock_level", first.Input.Doctype)
	require.Equal(t, "dlr", first.Input.Sender)
	require.Equal(t, store.StockExternalID("W1", "A"), first.Input.ExternalID)
	in := levels(lvl{loc: "W1", sku: "A", supplier: "sup", supplierSKU: "S-A", available: "5", onOrder: "2"})[0]
	require.JSONEq(t, string(in.Body), string(first.Input.Body))
	require.Equal(t, in.ContentHash, first.Input.ContentHash)
	require.Len(t, first.Deliveries, 1)
	require.Equal(t, "sup", first.Deliveries[0].Receiver)
	require.Equal(t, "inbox", first.Deliveries[0].Channel)
	require.Equal(t, "stock_level", first.Deliveries[0].Doctype)
	require.Equal(t, run.msg.ID, first.Deliveries[0].MessageID)
	require.Empty(t, res.Changed[1].Deliveries)

	day := res.Changed[3]
	require.Equal(t, "sales_report", day.Input.Doctype)
	require.Equal(t, store.SalesExternalID("W1", "2026-03-30"), day.Input.ExternalID)
	require.Equal(t, 1, day.Version)

	doc, err := f.st.GetDocument(f.ctx, store.OperatorScope(), first.DocumentID)
	require.NoError(t, err)
	require.Equal(t, "stock_level", doc.Doctype)
	require.Equal(t, "dlr", doc.Sender)
	require.Equal(t, "W1:A", doc.ExternalID)
	require.Equal(t, 1, doc.Version)
	require.Equal(t, run.msg.ID, doc.MessageID)
	inbox, _, err := f.st.ListInbox(f.ctx, "sup", store.Page{})
	require.NoError(t, err)
	require.Len(t, inbox, 1, "the level's delivery")

	require.Len(t, eventsFor(f.drainOutbox(), ""), 4, "one outbox row per changed document")

	got := f.stockOf(store.OperatorScope(), store.StockFilter{Today: stockToday})
	require.Equal(t, []string{"dlr/W1/A", "dlr/W1/B", "dlr/W2/A"}, stockKeys(got))
	a := got[0]
	require.Equal(t, "sup", a.Supplier)
	require.Equal(t, "S-A", a.SupplierSKU)
	require.Equal(t, "5", a.OnHand)
	require.Equal(t, "5", a.Available)
	require.Equal(t, "2", a.OnOrder)
	require.Equal(t, "EA", a.Unit)
	requireSameTime(t, stockAsOf, a.AsOf, "as_of")
	require.Equal(t, first.DocumentID, a.DocumentID)
	require.Equal(t, 1, a.Version)
	requireRecent(t, a.UpdatedAt, "updated_at")
	require.NotNil(t, a.Sold30d)
	require.Equal(t, "1", *a.Sold30d)
	require.Nil(t, a.Policy)
	require.False(t, a.LowStock)
	require.Equal(t, "2.5", got[2].Available)
}

func testUnchangedResync(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	ls := levels(lvl{loc: "W1", sku: "A", available: "5"}, lvl{loc: "W1", sku: "B", available: "7"})
	day := salesDay("W1", "2026-03-30", sold("A", "", "", "2"))
	first := f.syncStock("dlr", ls, day)
	f.drainOutbox()

	again := f.syncStock("dlr", ls, day)
	require.Equal(t, 2, again.res.Levels)
	require.Zero(t, again.res.LevelsChanged)
	require.Equal(t, 1, again.res.SalesDays)
	require.Zero(t, again.res.SalesChanged)
	require.Empty(t, again.res.Changed)
	require.Empty(t, eventsFor(f.drainOutbox(), ""), "no event for an unchanged sync")
	for _, r := range first.res.Changed {
		doc, err := f.st.GetDocument(f.ctx, store.OperatorScope(), r.DocumentID)
		require.NoError(t, err)
		require.Equal(t, 1, doc.Version, "no new version of %s", r.Input.ExternalID)
		require.Equal(t, first.msg.ID, doc.MessageID)
		_, err = f.st.GetDocumentVersion(f.ctx, store.OperatorScope(), r.DocumentID, 2)
		errorsIsNotFound(t, err)
	}
	m, err := f.st.GetMessage(f.ctx, store.OperatorScope(), again.msg.ID)
	require.NoError(t, err)
	require.Equal(t, store.StatusDone, m.Status)
	require.Empty(t, m.DocumentIDs)
}

func testOneChangedLevel(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	first := f.syncStock("dlr", levels(lvl{loc: "W1", sku: "A", available: "5"}, lvl{loc: "W1", sku: "B", available: "7"}))
	f.drainOutbox()

	next := f.syncStock("dlr", levels(lvl{loc: "W1", sku: "A", available: "5"}, lvl{loc: "W1", sku: "B", available: "6"}))
	require.Equal(t, 2, next.res.Levels)
	require.Equal(t, 1, next.res.LevelsChanged)
	require.Len(t, next.res.Changed, 1)
	r := next.res.Changed[0]
	require.Equal(t, first.res.Changed[1].DocumentID, r.DocumentID)
	require.Equal(t, 2, r.Version)
	require.Equal(t, 1, r.Previous)
	require.True(t, r.Changed)
	require.Equal(t, "W1:B", r.Input.ExternalID)

	events := eventsFor(f.drainOutbox(), "stock_level")
	require.Len(t, events, 1, "exactly one outbox row")
	require.Equal(t, r.DocumentID+"-v2", events[0].MsgID)

	v2, err := f.st.GetDocumentVersion(f.ctx, store.OperatorScope(), r.DocumentID, 2)
	require.NoError(t, err)
	require.Equal(t, next.msg.ID, v2.MessageID)
	_, err = f.st.GetDocumentVersion(f.ctx, store.OperatorScope(), r.DocumentID, 3)
	errorsIsNotFound(t, err)
	a, err := f.st.GetDocument(f.ctx, store.OperatorScope(), first.res.Changed[0].DocumentID)
	require.NoError(t, err)
	require.Equal(t, 1, a.Version, "the unchanged level keeps its version")

	got := f.stockOf(store.PartnerScope("dlr"), store.StockFilter{SKU: "B"})
	require.Len(t, got, 1)
	require.Equal(t, "6", got[0].Available)
	require.Equal(t, 2, got[0].Version)
}

func testStockMessageDone(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	rejected := []store.DataError{
		{Code: "unknown_item", Row: 4, Value: "ZZ-9", Reason: "no cross-reference for item ZZ-9"},
		{Code: "decimal", Pointer: "/levels/7/on_hand", Reason: "on_hand \"x\" is not a decimal"},
	}
	run := f.syncStockWith(store.StockSync{
		Dealer: "dlr", Today: stockToday, Rejected: rejected,
		Levels: levels(lvl{loc: "W1", sku: "A", available: "5"}),
		Sales:  []store.SalesDayInput{salesDay("W1", "2026-03-31", sold("A", "", "", "1"))},
	})
	m, err := f.st.GetMessage(f.ctx, store.OperatorScope(), run.msg.ID)
	require.NoError(t, err)
	require.Equal(t, store.StatusDone, m.Status)
	require.Equal(t, rejected, m.Errors)
	require.Equal(t, []string{run.res.Changed[0].DocumentID, run.res.Changed[1].DocumentID}, m.DocumentIDs)
	require.NotNil(t, m.FinishedAt)
}

func testStockDoneConflict(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	run := f.syncStock("dlr", levels(lvl{loc: "W1", sku: "A", available: "5"}))
	f.drainOutbox()
	_, err := f.st.SyncStock(f.ctx, store.StockSync{
		MessageID: run.msg.ID, Dealer: "dlr", Today: stockToday, Outbox: stockEvents,
		Levels: levels(lvl{loc: "W1", sku: "A", available: "1"}, lvl{loc: "W1", sku: "B", available: "1"}),
	})
	errorsIsConflict(t, err)
	got := f.stockOf(store.OperatorScope(), store.StockFilter{})
	require.Equal(t, []string{"dlr/W1/A"}, stockKeys(got), "nothing stored by the refused sync")
	require.Equal(t, "5", got[0].Available)
	require.Equal(t, 1, got[0].Version)
	require.Empty(t, f.drainOutbox())
}

func testListCrossRefs(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	f.partner("other", "dealer")
	require.NoError(t, f.st.PutCrossRefs(f.ctx, "dlr", []store.CrossRef{
		{Code: "B-2", Supplier: "sup", SupplierSKU: "S-B"},
		{Code: "A-1", Supplier: "sup", SupplierSKU: "S-A"},
		{Code: "C-3", Supplier: "sup2", SupplierSKU: "X"},
	}))
	require.NoError(t, f.st.PutCrossRefs(f.ctx, "other", []store.CrossRef{{Code: "A-0", Supplier: "sup", SupplierSKU: "S-Z"}}))
	refs, err := f.st.ListCrossRefs(f.ctx, "dlr")
	require.NoError(t, err)
	require.Equal(t, []store.CrossRef{
		{Partner: "dlr", Code: "A-1", Supplier: "sup", SupplierSKU: "S-A"},
		{Partner: "dlr", Code: "B-2", Supplier: "sup", SupplierSKU: "S-B"},
		{Partner: "dlr", Code: "C-3", Supplier: "sup2", SupplierSKU: "X"},
	}, refs)
	none, err := f.st.ListCrossRefs(f.ctx, "nobody")
	require.NoError(t, err)
	require.Empty(t, none)
}
