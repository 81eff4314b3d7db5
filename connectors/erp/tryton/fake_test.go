package tryton_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/erp/tryton"
	"github.com/dealerhub/dealerhub/connectors/erp/tryton/trytonfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClient returns a fake with two products and a client for it whose
// backoff starts at 10ms.
func fakeClient(t *testing.T, mutate func(*tryton.Config)) (*trytonfake.Server, *tryton.Client) {
	t.Helper()
	srv := trytonfake.New()
	t.Cleanup(srv.Close)
	srv.SetProducts(trytonfake.Product{Code: "A", Name: "Alpha"}, trytonfake.Product{Code: "B", Name: "Beta", Unit: "kg"})
	srv.SetQuantity("A", "WH", 12)
	srv.SetQuantity("B", "WH", 0.25)
	cfg := srv.Config()
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := tryton.New(cfg, tryton.WithBackoff(10*time.Millisecond))
	require.NoError(t, err)
	return srv, c
}

func TestFakeReadStock(t *testing.T) {
	t.Parallel()
	srv, c := fakeClient(t, nil)
	srv.AddSale(trytonfake.Sale{Date: "2026-11-23", Warehouse: "WH", Code: "A", Quantity: 1.1})
	srv.AddSale(trytonfake.Sale{Date: "2026-11-23", Warehouse: "WH", Code: "A", Quantity: 2.2})
	srv.AddSale(trytonfake.Sale{Date: "2026-11-24", Warehouse: "WH", Code: "B", Quantity: 0.5})
	srv.AddSale(trytonfake.Sale{Date: "2026-11-24", Warehouse: "WH", Code: "B", Quantity: 9, State: "draft"})
	srv.AddSale(trytonfake.Sale{Date: "2026-11-20", Warehouse: "WH", Code: "A", Quantity: 9})
	snap, err := c.ReadStock(context.Background(), connectors.StockQuery{SalesFrom: "2026-11-23", SalesTo: "2026-11-24"})
	require.NoError(t, err)
	assert.Equal(t, []connectors.StockRow{
		{Location: "WH", Code: "A", Name: "Alpha", OnHand: "12", Available: "12", OnOrder: "0", Unit: "u"},
		{Location: "WH", Code: "B", Name: "Beta", OnHand: "0.25", Available: "0.25", OnOrder: "0", Unit: "kg"},
	}, snap.Levels)
	assert.Equal(t, []connectors.SalesRow{
		{Date: "2026-11-23", Location: "WH", Code: "A", Quantity: "3.3", Unit: "u"}, // exact, not 3.3000000000000003
		{Date: "2026-11-24", Location: "WH", Code: "B", Quantity: "0.5", Unit: "kg"},
	}, snap.Sales)
}

func TestFakeRetriesServerErrorsWithBackoff(t *testing.T) {
	t.Parallel()
	srv, c := fakeClient(t, nil)
	srv.FailNext(2, http.StatusInternalServerError)
	began := time.Now()
	snap, err := c.ReadStock(context.Background(), connectors.StockQuery{})
	require.NoError(t, err)
	assert.Len(t, snap.Levels, 2)
	assert.GreaterOrEqual(t, time.Since(began), 30*time.Millisecond, "10ms then 20ms of backoff")
	assert.Equal(t, 3, srv.CallCount("common.db.login"), "two failed attempts and the one that worked")
}

func TestFakeHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	srv, c := fakeClient(t, nil)
	srv.SetRetryAfter(1)
	srv.FailNext(1, http.StatusTooManyRequests)
	began := time.Now()
	_, err := c.ReadStock(context.Background(), connectors.StockQuery{})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(began), time.Second, "Retry-After: 1 outweighs the 10ms backoff")
}

