package trytonfake

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/dealerhub/dealerhub/connectors/erp/tryton"
)

// cond is one [field, operator, value] of a domain.
type cond struct {
	field, op string
	value     json.RawMessage
}

// parseDomain reads a flat domain (a list of conditions, "AND" implied).
func parseDomain(raw json.RawMessage) ([]cond, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("bad domain %s", raw)
	}
	var out []cond
	for _, it := range items {
		var parts []json.RawMessage
		if err := json.Unmarshal(it, &parts); err != nil || len(parts) < 3 {
			continue // "AND" and the like
		}
		var c cond
		if json.Unmarshal(parts[0], &c.field) != nil || json.Unmarshal(parts[1], &c.op) != nil {
			return nil, fmt.Errorf("bad domain condition %s", it)
		}
		c.value = parts[2]
		out = append(out, c)
	}
	return out, nil
}

// find returns the first condition on field.
func find(cs []cond, field string) (cond, bool) {
	for _, c := range cs {
		if c.field == field {
			return c, true
		}
	}
	return cond{}, false
}

// page reads offset and limit (null: no limit) at params[i], params[i+1].
func page(params []json.RawMessage, i, n int) (int, int) {
	offset, limit := 0, n
	if len(params) > i {
		_ = json.Unmarshal(params[i], &offset)
	}
	if len(params) > i+1 {
		var l *int
		if json.Unmarshal(params[i+1], &l) == nil && l != nil {
			limit = *l
		}
	}
	offset = min(max(offset, 0), n)
	return offset, min(offset+limit, n)
}

// dispatch answers a model call; an error becomes a server exception reply.
func (s *Server) dispatch(method string, p []json.RawMessage) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(p) == 0 {
		return nil, fmt.Errorf("Missing context argument")
	}
	switch method {
	case "model.res.user.get_preferences":
		return map[string]any{"company": CompanyID, "company.rec_name": "Fake Co", "language": "en", "company_filter": "one"}, nil
	case "model.stock.location.search_read":
		return s.locations(p)
	case "model.product.product.search":
		ids := make([]int, 0, len(s.products))
		for i := range s.products {
			ids = append(ids, i+1)
		}
		return ids, nil
	case "model.product.product.read":
		return s.readProducts(p)
	case "model.product.product.search_read":
		return s.productsByCode(p)
	case "model.product.uom.read":
		var ids []int
		_ = json.Unmarshal(p[0], &ids)
		out := []map[string]any{}
		for _, id := range ids {
			if id >= 1 && id <= len(s.units) {
				out = append(out, map[string]any{"id": id, "symbol": s.units[id-1]})
			}
		}
		return out, nil
	case "model.stock.move.search_read":
		return s.incomingMoves(p)
	case "model.sale.line.search_read":
		return s.saleLines(p)
	case "model.sale.sale.read":
		return s.saleHeads(p)
	case "model.party.party.search":
		return s.partiesByName(p)
	case "model.party.address.search":
		var ids []int
		cs, _ := parseDomain(p[0])
		if c, ok := find(cs, "party"); ok {
			var id int
			_ = json.Unmarshal(c.value, &id)
			ids = append(ids, s.parties[id].addresses...)
		}
		return ids, nil
	case "model.currency.currency.search":
		cs, _ := parseDomain(p[0])
		if c, ok := find(cs, "code"); ok && string(c.value) == `"USD"` {
			return []int{CurrencyID}, nil
		}
		return []int{}, nil
	case "model.company.company.read":
		return []map[string]any{{"id": CompanyID, "currency": CurrencyID}}, nil
	case "model.purchase.purchase.search_read":
		return s.purchasesByRef(p)
	case "model.purchase.purchase.read":
		var ids []int
		_ = json.Unmarshal(p[0], &ids)
		var out []map[string]any
		for _, id := range ids {
			if id >= 1 && id <= len(s.purchases) {
				out = append(out, purchaseJSON(s.purchases[id-1]))
			}
		}
		return out, nil
	case "model.purchase.purchase.create":
		return s.createPurchase(p)
	case "model.purchase.purchase.quote", "model.purchase.purchase.confirm":
		return s.purchaseStep(method, p)
	}
	return nil, fmt.Errorf("trytonfake does not know %s", method)
}

