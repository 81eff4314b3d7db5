package tryton

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/dealerhub/dealerhub/connectors"
)

// saleStates are the states of a sale whose lines count as sold.
var saleStates = []string{"confirmed", "processing", "done"}

// readSales sums the lines of confirmed sales dated in q's days per (day,
// warehouse, product code, unit). codes and units hold what ReadStock
// already read; products and units not among them are read here.
func (c *Client) readSales(ctx context.Context, q connectors.StockQuery, whs []warehouse, codes map[int]string, units map[Ref]string) ([]connectors.SalesRow, error) {
	from, err := ParseDate(q.SalesFrom)
	if err != nil {
		return nil, permanent(fmt.Errorf("sales from: %w", err))
	}
	to, err := ParseDate(q.SalesTo)
	if err != nil {
		return nil, permanent(fmt.Errorf("sales to: %w", err))
	}
	whCode := map[int]string{}
	whIDs := make([]int, 0, len(whs))
	for _, w := range whs {
		whCode[w.ID] = w.Code
		whIDs = append(whIDs, w.ID)
	}
	domain := []any{
		[]any{"type", "=", "line"},
		[]any{"sale.state", "in", saleStates},
		[]any{"sale.sale_date", ">=", from},
		[]any{"sale.sale_date", "<=", to},
		[]any{"sale.warehouse", "in", whIDs},
	}
	type line struct {
		Product  Ref     `json:"product"`
		Quantity float64 `json:"quantity"`
		Unit     Ref     `json:"unit"`
		Sale     Ref     `json:"sale"`
	}
	var lines []line
	for offset := 0; ; offset += PageSize {
		var page []line
		args := []any{domain, offset, PageSize, [][]string{{"id", "ASC"}}, []string{"product", "quantity", "unit", "sale"}}
		if err := c.Execute(ctx, "sale.line", "search_read", args, nil, &page); err != nil {
			return nil, fmt.Errorf("reading tryton sale lines %s to %s: %w", from, to, err)
		}
		lines = append(lines, page...)
		if len(page) < PageSize {
			break
		}
	}
	if len(lines) == 0 {
		return nil, nil
	}
	var saleIDs, prodIDs []int
	var unitIDs []Ref
	for _, l := range lines {
		saleIDs = append(saleIDs, int(l.Sale))
		if _, ok := codes[int(l.Product)]; !ok && l.Product != 0 {
			prodIDs = append(prodIDs, int(l.Product))
		}
		if _, ok := units[l.Unit]; !ok && l.Unit != 0 {
			unitIDs = append(unitIDs, l.Unit)
		}
	}
	sales, err := c.readSaleHeads(ctx, uniq(saleIDs))
	if err != nil {
		return nil, err
	}
	if err := c.readCodes(ctx, codes, uniq(prodIDs)); err != nil {
		return nil, err
	}
	if err := c.readUnits(ctx, units, uniq(unitIDs)); err != nil {
		return nil, err
	}
	type key struct{ date, loc, code, unit string }
	sums := map[key]*decimalSum{}
	for _, l := range lines {
		head, code := sales[int(l.Sale)], codes[int(l.Product)]
		if code == "" || head.SaleDate.IsZero() {
			continue // a product without a code, like in the stock rows
		}
		k := key{head.SaleDate.String(), whCode[int(head.Warehouse)], code, units[l.Unit]}
		s := sums[k]
		if s == nil {
			s = &decimalSum{}
			sums[k] = s
		}
		s.addFloat(l.Quantity)
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

// saleHead is the part of sale.sale the sales sums need.
type saleHead struct {
	ID        int  `json:"id"`
	SaleDate  Date `json:"sale_date"`
	Warehouse Ref  `json:"warehouse"`
}

// readSaleHeads reads the date and warehouse of the sales, by id.
func (c *Client) readSaleHeads(ctx context.Context, ids []int) (map[int]saleHead, error) {
	out := make(map[int]saleHead, len(ids))
	for start := 0; start < len(ids); start += PageSize {
		var heads []saleHead
		page := ids[start:min(start+PageSize, len(ids))]
		if err := c.Execute(ctx, "sale.sale", "read", []any{page, []string{"sale_date", "warehouse"}}, nil, &heads); err != nil {
			return nil, fmt.Errorf("reading tryton sales: %w", err)
		}
		for _, h := range heads {
			out[h.ID] = h
		}
	}
	return out, nil
}

// readCodes adds the codes of the product ids to codes.
func (c *Client) readCodes(ctx context.Context, codes map[int]string, ids []int) error {
	for start := 0; start < len(ids); start += PageSize {
		var prods []product
		page := ids[start:min(start+PageSize, len(ids))]
		if err := c.Execute(ctx, "product.product", "read", []any{page, []string{"code"}}, nil, &prods); err != nil {
			return fmt.Errorf("reading tryton product codes: %w", err)
		}
		for _, p := range prods {
			codes[p.ID] = p.Code
		}
	}
	return nil
}

// uniq returns the distinct values of s, sorted.
func uniq[T cmp.Ordered](s []T) []T {
	slices.Sort(s)
	return slices.Compact(s)
}
