package portal

import (
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/erp/odoo"
	"github.com/dealerhub/dealerhub/connectors/erp/odoo/odoofake"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
)

const odooERPConfig = `version: 1
partners:
  - id: dealer-a
    name: Dealer A
    roles: [dealer]
    erp:
      odoo:
        url: %s
        database: %s
        user: %s
        password: ${ODOO_TEST_KEY}
      schedule:
        every: 24h
      push_orders: true
`

// TestERPStockFromOdoo: an erp.odoo block syncs a dealer's stock from
// Odoo's external API (the stand-in speaks its wire format) and pushes
// its confirmed orders there as one confirmed purchase order.
func TestERPStockFromOdoo(t *testing.T) {
	fake := odoofake.New()
	t.Cleanup(fake.Close)
	a := fake.AddProduct(odoofake.Product{Code: "SKU-A", Name: "Widget A", UoM: "Units"})
	b := fake.AddProduct(odoofake.Product{Code: "SKU-B", Name: "Widget B", UoM: "Units"})
	fake.AddQuant(odoofake.Quant{Product: a, Location: "WH/Stock", Quantity: "40.0", Reserved: "5.0"})
	fake.AddQuant(odoofake.Quant{Product: b, Location: "WH/Stock", Quantity: "15.0"})
	fake.AddPartner("Supplier A")
	fc := fake.Config()
	t.Setenv("ODOO_TEST_KEY", fc.Password)
	cfg, err := config.Parse([]byte(fmt.Sprintf(odooERPConfig, fc.URL, fc.Database, fc.User)), "odoo.yaml", os.LookupEnv)
	require.NoError(t, err)
	sink := odoo.NewSink(func(receiver string) (odoo.Config, bool) {
		e, ok := cfg.ERP(receiver)
		return e.OdooConfig(), ok && e.SourceKind() == "odoo"
	})
	env := newAPIEnv(t, hubtest.Options{Config: cfg, Sinks: map[string]connectors.Sink{hub.ChannelERP: sink}}, Options{})
	env.Hub.SetSyncScheduler(hub.NewSyncScheduler(env.Hub, hub.SyncSchedulerOptions{
		NewReader: func(_ string, e config.ERP) (connectors.StockReader, error) { return odoo.New(e.OdooConfig()) },
	}))
	env.run(t, []scenario{
		{name: "cross-references", method: http.MethodPut, url: "/api/v1/cross-refs", who: "dealer-a",
			body: `[{"code":"SKU-A","supplier":"supplier-a","supplier_sku":"S-A"},{"code":"SKU-B","supplier":"supplier-a","supplier_sku":"S-B"}]`, status: http.StatusOK},
		{name: "sync now", method: http.MethodPost, url: "/api/v1/sync-runs", who: "dealer-a", body: `{"partner":"dealer-a"}`, status: http.StatusCreated,
			fields: map[string]string{"status": "succeeded", "source": "odoo", "changed": "2"}},
		{name: "levels as Odoo has them", url: "/api/v1/stock", who: "dealer-a", status: http.StatusOK,
			fields: map[string]string{"items.#": "2", "items.0.sku": "SKU-A", "items.0.on_hand": "40", "items.0.reserved": "5", "items.0.available": "35",
				"items.1.on_hand": "15"}},
	})

	r := env.do(t, http.MethodPost, "/api/v1/documents/order", "dealer-a", "", `{"external_id":"PO-ODOO-1","receiver":"supplier-a","status":"confirmed","order_date":"`+
		time.Now().UTC().Format(time.DateOnly)+`","lines":[{"line_no":1,"sku":"S-A","quantity":"100","unit":"EA","unit_price":"6.80"}]}`, nil)
	require.Equal(t, http.StatusAccepted, r.status, "body: %s", r.body)
	m := env.WaitMessage(t, jsonField(t, r.body, "messages.0.id"), store.StatusDone)
	dl, _, err := env.Store.ListDeliveries(t.Context(), store.OperatorScope(), store.DeliveryFilter{DocumentID: m.DocumentIDs[0], Channel: hub.ChannelERP})
	require.NoError(t, err)
	require.Len(t, dl, 1)
	env.WaitDelivery(t, dl[0].ID, store.DeliveryDelivered)
	pos := fake.PurchaseOrders()
	require.Len(t, pos, 1)
	require.Equal(t, "purchase", pos[0].State)
	require.Equal(t, m.DocumentIDs[0], pos[0].Origin)
	require.Len(t, pos[0].Lines, 1)
	require.Equal(t, "SKU-A", pos[0].Lines[0].Code)

	// Pushed again (a confirmed amendment): still one purchase order.
	r = env.do(t, http.MethodPost, "/api/v1/documents/order", "dealer-a", "", `{"external_id":"PO-ODOO-1","receiver":"supplier-a","status":"confirmed","note":"gate 2","order_date":"`+
		time.Now().UTC().Format(time.DateOnly)+`","lines":[{"line_no":1,"sku":"S-A","quantity":"100","unit":"EA","unit_price":"6.80"}]}`, nil)
	require.Equal(t, http.StatusAccepted, r.status, "body: %s", r.body)
	env.WaitMessage(t, jsonField(t, r.body, "messages.0.id"), store.StatusDone)
	dl, _, err = env.Store.ListDeliveries(t.Context(), store.OperatorScope(), store.DeliveryFilter{DocumentID: m.DocumentIDs[0], Channel: hub.ChannelERP})
	require.NoError(t, err)
	require.Len(t, dl, 2)
	for _, d := range dl {
		env.WaitDelivery(t, d.ID, store.DeliveryDelivered)
	}
	require.Len(t, fake.PurchaseOrders(), 1)
}
