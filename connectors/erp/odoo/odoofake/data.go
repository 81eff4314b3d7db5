package odoofake

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Product is a product.product; an empty Code is a product without an
// internal reference. UoM is "Units" (default) or "kg", or a new unit.
type Product struct {
	Code     string
	Name     string
	UoM      string
	Archived bool
}

// Quant is stock of a product at a location ("WH/Stock"); quantities are
// decimal text ("12.5"), sent as Python writes floats ("12.0").
type Quant struct {
	Product  int
	Location string
	Quantity string
	Reserved string
}

// Move is a planned receipt (picking type incoming) into a warehouse's
// stock location; State defaults to "assigned".
type Move struct {
	Product   int
	Warehouse string
	Quantity  string
	State     string
}

// Sale is one sale order with one line; State defaults to "sale"
// (confirmed); Date is "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" (UTC).
type Sale struct {
	Date      string
	Warehouse string
	Product   int
	Quantity  string
	UoM       string
	State     string
}

// PurchaseOrder is a purchase.order made through the fake.
type PurchaseOrder struct {
	ID         int
	Name       string
	State      string
	Origin     string
	PartnerRef string
	Partner    int
	DateOrder  string
	Currency   int
	PickType   int
	Lines      []PurchaseLine
}

// PurchaseLine is one line of a PurchaseOrder; numbers as sent.
type PurchaseLine struct {
	Code      string
	Name      string
	Quantity  string
	PriceUnit string
	UoM       string
}

// AddWarehouse adds a warehouse with its view location CODE, its stock
// location CODE/Stock and a receipt operation type, and returns its id.
func (s *Server) AddWarehouse(code string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	loc := s.models["stock.location"]
	view := loc.add(rec{"name": code, "complete_name": code, "usage": "view", "location_id": 0})
	stock := loc.add(rec{"name": "Stock", "complete_name": code + "/Stock", "usage": "internal", "location_id": view})
	id := s.models["stock.warehouse"].add(rec{"name": "Warehouse " + code, "code": code, "view_location_id": view, "lot_stock_id": stock})
	s.models["stock.picking.type"].add(rec{"name": code + ": Receipts", "code": "incoming", "warehouse_id": id, "default_location_dest_id": stock})
	return id
}

// AddLocation adds a location named name under the location parent
// ("WH/Stock"), with usage "internal", "view", "transit"…, and returns
// its complete name ("WH/Stock/Shelf 1").
func (s *Server) AddLocation(parent, name, usage string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.lookupID("stock.location", "complete_name", parent)
	if p == 0 {
		panic(fmt.Sprintf("odoofake: no location %q", parent))
	}
	full := parent + "/" + name
	s.models["stock.location"].add(rec{"name": name, "complete_name": full, "usage": usage, "location_id": p})
	return full
}

// uomID returns the id of the unit named name, adding it; mu held.
func (s *Server) uomID(name string) int {
	if name == "" {
		name = "Units"
	}
	if id := s.lookupID("uom.uom", "name", name); id != 0 {
		return id
	}
	return s.models["uom.uom"].add(rec{"name": name})
}

// AddProduct adds a product and returns its id.
func (s *Server) AddProduct(p Product) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var code any = false
	if p.Code != "" {
		code = p.Code
	}
	u := s.uomID(p.UoM)
	return s.models["product.product"].add(rec{"default_code": code, "name": p.Name, "uom_id": u, "uom_po_id": u, "active": !p.Archived})
}

// AddProducts adds many products at once (faster than AddProduct in a
// loop only in that it locks once) and returns the first id.
func (s *Server) AddProducts(ps []Product) int {
	first := 0
	for i, p := range ps {
		id := s.AddProduct(p)
		if i == 0 {
			first = id
		}
	}
	return first
}

