package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
)

// fakeERP is a StockReader over rows the test sets.
type fakeERP struct {
	mu     sync.Mutex
	levels []connectors.StockRow
	sales  []connectors.SalesRow
	err    error
	asOf   time.Time
	query  connectors.StockQuery
}

func (f *fakeERP) ReadStock(_ context.Context, q connectors.StockQuery) (connectors.StockSnapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.query = q
	if f.err != nil {
		return connectors.StockSnapshot{}, f.err
	}
	// Each read is a new moment, so each snapshot is a new message.
	f.asOf = f.asOf.Add(time.Minute)
	return connectors.StockSnapshot{Source: "fake", AsOf: f.asOf, Levels: append([]connectors.StockRow(nil), f.levels...),
		SalesFrom: q.SalesFrom, SalesTo: q.SalesTo, Sales: append([]connectors.SalesRow(nil), f.sales...)}, nil
}

func (f *fakeERP) set(code, onHand string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.levels {
		if f.levels[i].Code == code {
			f.levels[i].OnHand, f.levels[i].Available = onHand, onHand
		}
	}
}

// eventCounter counts the stock_level events of a dealer.
func eventCounter(t *testing.T, env *hubtest.Env, dealer string) *atomic.Int64 {
	var n atomic.Int64
	ctx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	go env.Bus.WatchEvents(ctx, env.Bus.EventSubject("stock_level", dealer), func(*bus.Msg) { n.Add(1) })
	return &n
}

// settle waits until n reaches want, then a quiet moment, and returns the
// count: events go out through the outbox after the commit.
func settle(t *testing.T, n *atomic.Int64, want int64) int64 {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for n.Load() < want && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(700 * time.Millisecond) // an extra event would show up by now
	return n.Load()
}

