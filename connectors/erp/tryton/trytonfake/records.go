package trytonfake

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/dealerhub/dealerhub/connectors/erp/tryton"
)

// incomingMoves answers stock.move.search_read for the planned incoming
// moves into a warehouse: one per line of each confirmed purchase.
func (s *Server) incomingMoves(p []json.RawMessage) (any, error) {
	cs, err := parseDomain(p[0])
	if err != nil {
		return nil, err
	}
	var whs []int
	if c, ok := find(cs, "to_location"); ok {
		_ = json.Unmarshal(c.value, &whs)
	}
	type move struct {
		ID               int     `json:"id"`
		Product          int     `json:"product"`
		InternalQuantity float64 `json:"internal_quantity"`
	}
	var all []move
	for _, pu := range s.purchases {
		if pu.State != "processing" || !slices.Contains(whs, pu.Warehouse) {
			continue
		}
		for _, l := range pu.Lines {
			all = append(all, move{ID: len(all) + 1, Product: s.byCode[l.Code], InternalQuantity: l.Quantity})
		}
	}
	from, to := page(p, 1, len(all))
	return append([]move{}, all[from:to]...), nil
}

// saleLines answers sale.line.search_read with the lines of sales in the
// domain's states, dates and warehouses.
func (s *Server) saleLines(p []json.RawMessage) (any, error) {
	cs, err := parseDomain(p[0])
	if err != nil {
		return nil, err
	}
	var states []string
	var whs []int
	var from, to tryton.Date
	for _, c := range cs {
		switch {
		case c.field == "sale.state":
			_ = json.Unmarshal(c.value, &states)
		case c.field == "sale.warehouse":
			_ = json.Unmarshal(c.value, &whs)
		case c.field == "sale.sale_date" && c.op == ">=":
			_ = json.Unmarshal(c.value, &from)
		case c.field == "sale.sale_date" && c.op == "<=":
			_ = json.Unmarshal(c.value, &to)
		}
	}
	type line struct {
		ID       int     `json:"id"`
		Product  int     `json:"product"`
		Quantity float64 `json:"quantity"`
		Unit     int     `json:"unit"`
		Sale     int     `json:"sale"`
	}
	var all []line
	for i, sa := range s.sales {
		id := s.byCode[sa.Code]
		if id == 0 || !slices.Contains(states, sa.State) || !slices.Contains(whs, s.warehouseID(sa.Warehouse)) ||
			sa.Date < from.String() || sa.Date > to.String() {
			continue
		}
		all = append(all, line{ID: i + 1, Product: id, Quantity: sa.Quantity, Unit: s.unitID(s.products[id-1].Unit), Sale: i + 1})
	}
	lo, hi := page(p, 1, len(all))
	return append([]line{}, all[lo:hi]...), nil
}

// saleHeads answers sale.sale.read: one sale per sale line.
func (s *Server) saleHeads(p []json.RawMessage) (any, error) {
	var ids []int
	if err := json.Unmarshal(p[0], &ids); err != nil {
		return nil, fmt.Errorf("bad ids %s", p[0])
	}
	var out []map[string]any
	for _, id := range ids {
		if id < 1 || id > len(s.sales) {
			continue
		}
		sa := s.sales[id-1]
		d, err := tryton.ParseDate(sa.Date)
		if err != nil {
			return nil, err
		}
		out = append(out, map[string]any{"id": id, "sale_date": d, "warehouse": s.warehouseID(sa.Warehouse)})
	}
	return out, nil
}

// purchasesByRef answers purchase.purchase.search_read [["reference","=",…]].
func (s *Server) purchasesByRef(p []json.RawMessage) (any, error) {
	cs, err := parseDomain(p[0])
	if err != nil {
		return nil, err
	}
	var ref string
	if c, ok := find(cs, "reference"); ok {
		_ = json.Unmarshal(c.value, &ref)
	}
	out := []map[string]any{}
	for _, pu := range s.purchases {
		if pu.Reference == ref {
			out = append(out, purchaseJSON(pu))
		}
	}
	return out, nil
}

// purchaseJSON is a purchase as purchase.purchase.read returns it.
func purchaseJSON(p Purchase) map[string]any {
	var number any
	if p.Number != "" {
		number = p.Number
	}
	return map[string]any{"id": p.ID, "number": number, "state": p.State, "reference": p.Reference}
}

// createPurchase answers purchase.purchase.create for one purchase with
// created lines, checking what Tryton would refuse.
func (s *Server) createPurchase(p []json.RawMessage) (any, error) {
	var vals []struct {
		Party          int                 `json:"party"`
		InvoiceAddress int                 `json:"invoice_address"`
		Warehouse      int                 `json:"warehouse"`
		Reference      string              `json:"reference"`
		PurchaseDate   tryton.Date         `json:"purchase_date"`
		RawLines       [][]json.RawMessage `json:"lines"`
	}
	if err := json.Unmarshal(p[0], &vals); err != nil || len(vals) != 1 {
		return nil, fmt.Errorf("trytonfake creates one purchase per call: %v", err)
	}
	v := vals[0]
	if _, ok := s.parties[v.Party]; !ok || v.InvoiceAddress == 0 {
		return nil, fmt.Errorf("purchase needs a known party and an invoice address")
	}
	pu := Purchase{ID: len(s.purchases) + 1, State: "draft", Reference: v.Reference, Party: v.Party, Warehouse: v.Warehouse}
	if !v.PurchaseDate.IsZero() {
		pu.Date = v.PurchaseDate.String()
	}
	for _, cmd := range v.RawLines {
		if len(cmd) != 2 || string(cmd[0]) != `"create"` {
			return nil, fmt.Errorf("trytonfake takes only create commands for lines")
		}
		var rows []struct {
			Product   int            `json:"product"`
			Quantity  float64        `json:"quantity"`
			UnitPrice tryton.Decimal `json:"unit_price"`
		}
		if err := json.Unmarshal(cmd[1], &rows); err != nil {
			return nil, err
		}
		for _, r := range rows {
			if r.Product < 1 || r.Product > len(s.products) || r.UnitPrice == "" {
				return nil, fmt.Errorf("purchase line needs a known product and a unit price")
			}
			pu.Lines = append(pu.Lines, PurchaseLine{Code: s.products[r.Product-1].Code, Quantity: r.Quantity, UnitPrice: string(r.UnitPrice)})
		}
	}
	s.purchases = append(s.purchases, pu)
	return []int{pu.ID}, nil
}

// purchaseStep answers quote (draft → quotation, numbered) and confirm
// (quotation → processing).
func (s *Server) purchaseStep(method string, p []json.RawMessage) (any, error) {
	var ids []int
	if err := json.Unmarshal(p[0], &ids); err != nil {
		return nil, fmt.Errorf("bad ids %s", p[0])
	}
	for _, id := range ids {
		if id < 1 || id > len(s.purchases) {
			return nil, fmt.Errorf("no purchase %d", id)
		}
		pu := &s.purchases[id-1]
		switch {
		case method == "model.purchase.purchase.quote" && pu.State == "draft":
			pu.State, pu.Number = "quotation", itoa(id)
		case method == "model.purchase.purchase.confirm" && pu.State == "quotation":
			pu.State = "processing"
		}
	}
	return nil, nil
}
