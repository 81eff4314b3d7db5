package odoo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/erp/odoo"
	"github.com/dealerhub/dealerhub/connectors/erp/odoo/odoofake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixture is a fake with two products (A in Units, B in kg) and stock at
// WH, and a client for it whose backoff starts at 10ms.
type fixture struct {
	srv  *odoofake.Server
	c    *odoo.Client
	a, b int
}

func setup(t *testing.T, mutate func(*odoo.Config)) fixture {
	t.Helper()
	srv := odoofake.New()
	t.Cleanup(srv.Close)
	f := fixture{srv: srv}
	f.a = srv.AddProduct(odoofake.Product{Code: "A", Name: "Alpha"})
	f.b = srv.AddProduct(odoofake.Product{Code: "B", Name: "Beta", UoM: "kg"})
	shelf := srv.AddLocation("WH/Stock", "Shelf 1", "internal")
	srv.AddQuant(odoofake.Quant{Product: f.a, Location: "WH/Stock", Quantity: "10", Reserved: "3"})
	srv.AddQuant(odoofake.Quant{Product: f.a, Location: shelf, Quantity: "2"})
	srv.AddQuant(odoofake.Quant{Product: f.b, Location: "WH/Stock", Quantity: "0.1"})
	srv.AddQuant(odoofake.Quant{Product: f.b, Location: shelf, Quantity: "0.2"})
	srv.AddQuant(odoofake.Quant{Product: f.a, Location: "Partners/Customers", Quantity: "99"}) // not internal
	cfg := srv.Config()
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := odoo.New(cfg, odoo.WithBackoff(10*time.Millisecond))
	require.NoError(t, err)
	f.c = c
	return f
}

func TestFakeReadStock(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	nocode := f.srv.AddProduct(odoofake.Product{Name: "No code"})
	f.srv.AddQuant(odoofake.Quant{Product: nocode, Location: "WH/Stock", Quantity: "5"})
	f.srv.AddMove(odoofake.Move{Product: f.a, Warehouse: "WH", Quantity: "4"})
	f.srv.AddMove(odoofake.Move{Product: f.a, Warehouse: "WH", Quantity: "1.5", State: "confirmed"})
	f.srv.AddMove(odoofake.Move{Product: f.a, Warehouse: "WH", Quantity: "100", State: "done"}) // received: on hand, not on order
	f.srv.AddSale(odoofake.Sale{Date: "2026-11-23", Warehouse: "WH", Product: f.a, Quantity: "1.1"})
	f.srv.AddSale(odoofake.Sale{Date: "2026-11-23 23:59:00", Warehouse: "WH", Product: f.a, Quantity: "2.2"})
	f.srv.AddSale(odoofake.Sale{Date: "2026-11-24", Warehouse: "WH", Product: f.b, Quantity: "0.5"})
	f.srv.AddSale(odoofake.Sale{Date: "2026-11-24", Warehouse: "WH", Product: f.b, Quantity: "9", State: "draft"})
	f.srv.AddSale(odoofake.Sale{Date: "2026-11-24", Warehouse: "WH", Product: f.b, Quantity: "9", State: "cancel"})
	f.srv.AddSale(odoofake.Sale{Date: "2026-11-20", Warehouse: "WH", Product: f.a, Quantity: "9"})
	f.srv.AddSale(odoofake.Sale{Date: "2026-11-25 00:00:00", Warehouse: "WH", Product: f.a, Quantity: "9"})
	snap, err := f.c.ReadStock(context.Background(), connectors.StockQuery{SalesFrom: "2026-11-23", SalesTo: "2026-11-24"})
	require.NoError(t, err)
	assert.Equal(t, "odoo", snap.Source)
	assert.Equal(t, []connectors.StockRow{
		{Location: "WH", Code: "A", Name: "Alpha", OnHand: "12", Available: "9", Reserved: "3", OnOrder: "5.5", Unit: "Units"},
		{Location: "WH", Code: "B", Name: "Beta", OnHand: "0.3", Available: "0.3", Reserved: "0", OnOrder: "0", Unit: "kg"}, // exact, not 0.30000000000000004
	}, snap.Levels)
	assert.Equal(t, []connectors.SalesRow{
		{Date: "2026-11-23", Location: "WH", Code: "A", Quantity: "3.3", Unit: "Units"},
		{Date: "2026-11-24", Location: "WH", Code: "B", Quantity: "0.5", Unit: "kg"},
	}, snap.Sales)
	assert.Equal(t, "2026-11-23", snap.SalesFrom)
	assert.Equal(t, 1, f.srv.CallCount("common.login"))
}

