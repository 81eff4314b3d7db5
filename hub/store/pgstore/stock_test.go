package pgstore_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// stockLevel builds the input of item sku at loc with on hand qty (and
// available = qty), matched to acme's product P-sku.
func stockLevel(loc, sku, qty string) store.StockLevelInput {
	body := fmt.Sprintf(`{"sender":"dlr","external_id":%q,"location":%q,"sku":%q,"on_hand":%q,"unit":"EA"}`,
		store.StockExternalID(loc, sku), loc, sku, qty)
	sum := sha256.Sum256([]byte(body))
	return store.StockLevelInput{
		Location: loc, SKU: sku, Supplier: "acme", SupplierSKU: "P-" + sku, OnHand: qty, Available: qty,
		Unit: "EA", AsOf: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), Body: []byte(body),
		ContentHash: hex.EncodeToString(sum[:]),
	}
}

// stockLevels builds n levels at WH1 (SKU-00000…) with on hand qty.
func stockLevels(n int, qty string) []store.StockLevelInput {
	ls := make([]store.StockLevelInput, n)
	for i := range ls {
		ls[i] = stockLevel("WH1", fmt.Sprintf("SKU-%05d", i), qty)
	}
	return ls
}

// salesDay builds the sales_report of loc on date with "SKU:qty" lines.
func salesDay(loc, date string, lines ...[2]string) store.SalesDayInput {
	d := store.SalesDayInput{Date: date, Location: loc, ExternalID: store.SalesExternalID(loc, date)}
	body := fmt.Sprintf(`{"sender":"dlr","external_id":%q,"date":%q,"lines":[`, d.ExternalID, date)
	for i, l := range lines {
		d.Lines = append(d.Lines, store.SalesLineInput{SKU: l[0], Supplier: "acme", SupplierSKU: "P-" + l[0], Quantity: l[1], Unit: "EA"})
		if i > 0 {
			body += ","
		}
		body += fmt.Sprintf(`{"sku":%q,"quantity":%q}`, l[0], l[1])
	}
	d.Body = []byte(body + "]}")
	sum := sha256.Sum256(d.Body)
	d.ContentHash = hex.EncodeToString(sum[:])
	return d
}

// stockFixture is a price-list fixture with a dealer dlr of acme that
// shares stock (not sales) with it.
func newStockFixture(t testing.TB) *plFixture {
	f := newPLFixture(t)
	f.partner("dlr", "dealer")
	require.NoError(t, f.st.UpsertRelationship(f.ctx, store.Relationship{Dealer: "dlr", Supplier: "acme", SharesStock: true}))
	return f
}

// sync runs SyncStock over a new message of dlr.
func (f *plFixture) sync(levels []store.StockLevelInput, sales ...store.SalesDayInput) store.StockSyncResult {
	f.t.Helper()
	m := f.message("dlr", "stock_snapshot")
	res, err := f.st.SyncStock(f.ctx, store.StockSync{MessageID: m.ID, Dealer: "dlr", Levels: levels, Sales: sales,
		Today: "2026-03-01"})
	require.NoError(f.t, err)
	return res
}

func TestSyncStockWritesOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	f := newStockFixture(t)
	levels := stockLevels(3, "10")
	levels[0].Deliveries = []store.NewDelivery{{Receiver: "acme", Channel: "webhook", Format: "json"}}
	m := f.message("dlr", "stock_snapshot")
	var outboxGot []store.DocumentResult
	rejected := []store.DataError{{Code: "stock", Reason: "item X has no cross-reference"}}
	res, err := f.st.SyncStock(f.ctx, store.StockSync{MessageID: m.ID, Dealer: "dlr", Levels: levels, Today: "2026-03-01",
		Rejected: rejected,
		Outbox: func(rs []store.DocumentResult) []store.NewOutbox {
			outboxGot = rs
			return []store.NewOutbox{{Subject: "dealerhub.event.stock_level.dlr", Payload: []byte("x")}}
		}})
	require.NoError(t, err)
	require.Equal(t, 3, res.Levels)
	require.Equal(t, 3, res.LevelsChanged)
	require.Len(t, res.Changed, 3)
	require.Equal(t, res.Changed, outboxGot)
	for i, r := range res.Changed {
		require.True(t, r.Changed)
		require.Equal(t, 1, r.Version)
		require.Equal(t, 0, r.Previous)
		require.Equal(t, store.StockExternalID("WH1", levels[i].SKU), r.Input.ExternalID)
		require.Equal(t, "stock_level", r.Input.Doctype)
		require.Equal(t, "dlr", r.Input.Sender)
	}
	require.Len(t, res.Changed[0].Deliveries, 1)
	require.Equal(t, "acme", res.Changed[0].Deliveries[0].Receiver)
	require.Equal(t, 1, f.count(`SELECT count(*) FROM deliveries`))
	require.Equal(t, 1, f.count(`SELECT count(*) FROM outbox WHERE subject = 'dealerhub.event.stock_level.dlr'`))
	done, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m.ID)
	require.NoError(t, err)
	require.Equal(t, store.StatusDone, done.Status)
	require.Len(t, done.DocumentIDs, 3)
	require.Equal(t, rejected, done.Errors)

	// Committing the same message again is a conflict.
	_, err = f.st.SyncStock(f.ctx, store.StockSync{MessageID: m.ID, Dealer: "dlr", Levels: levels, Today: "2026-03-01"})
	require.ErrorIs(t, err, store.ErrConflict)

	// The same levels again (as_of moved, hash equal): nothing written.
	var before time.Time
	require.NoError(t, f.raw.QueryRow(f.ctx, `SELECT max(updated_at) FROM stock_levels`).Scan(&before))
	again := stockLevels(3, "10")
	for i := range again {
		again[i].AsOf = again[i].AsOf.Add(time.Hour)
	}
	res = f.sync(again)
	require.Equal(t, 3, res.Levels)
	require.Zero(t, res.LevelsChanged)
	require.Empty(t, res.Changed)
	require.Equal(t, 3, f.count(`SELECT count(*) FROM document_versions`))
	var after time.Time
	require.NoError(t, f.raw.QueryRow(f.ctx, `SELECT max(updated_at) FROM stock_levels`).Scan(&after))
	require.Equal(t, before, after)

	// One level changes: one new version, its projection replaced.
	again[1] = stockLevel("WH1", again[1].SKU, "4")
	res = f.sync(again)
	require.Equal(t, 1, res.LevelsChanged)
	require.Len(t, res.Changed, 1)
	require.Equal(t, 2, res.Changed[0].Version)
	require.Equal(t, 1, res.Changed[0].Previous)
	require.Equal(t, 4, f.count(`SELECT count(*) FROM document_versions`))
	list, _, err := f.st.ListStock(f.ctx, store.PartnerScope("dlr"), store.StockFilter{SKU: again[1].SKU})
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "4", list[0].OnHand)
	require.Equal(t, 2, list[0].Version)
	require.Equal(t, res.Changed[0].DocumentID, list[0].DocumentID)
	doc, err := f.st.GetDocument(f.ctx, store.OperatorScope(), list[0].DocumentID)
	require.NoError(t, err)
	require.JSONEq(t, string(again[1].Body), string(doc.Body))
}

func TestSyncStockBulkAndOnePercentChanged(t *testing.T) {
	t.Parallel()
	f := newStockFixture(t)
	const n = 5000
	res := f.sync(stockLevels(n, "10"))
	require.Equal(t, n, res.LevelsChanged)
	require.Equal(t, n, f.count(`SELECT count(*) FROM stock_levels WHERE dealer = 'dlr'`))
	require.Equal(t, n, f.count(`SELECT count(*) FROM documents WHERE doctype = 'stock_level'`))

	next := stockLevels(n, "10")
	for i := 0; i < n; i += 100 {
		next[i] = stockLevel("WH1", next[i].SKU, "11")
	}
	res = f.sync(next)
	require.Equal(t, n/100, res.LevelsChanged)
	require.Equal(t, n+n/100, f.count(`SELECT count(*) FROM document_versions`))
	require.Equal(t, n/100, f.count(`SELECT count(*) FROM stock_levels WHERE on_hand = '11' AND version = 2`))
}

