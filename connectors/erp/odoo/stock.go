package odoo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
)

// PageSize is how many records one search_read asks for: 10,000 quants take
// ten calls per warehouse, and one reply stays around a megabyte.
const PageSize = 1000

// Source is StockSnapshot.Source for snapshots read from Odoo.
const Source = "odoo"

var _ connectors.StockReader = (*Client)(nil)

// incomingStates are the states of a stock.move that is planned but not
// done: a confirmed purchase's receipt waiting for the goods.
var incomingStates = []string{"confirmed", "waiting", "assigned", "partially_available"}

// warehouse is a stock.warehouse; its view location is the parent of all
// its locations.
type warehouse struct {
	ID   int      `json:"id"`
	Code Text     `json:"code"`
	Name Text     `json:"name"`
	View Many2One `json:"view_location_id"`
}

// quant is the part of stock.quant ReadStock sums.
type quant struct {
	ID       int      `json:"id"`
	Product  Many2One `json:"product_id"`
	Quantity Number   `json:"quantity"`
	Reserved Number   `json:"reserved_quantity"`
}

func (q quant) recordID() int { return q.ID }

// move is the part of a planned receipt (stock.move) ReadStock sums.
type move struct {
	ID      int      `json:"id"`
	Product Many2One `json:"product_id"`
	Qty     Number   `json:"product_qty"`
}

func (m move) recordID() int { return m.ID }

// productInfo is the part of product.product a stock row names.
type productInfo struct {
	ID   int      `json:"id"`
	Code Text     `json:"default_code"`
	Name Text     `json:"name"`
	UoM  Many2One `json:"uom_id"`
}

// level is one product's sums at one warehouse.
type level struct{ onHand, reserved, onOrder decimalSum }

// ReadStock reads the stock of each configured warehouse (all warehouses
// when Config.Warehouses is empty) from Odoo's quants, and the confirmed
// sales of q's days.
//
// Per warehouse and product: OnHand sums quantity and Reserved sums
// reserved_quantity over the quants of internal locations under the
// warehouse's view location; Available is OnHand − Reserved, never below
// zero; OnOrder sums product_qty (the product's unit) of the planned
// receipts into the warehouse. A product appears at a warehouse when it
// has a quant or a planned receipt there; products without an internal
// reference (default_code) are skipped and counted in a log line.
func (c *Client) ReadStock(ctx context.Context, q connectors.StockQuery) (connectors.StockSnapshot, error) {
	snap := connectors.StockSnapshot{Source: Source, AsOf: c.now().UTC()}
	whs, err := c.warehouses(ctx)
	if err != nil {
		return snap, err
	}
	perWH := make([]map[int]*level, len(whs))
	var ids []int
	for i, wh := range whs {
		levels, err := c.warehouseLevels(ctx, wh)
		if err != nil {
			return snap, err
		}
		perWH[i] = levels
		for id := range levels {
			ids = append(ids, id)
		}
	}
	products := map[int]productInfo{}
	if err := c.readProducts(ctx, products, uniq(ids)); err != nil {
		return snap, err
	}
	skipped := map[int]bool{}
	for i, wh := range whs {
		for id, l := range perWH[i] {
			p := products[id]
			code := strings.TrimSpace(string(p.Code))
			if code == "" {
				skipped[id] = true
				continue
			}
			available := decimalSum{}
			available.r.Sub(&l.onHand.r, &l.reserved.r)
			if available.r.Sign() < 0 {
				available = decimalSum{}
			}
			snap.Levels = append(snap.Levels, connectors.StockRow{
				Location:  string(wh.Code),
				Code:      code,
				Name:      string(p.Name),
				OnHand:    l.onHand.String(),
				Available: available.String(),
				Reserved:  l.reserved.String(),
				OnOrder:   l.onOrder.String(),
				Unit:      p.UoM.Name,
			})
		}
	}
	if len(skipped) > 0 {
		c.log.Info("skipped odoo products without an internal reference", "skipped", len(skipped), "products", len(products))
	}
	slices.SortFunc(snap.Levels, func(a, b connectors.StockRow) int {
		return cmp.Or(cmp.Compare(a.Location, b.Location), cmp.Compare(a.Code, b.Code), cmp.Compare(a.Unit, b.Unit))
	})
	if q.SalesFrom == "" && q.SalesTo == "" {
		return snap, nil
	}
	sales, err := c.readSales(ctx, q, whs, products)
	if err != nil {
		return snap, err
	}
	snap.SalesFrom, snap.SalesTo, snap.Sales = q.SalesFrom, q.SalesTo, sales
	return snap, nil
}