func TestFakeWarehouses(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	f.srv.AddWarehouse("EAST")
	f.srv.AddQuant(odoofake.Quant{Product: f.a, Location: "EAST/Stock", Quantity: "7"})
	f.srv.AddSale(odoofake.Sale{Date: "2026-11-24", Warehouse: "EAST", Product: f.a, Quantity: "1"})

	t.Run("all", func(t *testing.T) {
		snap, err := f.c.ReadStock(context.Background(), connectors.StockQuery{})
		require.NoError(t, err)
		require.Len(t, snap.Levels, 3)
		assert.Equal(t, connectors.StockRow{Location: "EAST", Code: "A", Name: "Alpha", OnHand: "7", Available: "7", Reserved: "0", OnOrder: "0", Unit: "Units"}, snap.Levels[0])
	})
	t.Run("configured", func(t *testing.T) {
		c, err := odoo.New(func() odoo.Config { cfg := f.srv.Config(); cfg.Warehouses = []string{"EAST"}; return cfg }())
		require.NoError(t, err)
		snap, err := c.ReadStock(context.Background(), connectors.StockQuery{SalesFrom: "2026-11-24", SalesTo: "2026-11-24"})
		require.NoError(t, err)
		require.Len(t, snap.Levels, 1)
		assert.Equal(t, "EAST", snap.Levels[0].Location)
		assert.Equal(t, []connectors.SalesRow{{Date: "2026-11-24", Location: "EAST", Code: "A", Quantity: "1", Unit: "Units"}}, snap.Sales)
	})
	t.Run("unknown code", func(t *testing.T) {
		c, err := odoo.New(func() odoo.Config { cfg := f.srv.Config(); cfg.Warehouses = []string{"WEST"}; return cfg }())
		require.NoError(t, err)
		_, err = c.ReadStock(context.Background(), connectors.StockQuery{})
		require.Error(t, err)
		assert.True(t, connectors.IsPermanent(err))
		assert.Contains(t, err.Error(), `no warehouse with code "WEST" (found: WH, EAST)`)
	})
}

func TestFakeReads10kQuantsInPages(t *testing.T) {
	t.Parallel()
	srv := odoofake.New()
	t.Cleanup(srv.Close)
	const n = 10_000
	for i := range n {
		id := srv.AddProduct(odoofake.Product{Code: fmt.Sprintf("SKU-%05d", i), Name: "Item"})
		srv.AddQuant(odoofake.Quant{Product: id, Location: "WH/Stock", Quantity: fmt.Sprint(i % 7), Reserved: fmt.Sprint(i % 2)})
	}
	c, err := odoo.New(srv.Config())
	require.NoError(t, err)
	began := time.Now()
	snap, err := c.ReadStock(context.Background(), connectors.StockQuery{})
	require.NoError(t, err)
	t.Logf("read %d quants from odoofake in %s", n, time.Since(began).Round(time.Millisecond))
	require.Len(t, snap.Levels, n)
	assert.Equal(t, connectors.StockRow{Location: "WH", Code: "SKU-09999", Name: "Item", OnHand: "3", Available: "2", Reserved: "1", OnOrder: "0", Unit: "Units"}, snap.Levels[n-1])
	assert.Equal(t, n/odoo.PageSize+1, srv.CallCount("stock.quant.search_read"), "ten full pages and the empty one that ends the read")
	assert.Equal(t, n/odoo.PageSize, srv.CallCount("product.product.search_read"))
}

