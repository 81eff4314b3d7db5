package trytontest

import (
	"database/sql"
	"testing"
	"time"

	"github.com/dealerhub/dealerhub/connectors/erp/tryton"

	_ "modernc.org/sqlite" // ExpireSessions edits the server's SQLite file
)

// unitID is the id of the unit "u" the product module creates.
const unitID = 1

// CreateProduct creates a stockable product (a template and its variant)
// with the code, sold and bought in units, and returns the variant's id.
func (s *Server) CreateProduct(t testing.TB, code, name, listPrice string) int {
	t.Helper()
	tmpl := map[string]any{
		"name": name, "code": code, "type": "goods", "default_uom": unitID,
		"list_price": tryton.Decimal(listPrice), "purchasable": true, "purchase_uom": unitID,
		"salable": true, "sale_uom": unitID,
		"products": []any{[]any{"create", []any{map[string]any{"cost_price": tryton.Decimal(listPrice)}}}},
	}
	var ids []int
	s.exec(t, "product.template", "create", []any{[]any{tmpl}}, &ids)
	var prods []int
	s.exec(t, "product.product", "search", []any{[]any{[]any{"template", "=", ids[0]}}, 0, 1, nil}, &prods)
	if len(prods) != 1 {
		t.Fatalf("trytontest: product %q: template %d has %d variants", code, ids[0], len(prods))
	}
	return prods[0]
}

// warehouse returns the ids of the warehouse with code and its storage location.
func (s *Server) warehouse(t testing.TB, code string) (id, storage int) {
	t.Helper()
	var whs []struct {
		ID      int        `json:"id"`
		Storage tryton.Ref `json:"storage_location"`
	}
	s.exec(t, "stock.location", "search_read", []any{[]any{[]any{"type", "=", "warehouse"}, []any{"code", "=", code}}, 0, 1, nil, []string{"storage_location"}}, &whs)
	if len(whs) != 1 {
		t.Fatalf("trytontest: no warehouse with code %q", code)
	}
	return whs[0].ID, int(whs[0].Storage)
}

// productIDs returns the ids of products by code, failing on a missing one.
func (s *Server) productIDs(t testing.TB, codes []string) map[string]int {
	t.Helper()
	var rows []struct {
		ID   int    `json:"id"`
		Code string `json:"code"`
	}
	s.exec(t, "product.product", "search_read", []any{[]any{[]any{"code", "in", codes}}, 0, nil, nil, []string{"code"}}, &rows)
	ids := map[string]int{}
	for _, r := range rows {
		ids[r.Code] = r.ID
	}
	for _, c := range codes {
		if _, ok := ids[c]; !ok {
			t.Fatalf("trytontest: no product with code %q", c)
		}
	}
	return ids
}

// company returns the seeded company's id.
func (s *Server) company(t testing.TB) int {
	t.Helper()
	var ids []int
	s.exec(t, "company.company", "search", []any{[]any{}, 0, 1, nil}, &ids)
	if len(ids) != 1 {
		t.Fatal("trytontest: the database has no company")
	}
	return ids[0]
}

// SetStock sets the quantities of products (by code) in the warehouse's
// storage location to the given absolute values, with a confirmed
// inventory.
func (s *Server) SetStock(t testing.TB, warehouseCode string, qty map[string]float64) {
	t.Helper()
	_, storage := s.warehouse(t, warehouseCode)
	codes := make([]string, 0, len(qty))
	for c := range qty {
		codes = append(codes, c)
	}
	ids := s.productIDs(t, codes)
	lines := make([]any, 0, len(qty))
	for code, q := range qty {
		lines = append(lines, map[string]any{"product": ids[code], "quantity": q})
	}
	inv := map[string]any{"location": storage, "company": s.company(t), "date": tryton.DateOf(time.Now()),
		"lines": []any{[]any{"create", lines}}}
	var inventories []int
	s.exec(t, "stock.inventory", "create", []any{[]any{inv}}, &inventories)
	s.exec(t, "stock.inventory", "confirm", []any{inventories}, nil)
}

// CreateSupplier creates a party with an address and returns its id.
func (s *Server) CreateSupplier(t testing.TB, name string) int {
	t.Helper()
	party := map[string]any{"name": name, "addresses": []any{[]any{"create", []any{map[string]any{"street": "1 Supply Rd", "city": "Springfield"}}}}}
	var ids []int
	s.exec(t, "party.party", "create", []any{[]any{party}}, &ids)
	return ids[0]
}