func TestFakeGivesUpNamingAttemptsAndCause(t *testing.T) {
	t.Parallel()
	srv, c := fakeClient(t, func(cfg *tryton.Config) { cfg.Retries = 2 })
	srv.SetRetryAfter(0)
	srv.FailNext(100, http.StatusServiceUnavailable)
	_, err := c.ReadStock(context.Background(), connectors.StockQuery{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "giving up after 3 attempts: HTTP 503 Service Unavailable")
	assert.False(t, connectors.IsPermanent(err), "a busy server is worth trying later")
	assert.Len(t, srv.Calls(), 3)
}

func TestFakeRetryAfterSurvivesGivingUp(t *testing.T) {
	t.Parallel()
	srv, c := fakeClient(t, func(cfg *tryton.Config) { cfg.Retries = -1 })
	srv.SetRetryAfter(7)
	srv.FailNext(1, http.StatusTooManyRequests)
	_, err := c.ReadStock(context.Background(), connectors.StockQuery{})
	require.Error(t, err)
	d, ok := connectors.RetryDelay(err)
	assert.True(t, ok)
	assert.Equal(t, 7*time.Second, d)
	assert.Contains(t, err.Error(), "giving up after 1 attempts")
}

func TestFakeRPCErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, class, message string
		wantClass, wantMsg   string
		retried              bool
	}{
		{"user error", "UserError", `A value is required for field "Default UOM".`, "UserError", `A value is required for field "Default UOM".`, false},
		{"server exception", "", "'no_such_field'", "", "'no_such_field'", false},
		{"concurrency is retried", "ConcurrencyException", "Records were modified in the meanwhile", "", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := fakeClient(t, nil)
			srv.ErrorNext("model.product.product.search", tc.class, tc.message)
			snap, err := c.ReadStock(context.Background(), connectors.StockQuery{})
			if tc.retried {
				require.NoError(t, err)
				assert.Len(t, snap.Levels, 2)
				assert.Equal(t, 2, srv.CallCount("model.product.product.search"))
				return
			}
			var rpc *tryton.RPCError
			require.ErrorAs(t, err, &rpc)
			assert.Equal(t, tryton.RPCError{Method: "model.product.product.search", Class: tc.wantClass, Message: tc.wantMsg}, *rpc)
			assert.Contains(t, err.Error(), tc.wantMsg)
			assert.True(t, connectors.IsPermanent(err))
			assert.Equal(t, 1, srv.CallCount("model.product.product.search"))
		})
	}
}

func TestFakeSessions(t *testing.T) {
	t.Parallel()
	t.Run("expired session: one re-login", func(t *testing.T) {
		t.Parallel()
		srv, c := fakeClient(t, nil)
		_, err := c.ReadStock(context.Background(), connectors.StockQuery{})
		require.NoError(t, err)
		srv.ExpireSession()
		_, err = c.ReadStock(context.Background(), connectors.StockQuery{})
		require.NoError(t, err)
		assert.Equal(t, 2, srv.CallCount("common.db.login"))
	})
	t.Run("401 twice: permanent", func(t *testing.T) {
		t.Parallel()
		srv, c := fakeClient(t, nil)
		_, err := c.ReadStock(context.Background(), connectors.StockQuery{}) // logged in
		require.NoError(t, err)
		srv.FailNext(2, http.StatusUnauthorized) // the call, then the call after the re-login
		_, err = c.ReadStock(context.Background(), connectors.StockQuery{})
		require.Error(t, err)
		assert.True(t, connectors.IsPermanent(err))
		assert.Contains(t, err.Error(), `tryton rejected the session for user "admin" twice`)
	})
	t.Run("wrong password: permanent, names user and database", func(t *testing.T) {
		t.Parallel()
		srv, c := fakeClient(t, func(cfg *tryton.Config) { cfg.Password = "hunter2" })
		_, err := c.ReadStock(context.Background(), connectors.StockQuery{})
		require.Error(t, err)
		assert.True(t, connectors.IsPermanent(err))
		assert.Contains(t, err.Error(), `user "admin" to database "fake"`)
		assert.NotContains(t, err.Error(), "hunter2")
		assert.Equal(t, 1, srv.CallCount("common.db.login"), "a refused login is not retried")
	})
}

func TestFakeReads100kProductsInPages(t *testing.T) {
	t.Parallel()
	srv := trytonfake.New()
	t.Cleanup(srv.Close)
	const n = 100_000
	products := make([]trytonfake.Product, n)
	for i := range products {
		products[i] = trytonfake.Product{Code: fmt.Sprintf("SKU-%06d", i), Name: "Item"}
	}
	products[500].Code = "" // no code: skipped
	srv.SetProducts(products...)
	srv.SetQuantity("SKU-099999", "WH", 7)
	c, err := tryton.New(srv.Config())
	require.NoError(t, err)
	began := time.Now()
	snap, err := c.ReadStock(context.Background(), connectors.StockQuery{})
	require.NoError(t, err)
	t.Logf("read %d products from trytonfake in %s", n, time.Since(began).Round(time.Millisecond))
	require.Len(t, snap.Levels, n-1)
	assert.Equal(t, connectors.StockRow{Location: "WH", Code: "SKU-099999", Name: "Item", OnHand: "7", Available: "7", OnOrder: "0", Unit: "u"}, snap.Levels[n-2])
	assert.Equal(t, n/tryton.PageSize, srv.CallCount("model.product.product.read"))
	assert.Equal(t, 1, srv.CallCount("model.product.product.search"))
}