func TestFakePushPurchase(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	acme := f.srv.AddPartner("Acme")
	po := connectors.PurchaseOrder{Reference: "doc-1", ExternalID: "PO-77", SupplierID: "acme", SupplierName: "Acme", OrderDate: "2026-11-24", Currency: "EUR", Location: "WH",
		Lines: []connectors.PurchaseLine{{LineNo: 1, Code: "A", Quantity: "10", UnitPrice: "2.50"}, {LineNo: 2, Code: "B", Quantity: "0.125", Description: "Beta bulk"}}}
	p, err := f.c.PushPurchase(context.Background(), po)
	require.NoError(t, err)
	assert.Equal(t, odoo.Purchase{ID: 1, Name: "P00001", State: "purchase", Reference: "doc-1", Created: true}, p)
	p, err = f.c.PushPurchase(context.Background(), po)
	require.NoError(t, err)
	assert.Equal(t, odoo.Purchase{ID: 1, Name: "P00001", State: "purchase", Reference: "doc-1", Created: false}, p)
	got := f.srv.PurchaseOrders()
	require.Len(t, got, 1, "the second push found the first order")
	assert.Equal(t, odoofake.PurchaseOrder{ID: 1, Name: "P00001", State: "purchase", Origin: "doc-1", PartnerRef: "PO-77", Partner: acme,
		DateOrder: "2026-11-24 00:00:00", Currency: 2, PickType: 1,
		Lines: []odoofake.PurchaseLine{
			{Code: "A", Name: "Alpha", Quantity: "10", PriceUnit: "2.50", UoM: "Units"},
			{Code: "B", Name: "Beta bulk", Quantity: "0.125", PriceUnit: "0.0", UoM: "kg"},
		}}, got[0])
	assert.Equal(t, 1, f.srv.CallCount("purchase.order.create"))
	assert.Equal(t, 1, f.srv.CallCount("purchase.order.button_confirm"))

	snap, err := f.c.ReadStock(context.Background(), connectors.StockQuery{})
	require.NoError(t, err)
	assert.Equal(t, "10", snap.Levels[0].OnOrder, "the confirmed order's receipt counts as on order")
	assert.Equal(t, "0.125", snap.Levels[1].OnOrder)
}