func TestSyncStockReplacesSalesOfAChangedDay(t *testing.T) {
	t.Parallel()
	f := newStockFixture(t)
	f.sync(stockLevels(1, "10"), salesDay("WH1", "2026-02-28", [2]string{"SKU-00000", "2"}, [2]string{"SKU-00001", "1"}),
		salesDay("WH1", "2026-01-01", [2]string{"SKU-00000", "50"}))
	require.Equal(t, 3, f.count(`SELECT count(*) FROM sales_lines`))
	res := f.sync(stockLevels(1, "10"), salesDay("WH1", "2026-02-28", [2]string{"SKU-00000", "3.5"}),
		salesDay("WH1", "2026-01-01", [2]string{"SKU-00000", "50"}))
	require.Equal(t, 2, res.SalesDays)
	require.Equal(t, 1, res.SalesChanged)
	require.Len(t, res.Changed, 1)
	require.Equal(t, "sales_report", res.Changed[0].Input.Doctype)
	require.Equal(t, 2, res.Changed[0].Version)
	require.Equal(t, 2, f.count(`SELECT count(*) FROM sales_lines`))

	// The window is today and the 29 days before: 2026-01-01 is out.
	list, _, err := f.st.ListStock(f.ctx, store.PartnerScope("dlr"), store.StockFilter{Today: "2026-03-01"})
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.NotNil(t, list[0].Sold30d)
	require.Equal(t, "3.5", *list[0].Sold30d)
}