// Sell records a confirmed sale of qty units of the product to the seeded
// customer, dated date, from the first warehouse.
func (s *Server) Sell(t testing.TB, code string, qty float64, date time.Time) {
	t.Helper()
	ids := s.productIDs(t, []string{code})
	var parties []int
	s.exec(t, "party.party", "search", []any{[]any{[]any{"name", "=", CustomerName}}, 0, 1, nil}, &parties)
	var addrs []int
	s.exec(t, "party.address", "search", []any{[]any{[]any{"party", "=", parties[0]}}, 0, 1, nil}, &addrs)
	var whs []int
	s.exec(t, "stock.location", "search", []any{[]any{[]any{"type", "=", "warehouse"}}, 0, 1, [][]string{{"id", "ASC"}}}, &whs)
	var curs []int
	s.exec(t, "currency.currency", "search", []any{[]any{[]any{"code", "=", "USD"}}, 0, 1, nil}, &curs)
	sale := map[string]any{"company": s.company(t), "party": parties[0], "invoice_address": addrs[0], "shipment_address": addrs[0],
		"currency": curs[0], "warehouse": whs[0], "sale_date": tryton.DateOf(date), "invoice_method": "manual", "shipment_method": "order",
		"lines": []any{[]any{"create", []any{map[string]any{"type": "line", "product": ids[code], "description": code,
			"quantity": qty, "unit": unitID, "unit_price": tryton.Decimal("1.00")}}}}}
	var sales []int
	s.exec(t, "sale.sale", "create", []any{[]any{sale}}, &sales)
	s.exec(t, "sale.sale", "quote", []any{sales}, nil)
	s.exec(t, "sale.sale", "confirm", []any{sales}, nil)
}

// PurchaseRow is a purchase as Purchases reads it.
type PurchaseRow struct {
	ID        int
	Number    string
	State     string
	Reference string
	Lines     []PurchaseLineRow
}

// PurchaseLineRow is one line of a PurchaseRow.
type PurchaseLineRow struct {
	Code      string
	Quantity  float64
	UnitPrice string
}

// Purchases returns the purchases whose reference is reference, with their
// lines, in id order.
func (s *Server) Purchases(t testing.TB, reference string) []PurchaseRow {
	t.Helper()
	var heads []struct {
		ID        int     `json:"id"`
		Number    *string `json:"number"`
		State     string  `json:"state"`
		Reference string  `json:"reference"`
		Lines     []int   `json:"lines"`
	}
	s.exec(t, "purchase.purchase", "search_read", []any{[]any{[]any{"reference", "=", reference}}, 0, nil, [][]string{{"id", "ASC"}},
		[]string{"number", "state", "reference", "lines"}}, &heads)
	var out []PurchaseRow
	for _, h := range heads {
		row := PurchaseRow{ID: h.ID, State: h.State, Reference: h.Reference}
		if h.Number != nil {
			row.Number = *h.Number
		}
		var lines []struct {
			Product   tryton.Ref     `json:"product"`
			Quantity  float64        `json:"quantity"`
			UnitPrice tryton.Decimal `json:"unit_price"`
		}
		s.exec(t, "purchase.line", "read", []any{h.Lines, []string{"product", "quantity", "unit_price"}}, &lines)
		for _, l := range lines {
			var prods []struct {
				Code string `json:"code"`
			}
			s.exec(t, "product.product", "read", []any{[]int{int(l.Product)}, []string{"code"}}, &prods)
			row.Lines = append(row.Lines, PurchaseLineRow{Code: prods[0].Code, Quantity: l.Quantity, UnitPrice: string(l.UnitPrice)})
		}
		out = append(out, row)
	}
	return out
}

// ExpireSessions deletes every session from the database, as an expiry
// would: the next call with a session gets HTTP 401.
func (s *Server) ExpireSessions(t testing.TB) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+s.DatabaseFile()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatalf("trytontest: opening %s: %v", s.DatabaseFile(), err)
	}
	defer db.Close()
	res, err := db.Exec(`DELETE FROM ir_session`)
	if err != nil {
		t.Fatalf("trytontest: deleting the sessions: %v", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		t.Fatalf("trytontest: no session to expire in %s", s.DatabaseFile())
	}
}
