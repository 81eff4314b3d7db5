package odoofake

import (
	"encoding/json"
	"fmt"
	"strings"
)

// rec is one record: field → value as Odoo keeps it here: int ids for
// relations (0 is empty), json.Number for floats, string or false for
// text, bool.
type rec map[string]any

// table is one model's records in id order.
type table struct {
	name string
	// rel maps many2one fields to their comodel.
	rel    map[string]string
	fields []string
	rows   []rec
	byID   map[int]rec
	nextID int
}

func newTable(name string, fields []string, rel map[string]string) *table {
	return &table{name: name, fields: append([]string{"id"}, fields...), rel: rel, byID: map[int]rec{}, nextID: 1}
}

// add stores r with the next id and returns the id.
func (t *table) add(r rec) int {
	id := t.nextID
	t.nextID++
	r["id"] = id
	t.rows = append(t.rows, r)
	t.byID[id] = r
	return id
}

// hasField reports whether the model has the field.
func (t *table) hasField(f string) bool {
	for _, x := range t.fields {
		if x == f {
			return true
		}
	}
	return false
}

// newModels builds the fake's models and their base records.
func newModels() map[string]*table {
	ms := map[string]*table{}
	def := func(name string, fields []string, rel map[string]string) { ms[name] = newTable(name, fields, rel) }
	def("uom.uom", []string{"name"}, nil)
	def("stock.location", []string{"name", "complete_name", "usage", "location_id"}, map[string]string{"location_id": "stock.location"})
	def("stock.warehouse", []string{"name", "code", "view_location_id", "lot_stock_id"},
		map[string]string{"view_location_id": "stock.location", "lot_stock_id": "stock.location"})
	def("stock.picking.type", []string{"name", "code", "warehouse_id", "default_location_dest_id"},
		map[string]string{"warehouse_id": "stock.warehouse", "default_location_dest_id": "stock.location"})
	def("product.product", []string{"default_code", "name", "uom_id", "uom_po_id", "active"},
		map[string]string{"uom_id": "uom.uom", "uom_po_id": "uom.uom"})
	def("stock.quant", []string{"product_id", "location_id", "quantity", "reserved_quantity"},
		map[string]string{"product_id": "product.product", "location_id": "stock.location"})
	def("stock.move", []string{"product_id", "product_qty", "product_uom_qty", "product_uom", "state", "location_id", "location_dest_id", "picking_type_id", "purchase_line_id"},
		map[string]string{"product_id": "product.product", "product_uom": "uom.uom", "location_id": "stock.location", "location_dest_id": "stock.location",
			"picking_type_id": "stock.picking.type", "purchase_line_id": "purchase.order.line"})
	def("sale.order", []string{"name", "state", "date_order", "warehouse_id"}, map[string]string{"warehouse_id": "stock.warehouse"})
	def("sale.order.line", []string{"order_id", "product_id", "product_uom_qty", "product_uom", "name"},
		map[string]string{"order_id": "sale.order", "product_id": "product.product", "product_uom": "uom.uom"})
	def("res.partner", []string{"name", "parent_id"}, map[string]string{"parent_id": "res.partner"})
	def("res.currency", []string{"name"}, nil)
	def("purchase.order", []string{"name", "state", "origin", "partner_ref", "partner_id", "date_order", "currency_id", "picking_type_id"},
		map[string]string{"partner_id": "res.partner", "currency_id": "res.currency", "picking_type_id": "stock.picking.type"})
	def("purchase.order.line", []string{"order_id", "product_id", "product_qty", "price_unit", "name", "product_uom"},
		map[string]string{"order_id": "purchase.order", "product_id": "product.product", "product_uom": "uom.uom"})

	ms["uom.uom"].add(rec{"name": "Units"})
	ms["uom.uom"].add(rec{"name": "kg"})
	ms["res.partner"].add(rec{"name": "Dealer Co", "parent_id": 0})
	ms["res.currency"].add(rec{"name": "USD"})
	ms["res.currency"].add(rec{"name": "EUR"})
	loc := ms["stock.location"]
	partners := loc.add(rec{"name": "Partners", "complete_name": "Partners", "usage": "view", "location_id": 0})
	loc.add(rec{"name": "Vendors", "complete_name": "Partners/Vendors", "usage": "supplier", "location_id": partners})
	loc.add(rec{"name": "Customers", "complete_name": "Partners/Customers", "usage": "customer", "location_id": partners})
	return ms
}

// pyFloat writes decimal text the way Python writes a float field:
// "40" → "40.0"; an empty text is 0.0.
func pyFloat(s string) json.Number {
	s = strings.TrimSpace(s)
	if s == "" {
		return "0.0"
	}
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return json.Number(s)
}

// displayName is what Odoo shows for a record in a [id, name] pair.
func displayName(r rec) string {
	if n, ok := r["complete_name"].(string); ok {
		return n
	}
	if n, ok := r["name"].(string); ok {
		return n
	}
	return fmt.Sprint(r["id"])
}

// lookupID returns the id of the record of model whose field equals value; mu held.
func (s *Server) lookupID(model, field string, value any) int {
	for _, r := range s.models[model].rows {
		if r[field] == value {
			return r["id"].(int)
		}
	}
	return 0
}