// AddQuant adds a quant and returns its id.
func (s *Server) AddQuant(q Quant) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	loc := s.lookupID("stock.location", "complete_name", q.Location)
	if loc == 0 {
		panic(fmt.Sprintf("odoofake: no location %q", q.Location))
	}
	return s.models["stock.quant"].add(rec{"product_id": q.Product, "location_id": loc, "quantity": pyFloat(q.Quantity), "reserved_quantity": pyFloat(q.Reserved)})
}

// AddMove adds a planned receipt and returns its id.
func (s *Server) AddMove(m Move) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.State == "" {
		m.State = "assigned"
	}
	return s.addMove(m.Product, m.Warehouse, pyFloat(m.Quantity), m.State, 0)
}

// addMove adds a receipt move into the warehouse's stock; mu held.
func (s *Server) addMove(product int, warehouse string, qty json.Number, state string, line int) int {
	wh := s.lookupID("stock.warehouse", "code", warehouse)
	if wh == 0 {
		panic(fmt.Sprintf("odoofake: no warehouse %q", warehouse))
	}
	pt := s.lookupID("stock.picking.type", "warehouse_id", wh)
	dest := s.models["stock.warehouse"].byID[wh]["lot_stock_id"]
	vendors := s.lookupID("stock.location", "complete_name", "Partners/Vendors")
	uom := s.models["product.product"].byID[product]["uom_id"]
	return s.models["stock.move"].add(rec{"product_id": product, "product_qty": qty, "product_uom_qty": qty, "product_uom": uom, "state": state,
		"location_id": vendors, "location_dest_id": dest, "picking_type_id": pt, "purchase_line_id": line})
}

// AddSale adds a sale order with one line and returns the order's id.
func (s *Server) AddSale(sale Sale) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sale.State == "" {
		sale.State = "sale"
	}
	if len(sale.Date) == len("2006-01-02") {
		sale.Date += " 10:00:00"
	}
	wh := s.lookupID("stock.warehouse", "code", sale.Warehouse)
	orders := s.models["sale.order"]
	id := orders.add(rec{"name": fmt.Sprintf("S%05d", orders.nextID), "state": sale.State, "date_order": sale.Date, "warehouse_id": wh})
	uom := s.models["product.product"].byID[sale.Product]["uom_id"]
	if sale.UoM != "" {
		uom = s.uomID(sale.UoM)
	}
	s.models["sale.order.line"].add(rec{"order_id": id, "product_id": sale.Product, "product_uom_qty": pyFloat(sale.Quantity), "product_uom": uom, "name": "line"})
	return id
}

// AddPartner adds a company partner and returns its id.
func (s *Server) AddPartner(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.models["res.partner"].add(rec{"name": name, "parent_id": 0})
}

// PurchaseOrders returns the purchase orders made so far, with their lines.
func (s *Server) PurchaseOrders() []PurchaseOrder {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []PurchaseOrder
	for _, r := range s.models["purchase.order"].rows {
		po := PurchaseOrder{ID: r["id"].(int), Name: str(r["name"]), State: str(r["state"]), Origin: str(r["origin"]),
			PartnerRef: str(r["partner_ref"]), Partner: r["partner_id"].(int), DateOrder: str(r["date_order"]),
			Currency: r["currency_id"].(int), PickType: r["picking_type_id"].(int)}
		for _, l := range s.models["purchase.order.line"].rows {
			if l["order_id"] != po.ID {
				continue
			}
			p := s.models["product.product"].byID[l["product_id"].(int)]
			po.Lines = append(po.Lines, PurchaseLine{Code: str(p["default_code"]), Name: str(l["name"]),
				Quantity: string(l["product_qty"].(json.Number)), PriceUnit: string(l["price_unit"].(json.Number)),
				UoM: str(s.models["uom.uom"].byID[l["product_uom"].(int)]["name"])})
		}
		out = append(out, po)
	}
	return out
}

// str returns a text value, "" for false.
func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

// exceptionName turns a short exception name into Odoo's full one.
func exceptionName(n string) string {
	if strings.Contains(n, ".") {
		return n
	}
	return "odoo.exceptions." + n
}