func TestFakePushPurchase(t *testing.T) {
	t.Parallel()
	srv, c := fakeClient(t, nil)
	supplier := srv.AddParty("Acme", true)
	srv.AddParty("No Address Inc", false)
	po := connectors.PurchaseOrder{Reference: "doc-1", SupplierID: "acme", SupplierName: "Acme", OrderDate: "2026-11-24",
		Lines: []connectors.PurchaseLine{{LineNo: 1, Code: "A", Quantity: "10", UnitPrice: "2.50"}}}
	p, err := c.PushPurchase(context.Background(), po)
	require.NoError(t, err)
	assert.Equal(t, tryton.Purchase{ID: 1, Number: "1", State: "processing", Reference: "doc-1", Created: true}, p)
	p, err = c.PushPurchase(context.Background(), po)
	require.NoError(t, err)
	assert.False(t, p.Created)
	got := srv.Purchases()
	require.Len(t, got, 1)
	assert.Equal(t, trytonfake.Purchase{ID: 1, Number: "1", State: "processing", Reference: "doc-1", Party: supplier, Warehouse: 5, Date: "2026-11-24",
		Lines: []trytonfake.PurchaseLine{{Code: "A", Quantity: 10, UnitPrice: "2.50"}}}, got[0])
	snap, err := c.ReadStock(context.Background(), connectors.StockQuery{})
	require.NoError(t, err)
	assert.Equal(t, "10", snap.Levels[0].OnOrder)

	noAddr := po
	noAddr.Reference, noAddr.SupplierName = "doc-2", "No Address Inc"
	_, err = c.PushPurchase(context.Background(), noAddr)
	require.Error(t, err)
	assert.True(t, connectors.IsPermanent(err))
	assert.Contains(t, err.Error(), `supplier "No Address Inc"`)
	assert.Contains(t, err.Error(), "has no address")
}

func TestSink(t *testing.T) {
	t.Parallel()
	srv, _ := fakeClient(t, nil)
	srv.AddParty("Acme", true)
	cfg := srv.Config()
	sink := tryton.NewSink(func(receiver string) (tryton.Config, bool) { return cfg, receiver == "dealer-1" }, tryton.WithBackoff(time.Millisecond))
	body, err := json.Marshal(connectors.PurchaseOrder{Reference: "doc-9", SupplierName: "Acme",
		Lines: []connectors.PurchaseLine{{Code: "B", Quantity: "1.5", UnitPrice: "4"}}})
	require.NoError(t, err)
	ctx := context.Background()

	require.NoError(t, sink.Deliver(ctx, connectors.Outbound{DeliveryID: "d1", Receiver: "dealer-1", Body: body}))
	require.NoError(t, sink.Deliver(ctx, connectors.Outbound{DeliveryID: "d2", Receiver: "dealer-1", Body: body}))
	assert.Len(t, srv.Purchases(), 1, "the second delivery found the first purchase")
	assert.Equal(t, 1, srv.CallCount("common.db.login"), "one cached client")

	err = sink.Deliver(ctx, connectors.Outbound{DeliveryID: "d3", Receiver: "dealer-1", Body: []byte("{")})
	assert.True(t, connectors.IsPermanent(err), "bad JSON: %v", err)
	err = sink.Deliver(ctx, connectors.Outbound{DeliveryID: "d4", Receiver: "other", Body: body})
	assert.True(t, connectors.IsPermanent(err))
	assert.Contains(t, err.Error(), `receiver "other" has no tryton`)

	srv.ErrorNext("model.purchase.purchase.search_read", "AccessError", "You are not allowed to read purchases")
	err = sink.Deliver(ctx, connectors.Outbound{DeliveryID: "d5", Receiver: "dealer-1", Body: body})
	assert.True(t, connectors.IsPermanent(err))
	assert.Contains(t, err.Error(), "You are not allowed to read purchases")

	srv.SetRetryAfter(0)
	srv.FailNext(100, http.StatusBadGateway)
	err = sink.Deliver(ctx, connectors.Outbound{DeliveryID: "d6", Receiver: "dealer-1", Body: body})
	require.Error(t, err)
	assert.False(t, connectors.IsPermanent(err), "a gateway error is retried later: %v", err)
}

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	_, err := tryton.New(tryton.Config{})
	require.Error(t, err)
	for _, field := range []string{"url: required", "database: required", "user: required"} {
		assert.Contains(t, err.Error(), field)
	}
	_, err = tryton.New(tryton.Config{URL: "ftp://x", Database: "d", User: "u", Warehouses: []string{""}})
	assert.ErrorContains(t, err, `url: "ftp://x" is not an http(s) URL`)
	assert.ErrorContains(t, err, "warehouses[0]: empty code")
}
