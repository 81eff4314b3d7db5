package odoofake

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// dispatch runs a model method; mu held.
func (s *Server) dispatch(model, method string, args []json.RawMessage, kw map[string]json.RawMessage) (any, error) {
	t, ok := s.models[model]
	if !ok {
		return nil, &odooError{name: "builtins.KeyError", message: fmt.Sprintf("'%s'", model)}
	}
	switch {
	case method == "search_read":
		return s.searchRead(t, args, kw)
	case method == "search_count":
		rows, err := s.search(t, arg(args, kw, 0, "domain"), kw)
		return len(rows), err
	case model == "purchase.order" && method == "create":
		return s.createPurchase(args)
	case model == "purchase.order" && method == "button_confirm":
		return s.confirmPurchase(args)
	}
	return nil, &odooError{name: "builtins.AttributeError", message: fmt.Sprintf("The method '%s.%s' does not exist", model, method)}
}

// arg returns positional argument i, else the keyword argument name.
func arg(args []json.RawMessage, kw map[string]json.RawMessage, i int, name string) json.RawMessage {
	if len(args) > i {
		return args[i]
	}
	return kw[name]
}

// search returns the records matching the domain, in id order, archived
// ones only when the context says active_test false.
func (s *Server) search(t *table, domain json.RawMessage, kw map[string]json.RawMessage) ([]rec, error) {
	cs, err := parseDomain(t, s.models, domain)
	if err != nil {
		return nil, err
	}
	var ctx struct {
		ActiveTest *bool `json:"active_test"`
	}
	_ = json.Unmarshal(kw["context"], &ctx)
	activeTest := ctx.ActiveTest == nil || *ctx.ActiveTest
	var out []rec
	for _, r := range t.rows {
		if activeTest && t.hasField("active") && r["active"] == false {
			continue
		}
		if match(t, s.models, r, cs) {
			out = append(out, r)
		}
	}
	return out, nil
}

// searchRead answers search_read(domain, fields, offset, limit, order).
func (s *Server) searchRead(t *table, args []json.RawMessage, kw map[string]json.RawMessage) (any, error) {
	rows, err := s.search(t, arg(args, kw, 0, "domain"), kw)
	if err != nil {
		return nil, err
	}
	var fields []string
	_ = json.Unmarshal(arg(args, kw, 1, "fields"), &fields)
	if len(fields) == 0 {
		fields = t.fields
	}
	for _, f := range fields {
		if !t.hasField(f) {
			return nil, valueError("Invalid field '%s' on model '%s'", f, t.name)
		}
	}
	var offset, limit int
	var order string
	_ = json.Unmarshal(arg(args, kw, 2, "offset"), &offset)
	_ = json.Unmarshal(arg(args, kw, 3, "limit"), &limit)
	_ = json.Unmarshal(arg(args, kw, 4, "order"), &order)
	switch strings.ToLower(strings.TrimSpace(order)) {
	case "", "id", "id asc":
	case "id desc":
		rows = slices.Clone(rows)
		slices.Reverse(rows)
	default:
		return nil, valueError("odoofake orders by id only, not %q", order)
	}
	rows = rows[min(max(offset, 0), len(rows)):]
	if limit > 0 && limit < len(rows) {
		rows = rows[:limit]
	}
	out := make([]map[string]any, 0, len(rows))
	for _, r := range rows {
		m := map[string]any{"id": r["id"]}
		for _, f := range fields {
			m[f] = s.render(t, f, r[f])
		}
		out = append(out, m)
	}
	return out, nil
}

// render writes a value as Odoo sends it: a relation as [id, "name"] or
// false, an empty text as false.
func (s *Server) render(t *table, field string, v any) any {
	if co, ok := t.rel[field]; ok {
		id, _ := v.(int)
		r := s.models[co].byID[id]
		if r == nil {
			return false
		}
		return []any{id, displayName(r)}
	}
	if v == nil || v == "" {
		return false
	}
	return v
}

// poValues is what create takes for a purchase.order.
type poValues struct {
	PartnerID     int                 `json:"partner_id"`
	Origin        string              `json:"origin"`
	PartnerRef    string              `json:"partner_ref"`
	DateOrder     string              `json:"date_order"`
	CurrencyID    int                 `json:"currency_id"`
	PickingTypeID int                 `json:"picking_type_id"`
	OrderLine     [][]json.RawMessage `json:"order_line"`
}