// warehouses returns the configured warehouses, or all of them.
func (c *Client) warehouses(ctx context.Context) ([]warehouse, error) {
	var all []warehouse
	kw := map[string]any{"fields": []string{"code", "name", "view_location_id"}, "order": "id asc"}
	if err := c.Execute(ctx, "stock.warehouse", "search_read", []any{[]any{}}, kw, &all); err != nil {
		return nil, fmt.Errorf("listing odoo warehouses: %w", err)
	}
	if len(c.cfg.Warehouses) == 0 {
		if len(all) == 0 {
			return nil, permanent(fmt.Errorf("odoo database %q has no warehouse", c.cfg.Database))
		}
		return all, nil
	}
	byCode := make(map[string]warehouse, len(all))
	found := make([]string, 0, len(all))
	for _, w := range all {
		byCode[string(w.Code)] = w
		found = append(found, string(w.Code))
	}
	var whs []warehouse
	for _, code := range c.cfg.Warehouses {
		w, ok := byCode[code]
		if !ok {
			return nil, permanent(fmt.Errorf("warehouses: odoo has no warehouse with code %q (found: %s)", code, strings.Join(found, ", ")))
		}
		whs = append(whs, w)
	}
	return whs, nil
}

// warehouseLevels sums the quants and planned receipts of wh per product id.
func (c *Client) warehouseLevels(ctx context.Context, wh warehouse) (map[int]*level, error) {
	if wh.View.ID == 0 {
		return nil, permanent(fmt.Errorf("odoo warehouse %q has no view location", wh.Code))
	}
	levels := map[int]*level{}
	get := func(id int) *level {
		l := levels[id]
		if l == nil {
			l = &level{}
			levels[id] = l
		}
		return l
	}
	quants := []any{
		[]any{"location_id.usage", "=", "internal"},
		[]any{"location_id", "child_of", wh.View.ID},
	}
	err := pages(ctx, c, "stock.quant", quants, []string{"product_id", "quantity", "reserved_quantity"}, func(q quant) error {
		l := get(q.Product.ID)
		if err := l.onHand.add(q.Quantity); err != nil {
			return fmt.Errorf("quant %d quantity: %w", q.ID, err)
		}
		if err := l.reserved.add(q.Reserved); err != nil {
			return fmt.Errorf("quant %d reserved_quantity: %w", q.ID, err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the quants of warehouse %q: %w", wh.Code, err)
	}
	moves := []any{
		[]any{"state", "in", incomingStates},
		[]any{"location_dest_id", "child_of", wh.View.ID},
		[]any{"picking_type_id.code", "=", "incoming"},
	}
	err = pages(ctx, c, "stock.move", moves, []string{"product_id", "product_qty"}, func(m move) error {
		if err := get(m.Product.ID).onOrder.add(m.Qty); err != nil {
			return fmt.Errorf("move %d product_qty: %w", m.ID, err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the planned receipts of warehouse %q: %w", wh.Code, err)
	}
	delete(levels, 0) // a record without a product, if Odoo ever sends one
	return levels, nil
}

// readProducts adds the products with the ids to products, in pages;
// archived products count (they may still hold stock).
func (c *Client) readProducts(ctx context.Context, products map[int]productInfo, ids []int) error {
	var missing []int
	for _, id := range ids {
		if _, ok := products[id]; !ok {
			missing = append(missing, id)
		}
	}
	for start := 0; start < len(missing); start += PageSize {
		page := missing[start:min(start+PageSize, len(missing))]
		var rows []productInfo
		kw := map[string]any{"fields": []string{"default_code", "name", "uom_id"}, "context": map[string]any{"active_test": false}}
		if err := c.Execute(ctx, "product.product", "search_read", []any{[]any{[]any{"id", "in", page}}}, kw, &rows); err != nil {
			return fmt.Errorf("reading odoo products %d–%d of %d: %w", start+1, start+len(page), len(missing), err)
		}
		for _, p := range rows {
			products[p.ID] = p
		}
	}
	return nil
}

// pages reads every record of model matching domain, PageSize at a time,
// and hands each to fn. It pages by id (id > the last one seen) rather than
// by offset, so a record added or removed between two pages neither
// shifts another record out of the read nor into it twice.
func pages[T interface{ recordID() int }](ctx context.Context, c *Client, model string, domain []any, fields []string, fn func(T) error) error {
	last := 0
	for {
		d := append(slices.Clip(domain), []any{"id", ">", last})
		kw := map[string]any{"fields": fields, "limit": PageSize, "order": "id asc"}
		var page []T
		if err := c.Execute(ctx, model, "search_read", []any{d}, kw, &page); err != nil {
			return err
		}
		for _, r := range page {
			if err := fn(r); err != nil {
				return permanent(err)
			}
			last = max(last, r.recordID())
		}
		if len(page) < PageSize {
			return nil
		}
	}
}

// uniq returns the distinct values of s, sorted.
func uniq[T cmp.Ordered](s []T) []T {
	slices.Sort(s)
	return slices.Compact(s)
}
