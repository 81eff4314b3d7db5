package portal

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/erp/tryton"
	"github.com/dealerhub/dealerhub/connectors/erp/tryton/trytontest"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
)

// liveERPConfig is the hub config of the live test: dealer-a's Tryton,
// read on request (the schedule is long), with confirmed orders pushed.
const liveERPConfig = `version: 1
partners:
  - id: dealer-a
    name: Dealer A
    roles: [dealer]
    erp:
      tryton:
        url: %s
        database: %s
        user: %s
        password: ${LIVE_TRYTON_PASSWORD}
        warehouses: [WH]
      schedule:
        every: 24h
      sales_days: 30
      push_orders: true
`

// TestERPStockAgainstALiveTryton runs the stock issue's whole story
// against a real Tryton 6 (Debian's tryton-server on loopback): sync
// through the API, levels equal Tryton's quantities, one event for one
// change and none for no change, one low_stock alert with the formula's
// quantity, a confirmed order becoming one confirmed purchase however
// often it is pushed, and what each supplier may see.
func TestERPStockAgainstALiveTryton(t *testing.T) {
	srv := trytontest.Start(t)
	ctx := context.Background()
	today := time.Now().UTC()

	// Tryton: three products in the warehouse WH, the supplier as a
	// party, and 6 of SKU-C sold today.
	for _, p := range []struct{ code, name, price string }{{"SKU-A", "Widget A", "12.50"}, {"SKU-B", "Widget B", "30.00"}, {"SKU-C", "Gadget C", "59.00"}} {
		srv.CreateProduct(t, p.code, p.name, p.price)
	}
	tryQty := map[string]float64{"SKU-A": 40, "SKU-B": 15, "SKU-C": 3}
	srv.SetStock(t, "WH", tryQty)
	srv.CreateSupplier(t, "Supplier A")
	srv.Sell(t, "SKU-C", 6, today)

	t.Setenv("LIVE_TRYTON_PASSWORD", srv.Password())
	cfg, err := config.Parse([]byte(fmt.Sprintf(liveERPConfig, srv.URL(), srv.Database(), srv.User())), "live.yaml", os.LookupEnv)
	require.NoError(t, err)
	sink := tryton.NewSink(func(receiver string) (tryton.Config, bool) {
		e, ok := cfg.ERP(receiver)
		return e.TrytonConfig(), ok
	})
	env := newAPIEnv(t, hubtest.Options{Config: cfg, Sinks: map[string]connectors.Sink{hub.ChannelERP: sink}}, Options{})
	sched := hub.NewSyncScheduler(env.Hub, hub.SyncSchedulerOptions{
		NewReader: func(_ string, e config.ERP) (connectors.StockReader, error) { return tryton.New(e.TrytonConfig()) },
	})
	env.Hub.SetSyncScheduler(sched)

	// supplier-b sells SKU-C to dealer-a, which shares its stock with it.
	_, err = env.Store.UpsertPartner(ctx, store.Partner{ID: "supplier-b", Name: "Supplier B", Roles: []string{"supplier"}, Enabled: true})
	require.NoError(t, err)
	require.NoError(t, env.Store.UpsertRelationship(ctx, store.Relationship{Dealer: "dealer-a", Supplier: "supplier-b", SharesStock: true}))
	require.NoError(t, env.Store.UpsertRelationship(ctx, store.Relationship{Dealer: "dealer-b", Supplier: "supplier-a"}))
	supplierB, _, err := hub.CreateAPIKey(ctx, env.Store, "supplier-b", false, "test")
	require.NoError(t, err)
	env.run(t, []scenario{{name: "cross-references", method: http.MethodPut, url: "/api/v1/cross-refs", who: "dealer-a", contentType: "text/csv",
		body: "code,supplier,supplier_sku\nSKU-A,supplier-a,S-A\nSKU-B,supplier-a,S-B\nSKU-C,supplier-b,T-C\n", status: http.StatusOK}})

	var events atomic.Int64
	watchCtx, stop := context.WithCancel(ctx)
	defer stop()
	go env.Bus.WatchEvents(watchCtx, env.Bus.EventSubject("stock_level", "dealer-a"), func(*bus.Msg) { events.Add(1) })
	eventsSettle := func(want int64) int64 {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for events.Load() < want && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(700 * time.Millisecond) // an extra event would show by now
		return events.Load()
	}
	syncNow := func() store.SyncRun {
		t.Helper()
		r := env.do(t, http.MethodPost, "/api/v1/sync-runs", "dealer-a", "", `{"partner":"dealer-a"}`, nil)
		require.Contains(t, []int{http.StatusOK, http.StatusCreated}, r.status, "body: %s", r.body)
		var run store.SyncRun
		decode(t, r, &run)
		require.Equal(t, store.SyncSucceeded, run.Status, "run: %+v", run)
		return run
	}
	levels := func(who string) map[string]store.StockLevel {
		t.Helper()
		r := env.do(t, http.MethodGet, "/api/v1/stock", who, "", "", nil)
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		var page ListResponse[store.StockLevel]
		decode(t, r, &page)
		out := map[string]store.StockLevel{}
		for _, l := range page.Items {
			out[l.SKU] = l
		}
		return out
	}

	// 1. The first sync: every level equals Tryton's quantity.
	run := syncNow()
	require.Equal(t, 3+1, run.Read, "three levels and one sales row")
	require.Equal(t, 3+1, run.Changed, "three levels and one sales day")
	require.Zero(t, run.Rejected)
	got := levels("dealer-a")
	require.Len(t, got, 3)
	for code, qty := range tryQty {
		require.Equal(t, fmt.Sprint(qty), got[code].OnHand, "on hand of %s", code)
		require.Equal(t, "WH", got[code].Location)
	}
	require.Equal(t, "6", *got["SKU-C"].Sold30d)
	require.EqualValues(t, 3, eventsSettle(3))

	// 2. One product changes in Tryton: exactly one event.
	tryQty["SKU-A"] = 35
	srv.SetStock(t, "WH", map[string]float64{"SKU-A": 35})
	run = syncNow()
	require.Equal(t, 1, run.Changed)
	require.EqualValues(t, 4, eventsSettle(4))
	require.Equal(t, "35", levels("dealer-a")["SKU-A"].OnHand)

	// 3. Nothing changes: no event.
	run = syncNow()
	require.Zero(t, run.Changed)
	require.EqualValues(t, 4, eventsSettle(4))

	// 4. A policy puts SKU-C under its reorder point: 3 available + 0 on
	// order < 5. Sold 6 in 30 days is 0.2 a day; 20 days of cover is
	// 4, less the 3 there are is 1, rounded up to the pack of 6: 6.
	avgDaily := 6.0 / 30
	need := int(avgDaily*20+0.999999) - 3
	want := ((need + 5) / 6) * 6
	require.Equal(t, 6, want)
	env.run(t, []scenario{{name: "policy", method: http.MethodPut, url: "/api/v1/stock-policies", who: "dealer-a",
		body:   `[{"location":"WH","sku":"SKU-C","safety_stock":"2","reorder_point":"5","cover_days":20,"pack_size":"6"}]`,
		status: http.StatusOK, fields: map[string]string{"raised.#": "1"}, contains: []string{fmt.Sprintf(`"suggested_quantity":"%d"`, want)}}})
	// An unchanged re-sync raises no second alert.
	syncNow()
	alerts, _, err := env.Hub.ListNotifications(ctx, env.Principal("dealer-a"), store.NotificationFilter{Type: store.NotificationLowStock})
	require.NoError(t, err)
	require.Len(t, alerts, 1)
	require.Nil(t, alerts[0].ResolvedAt)

	// 5. A confirmed order becomes one confirmed purchase in Tryton,
	// however often it is pushed.
	r := env.do(t, http.MethodPost, "/api/v1/documents/order", "dealer-a", "", `{"external_id":"PO-LIVE-1","receiver":"supplier-a","status":"confirmed","order_date":"`+today.Format(time.DateOnly)+
		`","currency":"USD","lines":[{"line_no":1,"sku":"S-A","quantity":"100","unit":"EA","unit_price":"6.80"},{"line_no":2,"sku":"S-B","quantity":"5","unit":"EA","unit_price":"29.00"}]}`, nil)
	require.Equal(t, http.StatusAccepted, r.status, "body: %s", r.body)
	msgID := jsonField(t, r.body, "messages.0.id")
	m := env.WaitMessage(t, msgID, store.StatusDone)
	orderID := m.DocumentIDs[0]
	dl, _, err := env.Store.ListDeliveries(ctx, store.OperatorScope(), store.DeliveryFilter{DocumentID: orderID, Channel: hub.ChannelERP})
	require.NoError(t, err)
	require.Len(t, dl, 1)
	env.WaitDelivery(t, dl[0].ID, store.DeliveryDelivered)
	ps := srv.Purchases(t, orderID)
	require.Len(t, ps, 1)
	require.Contains(t, []string{"confirmed", "processing"}, ps[0].State)
	require.ElementsMatch(t, []trytontest.PurchaseLineRow{{Code: "SKU-A", Quantity: 100, UnitPrice: "6.80"}, {Code: "SKU-B", Quantity: 5, UnitPrice: "29.00"}},
		withoutPriceFormat(ps[0].Lines))
	// The dealer amends the order (a new version, still confirmed): the
	// hub pushes it again, as a retry after a lost answer would.
	r = env.do(t, http.MethodPost, "/api/v1/documents/order", "dealer-a", "", `{"external_id":"PO-LIVE-1","receiver":"supplier-a","status":"confirmed","order_date":"`+today.Format(time.DateOnly)+
		`","currency":"USD","note":"deliver to gate 2","lines":[{"line_no":1,"sku":"S-A","quantity":"100","unit":"EA","unit_price":"6.80"},{"line_no":2,"sku":"S-B","quantity":"5","unit":"EA","unit_price":"29.00"}]}`, nil)
	require.Equal(t, http.StatusAccepted, r.status, "body: %s", r.body)
	m2 := env.WaitMessage(t, jsonField(t, r.body, "messages.0.id"), store.StatusDone)
	require.Equal(t, orderID, m2.DocumentIDs[0])
	dl, _, err = env.Store.ListDeliveries(ctx, store.OperatorScope(), store.DeliveryFilter{DocumentID: orderID, Channel: hub.ChannelERP})
	require.NoError(t, err)
	require.Len(t, dl, 2, "one push per confirmed version")
	for _, d := range dl {
		env.WaitDelivery(t, d.ID, store.DeliveryDelivered)
	}
	require.Len(t, srv.Purchases(t, orderID), 1, "pushing again makes no second purchase")

	// The purchase is on order at the next sync: two levels change.
	run = syncNow()
	require.Equal(t, 2, run.Changed)
	got = levels("dealer-a")
	require.Equal(t, "100", got["SKU-A"].OnOrder)
	require.Equal(t, "5", got["SKU-B"].OnOrder)
	require.EqualValues(t, 6, eventsSettle(6))

	// 6. What suppliers see.
	env.run(t, []scenario{
		{name: "supplier-a sees its two products at dealer-a", url: "/api/v1/stock", who: "supplier-a", status: http.StatusOK,
			fields: map[string]string{"items.#": "2", "items.0.supplier_sku": "S-A", "items.0.on_hand": "35", "items.1.supplier_sku": "S-B"},
			absent: []string{"T-C", "SKU-C"}},
		{name: "supplier-a gets 404 for dealer-b, which does not share", url: "/api/v1/stock?dealer=dealer-b", who: "supplier-a", status: http.StatusNotFound},
		{name: "supplier-b sees only SKU-C", url: "/api/v1/stock", who: "raw:" + supplierB, status: http.StatusOK,
			fields: map[string]string{"items.#": "1", "items.0.supplier_sku": "T-C"}, absent: []string{"S-A", "S-B"}},
		{name: "the runs are listed", url: "/api/v1/sync-runs?partner=dealer-a", who: "dealer-a", status: http.StatusOK,
			fields: map[string]string{"items.#": "5", "items.0.status": "succeeded", "items.0.trigger": "manual", "items.0.changed": "2"}},
	})
}

// withoutPriceFormat normalises unit prices ("6.8" vs "6.80") for the
// comparison.
func withoutPriceFormat(lines []trytontest.PurchaseLineRow) []trytontest.PurchaseLineRow {
	out := make([]trytontest.PurchaseLineRow, len(lines))
	for i, l := range lines {
		var f float64
		fmt.Sscan(l.UnitPrice, &f)
		l.UnitPrice = fmt.Sprintf("%.2f", f)
		out[i] = l
	}
	return out
}