// locations answers warehouses.
func (s *Server) locations(p []json.RawMessage) (any, error) {
	cs, err := parseDomain(p[0])
	if err != nil {
		return nil, err
	}
	var code string
	if c, ok := find(cs, "code"); ok {
		_ = json.Unmarshal(c.value, &code)
	}
	out := []map[string]any{}
	for _, w := range s.warehouses {
		if code == "" || code == w.code {
			out = append(out, map[string]any{"id": w.id, "code": w.code, "name": "Warehouse " + w.code, "storage_location": w.id - 2, "input_location": w.id - 4})
		}
	}
	return out, nil
}

// productRow is product.product as read.
type productRow struct {
	ID               int            `json:"id"`
	Code             *string        `json:"code"`
	Name             string         `json:"name"`
	Quantity         float64        `json:"quantity"`
	ForecastQuantity float64        `json:"forecast_quantity"`
	DefaultUOM       int            `json:"default_uom"`
	PurchaseUOM      int            `json:"purchase_uom"`
	CostPrice        tryton.Decimal `json:"cost_price"`
}

// unitID returns the id of a unit symbol, adding it; mu held.
func (s *Server) unitID(sym string) int {
	if i := slices.Index(s.units, sym); i >= 0 {
		return i + 1
	}
	s.units = append(s.units, sym)
	return len(s.units)
}

func (s *Server) productRow(id int, whs []int) productRow {
	p := s.products[id-1]
	row := productRow{ID: id, Name: p.Name, DefaultUOM: s.unitID(p.Unit), CostPrice: "1.00"}
	row.PurchaseUOM = row.DefaultUOM
	if p.Code != "" {
		code := p.Code
		row.Code = &code
	}
	for _, w := range whs {
		row.Quantity += s.qty[qtyKey{id, w}]
	}
	row.ForecastQuantity = row.Quantity
	return row
}

// readProducts answers product.product.read with the quantities of the
// context's locations.
func (s *Server) readProducts(p []json.RawMessage) (any, error) {
	var ids []int
	if err := json.Unmarshal(p[0], &ids); err != nil {
		return nil, fmt.Errorf("bad ids %s", p[0])
	}
	var ctx struct {
		Locations []int `json:"locations"`
	}
	_ = json.Unmarshal(p[len(p)-1], &ctx)
	out := make([]productRow, 0, len(ids))
	for _, id := range ids {
		if id >= 1 && id <= len(s.products) {
			out = append(out, s.productRow(id, ctx.Locations))
		}
	}
	return out, nil
}

// productsByCode answers product.product.search_read [["code","in",…]].
func (s *Server) productsByCode(p []json.RawMessage) (any, error) {
	cs, err := parseDomain(p[0])
	if err != nil {
		return nil, err
	}
	var codes []string
	if c, ok := find(cs, "code"); ok {
		if c.op == "in" {
			_ = json.Unmarshal(c.value, &codes)
		} else {
			var one string
			_ = json.Unmarshal(c.value, &one)
			codes = []string{one}
		}
	}
	out := []productRow{}
	for _, code := range codes {
		if id, ok := s.byCode[code]; ok {
			out = append(out, s.productRow(id, nil))
		}
	}
	return out, nil
}

// partiesByName answers party.party.search [["name","=",…]].
func (s *Server) partiesByName(p []json.RawMessage) (any, error) {
	cs, err := parseDomain(p[0])
	if err != nil {
		return nil, err
	}
	var name string
	if c, ok := find(cs, "name"); ok {
		_ = json.Unmarshal(c.value, &name)
	}
	ids := []int{}
	for id := 1; id <= len(s.parties); id++ {
		if s.parties[id].name == name {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// itoa formats an int.
func itoa(n int) string { return strconv.Itoa(n) }
