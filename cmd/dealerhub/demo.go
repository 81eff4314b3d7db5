package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

// demoPartners are what --demo seeds: a supplier, two dealers and a carrier.
var demoPartners = []store.Partner{
	{ID: "acme", Name: "ACME Tools Co. (艾克姆工具)", Roles: []string{"supplier"}, Enabled: true},
	{ID: "north", Name: "North Hardware (北方五金)", Roles: []string{"dealer"}, Enabled: true},
	{ID: "south", Name: "South Supply (南方供应)", Roles: []string{"dealer"}, Enabled: true},
	{ID: "swiftline", Name: "Swiftline Logistics (迅捷物流)", Roles: []string{"logistics"}, Enabled: true},
}

var demoRelationships = []store.Relationship{
	{Dealer: "north", Supplier: "acme", SharesStock: true, SharesSales: true},
	{Dealer: "south", Supplier: "acme"},
}

// demoDocuments are sample documents, sent through the pipeline like any
// other message (so a restart with --demo stores nothing twice).
var demoDocuments = []struct {
	partner, doctype, body string
}{
	{"acme", "product", `{"external_id":"DR-500","sku":"DR-500","gtin":"6901234567892","name":"电钻 500W Cordless Drill","brand":"ACME","unit":"EA"}`},
	{"acme", "product", `{"external_id":"BT-18V","sku":"BT-18V","name":"18V Battery Pack 电池","brand":"ACME","unit":"EA"}`},
	{"acme", "price_list", `{"external_id":"PL-2026-12","currency":"CNY","valid_from":"2026-12-01","lines":[{"sku":"DR-500","unit":"EA","unit_price":"399.00","tiers":[{"min_quantity":"10","unit_price":"379.00"}]},{"sku":"BT-18V","unit":"EA","unit_price":"129.50"}]}`},
	{"north", "stock_level", `{"external_id":"WH1/DR-500","location":"WH1","sku":"N-10023","supplier":"acme","supplier_sku":"DR-500","on_hand":"42","available":"40","reserved":"2","on_order":"0","unit":"EA","as_of":"2026-11-25T08:00:00+08:00"}`},
	{"south", "order", `{"external_id":"PO-S-1001","receiver":"acme","status":"sent","order_date":"2026-11-25","currency":"CNY","lines":[{"line_no":1,"sku":"DR-500","quantity":"5","unit":"EA","unit_price":"399.00"}]}`},
}

// seedDemo creates the demo partners, their keys (reused from
// <data-dir>/demo-keys.json when still valid) and sample documents, and
// prints the keys.
func seedDemo(ctx context.Context, st store.Store, h *hub.Hub, dataDir, url string, stdout io.Writer) error {
	for _, p := range demoPartners {
		if _, err := st.UpsertPartner(ctx, p); err != nil {
			return fmt.Errorf("partner %s: %w", p.ID, err)
		}
	}
	for _, r := range demoRelationships {
		if err := st.UpsertRelationship(ctx, r); err != nil {
			return fmt.Errorf("relationship %s → %s: %w", r.Dealer, r.Supplier, err)
		}
	}
	path := filepath.Join(dataDir, "demo-keys.json")
	keys := map[string]string{}
	if b, err := os.ReadFile(path); err == nil {
		_ = json.Unmarshal(b, &keys)
	}
	changed := false
	for _, p := range demoPartners {
		if pr, err := h.Authenticate(ctx, keys[p.ID]); err == nil && pr.Partner == p.ID {
			continue
		}
		key, _, err := hub.CreateAPIKey(ctx, st, p.ID, false, "demo")
		if err != nil {
			return err
		}
		keys[p.ID] = key
		changed = true
	}
	if changed {
		b, _ := json.MarshalIndent(keys, "", "  ")
		if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return err
	}
	for _, d := range demoDocuments {
		if _, err := h.Ingest(ctx, connectors.IngestRequest{Partner: d.partner, Doctype: d.doctype, Format: "json", Source: "demo", Body: []byte(d.body)}); err != nil {
			return fmt.Errorf("demo %s from %s: %w", d.doctype, d.partner, err)
		}
	}
	fmt.Fprintf(stdout, "demo partners and API keys (also in %s):\n", path)
	for _, p := range demoPartners {
		fmt.Fprintf(stdout, "  %-10s %-10s %s\n", p.ID, p.Roles[0], keys[p.ID])
	}
	fmt.Fprintf(stdout, "try: curl -H \"Authorization: Bearer $(jq -r .acme %s)\" %s/api/v1/inbox\n", path, url)
	return nil
}
