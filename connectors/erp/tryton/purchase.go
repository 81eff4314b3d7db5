package tryton

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
)

// Purchase is a purchase.purchase as PushPurchase left it.
type Purchase struct {
	// ID is the purchase's record id.
	ID int
	// Number is Tryton's purchase number, given when it is quoted.
	Number string
	// State is Tryton's state: "processing" once confirmed.
	State string
	// Reference is the hub's reference (PurchaseOrder.Reference).
	Reference string
	// Created is true when this call created the purchase, false when it
	// found one with the same reference.
	Created bool
}

// purchaseRow is the part of purchase.purchase PushPurchase reads.
type purchaseRow struct {
	ID        int     `json:"id"`
	Number    *string `json:"number"`
	State     string  `json:"state"`
	Reference *string `json:"reference"`
}

func (r purchaseRow) purchase(created bool) Purchase {
	p := Purchase{ID: r.ID, State: r.State, Created: created}
	if r.Number != nil {
		p.Number = *r.Number
	}
	if r.Reference != nil {
		p.Reference = *r.Reference
	}
	return p
}

var purchaseFields = []string{"number", "state", "reference"}

// PushPurchase records po in Tryton as a confirmed purchase, once: a
// purchase whose reference is po.Reference is looked up first. One already
// confirmed (or further) is returned as it is; one left in draft or
// quotation (an earlier push that stopped half-way) is quoted and
// confirmed. Otherwise the purchase is created, quoted and confirmed.
//
// Data problems (unknown supplier, product code or currency, a supplier
// without an address, a cancelled purchase with the reference) are
// permanent errors naming what is missing.
func (c *Client) PushPurchase(ctx context.Context, po connectors.PurchaseOrder) (Purchase, error) {
	if strings.TrimSpace(po.Reference) == "" {
		return Purchase{}, permanent(errors.New("purchase order: reference is empty"))
	}
	var found []purchaseRow
	args := []any{[]any{[]any{"reference", "=", po.Reference}}, 0, nil, [][]string{{"id", "ASC"}}, purchaseFields}
	if err := c.Execute(ctx, "purchase.purchase", "search_read", args, nil, &found); err != nil {
		return Purchase{}, fmt.Errorf("looking up the purchase with reference %q: %w", po.Reference, err)
	}
	var cancelled *purchaseRow
	for i, r := range found {
		switch r.State {
		case "confirmed", "processing", "done":
			return r.purchase(false), nil
		case "draft", "quotation":
			return c.confirm(ctx, r, false)
		case "cancelled":
			cancelled = &found[i]
		}
	}
	if cancelled != nil {
		return cancelled.purchase(false), permanent(fmt.Errorf("purchase %d with reference %q was cancelled in tryton; not making another", cancelled.ID, po.Reference))
	}
	vals, err := c.purchaseValues(ctx, po)
	if err != nil {
		return Purchase{}, fmt.Errorf("purchase order %q: %w", po.Reference, err)
	}
	var ids []int
	if err := c.Execute(ctx, "purchase.purchase", "create", []any{[]any{vals}}, nil, &ids); err != nil {
		return Purchase{}, fmt.Errorf("creating the purchase with reference %q: %w", po.Reference, err)
	}
	if len(ids) != 1 {
		return Purchase{}, fmt.Errorf("creating the purchase with reference %q: tryton returned %d ids", po.Reference, len(ids))
	}
	c.log.Info("created tryton purchase", "purchase_id", ids[0], "reference", po.Reference, "lines", len(po.Lines))
	return c.confirm(ctx, purchaseRow{ID: ids[0], State: "draft"}, true)
}

// confirm quotes (when in draft) and confirms the purchase, and reads it back.
func (c *Client) confirm(ctx context.Context, r purchaseRow, created bool) (Purchase, error) {
	steps := []string{"quote", "confirm"}
	if r.State == "quotation" {
		steps = steps[1:]
	}
	for _, step := range steps {
		if err := c.Execute(ctx, "purchase.purchase", step, []any{[]int{r.ID}}, nil, nil); err != nil {
			return r.purchase(created), fmt.Errorf("%s purchase %d: %w", step, r.ID, err)
		}
	}
	var rows []purchaseRow
	if err := c.Execute(ctx, "purchase.purchase", "read", []any{[]int{r.ID}, purchaseFields}, nil, &rows); err != nil || len(rows) != 1 {
		if err == nil {
			err = fmt.Errorf("tryton returned %d rows", len(rows))
		}
		return r.purchase(created), fmt.Errorf("reading purchase %d back: %w", r.ID, err)
	}
	return rows[0].purchase(created), nil
}

