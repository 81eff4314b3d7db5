package portal

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
)

// rowsReader is a StockReader returning fixed rows.
type rowsReader []connectors.StockRow

func (r rowsReader) ReadStock(context.Context, connectors.StockQuery) (connectors.StockSnapshot, error) {
	return connectors.StockSnapshot{Source: "test", AsOf: time.Now().UTC(), Levels: r}, nil
}

// TestStockVisibilityThroughTheAPI: a supplier sees its own products at
// the dealers that share stock with it, a 404 for a dealer that does not,
// and never another supplier's products; a dealer sees all of its own.
func TestStockVisibilityThroughTheAPI(t *testing.T) {
	env := newAPIEnv(t, hubtest.Options{}, Options{})
	ctx := context.Background()
	_, err := env.Store.UpsertPartner(ctx, store.Partner{ID: "supplier-b", Name: "Supplier B", Roles: []string{"supplier"}, Enabled: true})
	require.NoError(t, err)
	// dealer-a shares stock and sales with both suppliers; dealer-b buys
	// from supplier-a and shares nothing.
	require.NoError(t, env.Store.UpsertRelationship(ctx, store.Relationship{Dealer: "dealer-a", Supplier: "supplier-b", SharesStock: true}))
	require.NoError(t, env.Store.UpsertRelationship(ctx, store.Relationship{Dealer: "dealer-b", Supplier: "supplier-a"}))
	key, _, err := hub.CreateAPIKey(ctx, env.Store, "supplier-b", false, "test")
	require.NoError(t, err)

	env.run(t, []scenario{
		{name: "dealer-a sets cross-references as CSV", method: http.MethodPut, url: "/api/v1/cross-refs", who: "dealer-a", contentType: "text/csv",
			body: "code,supplier,supplier_sku\nA-1,supplier-a,S-1\nA-2,supplier-b,T-2\n", status: http.StatusOK, fields: map[string]string{"stored": "2"}},
		{name: "dealer-b sets one as JSON", method: http.MethodPut, url: "/api/v1/cross-refs", who: "dealer-b",
			body: `[{"code":"B-1","supplier":"supplier-a","supplier_sku":"S-1"}]`, status: http.StatusOK, fields: map[string]string{"stored": "1"}},
		{name: "an unknown supplier is refused with the row", method: http.MethodPut, url: "/api/v1/cross-refs", who: "dealer-b",
			body: `[{"code":"B-2","supplier":"nobody","supplier_sku":"X"}]`, status: http.StatusUnprocessableEntity,
			fields: map[string]string{"error.details.0.pointer": "/0/supplier"}, contains: []string{`no partner \"nobody\"`}},
		{name: "a partner cannot set another's", method: http.MethodPut, url: "/api/v1/cross-refs?partner=dealer-a", who: "dealer-b",
			body: `[{"code":"B-1","supplier":"supplier-a","supplier_sku":"S-1"}]`, status: http.StatusForbidden},
	})
	for _, d := range []struct {
		dealer string
		rows   rowsReader
	}{
		{"dealer-a", rowsReader{{Location: "WH", Code: "A-1", OnHand: "7", Unit: "EA"}, {Location: "WH", Code: "A-2", OnHand: "9", Unit: "EA"}}},
		{"dealer-b", rowsReader{{Location: "SHOP", Code: "B-1", OnHand: "4", Unit: "EA"}}},
	} {
		out, err := hub.SyncStock(ctx, env.Store, env.Bus, hub.StockSyncRequest{Dealer: d.dealer, Source: "test", Reader: d.rows, Wait: 30 * time.Second})
		require.NoError(t, err)
		require.Equal(t, len(d.rows), out.Changed)
	}

	env.run(t, []scenario{
		{name: "dealer-a sees both of its levels with policies hidden until set", url: "/api/v1/stock", who: "dealer-a", status: http.StatusOK,
			fields: map[string]string{"items.#": "2", "items.0.sku": "A-1", "items.0.supplier": "supplier-a", "items.1.sku": "A-2"}},
		{name: "supplier-a sees only its product at the sharing dealer", url: "/api/v1/stock", who: "supplier-a", status: http.StatusOK,
			fields:   map[string]string{"items.#": "1", "items.0.dealer": "dealer-a", "items.0.supplier_sku": "S-1", "items.0.on_hand": "7"},
			contains: []string{`"sold_30d":"0"`}, absent: []string{"T-2", "dealer-b", `"policy"`}},
		{name: "supplier-a asking for a dealer that does not share gets 404", url: "/api/v1/stock?dealer=dealer-b", who: "supplier-a", status: http.StatusNotFound},
		{name: "supplier-a asking for a dealer it has no relationship with gets 404", url: "/api/v1/stock?dealer=carrier-a", who: "supplier-a", status: http.StatusNotFound},
		{name: "supplier-b sees only its product, without sales (not shared)", url: "/api/v1/stock?dealer=dealer-a", who: "raw:" + key, status: http.StatusOK,
			fields: map[string]string{"items.#": "1", "items.0.supplier_sku": "T-2"}, absent: []string{"S-1", "sold_30d"}},
		{name: "dealer-b sees its own", url: "/api/v1/stock", who: "dealer-b", status: http.StatusOK,
			fields: map[string]string{"items.#": "1", "items.0.sku": "B-1"}},
		{name: "the operator sees all three", url: "/api/v1/stock", who: "operator", status: http.StatusOK, fields: map[string]string{"items.#": "3"}},

		{name: "a policy under the level raises low stock", method: http.MethodPut, url: "/api/v1/stock-policies", who: "dealer-a", contentType: "text/csv",
			body: "location,sku,safety_stock,reorder_point,max_level\nWH,A-1,2,8,20\n", status: http.StatusOK,
			fields: map[string]string{"stored": "1", "raised.#": "1", "raised.0.type": "low_stock"}, contains: []string{`"suggested_quantity":"13"`}},
		{name: "setting it again raises no second alert", method: http.MethodPut, url: "/api/v1/stock-policies", who: "dealer-a",
			body: `[{"location":"WH","sku":"A-1","safety_stock":"2","reorder_point":"8","max_level":"20"}]`, status: http.StatusOK,
			fields: map[string]string{"raised.#": "0"}},
		{name: "the dealer sees the policy and the alert on its level", url: "/api/v1/stock?sku=A-1", who: "dealer-a", status: http.StatusOK,
			fields: map[string]string{"items.0.policy.reorder_point": "8", "items.0.low_stock": "true"}},
		{name: "a bad decimal names the element and field", method: http.MethodPut, url: "/api/v1/stock-policies", who: "dealer-a",
			body: `[{"location":"WH","sku":"A-1","reorder_point":"eight"}]`, status: http.StatusUnprocessableEntity,
			fields: map[string]string{"error.details.0.pointer": "/0"}, contains: []string{"reorder_point"}},
		{name: "a bad CSV column is named", method: http.MethodPut, url: "/api/v1/stock-policies", who: "dealer-a", contentType: "text/csv",
			body: "location,sku,reorder\nWH,A-1,3\n", status: http.StatusBadRequest, contains: []string{`\"reorder\"`}},
		{name: "a supplier lists no policies of dealers", url: "/api/v1/stock-policies", who: "supplier-a", status: http.StatusOK, fields: map[string]string{"items.#": "0"}},
	})
}
