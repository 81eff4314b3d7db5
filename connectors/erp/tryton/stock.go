package tryton

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
)

// PageSize is how many records one read or search_read asks for: large
// enough that 100,000 products take 100 calls per warehouse, small enough
// that one reply stays around a megabyte.
const PageSize = 1000

// Source is StockSnapshot.Source for snapshots read from Tryton.
const Source = "tryton"

var _ connectors.StockReader = (*Client)(nil)

// warehouse is a stock.location of type warehouse.
type warehouse struct {
	ID   int    `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// product is the part of product.product ReadStock uses; the quantities
// are those of the locations in the call's context.
type product struct {
	ID               int     `json:"id"`
	Code             string  `json:"code"`
	Name             string  `json:"name"`
	Quantity         float64 `json:"quantity"`
	ForecastQuantity float64 `json:"forecast_quantity"`
	DefaultUOM       Ref     `json:"default_uom"`
}

// ReadStock reads the stock of every product with a code at each
// configured warehouse (all warehouses when Config.Warehouses is empty),
// and the confirmed sales of q's days.
//
// OnHand and Available are Tryton's quantity at the warehouse and its
// child locations. Tryton 6.0 keeps no reservation on a product's stock
// (assigned moves still count as on hand), so Available equals OnHand and
// Reserved stays empty. OnOrder is what planned incoming moves from
// supplier locations (state draft or assigned: confirmed purchases not yet
// received) bring into the warehouse, in the product's default unit;
// forecast_quantity − quantity would subtract planned sales too.
func (c *Client) ReadStock(ctx context.Context, q connectors.StockQuery) (connectors.StockSnapshot, error) {
	snap := connectors.StockSnapshot{Source: Source, AsOf: c.now().UTC()}
	whs, err := c.warehouses(ctx)
	if err != nil {
		return snap, err
	}
	ids, err := c.productIDs(ctx)
	if err != nil {
		return snap, err
	}
	units := map[Ref]string{}
	codes := map[int]string{} // product id → code, for the sales
	skipped := 0
	for i, wh := range whs {
		onOrder, err := c.incoming(ctx, wh)
		if err != nil {
			return snap, err
		}
		for start := 0; start < len(ids); start += PageSize {
			page := ids[start:min(start+PageSize, len(ids))]
			var prods []product
			fields := []string{"code", "name", "quantity", "forecast_quantity", "default_uom"}
			extra := map[string]any{"locations": []int{wh.ID}}
			if err := c.Execute(ctx, "product.product", "read", []any{page, fields}, extra, &prods); err != nil {
				return snap, fmt.Errorf("reading products %d–%d of %d at warehouse %q: %w", start+1, start+len(page), len(ids), wh.Code, err)
			}
			if err := c.unitSymbols(ctx, units, prods); err != nil {
				return snap, err
			}
			for _, p := range prods {
				code := strings.TrimSpace(p.Code)
				if code == "" {
					if i == 0 {
						skipped++
					}
					continue
				}
				codes[p.ID] = code
				row := connectors.StockRow{
					Location:  wh.Code,
					Code:      code,
					Name:      p.Name,
					OnHand:    formatQuantity(p.Quantity),
					Available: formatQuantity(p.Quantity),
					OnOrder:   "0",
					Unit:      units[p.DefaultUOM],
				}
				if s, ok := onOrder[p.ID]; ok {
					row.OnOrder = s.String()
				}
				snap.Levels = append(snap.Levels, row)
			}
		}
	}
	if skipped > 0 {
		c.log.Info("skipped tryton products without a code", "skipped", skipped, "products", len(ids))
	}
	slices.SortStableFunc(snap.Levels, func(a, b connectors.StockRow) int {
		return cmp.Or(cmp.Compare(a.Location, b.Location), cmp.Compare(a.Code, b.Code))
	})
	if q.SalesFrom == "" && q.SalesTo == "" {
		return snap, nil
	}
	sales, err := c.readSales(ctx, q, whs, codes, units)
	if err != nil {
		return snap, err
	}
	snap.SalesFrom, snap.SalesTo, snap.Sales = q.SalesFrom, q.SalesTo, sales
	return snap, nil
}

// warehouses returns the configured warehouses, or all of them.
func (c *Client) warehouses(ctx context.Context) ([]warehouse, error) {
	var all []warehouse
	args := []any{[]any{[]any{"type", "=", "warehouse"}}, 0, nil, [][]string{{"id", "ASC"}}, []string{"code", "name"}}
	if err := c.Execute(ctx, "stock.location", "search_read", args, nil, &all); err != nil {
		return nil, fmt.Errorf("listing tryton warehouses: %w", err)
	}
	if len(c.cfg.Warehouses) == 0 {
		if len(all) == 0 {
			return nil, permanent(fmt.Errorf("tryton database %q has no warehouse", c.cfg.Database))
		}
		return all, nil
	}
	byCode := make(map[string]warehouse, len(all))
	found := make([]string, 0, len(all))
	for _, w := range all {
		byCode[w.Code] = w
		found = append(found, w.Code)
	}
	var whs []warehouse
	for _, code := range c.cfg.Warehouses {
		w, ok := byCode[code]
		if !ok {
			return nil, permanent(fmt.Errorf("warehouses: tryton has no warehouse with code %q (found: %s)", code, strings.Join(found, ", ")))
		}
		whs = append(whs, w)
	}
	return whs, nil
}

// productIDs returns the ids of the active stockable products (type goods),
// in id order.
func (c *Client) productIDs(ctx context.Context) ([]int, error) {
	var ids []int
	args := []any{[]any{[]any{"type", "=", "goods"}}, 0, nil, [][]string{{"id", "ASC"}}}
	if err := c.Execute(ctx, "product.product", "search", args, nil, &ids); err != nil {
		return nil, fmt.Errorf("listing tryton products: %w", err)
	}
	return ids, nil
}

// unitSymbols adds the symbols of the products' units not yet in units.
func (c *Client) unitSymbols(ctx context.Context, units map[Ref]string, prods []product) error {
	var missing []Ref
	for _, p := range prods {
		if _, ok := units[p.DefaultUOM]; !ok && p.DefaultUOM != 0 && !slices.Contains(missing, p.DefaultUOM) {
			missing = append(missing, p.DefaultUOM)
		}
	}
	return c.readUnits(ctx, units, missing)
}

// readUnits reads the symbols of the unit ids into units.
func (c *Client) readUnits(ctx context.Context, units map[Ref]string, ids []Ref) error {
	if len(ids) == 0 {
		return nil
	}
	var rows []struct {
		ID     Ref    `json:"id"`
		Symbol string `json:"symbol"`
	}
	if err := c.Execute(ctx, "product.uom", "read", []any{ids, []string{"symbol"}}, nil, &rows); err != nil {
		return fmt.Errorf("reading tryton units %v: %w", ids, err)
	}
	for _, r := range rows {
		units[r.ID] = r.Symbol
	}
	return nil
}

// incoming sums the planned incoming moves from suppliers into wh per
// product id, in each product's default unit (internal_quantity).
func (c *Client) incoming(ctx context.Context, wh warehouse) (map[int]*decimalSum, error) {
	domain := []any{
		[]any{"to_location", "child_of", []int{wh.ID}, "parent"},
		[]any{"from_location.type", "=", "supplier"},
		[]any{"state", "in", []string{"draft", "assigned"}},
	}
	sums := map[int]*decimalSum{}
	for offset := 0; ; offset += PageSize {
		var moves []struct {
			Product          Ref     `json:"product"`
			InternalQuantity float64 `json:"internal_quantity"`
		}
		args := []any{domain, offset, PageSize, [][]string{{"id", "ASC"}}, []string{"product", "internal_quantity"}}
		if err := c.Execute(ctx, "stock.move", "search_read", args, nil, &moves); err != nil {
			return nil, fmt.Errorf("reading incoming moves of warehouse %q: %w", wh.Code, err)
		}
		for _, m := range moves {
			s := sums[int(m.Product)]
			if s == nil {
				s = &decimalSum{}
				sums[int(m.Product)] = s
			}
			s.addFloat(m.InternalQuantity)
		}
		if len(moves) < PageSize {
			return sums, nil
		}
	}
}