// purchaseValues builds the create values of po: party, address,
// warehouse, currency and lines.
func (c *Client) purchaseValues(ctx context.Context, po connectors.PurchaseOrder) (map[string]any, error) {
	party, err := c.party(ctx, po)
	if err != nil {
		return nil, err
	}
	var addrs []int
	if err := c.Execute(ctx, "party.address", "search", []any{[]any{[]any{"party", "=", party}}, 0, 1, [][]string{{"sequence", "ASC"}, {"id", "ASC"}}}, nil, &addrs); err != nil {
		return nil, fmt.Errorf("reading the addresses of party %d: %w", party, err)
	}
	if len(addrs) == 0 {
		return nil, permanent(fmt.Errorf("supplier %q (tryton party %d) has no address: add one in tryton, a purchase needs an invoice address", po.SupplierName, party))
	}
	wh, err := c.purchaseWarehouse(ctx, po.Location)
	if err != nil {
		return nil, err
	}
	company, err := c.company(ctx)
	if err != nil {
		return nil, err
	}
	vals := map[string]any{
		"company":         company,
		"party":           party,
		"invoice_address": addrs[0],
		"warehouse":       wh,
		"invoice_method":  "manual",
		"reference":       po.Reference,
		"lines":           nil,
	}
	if po.OrderDate != "" {
		d, err := ParseDate(po.OrderDate)
		if err != nil {
			return nil, permanent(fmt.Errorf("order_date: %w", err))
		}
		vals["purchase_date"] = d
	}
	if po.ExternalID != "" {
		vals["description"] = po.ExternalID
	}
	if po.Currency != "" {
		cur, err := c.currency(ctx, po.Currency)
		if err != nil {
			return nil, err
		}
		vals["currency"] = cur
	} else {
		var rows []struct {
			Currency Ref `json:"currency"`
		}
		if err := c.Execute(ctx, "company.company", "read", []any{[]int{company}, []string{"currency"}}, nil, &rows); err != nil || len(rows) != 1 {
			return nil, fmt.Errorf("reading the currency of company %d: %w", company, errors.Join(err, errIf(len(rows) != 1, "no such company")))
		}
		vals["currency"] = int(rows[0].Currency)
	}
	lines, err := c.purchaseLines(ctx, po.Lines)
	if err != nil {
		return nil, err
	}
	vals["lines"] = []any{[]any{"create", lines}}
	return vals, nil
}

// errIf returns an error with msg when cond holds.
func errIf(cond bool, msg string) error {
	if cond {
		return errors.New(msg)
	}
	return nil
}

// party returns the purchase's party: the configured one, or the only
// party named like the supplier.
func (c *Client) party(ctx context.Context, po connectors.PurchaseOrder) (int, error) {
	if id, ok := c.cfg.Parties[po.SupplierID]; ok {
		return id, nil
	}
	if strings.TrimSpace(po.SupplierName) == "" {
		return 0, permanent(fmt.Errorf("supplier %q: no name and no party mapped in parties", po.SupplierID))
	}
	var ids []int
	if err := c.Execute(ctx, "party.party", "search", []any{[]any{[]any{"name", "=", po.SupplierName}}, 0, 2, nil}, nil, &ids); err != nil {
		return 0, fmt.Errorf("finding the party of supplier %q: %w", po.SupplierName, err)
	}
	switch len(ids) {
	case 0:
		return 0, permanent(fmt.Errorf("supplier %q: no tryton party has this name; create it or map supplier %q in parties", po.SupplierName, po.SupplierID))
	case 1:
		return ids[0], nil
	}
	return 0, permanent(fmt.Errorf("supplier %q: several tryton parties have this name; map supplier %q to one in parties", po.SupplierName, po.SupplierID))
}