func TestFakePushPurchaseDataErrors(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	f.srv.AddPartner("Acme")
	f.srv.AddPartner("Twin")
	f.srv.AddPartner("Twin")
	base := connectors.PurchaseOrder{Reference: "doc-2", SupplierID: "acme", SupplierName: "Acme",
		Lines: []connectors.PurchaseLine{{LineNo: 1, Code: "A", Quantity: "1"}}}
	cases := []struct {
		name   string
		change func(*connectors.PurchaseOrder)
		want   []string
	}{
		{"unknown product codes", func(po *connectors.PurchaseOrder) {
			po.Lines = append(po.Lines, connectors.PurchaseLine{LineNo: 2, Code: "NOPE", Quantity: "1"}, connectors.PurchaseLine{LineNo: 3, Code: "GONE", Quantity: "1"})
		}, []string{`line 2: no odoo product has internal reference "NOPE"`, `line 3: no odoo product has internal reference "GONE"`}},
		{"bad quantity", func(po *connectors.PurchaseOrder) { po.Lines[0].Quantity = "1e999x" }, []string{`line 1 (code "A"): quantity "1e999x" is not a positive decimal`}},
		{"unknown supplier", func(po *connectors.PurchaseOrder) { po.SupplierName = "Nobody" }, []string{`supplier "Nobody": no odoo partner has this name`}},
		{"ambiguous supplier", func(po *connectors.PurchaseOrder) { po.SupplierName = "Twin" }, []string{`several odoo partners have this name; map supplier "acme"`}},
		{"unknown currency", func(po *connectors.PurchaseOrder) { po.Currency = "XXX" }, []string{`currency "XXX": not found in odoo`}},
		{"unknown location", func(po *connectors.PurchaseOrder) { po.Location = "WEST" }, []string{`location "WEST"`}},
		{"no reference", func(po *connectors.PurchaseOrder) { po.Reference = "" }, []string{"reference is empty"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			po := base
			po.Lines = append([]connectors.PurchaseLine(nil), base.Lines...)
			tc.change(&po)
			_, err := f.c.PushPurchase(context.Background(), po)
			require.Error(t, err)
			assert.True(t, connectors.IsPermanent(err), "%v", err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
	assert.Empty(t, f.srv.PurchaseOrders())
}

func TestFakePushPurchaseCreateReplyLost(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	f.srv.AddPartner("Acme")
	po := connectors.PurchaseOrder{Reference: "doc-3", SupplierName: "Acme", Lines: []connectors.PurchaseLine{{Code: "A", Quantity: "2"}}}
	// Odoo made the order but the proxy answered 504: the client looks the
	// order up again instead of creating a second one.
	f.srv.LoseReplyNext("purchase.order", "create", http.StatusGatewayTimeout)
	p, err := f.c.PushPurchase(context.Background(), po)
	require.NoError(t, err)
	assert.Equal(t, odoo.Purchase{ID: 1, Name: "P00001", State: "purchase", Reference: "doc-3"}, p, "found, not created by this call's create")
	assert.Len(t, f.srv.PurchaseOrders(), 1)
	assert.Equal(t, 1, f.srv.CallCount("purchase.order.create"))
	assert.Equal(t, 3, f.srv.CallCount("purchase.order.search_read"), "looked up before the create, again after it, then read back")
}

func TestFakePushPurchaseResumesDraft(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	f.srv.AddPartner("Acme")
	po := connectors.PurchaseOrder{Reference: "doc-3", SupplierName: "Acme", Lines: []connectors.PurchaseLine{{Code: "A", Quantity: "2"}}}
	f.srv.ErrorNext("purchase.order", "button_confirm", "UserError", "Some products are not purchasable")
	_, err := f.c.PushPurchase(context.Background(), po)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "UserError: Some products are not purchasable")
	require.Len(t, f.srv.PurchaseOrders(), 1)
	assert.Equal(t, "draft", f.srv.PurchaseOrders()[0].State, "created, confirmation refused")
	p, err := f.c.PushPurchase(context.Background(), po)
	require.NoError(t, err, "a second push confirms the draft it finds")
	assert.Equal(t, odoo.Purchase{ID: 1, Name: "P00001", State: "purchase", Reference: "doc-3"}, p)
	assert.Equal(t, 1, f.srv.CallCount("purchase.order.create"))
}

func TestFakeRPCErrors(t *testing.T) {
	t.Parallel()
	cases := []struct{ exception, message, short string }{
		{"odoo.exceptions.AccessError", "You are not allowed to access 'Product' (product.product) records.", "AccessError"},
		{"ValidationError", "The quantity must be positive.", "ValidationError"},
		{"UserError", "You cannot do that.", "UserError"},
		{"MissingError", "Record does not exist or has been deleted.", "MissingError"},
	}
	for _, tc := range cases {
		t.Run(tc.short, func(t *testing.T) {
			t.Parallel()
			f := setup(t, nil)
			f.srv.ErrorNext("product.product", "search_read", tc.exception, tc.message)
			_, err := f.c.ReadStock(context.Background(), connectors.StockQuery{})
			var rpc *odoo.RPCError
			require.ErrorAs(t, err, &rpc)
			assert.Equal(t, odoo.RPCError{Call: "product.product.search_read", Code: 200, Name: "odoo.exceptions." + tc.short, Message: tc.message}, *rpc)
			assert.Contains(t, err.Error(), tc.short+": "+tc.message)
			assert.NotContains(t, err.Error(), "Traceback")
			assert.True(t, connectors.IsPermanent(err))
			assert.Equal(t, 1, f.srv.CallCount("product.product.search_read"), "not retried")
		})
	}
}

func TestFakeSessions(t *testing.T) {
	t.Parallel()
	t.Run("expired once: one re-login", func(t *testing.T) {
		t.Parallel()
		f := setup(t, nil)
		_, err := f.c.ReadStock(context.Background(), connectors.StockQuery{})
		require.NoError(t, err)
		f.srv.ExpireSession()
		snap, err := f.c.ReadStock(context.Background(), connectors.StockQuery{})
		require.NoError(t, err)
		assert.Len(t, snap.Levels, 2)
		assert.Equal(t, 2, f.srv.CallCount("common.login"))
	})
	t.Run("expired twice: permanent", func(t *testing.T) {
		t.Parallel()
		f := setup(t, nil)
		f.srv.ExpireSession()
		f.srv.ExpireSession()
		_, err := f.c.ReadStock(context.Background(), connectors.StockQuery{})
		require.Error(t, err)
		assert.True(t, connectors.IsPermanent(err))
		assert.Contains(t, err.Error(), `odoo refused the session of user "hub@dealer.example" on database "fake" twice`)
		assert.Contains(t, err.Error(), "SessionExpiredException: Session expired")
		assert.Equal(t, 2, f.srv.CallCount("common.login"))
	})
	t.Run("revoked key: AccessDenied, re-login refused", func(t *testing.T) {
		t.Parallel()
		f := setup(t, nil)
		_, err := f.c.ReadStock(context.Background(), connectors.StockQuery{})
		require.NoError(t, err)
		f.srv.RevokeKey("new-key")
		_, err = f.c.ReadStock(context.Background(), connectors.StockQuery{})
		require.Error(t, err)
		assert.True(t, connectors.IsPermanent(err))
		assert.Contains(t, err.Error(), `odoo refused the login of user "hub@dealer.example" to database "fake"`)
		assert.Equal(t, 2, f.srv.CallCount("common.login"))
	})
	t.Run("bad credentials: permanent, names login and database, not the key", func(t *testing.T) {
		t.Parallel()
		f := setup(t, func(cfg *odoo.Config) { cfg.Password = "hunter2" })
		_, err := f.c.ReadStock(context.Background(), connectors.StockQuery{})
		require.Error(t, err)
		assert.True(t, connectors.IsPermanent(err))
		assert.Contains(t, err.Error(), `user "hub@dealer.example" to database "fake"`)
		assert.NotContains(t, err.Error(), "hunter2")
		assert.Equal(t, 1, f.srv.CallCount("common.login"), "a refused login is not retried")
	})
}

func TestFakeRetries(t *testing.T) {
	t.Parallel()
	t.Run("500 then success", func(t *testing.T) {
		t.Parallel()
		f := setup(t, nil)
		f.srv.FailNext(2, http.StatusInternalServerError)
		began := time.Now()
		snap, err := f.c.ReadStock(context.Background(), connectors.StockQuery{})
		require.NoError(t, err)
		assert.Len(t, snap.Levels, 2)
		assert.GreaterOrEqual(t, time.Since(began), 30*time.Millisecond, "10ms then 20ms of backoff")
		assert.Equal(t, 3, f.srv.CallCount("common.login"), "two failed attempts and the one that worked")
	})
	t.Run("429 Retry-After honoured", func(t *testing.T) {
		t.Parallel()
		f := setup(t, nil)
		f.srv.SetRetryAfter(1)
		f.srv.FailNext(1, http.StatusTooManyRequests)
		began := time.Now()
		_, err := f.c.ReadStock(context.Background(), connectors.StockQuery{})
		require.NoError(t, err)
		assert.GreaterOrEqual(t, time.Since(began), time.Second, "Retry-After: 1 outweighs the 10ms backoff")
	})
	t.Run("gives up naming attempts and cause, with Retry-After", func(t *testing.T) {
		t.Parallel()
		f := setup(t, func(cfg *odoo.Config) { cfg.Retries = -1 })
		f.srv.SetRetryAfter(7)
		f.srv.FailNext(1, http.StatusServiceUnavailable)
		_, err := f.c.ReadStock(context.Background(), connectors.StockQuery{})
		require.Error(t, err)
		assert.False(t, connectors.IsPermanent(err), "a busy server is worth trying later")
		assert.Contains(t, err.Error(), "giving up after 1 attempts: HTTP 503 Service Unavailable")
		d, ok := connectors.RetryDelay(err)
		assert.True(t, ok)
		assert.Equal(t, 7*time.Second, d)
	})
	t.Run("connection refused is transient", func(t *testing.T) {
		t.Parallel()
		srv := odoofake.New()
		cfg := srv.Config()
		srv.Close()
		cfg.Retries = 1
		c, err := odoo.New(cfg, odoo.WithBackoff(time.Millisecond))
		require.NoError(t, err)
		_, err = c.ReadStock(context.Background(), connectors.StockQuery{})
		require.Error(t, err)
		assert.False(t, connectors.IsPermanent(err))
		assert.Contains(t, err.Error(), "giving up after 2 attempts")
	})
}

func TestSink(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	f.srv.AddPartner("Acme")
	cfg := f.srv.Config()
	sink := odoo.NewSink(func(receiver string) (odoo.Config, bool) { return cfg, receiver == "dealer-1" }, odoo.WithBackoff(time.Millisecond))
	body, err := json.Marshal(connectors.PurchaseOrder{Reference: "doc-9", SupplierName: "Acme",
		Lines: []connectors.PurchaseLine{{Code: "B", Quantity: "1.5", UnitPrice: "4"}}})
	require.NoError(t, err)
	ctx := context.Background()

	require.NoError(t, sink.Deliver(ctx, connectors.Outbound{DeliveryID: "d1", Receiver: "dealer-1", Body: body}))
	require.NoError(t, sink.Deliver(ctx, connectors.Outbound{DeliveryID: "d2", Receiver: "dealer-1", Body: body}))
	assert.Len(t, f.srv.PurchaseOrders(), 1, "the second delivery found the first order")
	assert.Equal(t, 1, f.srv.CallCount("common.login"), "one cached client")

	err = sink.Deliver(ctx, connectors.Outbound{DeliveryID: "d3", Receiver: "dealer-1", Body: []byte("{")})
	assert.True(t, connectors.IsPermanent(err), "bad JSON: %v", err)
	err = sink.Deliver(ctx, connectors.Outbound{DeliveryID: "d4", Receiver: "other", Body: body})
	assert.True(t, connectors.IsPermanent(err))
	assert.Contains(t, err.Error(), `receiver "other" has no odoo`)

	f.srv.ErrorNext("purchase.order", "search_read", "AccessError", "You are not allowed to access 'Purchase Order' (purchase.order) records.")
	err = sink.Deliver(ctx, connectors.Outbound{DeliveryID: "d5", Receiver: "dealer-1", Body: body})
	assert.True(t, connectors.IsPermanent(err))
	assert.Contains(t, err.Error(), "AccessError: You are not allowed to access 'Purchase Order'")

	f.srv.SetRetryAfter(0)
	f.srv.FailNext(100, http.StatusBadGateway)
	err = sink.Deliver(ctx, connectors.Outbound{DeliveryID: "d6", Receiver: "dealer-1", Body: body})
	require.Error(t, err)
	assert.False(t, connectors.IsPermanent(err), "a gateway error is retried later: %v", err)
}

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	_, err := odoo.New(odoo.Config{})
	require.Error(t, err)
	for _, field := range []string{"url: required", "database: required", "user: required", "password: required"} {
		assert.Contains(t, err.Error(), field)
	}
	_, err = odoo.New(odoo.Config{URL: "ftp://x", Database: "d", User: "u", Password: "p", Warehouses: []string{"", "WH", "WH"}, Parties: map[string]int{"acme": 0}})
	assert.ErrorContains(t, err, `url: "ftp://x" is not an http(s) URL`)
	assert.ErrorContains(t, err, "warehouses[0]: empty code")
	assert.ErrorContains(t, err, `warehouses[2]: "WH" is listed twice`)
	assert.ErrorContains(t, err, `parties["acme"]: 0 is not an Odoo partner id`)
	_, err = odoo.New(odoo.Config{URL: "http://x/jsonrpc", Database: "d", User: "u", Password: "p"})
	assert.ErrorContains(t, err, "without /jsonrpc")
}