func TestStockSyncStoresOnlyChangesAndAlertsOnce(t *testing.T) {
	eachStore(t, func(t *testing.T, pg bool) {
		env := hubtest.New(t, hubtest.Options{Postgres: pg})
		ctx := context.Background()
		dealer := env.Principal("dealer-a")
		_, err := env.Hub.PutCrossRefs(ctx, dealer, "", []store.CrossRef{
			{Code: "D-1", Supplier: "supplier-a", SupplierSKU: "S-1"},
			{Code: "D-2", Supplier: "supplier-a", SupplierSKU: "S-2"},
			{Code: "D-3", Supplier: "supplier-a", SupplierSKU: "S-3"},
			{Code: "D-8", Supplier: "supplier-a", SupplierSKU: "S-8"},
			{Code: "D-9", Supplier: "supplier-a", SupplierSKU: "S-9"},
		})
		require.NoError(t, err)
		today := time.Now().UTC()
		erp := &fakeERP{asOf: today.Add(-time.Hour), levels: []connectors.StockRow{
			{Location: "WH", Code: "D-1", Name: "Widget", OnHand: "40", Available: "40", OnOrder: "0", Unit: "u"},
			{Location: "WH", Code: "D-2", OnHand: "15", Unit: "pcs"},
			{Location: "WH", Code: "D-3", OnHand: "3", Unit: "个"},
			{Location: "WH", Code: "NOREF", OnHand: "1", Unit: "u"},
			{Location: "WH", Code: "D-9", OnHand: "-2", Unit: "u"},
			{Location: "WH", Code: "D-8", OnHand: "abc", Unit: "u"},
		}, sales: []connectors.SalesRow{
			{Date: today.Format(time.DateOnly), Location: "WH", Code: "D-3", Quantity: "4", Unit: "u"},
			{Date: today.AddDate(0, 0, -29).Format(time.DateOnly), Location: "WH", Code: "D-3", Quantity: "2", Unit: "u"},
		}}
		events := eventCounter(t, env, "dealer-a")
		sync := func() hub.StockSyncOutcome {
			out, err := hub.SyncStock(ctx, env.Store, env.Bus, hub.StockSyncRequest{Dealer: "dealer-a", Source: "fake", Reader: erp, SalesDays: 30, Wait: 30 * time.Second})
			require.NoError(t, err)
			return out
		}

		first := sync()
		require.Equal(t, 8, first.Read)
		require.Equal(t, 3+2, first.Changed, "three levels and two sales days")
		require.Equal(t, today.AddDate(0, 0, -29).Format(time.DateOnly), erp.query.SalesFrom)
		require.Equal(t, 3, first.Rejected, "%v", first.Errors)
		reasons := map[string]string{}
		for _, e := range first.Errors {
			reasons[e.Pointer] = e.Reason
		}
		require.Contains(t, reasons["/levels/3/code"], `item code "NOREF" has no cross-reference`)
		require.Contains(t, reasons["/levels/4/on_hand"], "negative")
		require.Contains(t, reasons["/levels/5/on_hand"], `"abc" is not a number`)
		require.EqualValues(t, 3, settle(t, events, 3))

		levels, _, err := env.Hub.ListStock(ctx, dealer, store.StockFilter{})
		require.NoError(t, err)
		require.Len(t, levels, 3)
		got := map[string]store.StockLevel{}
		for _, l := range levels {
			got[l.SKU] = l
		}
		require.Equal(t, "40", got["D-1"].OnHand)
		require.Equal(t, "EA", got["D-1"].Unit)
		require.Equal(t, "S-2", got["D-2"].SupplierSKU)
		require.NotNil(t, got["D-3"].Sold30d)
		require.Equal(t, "6", *got["D-3"].Sold30d)

		// Unchanged: no new version, no event.
		again := sync()
		require.Equal(t, 0, again.Changed)
		require.EqualValues(t, 3, settle(t, events, 3))

		// One product changes: one event.
		erp.set("D-1", "39")
		one := sync()
		require.Equal(t, 1, one.Changed)
		require.EqualValues(t, 4, settle(t, events, 4))

		// A policy on D-3: available 3 + on order 0 < reorder point 5.
		// Sold 6 over 30 days = 0.2 a day; 20 days' cover: ceil(4) - 3 = 1,
		// raised to the pack of 6.
		raised, err := env.Hub.PutStockPolicies(ctx, dealer, "", []store.StockPolicy{
			{Location: "WH", SKU: "D-3", SafetyStock: "2", ReorderPoint: "5", CoverDays: 20, PackSize: "6"},
		})
		require.NoError(t, err)
		require.Len(t, raised, 1)
		var data struct {
			Suggested string `json:"suggested_quantity"`
			Basis     string `json:"basis"`
		}
		require.NoError(t, json.Unmarshal(raised[0].Data, &data))
		require.Equal(t, "6", data.Suggested)
		require.Equal(t, "cover_days", data.Basis)

		// Still low after a change of on hand (3 → 2): no second alert.
		erp.set("D-3", "2")
		sync()
		open, _, err := env.Hub.ListNotifications(ctx, dealer, store.NotificationFilter{Type: store.NotificationLowStock, Open: true})
		require.NoError(t, err)
		require.Len(t, open, 1)
		// Recovered: resolved.
		erp.set("D-3", "30")
		sync()
		open, _, err = env.Hub.ListNotifications(ctx, dealer, store.NotificationFilter{Type: store.NotificationLowStock, Open: true})
		require.NoError(t, err)
		require.Empty(t, open)
	})
}

func TestStockSyncReportsTheERPError(t *testing.T) {
	env := hubtest.New(t)
	erp := &fakeERP{err: connectors.Permanent(errFake("tryton: UserError: the warehouse is closed"))}
	_, err := hub.SyncStock(context.Background(), env.Store, env.Bus, hub.StockSyncRequest{Dealer: "dealer-a", Source: "fake", Reader: erp})
	require.ErrorContains(t, err, "the warehouse is closed")
	msgs, _, err2 := env.Store.ListMessages(context.Background(), store.OperatorScope(), store.MessageFilter{Partner: "dealer-a"})
	require.NoError(t, err2)
	require.Empty(t, msgs, "nothing is stored when the ERP read fails")
}