// purchaseWarehouse returns the warehouse whose code is code, else the first.
func (c *Client) purchaseWarehouse(ctx context.Context, code string) (int, error) {
	var whs []warehouse
	args := []any{[]any{[]any{"type", "=", "warehouse"}}, 0, nil, [][]string{{"id", "ASC"}}, []string{"code"}}
	if err := c.Execute(ctx, "stock.location", "search_read", args, nil, &whs); err != nil {
		return 0, fmt.Errorf("listing tryton warehouses: %w", err)
	}
	if len(whs) == 0 {
		return 0, permanent(fmt.Errorf("tryton database %q has no warehouse", c.cfg.Database))
	}
	for _, w := range whs {
		if code != "" && w.Code == code {
			return w.ID, nil
		}
	}
	return whs[0].ID, nil
}

// company returns the user's current company from the session context.
func (c *Client) company(ctx context.Context) (int, error) {
	s, err := c.session(ctx, nil)
	if err != nil {
		return 0, err
	}
	var id int
	if raw, ok := s.context["company"]; !ok || json.Unmarshal(raw, &id) != nil || id == 0 {
		return 0, permanent(fmt.Errorf("tryton user %q has no current company", c.cfg.User))
	}
	return id, nil
}

// currency returns the id of the currency with the ISO code.
func (c *Client) currency(ctx context.Context, code string) (int, error) {
	var ids []int
	if err := c.Execute(ctx, "currency.currency", "search", []any{[]any{[]any{"code", "=", code}}, 0, 1, nil}, nil, &ids); err != nil {
		return 0, fmt.Errorf("finding currency %q: %w", code, err)
	}
	if len(ids) == 0 {
		return 0, permanent(fmt.Errorf("currency %q: not in tryton", code))
	}
	return ids[0], nil
}

// purchaseProduct is the part of product.product a purchase line needs.
type purchaseProduct struct {
	ID          int     `json:"id"`
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	DefaultUOM  Ref     `json:"default_uom"`
	PurchaseUOM Ref     `json:"purchase_uom"`
	CostPrice   Decimal `json:"cost_price"`
}

// purchaseLines builds the line create values, finding products by code.
func (c *Client) purchaseLines(ctx context.Context, lines []connectors.PurchaseLine) ([]map[string]any, error) {
	if len(lines) == 0 {
		return nil, permanent(errors.New("purchase order has no lines"))
	}
	var codes []string
	for _, l := range lines {
		codes = append(codes, l.Code)
	}
	var prods []purchaseProduct
	args := []any{[]any{[]any{"code", "in", uniq(codes)}}, 0, nil, nil, []string{"code", "name", "default_uom", "purchase_uom", "cost_price"}}
	if err := c.Execute(ctx, "product.product", "search_read", args, nil, &prods); err != nil {
		return nil, fmt.Errorf("finding the products of the order: %w", err)
	}
	byCode := make(map[string]purchaseProduct, len(prods))
	for _, p := range prods {
		byCode[p.Code] = p
	}
	var missing []error
	out := make([]map[string]any, 0, len(lines))
	for i, l := range lines {
		n := l.LineNo
		if n == 0 {
			n = i + 1
		}
		p, ok := byCode[l.Code]
		if !ok {
			missing = append(missing, fmt.Errorf("line %d: no tryton product has code %q", n, l.Code))
			continue
		}
		qty, err := strconv.ParseFloat(l.Quantity, 64)
		if _, isDec := new(big.Rat).SetString(l.Quantity); err != nil || !isDec || qty <= 0 {
			missing = append(missing, fmt.Errorf("line %d (code %q): quantity %q is not a positive decimal", n, l.Code, l.Quantity))
			continue
		}
		price := Decimal(l.UnitPrice)
		if price == "" {
			price = p.CostPrice // Tryton requires a unit price on a line
		} else if _, ok := new(big.Rat).SetString(l.UnitPrice); !ok {
			missing = append(missing, fmt.Errorf("line %d (code %q): unit price %q is not a decimal", n, l.Code, l.UnitPrice))
			continue
		}
		unit := p.PurchaseUOM
		if unit == 0 {
			unit = p.DefaultUOM
		}
		desc := l.Description
		if desc == "" {
			desc = p.Name
		}
		out = append(out, map[string]any{
			"type": "line", "product": p.ID, "description": desc,
			"quantity": qty, "unit": int(unit), "unit_price": price,
		})
	}
	if len(missing) > 0 {
		return nil, permanent(errors.Join(missing...))
	}
	return out, nil
}
