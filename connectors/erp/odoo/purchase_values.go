package odoo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
)

// purchaseValues builds the create values of po: partner, date,
// references, currency, receiving warehouse and lines.
func (c *Client) purchaseValues(ctx context.Context, po connectors.PurchaseOrder) (map[string]any, error) {
	partner, err := c.partner(ctx, po)
	if err != nil {
		return nil, err
	}
	vals := map[string]any{"partner_id": partner, "origin": po.Reference}
	if po.ExternalID != "" {
		vals["partner_ref"] = po.ExternalID
	}
	if po.OrderDate != "" {
		d, err := time.Parse(time.DateOnly, po.OrderDate)
		if err != nil {
			return nil, permanent(fmt.Errorf("order_date: %q is not YYYY-MM-DD", po.OrderDate))
		}
		vals["date_order"] = d.Format(time.DateTime)
	}
	if po.Currency != "" {
		id, err := c.findOne(ctx, "res.currency", []any{[]any{"name", "=", po.Currency}}, fmt.Sprintf("currency %q", po.Currency))
		if err != nil {
			return nil, err
		}
		vals["currency_id"] = id
	}
	if po.Location != "" {
		domain := []any{[]any{"code", "=", "incoming"}, []any{"warehouse_id.code", "=", po.Location}}
		id, err := c.findOne(ctx, "stock.picking.type", domain, fmt.Sprintf("location %q (a warehouse with a receipt operation type)", po.Location))
		if err != nil {
			return nil, err
		}
		vals["picking_type_id"] = id
	}
	lines, err := c.purchaseLines(ctx, po.Lines)
	if err != nil {
		return nil, err
	}
	vals["order_line"] = lines
	return vals, nil
}

// findOne returns the id of the first record of model matching domain; none
// is a permanent error naming what.
func (c *Client) findOne(ctx context.Context, model string, domain []any, what string) (int, error) {
	var rows []struct {
		ID int `json:"id"`
	}
	kw := map[string]any{"fields": []string{"id"}, "limit": 1, "order": "id asc"}
	if err := c.Execute(ctx, model, "search_read", []any{domain}, kw, &rows); err != nil {
		return 0, fmt.Errorf("finding %s: %w", what, err)
	}
	if len(rows) == 0 {
		return 0, permanent(fmt.Errorf("%s: not found in odoo (%s)", what, model))
	}
	return rows[0].ID, nil
}

// partner returns the order's vendor: the configured one, or the only
// top-level partner named like the supplier.
func (c *Client) partner(ctx context.Context, po connectors.PurchaseOrder) (int, error) {
	if id, ok := c.cfg.Parties[po.SupplierID]; ok {
		return id, nil
	}
	if strings.TrimSpace(po.SupplierName) == "" {
		return 0, permanent(fmt.Errorf("supplier %q: no name and no partner mapped in parties", po.SupplierID))
	}
	var rows []struct {
		ID int `json:"id"`
	}
	domain := []any{[]any{"name", "=", po.SupplierName}, []any{"parent_id", "=", false}}
	kw := map[string]any{"fields": []string{"id"}, "limit": 2, "order": "id asc"}
	if err := c.Execute(ctx, "res.partner", "search_read", []any{domain}, kw, &rows); err != nil {
		return 0, fmt.Errorf("finding the partner of supplier %q: %w", po.SupplierName, err)
	}
	switch len(rows) {
	case 0:
		return 0, permanent(fmt.Errorf("supplier %q: no odoo partner has this name; create it or map supplier %q in parties", po.SupplierName, po.SupplierID))
	case 1:
		return rows[0].ID, nil
	}
	return 0, permanent(fmt.Errorf("supplier %q: several odoo partners have this name; map supplier %q to one in parties", po.SupplierName, po.SupplierID))
}

// purchaseProduct is the part of product.product a purchase line needs.
type purchaseProduct struct {
	ID   int      `json:"id"`
	Code Text     `json:"default_code"`
	Name Text     `json:"name"`
	UoM  Many2One `json:"uom_po_id"`
}

// purchaseLines builds the order_line commands ([0, 0, values] creates a
// line), finding products by internal reference. Quantities and prices go
// out as the JSON numbers the order gave, never through float64; a line
// without a price gets Odoo's own (the vendor's price list).
func (c *Client) purchaseLines(ctx context.Context, lines []connectors.PurchaseLine) ([]any, error) {
	if len(lines) == 0 {
		return nil, permanent(errors.New("purchase order has no lines"))
	}
	var codes []string
	for _, l := range lines {
		codes = append(codes, l.Code)
	}
	var prods []purchaseProduct
	kw := map[string]any{"fields": []string{"default_code", "name", "uom_po_id"}, "order": "id asc"}
	if err := c.Execute(ctx, "product.product", "search_read", []any{[]any{[]any{"default_code", "in", uniq(codes)}}}, kw, &prods); err != nil {
		return nil, fmt.Errorf("finding the products of the order: %w", err)
	}
	byCode := make(map[string]purchaseProduct, len(prods))
	twice := map[string]bool{}
	for _, p := range prods {
		if _, ok := byCode[string(p.Code)]; ok {
			twice[string(p.Code)] = true
		}
		byCode[string(p.Code)] = p
	}
	var bad []error
	out := make([]any, 0, len(lines))
	for i, l := range lines {
		n := l.LineNo
		if n == 0 {
			n = i + 1
		}
		p, ok := byCode[l.Code]
		switch {
		case !ok:
			bad = append(bad, fmt.Errorf("line %d: no odoo product has internal reference %q", n, l.Code))
			continue
		case twice[l.Code]:
			bad = append(bad, fmt.Errorf("line %d: several odoo products have internal reference %q", n, l.Code))
			continue
		}
		qty, ok := jsonNumber(l.Quantity)
		if r, _ := Number(qty).Rat(); !ok || r.Sign() <= 0 {
			bad = append(bad, fmt.Errorf("line %d (code %q): quantity %q is not a positive decimal", n, l.Code, l.Quantity))
			continue
		}
		desc := l.Description
		if desc == "" {
			desc = string(p.Name)
		}
		vals := map[string]any{"product_id": p.ID, "product_qty": qty, "name": desc}
		if p.UoM.ID != 0 {
			vals["product_uom"] = p.UoM.ID
		}
		if l.UnitPrice != "" {
			price, ok := jsonNumber(l.UnitPrice)
			if !ok {
				bad = append(bad, fmt.Errorf("line %d (code %q): unit price %q is not a decimal", n, l.Code, l.UnitPrice))
				continue
			}
			vals["price_unit"] = price
		}
		out = append(out, []any{0, 0, vals})
	}
	if len(bad) > 0 {
		return nil, permanent(errors.Join(bad...))
	}
	return out, nil
}
