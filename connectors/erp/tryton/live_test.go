package tryton_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/erp/tryton"
	"github.com/dealerhub/dealerhub/connectors/erp/tryton/trytontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loginCounter counts common.db.login requests going through it.
type loginCounter struct{ logins atomic.Int32 }

func (l *loginCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	if bytes.Contains(body, []byte(`"method":"common.db.login"`)) {
		l.logins.Add(1)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return http.DefaultTransport.RoundTrip(r)
}

// levels returns OnHand and OnOrder per code of a snapshot's rows at WH.
func levels(snap connectors.StockSnapshot) map[string][2]string {
	out := map[string][2]string{}
	for _, r := range snap.Levels {
		if r.Location == "WH" {
			out[r.Code] = [2]string{r.OnHand, r.OnOrder}
		}
	}
	return out
}

// TestLive runs the client against a real trytond: one server for the
// whole group, subtests in order (each builds on the records before).
func TestLive(t *testing.T) {
	start := time.Now()
	srv := trytontest.Start(t)
	t.Logf("trytontest.Start took %s", time.Since(start).Round(time.Millisecond))
	ctx := context.Background()
	counter := &loginCounter{}
	c, err := tryton.New(srv.Config(), tryton.WithHTTPClient(&http.Client{Transport: counter}), tryton.WithBackoff(50*time.Millisecond))
	require.NoError(t, err)

	srv.CreateProduct(t, "SKU-001", "Widget A", "12.50")
	srv.CreateProduct(t, "SKU-002", "Widget B", "30.00")
	srv.CreateProduct(t, "SKU-003", "Gadget C", "59.00")
	srv.SetStock(t, "WH", map[string]float64{"SKU-001": 40, "SKU-002": 15, "SKU-003": 3})

	t.Run("stock equals what SetStock set", func(t *testing.T) {
		began := time.Now()
		snap, err := c.ReadStock(ctx, connectors.StockQuery{})
		require.NoError(t, err)
		t.Logf("ReadStock of 3 products took %s", time.Since(began).Round(time.Millisecond))
		assert.Equal(t, "tryton", snap.Source)
		assert.WithinDuration(t, time.Now(), snap.AsOf, time.Minute)
		assert.Equal(t, time.UTC, snap.AsOf.Location())
		require.Len(t, snap.Levels, 3)
		assert.Equal(t, connectors.StockRow{Location: "WH", Code: "SKU-001", Name: "Widget A", OnHand: "40", Available: "40", OnOrder: "0", Unit: "u"}, snap.Levels[0])
		assert.Equal(t, map[string][2]string{"SKU-001": {"40", "0"}, "SKU-002": {"15", "0"}, "SKU-003": {"3", "0"}}, levels(snap))
		assert.Empty(t, snap.Sales)
	})

	t.Run("a change after SetStock shows up", func(t *testing.T) {
		srv.SetStock(t, "WH", map[string]float64{"SKU-002": 9})
		snap, err := c.ReadStock(ctx, connectors.StockQuery{})
		require.NoError(t, err)
		assert.Equal(t, [2]string{"9", "0"}, levels(snap)["SKU-002"])
		assert.Equal(t, [2]string{"40", "0"}, levels(snap)["SKU-001"])
	})

	t.Run("sales in the window are summed per day", func(t *testing.T) {
		today := time.Now()
		yesterday := today.AddDate(0, 0, -1)
		srv.Sell(t, "SKU-001", 2, today)
		srv.Sell(t, "SKU-001", 3, today)
		srv.Sell(t, "SKU-002", 1, yesterday)
		srv.Sell(t, "SKU-003", 7, today.AddDate(0, 0, -10)) // outside the window
		q := connectors.StockQuery{SalesFrom: yesterday.Format(time.DateOnly), SalesTo: today.Format(time.DateOnly)}
		snap, err := c.ReadStock(ctx, q)
		require.NoError(t, err)
		assert.Equal(t, q.SalesFrom, snap.SalesFrom)
		assert.Equal(t, q.SalesTo, snap.SalesTo)
		assert.Equal(t, []connectors.SalesRow{
			{Date: q.SalesFrom, Location: "WH", Code: "SKU-002", Quantity: "1", Unit: "u"},
			{Date: q.SalesTo, Location: "WH", Code: "SKU-001", Quantity: "5", Unit: "u"},
		}, snap.Sales)
		// Confirmed sales are planned outgoing moves: on hand and on order stay.
		assert.Equal(t, [2]string{"40", "0"}, levels(snap)["SKU-001"])
	})

	srv.CreateSupplier(t, "Acme Supplier")
	po := connectors.PurchaseOrder{
		Reference: "HUB-PO-1", ExternalID: "D-77", SupplierID: "acme", SupplierName: "Acme Supplier",
		OrderDate: time.Now().Format(time.DateOnly), Currency: "USD", Location: "WH",
		Lines: []connectors.PurchaseLine{
			{LineNo: 1, Code: "SKU-001", Quantity: "100", UnitPrice: "6.80"},
			{LineNo: 2, Code: "SKU-003", Quantity: "5", UnitPrice: "59.00"},
		},
	}

	t.Run("PushPurchase creates a confirmed purchase", func(t *testing.T) {
		p, err := c.PushPurchase(ctx, po)
		require.NoError(t, err)
		assert.True(t, p.Created)
		assert.Equal(t, "processing", p.State)
		assert.Equal(t, "HUB-PO-1", p.Reference)
		assert.NotEmpty(t, p.Number)
		rows := srv.Purchases(t, "HUB-PO-1")
		require.Len(t, rows, 1)
		assert.Equal(t, p.ID, rows[0].ID)
		assert.Equal(t, "processing", rows[0].State)
		assert.ElementsMatch(t, []trytontest.PurchaseLineRow{
			{Code: "SKU-001", Quantity: 100, UnitPrice: "6.80"},
			{Code: "SKU-003", Quantity: 5, UnitPrice: "59.00"},
		}, rows[0].Lines)
		snap, err := c.ReadStock(ctx, connectors.StockQuery{})
		require.NoError(t, err)
		assert.Equal(t, [2]string{"40", "100"}, levels(snap)["SKU-001"], "the purchase is on order")
		assert.Equal(t, [2]string{"3", "5"}, levels(snap)["SKU-003"])
	})

	t.Run("a second push with the same reference creates none", func(t *testing.T) {
		p, err := c.PushPurchase(ctx, po)
		require.NoError(t, err)
		assert.False(t, p.Created)
		assert.Equal(t, "processing", p.State)
		assert.Len(t, srv.Purchases(t, "HUB-PO-1"), 1)
	})

	t.Run("an unknown product code fails naming it", func(t *testing.T) {
		bad := po
		bad.Reference = "HUB-PO-2"
		bad.Lines = []connectors.PurchaseLine{{LineNo: 1, Code: "SKU-001", Quantity: "1", UnitPrice: "1"}, {LineNo: 2, Code: "NOPE-9", Quantity: "1", UnitPrice: "1"}}
		_, err := c.PushPurchase(ctx, bad)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `line 2: no tryton product has code "NOPE-9"`)
		assert.True(t, connectors.IsPermanent(err))
		assert.Empty(t, srv.Purchases(t, "HUB-PO-2"))
	})

	t.Run("an unknown supplier and warehouse fail naming them", func(t *testing.T) {
		bad := po
		bad.Reference, bad.SupplierName = "HUB-PO-3", "Nobody Ltd"
		_, err := c.PushPurchase(ctx, bad)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `"Nobody Ltd"`)
		assert.True(t, connectors.IsPermanent(err))

		cfg := srv.Config()
		cfg.Warehouses = []string{"WH", "EAST"}
		c2, err := tryton.New(cfg)
		require.NoError(t, err)
		_, err = c2.ReadStock(ctx, connectors.StockQuery{})
		require.Error(t, err)
		assert.Contains(t, err.Error(), `code "EAST" (found: WH)`)
	})

	t.Run("a session made invalid on the server leads to one re-login", func(t *testing.T) {
		before := counter.logins.Load()
		srv.ExpireSessions(t)
		snap, err := c.ReadStock(ctx, connectors.StockQuery{})
		require.NoError(t, err)
		assert.Len(t, snap.Levels, 3)
		assert.Equal(t, before+1, counter.logins.Load())
	})

	t.Run("a wrong password is a permanent error naming user and database", func(t *testing.T) {
		cfg := srv.Config()
		cfg.Password = "wrong-secret"
		bad, err := tryton.New(cfg)
		require.NoError(t, err)
		_, err = bad.ReadStock(ctx, connectors.StockQuery{})
		require.Error(t, err)
		assert.True(t, connectors.IsPermanent(err))
		assert.Contains(t, err.Error(), `user "admin"`)
		assert.Contains(t, err.Error(), `database "hubtest"`)
		assert.NotContains(t, err.Error(), "wrong-secret")
		assert.False(t, errors.Is(err, context.DeadlineExceeded))
	})

	t.Run("a Tryton user error is an RPCError with Tryton's message", func(t *testing.T) {
		err := c.Execute(ctx, "product.product", "read", []any{[]int{1}, []string{"no_such_field"}}, nil, nil)
		var rpc *tryton.RPCError
		require.ErrorAs(t, err, &rpc)
		assert.Equal(t, "model.product.product.read", rpc.Method)
		assert.True(t, strings.Contains(rpc.Message, "no_such_field"), rpc.Message)
		assert.True(t, connectors.IsPermanent(err))
	})
}
