package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// stockAsOf is the as_of of every test level.
var stockAsOf = time.Date(2026, 3, 31, 6, 30, 0, 0, time.UTC)

// stockToday ends the sales window of the stock checks.
const stockToday = "2026-03-31"

// lvl describes a test stock level: at loc, the dealer's sku, with the
// supplier's product (both may be empty), available and on order.
type lvl struct {
	loc, sku, supplier, supplierSKU, available, onOrder string
	deliveries                                          []store.NewDelivery
}

// input is the level as a sync gives it: a canonical body and the SHA-256
// of that body as content hash (so a changed quantity is a changed level).
func (l lvl) input() store.StockLevelInput {
	body, _ := json.Marshal(map[string]string{
		"location": l.loc, "sku": l.sku, "supplier": l.supplier, "supplier_sku": l.supplierSKU,
		"on_hand": l.available, "available": l.available, "on_order": l.onOrder, "unit": "EA",
	})
	sum := sha256.Sum256(body)
	return store.StockLevelInput{
		Location: l.loc, SKU: l.sku, Supplier: l.supplier, SupplierSKU: l.supplierSKU,
		OnHand: l.available, Available: l.available, OnOrder: l.onOrder, Unit: "EA", AsOf: stockAsOf,
		Body: body, ContentHash: hex.EncodeToString(sum[:]), Deliveries: l.deliveries,
	}
}

// levels turns test levels into sync inputs.
func levels(ls ...lvl) []store.StockLevelInput {
	out := make([]store.StockLevelInput, len(ls))
	for i, l := range ls {
		out[i] = l.input()
	}
	return out
}

// salesDay is one location's sales on date, one line per "SKU=quantity".
func salesDay(loc, date string, lines ...store.SalesLineInput) store.SalesDayInput {
	body, _ := json.Marshal(map[string]any{"location": loc, "date": date, "lines": lines})
	sum := sha256.Sum256(body)
	return store.SalesDayInput{
		Date: date, Location: loc, ExternalID: store.SalesExternalID(loc, date), Lines: lines,
		Body: body, ContentHash: hex.EncodeToString(sum[:]),
	}
}

// sold is one sales line.
func sold(sku, supplier, supplierSKU, qty string) store.SalesLineInput {
	return store.SalesLineInput{SKU: sku, Supplier: supplier, SupplierSKU: supplierSKU, Quantity: qty, Unit: "EA"}
}

// stockEvents is the Outbox func of the stock checks: one event per
// changed document, whose MsgID names the document and version.
func stockEvents(results []store.DocumentResult) []store.NewOutbox {
	out := make([]store.NewOutbox, 0, len(results))
	for _, r := range results {
		out = append(out, store.NewOutbox{
			Subject: "dealerhub.event." + r.Input.Doctype + "." + r.Input.Sender,
			MsgID:   fmt.Sprintf("%s-v%d", r.DocumentID, r.Version),
		})
	}
	return out
}

// stockRun is one SyncStock call and what it returned.
type stockRun struct {
	msg store.Message
	res store.StockSyncResult
}

// syncStock stores levels and sales of dealer from a new message, with
// today stockToday and stockEvents as Outbox, and requires success.
func (f *fixture) syncStock(dealer string, ls []store.StockLevelInput, sales ...store.SalesDayInput) stockRun {
	f.t.Helper()
	return f.syncStockWith(store.StockSync{Dealer: dealer, Levels: ls, Sales: sales, Today: stockToday})
}

// syncStockWith runs in (its MessageID set to a new processing message of
// its dealer, its Outbox to stockEvents when nil) and requires success.
func (f *fixture) syncStockWith(in store.StockSync) stockRun {
	f.t.Helper()
	m := f.message(in.Dealer, "stock_level")
	f.start(m.ID)
	in.MessageID = m.ID
	if in.Outbox == nil {
		in.Outbox = stockEvents
	}
	res, err := f.st.SyncStock(f.ctx, in)
	require.NoError(f.t, err)
	return stockRun{msg: m, res: res}
}

// stockOf lists every level scope sees with filter fl (all pages).
func (f *fixture) stockOf(scope store.Scope, fl store.StockFilter) []store.StockLevel {
	f.t.Helper()
	var all []store.StockLevel
	for pages := 0; ; pages++ {
		require.Less(f.t, pages, 1000, "paging must end")
		page, next, err := f.st.ListStock(f.ctx, scope, fl)
		require.NoError(f.t, err)
		all = append(all, page...)
		if next == "" {
			return all
		}
		fl.Cursor = next
	}
}

// stockKeys are the "dealer/location/sku" of levels, in order.
func stockKeys(ls []store.StockLevel) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Dealer + "/" + l.Location + "/" + l.SKU
	}
	return out
}

// putPolicies stores policies of dealer on stockToday and returns the
// notifications raised.
func (f *fixture) putPolicies(dealer string, ps ...store.StockPolicy) []store.Notification {
	f.t.Helper()
	ns, err := f.st.PutStockPolicies(f.ctx, dealer, ps, stockToday)
	require.NoError(f.t, err)
	return ns
}

// openAlerts lists partner's notifications of type typ that are open.
func (f *fixture) openAlerts(partner, typ string) []store.Notification {
	f.t.Helper()
	ns, _, err := f.st.ListNotifications(f.ctx, store.PartnerScope(partner),
		store.NotificationFilter{Type: typ, Open: true, Page: store.Page{Limit: 1000}})
	require.NoError(f.t, err)
	return ns
}

// reorderData is the part of a low_stock notification's data the checks
// compare.
type reorderData struct {
	Location      string `json:"location"`
	SKU           string `json:"sku"`
	Position      string `json:"position"`
	ReorderPoint  string `json:"reorder_point"`
	Suggested     string `json:"suggested_quantity"`
	Basis         string `json:"basis"`
	AvgDailySales string `json:"avg_daily_sales"`
	PackSize      string `json:"pack_size"`
	MinOrder      string `json:"min_order"`
}

// reorderOf decodes a low_stock notification's data.
func (f *fixture) reorderOf(n store.Notification) reorderData {
	f.t.Helper()
	var d reorderData
	require.NoError(f.t, json.Unmarshal(n.Data, &d), "low_stock data: %s", n.Data)
	return d
}

// shareWith relates dealer to supplier with the given sharing.
func (f *fixture) shareWith(dealer, supplier string, stock, sales bool) {
	f.t.Helper()
	require.NoError(f.t, f.st.UpsertRelationship(f.ctx, store.Relationship{
		Dealer: dealer, Supplier: supplier, SharesStock: stock, SharesSales: sales,
	}))
}

// eventsFor keeps the outbox rows of doctype's events ("": any doctype's),
// leaving out the inbound rows of new messages.
func eventsFor(items []store.OutboxItem, doctype string) []store.OutboxItem {
	prefix := "dealerhub.event."
	if doctype != "" {
		prefix += doctype + "."
	}
	var out []store.OutboxItem
	for _, it := range items {
		if strings.HasPrefix(it.Subject, prefix) {
			out = append(out, it)
		}
	}
	return out
}