func TestStockAlertsRaiseOnceAndResolve(t *testing.T) {
	t.Parallel()
	f := newStockFixture(t)
	// acme's product sells in packs of 6.
	pm := f.message("acme", "product")
	_, err := f.st.CommitMessage(f.ctx, pm.ID, []store.DocumentInput{{Doctype: "product", Sender: "acme",
		ExternalID: "P-SKU-00000", Body: []byte(`{"pack_quantity":"6","min_order_quantity":"12"}`), ContentHash: "p1"}}, nil)
	require.NoError(t, err)
	f.sync(stockLevels(2, "10"), salesDay("WH1", "2026-02-20", [2]string{"SKU-00000", "30"}))

	// A policy on a level at 10 with reorder point 15, covering 30 days of
	// 1/day: suggested 30 − 10 = 20, rounded up to packs of 6: 24.
	raised, err := f.st.PutStockPolicies(f.ctx, "dlr", []store.StockPolicy{
		{Location: "WH1", SKU: "SKU-00000", ReorderPoint: "15", CoverDays: 30},
		{Location: "WH1", SKU: "SKU-00001", SafetyStock: "5"},
	}, "2026-03-01")
	require.NoError(t, err)
	require.Len(t, raised, 1)
	require.Equal(t, store.LowStockKey("WH1", "SKU-00000"), raised[0].Key)
	require.Equal(t, "dlr", raised[0].Partner)
	var reorder store.Reorder
	require.NoError(t, json.Unmarshal(raised[0].Data, &reorder))
	require.Equal(t, store.Reorder{Low: true, Position: "10", ReorderPoint: "15", Suggested: "24", Basis: "cover_days",
		AvgDailySales: "1", PackSize: "6", MinOrder: "12"}, reorder)

	// Still low at 9: no second alert.
	res := f.sync([]store.StockLevelInput{stockLevel("WH1", "SKU-00000", "9"), stockLevel("WH1", "SKU-00001", "10")})
	require.Empty(t, res.Raised)
	require.Zero(t, res.Resolved)
	open, _, err := f.st.ListNotifications(f.ctx, store.PartnerScope("dlr"), store.NotificationFilter{Type: store.NotificationLowStock, Open: true})
	require.NoError(t, err)
	require.Len(t, open, 1)

	list, _, err := f.st.ListStock(f.ctx, store.PartnerScope("dlr"), store.StockFilter{Today: "2026-03-01"})
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.True(t, list[0].LowStock)
	require.NotNil(t, list[0].Policy)
	require.Equal(t, "15", list[0].Policy.ReorderPoint)
	require.False(t, list[1].LowStock)

	// Recovered: resolved; low again later: a new alert.
	res = f.sync([]store.StockLevelInput{stockLevel("WH1", "SKU-00000", "20"), stockLevel("WH1", "SKU-00001", "10")})
	require.Equal(t, 1, res.Resolved)
	open, _, err = f.st.ListNotifications(f.ctx, store.PartnerScope("dlr"), store.NotificationFilter{Open: true})
	require.NoError(t, err)
	require.Empty(t, open)
	res = f.sync([]store.StockLevelInput{stockLevel("WH1", "SKU-00000", "1"), stockLevel("WH1", "SKU-00001", "10")})
	require.Len(t, res.Raised, 1)
	all, _, err := f.st.ListNotifications(f.ctx, store.PartnerScope("dlr"), store.NotificationFilter{Type: store.NotificationLowStock})
	require.NoError(t, err)
	require.Len(t, all, 2)
	require.Nil(t, all[0].ResolvedAt)
	require.NotNil(t, all[1].ResolvedAt)

	_, err = f.st.PutStockPolicies(f.ctx, "nobody", []store.StockPolicy{{Location: "WH1", SKU: "X", SafetyStock: "1"}}, "")
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = f.st.PutStockPolicies(f.ctx, "dlr", []store.StockPolicy{{Location: "WH1", SKU: "X", SafetyStock: "1"}, {Location: "WH1", SKU: "Y"}}, "")
	require.ErrorContains(t, err, "policy 1")
}

func TestListStockScopes(t *testing.T) {
	t.Parallel()
	f := newStockFixture(t)
	f.partner("other", "dealer")
	require.NoError(t, f.st.UpsertRelationship(f.ctx, store.Relationship{Dealer: "other", Supplier: "acme"}))
	f.sync(stockLevels(5, "10"), salesDay("WH1", "2026-02-28", [2]string{"SKU-00000", "2"}))
	om := f.message("other", "stock_snapshot")
	_, err := f.st.SyncStock(f.ctx, store.StockSync{MessageID: om.ID, Dealer: "other", Levels: stockLevels(2, "1"), Today: "2026-03-01"})
	require.NoError(t, err)

	all, _, err := f.st.ListStock(f.ctx, store.OperatorScope(), store.StockFilter{})
	require.NoError(t, err)
	require.Len(t, all, 7)
	require.Equal(t, "dlr", all[0].Dealer)
	require.NotNil(t, all[0].Sold30d)

	// acme sees dlr's levels (shares stock) without sales, not other's.
	sup, _, err := f.st.ListStock(f.ctx, store.PartnerScope("acme"), store.StockFilter{})
	require.NoError(t, err)
	require.Len(t, sup, 5)
	for _, l := range sup {
		require.Equal(t, "dlr", l.Dealer)
		require.Nil(t, l.Sold30d)
		require.Nil(t, l.Policy)
	}
	_, _, err = f.st.ListStock(f.ctx, store.PartnerScope("acme"), store.StockFilter{Dealer: "other"})
	require.ErrorIs(t, err, store.ErrNotFound)
	_, _, err = f.st.ListStock(f.ctx, store.PartnerScope("globex"), store.StockFilter{Dealer: "dlr"})
	require.ErrorIs(t, err, store.ErrNotFound)
	none, _, err := f.st.ListStock(f.ctx, store.PartnerScope("globex"), store.StockFilter{})
	require.NoError(t, err)
	require.Empty(t, none)

	// With shares_sales, the supplier sees the sell-through.
	require.NoError(t, f.st.UpsertRelationship(f.ctx, store.Relationship{Dealer: "dlr", Supplier: "acme", SharesStock: true, SharesSales: true}))
	sup, _, err = f.st.ListStock(f.ctx, store.PartnerScope("acme"), store.StockFilter{Dealer: "dlr", SKU: "SKU-00000", Today: "2026-03-01"})
	require.NoError(t, err)
	require.Len(t, sup, 1)
	require.NotNil(t, sup[0].Sold30d)
	require.Equal(t, "2", *sup[0].Sold30d)

	// Pages in key order.
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10)
		page, next, err := f.st.ListStock(f.ctx, store.OperatorScope(), store.StockFilter{Page: store.Page{Cursor: cursor, Limit: 3}})
		require.NoError(t, err)
		for _, l := range page {
			got = append(got, l.Dealer+"/"+l.SKU)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	require.Equal(t, []string{"dlr/SKU-00000", "dlr/SKU-00001", "dlr/SKU-00002", "dlr/SKU-00003", "dlr/SKU-00004",
		"other/SKU-00000", "other/SKU-00001"}, got)
	_, _, err = f.st.ListStock(f.ctx, store.OperatorScope(), store.StockFilter{Page: store.Page{Cursor: "bad"}})
	require.ErrorIs(t, err, store.ErrInvalidCursor)
}

