package odoo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
)

// saleStates are the states of a sale.order whose lines count as sold.
var saleStates = []string{"sale", "done"}

// saleLine is the part of sale.order.line the sales sums need.
type saleLine struct {
	ID      int      `json:"id"`
	Order   Many2One `json:"order_id"`
	Product Many2One `json:"product_id"`
	Qty     Number   `json:"product_uom_qty"`
	UoM     Many2One `json:"product_uom"`
}

func (l saleLine) recordID() int { return l.ID }

// saleOrder is the part of sale.order the sales sums need.
type saleOrder struct {
	ID        int      `json:"id"`
	DateOrder Text     `json:"date_order"` // "2026-11-24 13:45:00", UTC
	Warehouse Many2One `json:"warehouse_id"`
}

// readSales sums the lines of confirmed sale orders (state sale or done)
// whose date_order falls in q's days, at the warehouses read, per (day,
// warehouse code, product code, line unit). Odoo stores date_order in UTC
// and the day is the UTC day. products holds what ReadStock already read;
// products not among them are read here.
func (c *Client) readSales(ctx context.Context, q connectors.StockQuery, whs []warehouse, products map[int]productInfo) ([]connectors.SalesRow, error) {
	from, err := time.Parse(time.DateOnly, q.SalesFrom)
	if err != nil {
		return nil, permanent(fmt.Errorf("sales from: %q is not YYYY-MM-DD", q.SalesFrom))
	}
	to, err := time.Parse(time.DateOnly, q.SalesTo)
	if err != nil {
		return nil, permanent(fmt.Errorf("sales to: %q is not YYYY-MM-DD", q.SalesTo))
	}
	if to.Before(from) {
		return nil, permanent(fmt.Errorf("sales: from %s is after to %s", q.SalesFrom, q.SalesTo))
	}
	whCode := map[int]string{}
	whIDs := make([]int, 0, len(whs))
	for _, w := range whs {
		whCode[w.ID] = string(w.Code)
		whIDs = append(whIDs, w.ID)
	}
	domain := []any{
		[]any{"order_id.state", "in", saleStates},
		[]any{"order_id.date_order", ">=", from.Format(time.DateOnly) + " 00:00:00"},
		[]any{"order_id.date_order", "<=", to.Format(time.DateOnly) + " 23:59:59"},
		[]any{"order_id.warehouse_id", "in", whIDs},
	}
	var lines []saleLine
	err = pages(ctx, c, "sale.order.line", domain, []string{"order_id", "product_id", "product_uom_qty", "product_uom"}, func(l saleLine) error {
		if l.Product.ID != 0 { // section and note lines have no product
			lines = append(lines, l)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading odoo sale lines %s to %s: %w", q.SalesFrom, q.SalesTo, err)
	}
	if len(lines) == 0 {
		return nil, nil
	}
	var orderIDs, prodIDs []int
	for _, l := range lines {
		orderIDs = append(orderIDs, l.Order.ID)
		prodIDs = append(prodIDs, l.Product.ID)
	}
	orders, err := c.readSaleOrders(ctx, uniq(orderIDs))
	if err != nil {
		return nil, err
	}
	if err := c.readProducts(ctx, products, uniq(prodIDs)); err != nil {
		return nil, err
	}
	type key struct{ date, loc, code, unit string }
	sums := map[key]*decimalSum{}
	for _, l := range lines {
		o, ok := orders[l.Order.ID]
		code := strings.TrimSpace(string(products[l.Product.ID].Code))
		if !ok || code == "" || len(o.DateOrder) < len("2006-01-02") {
			continue // a product without a code, like in the stock rows
		}
		k := key{string(o.DateOrder[:10]), whCode[o.Warehouse.ID], code, l.UoM.Name}
		s := sums[k]
		if s == nil {
			s = &decimalSum{}
			sums[k] = s
		}
		if err := s.add(l.Qty); err != nil {
			return nil, permanent(fmt.Errorf("sale line %d product_uom_qty: %w", l.ID, err))
		}
	}
	rows := make([]connectors.SalesRow, 0, len(sums))
	for k, s := range sums {
		rows = append(rows, connectors.SalesRow{Date: k.date, Location: k.loc, Code: k.code, Quantity: s.String(), Unit: k.unit})
	}
	slices.SortFunc(rows, func(a, b connectors.SalesRow) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Location, b.Location), cmp.Compare(a.Code, b.Code), cmp.Compare(a.Unit, b.Unit))
	})
	return rows, nil
}

// readSaleOrders reads the date and warehouse of the orders, by id.
func (c *Client) readSaleOrders(ctx context.Context, ids []int) (map[int]saleOrder, error) {
	out := make(map[int]saleOrder, len(ids))
	for start := 0; start < len(ids); start += PageSize {
		page := ids[start:min(start+PageSize, len(ids))]
		var rows []saleOrder
		kw := map[string]any{"fields": []string{"date_order", "warehouse_id"}}
		if err := c.Execute(ctx, "sale.order", "search_read", []any{[]any{[]any{"id", "in", page}}}, kw, &rows); err != nil {
			return nil, fmt.Errorf("reading odoo sale orders: %w", err)
		}
		for _, o := range rows {
			out[o.ID] = o
		}
	}
	return out, nil
}