type errFake string

func (e errFake) Error() string { return string(e) }

// TestStockSyncCapsRejectedRows: a snapshot with more bad rows than the
// message keeps lists the first ones, and its summary counts the rest and
// points at the stored snapshot; the run's rejected count is exact.
func TestStockSyncCapsRejectedRows(t *testing.T) {
	env := hubtest.New(t)
	ctx := context.Background()
	_, err := env.Hub.PutCrossRefs(ctx, env.Principal("dealer-a"), "", []store.CrossRef{{Code: "OK-1", Supplier: "supplier-a", SupplierSKU: "S-1"}})
	require.NoError(t, err)
	erp := &fakeERP{asOf: time.Now().Add(-time.Hour), levels: []connectors.StockRow{{Location: "WH", Code: "OK-1", OnHand: "1", Unit: "EA"}}}
	bad := hub.MaxStoredErrors + 250
	for i := range bad {
		erp.levels = append(erp.levels, connectors.StockRow{Location: "WH", Code: fmt.Sprintf("NOREF-%d", i), OnHand: "1", Unit: "EA"})
	}
	out, err := hub.SyncStock(ctx, env.Store, env.Bus, hub.StockSyncRequest{Dealer: "dealer-a", Source: "fake", Reader: erp, Wait: 30 * time.Second})
	require.NoError(t, err)
	require.Equal(t, 1, out.Changed)
	require.Equal(t, bad, out.Rejected)
	require.Len(t, out.Errors, hub.MaxStoredErrors+1)
	last := out.Errors[hub.MaxStoredErrors]
	require.Equal(t, "more", last.Code)
	require.Equal(t, fmt.Sprintf("and 250 more error(s) not listed here; the snapshot as read is GET /api/v1/messages/%s/body", out.MessageID), last.Reason)
}

// TestStockSyncDeliversOnlyOverExplicitRoutes: a synced level goes to its
// supplier only when the supplier routes stock_level over a channel other
// than its inbox (and the dealer shares stock with it).
func TestStockSyncDeliversOnlyOverExplicitRoutes(t *testing.T) {
	cfg := &config.Config{Partners: []config.Partner{{ID: "supplier-a", Name: "Supplier A", Roles: []string{"supplier"}, Routes: []config.Route{
		{Doctype: "stock_level", Channel: "webhook", Format: "json", Webhook: &config.Webhook{URL: "http://127.0.0.1:1/stock"}},
	}}}}
	for _, tc := range []struct {
		name  string
		cfg   *config.Config
		wants int
	}{{"webhook route", cfg, 1}, {"inbox by default", nil, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			env := hubtest.New(t, hubtest.Options{Config: tc.cfg})
			ctx := context.Background()
			_, err := env.Hub.PutCrossRefs(ctx, env.Principal("dealer-a"), "", []store.CrossRef{
				{Code: "A", Supplier: "supplier-a", SupplierSKU: "S-A"}, {Code: "B", Supplier: "supplier-a", SupplierSKU: "S-B"}})
			require.NoError(t, err)
			erp := &fakeERP{asOf: time.Now().Add(-time.Hour), levels: []connectors.StockRow{
				{Location: "WH", Code: "A", OnHand: "1", Unit: "EA"}, {Location: "WH", Code: "B", OnHand: "2", Unit: "EA"}}}
			out, err := hub.SyncStock(ctx, env.Store, env.Bus, hub.StockSyncRequest{Dealer: "dealer-a", Source: "fake", Reader: erp, Wait: 30 * time.Second})
			require.NoError(t, err)
			require.Equal(t, 2, out.Changed)
			ds, _, err := env.Store.ListDeliveries(ctx, store.OperatorScope(), store.DeliveryFilter{MessageID: out.MessageID})
			require.NoError(t, err)
			require.Len(t, ds, 2*tc.wants)
			for _, d := range ds {
				require.Equal(t, "supplier-a", d.Receiver)
				require.Equal(t, "webhook", d.Channel)
			}
		})
	}
}