func TestAlertsAndSyncRuns(t *testing.T) {
	t.Parallel()
	f := newStockFixture(t)
	n := store.Notification{Partner: "dlr", Type: store.NotificationStaleFeed, Key: "stale_feed:tryton", Title: "stale"}
	first, raised, err := f.st.RaiseAlert(f.ctx, n)
	require.NoError(t, err)
	require.True(t, raised)
	again, err := f.st.AddNotification(f.ctx, n)
	require.NoError(t, err)
	require.Equal(t, first.ID, again.ID)
	ok, err := f.st.ResolveAlert(f.ctx, "dlr", store.NotificationStaleFeed, "stale_feed:tryton", time.Time{})
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = f.st.ResolveAlert(f.ctx, "dlr", store.NotificationStaleFeed, "stale_feed:tryton", time.Time{})
	require.NoError(t, err)
	require.False(t, ok)
	second, raised, err := f.st.RaiseAlert(f.ctx, n)
	require.NoError(t, err)
	require.True(t, raised)
	require.NotEqual(t, first.ID, second.ID)

	run, err := f.st.StartSyncRun(f.ctx, store.SyncRun{Partner: "dlr", Source: "tryton", Trigger: "schedule"})
	require.NoError(t, err)
	require.Equal(t, store.SyncRunning, run.Status)
	run.Status, run.Read, run.Changed, run.Errors = store.SyncSucceeded, 10, 2, []store.DataError{{Reason: "bad"}}
	done, err := f.st.FinishSyncRun(f.ctx, run)
	require.NoError(t, err)
	require.NotNil(t, done.FinishedAt)
	require.Equal(t, 10, done.Read)
	require.Equal(t, run.Errors, done.Errors)
	_, err = f.st.FinishSyncRun(f.ctx, store.SyncRun{ID: "missing", Status: store.SyncFailed})
	require.ErrorIs(t, err, store.ErrNotFound)
	runs, _, err := f.st.ListSyncRuns(f.ctx, store.PartnerScope("acme"), store.SyncRunFilter{})
	require.NoError(t, err)
	require.Empty(t, runs)
	runs, _, err = f.st.ListSyncRuns(f.ctx, store.PartnerScope("dlr"), store.SyncRunFilter{Status: store.SyncSucceeded})
	require.NoError(t, err)
	require.Len(t, runs, 1)
}