// lineValues is what a [0, 0, values] command creates.
type lineValues struct {
	ProductID  int          `json:"product_id"`
	ProductQty *json.Number `json:"product_qty"`
	PriceUnit  *json.Number `json:"price_unit"`
	Name       string       `json:"name"`
	ProductUoM int          `json:"product_uom"`
}

// createPurchase answers purchase.order create([values]) with the new id,
// checking what Odoo's constraints would.
func (s *Server) createPurchase(args []json.RawMessage) (any, error) {
	if len(args) != 1 {
		return nil, &odooError{name: "builtins.TypeError", message: "create() takes 1 positional argument"}
	}
	var v poValues
	if err := json.Unmarshal(args[0], &v); err != nil {
		return nil, valueError("odoofake: bad purchase.order values: %v", err)
	}
	if s.models["res.partner"].byID[v.PartnerID] == nil {
		return nil, &odooError{name: "odoo.exceptions.ValidationError", message: "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: Purchase Order (purchase.order)\nField: Vendor (partner_id)"}
	}
	var lines []lineValues
	for _, cmd := range v.OrderLine {
		var op int
		var l lineValues
		if len(cmd) != 3 || json.Unmarshal(cmd[0], &op) != nil || op != 0 || json.Unmarshal(cmd[2], &l) != nil {
			return nil, valueError("odoofake serves order_line create commands [0, 0, values] only")
		}
		p := s.models["product.product"].byID[l.ProductID]
		if p == nil || p["active"] == false {
			return nil, &odooError{name: "odoo.exceptions.MissingError", message: fmt.Sprintf("Record does not exist or has been deleted.\n(Record: product.product(%d,), User: %d)", l.ProductID, UID)}
		}
		if l.ProductUoM == 0 {
			l.ProductUoM = p["uom_po_id"].(int)
		}
		if l.ProductQty == nil {
			one := json.Number("1.0")
			l.ProductQty = &one
		}
		if l.PriceUnit == nil {
			zero := json.Number("0.0")
			l.PriceUnit = &zero
		}
		if l.Name == "" {
			l.Name = str(p["name"])
		}
		lines = append(lines, l)
	}
	pos := s.models["purchase.order"]
	date := v.DateOrder
	if date == "" {
		date = "2026-01-01 00:00:00"
	}
	id := pos.add(rec{"name": fmt.Sprintf("P%05d", pos.nextID), "state": "draft", "origin": v.Origin, "partner_ref": v.PartnerRef,
		"partner_id": v.PartnerID, "date_order": date, "currency_id": v.CurrencyID, "picking_type_id": v.PickingTypeID})
	for _, l := range lines {
		s.models["purchase.order.line"].add(rec{"order_id": id, "product_id": l.ProductID, "product_qty": *l.ProductQty,
			"price_unit": *l.PriceUnit, "name": l.Name, "product_uom": l.ProductUoM})
	}
	return id, nil
}

// confirmPurchase answers button_confirm([ids]): orders in draft or sent
// become "purchase" with a planned receipt per line; others stay.
func (s *Server) confirmPurchase(args []json.RawMessage) (any, error) {
	var ids []int
	if len(args) != 1 || json.Unmarshal(args[0], &ids) != nil {
		return nil, &odooError{name: "builtins.TypeError", message: "button_confirm() takes a list of ids"}
	}
	pos := s.models["purchase.order"]
	for _, id := range ids {
		po := pos.byID[id]
		if po == nil {
			return nil, &odooError{name: "odoo.exceptions.MissingError", message: fmt.Sprintf("Record does not exist or has been deleted.\n(Record: purchase.order(%d,), User: %d)", id, UID)}
		}
		if po["state"] != "draft" && po["state"] != "sent" {
			continue
		}
		po["state"] = "purchase"
		wh := "WH"
		if pt := s.models["stock.picking.type"].byID[po["picking_type_id"].(int)]; pt != nil {
			wh = str(s.models["stock.warehouse"].byID[pt["warehouse_id"].(int)]["code"])
		}
		for _, l := range s.models["purchase.order.line"].rows {
			if l["order_id"] == id {
				s.addMove(l["product_id"].(int), wh, l["product_qty"].(json.Number), "assigned", l["id"].(int))
			}
		}
	}
	return true, nil
}
