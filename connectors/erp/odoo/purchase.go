package odoo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
)

// Purchase is a purchase.order as PushPurchase left it.
type Purchase struct {
	// ID is the order's record id.
	ID int
	// Name is Odoo's order number ("P00012").
	Name string
	// State is Odoo's state: "purchase" once confirmed, "to approve" when
	// the company requires a manager's approval.
	State string
	// Reference is the hub's reference, kept in the order's origin.
	Reference string
	// Created is true when this call created the order, false when it found
	// one with the same reference.
	Created bool
}

// purchaseRow is the part of purchase.order PushPurchase reads.
type purchaseRow struct {
	ID     int  `json:"id"`
	Name   Text `json:"name"`
	State  Text `json:"state"`
	Origin Text `json:"origin"`
}

func (r purchaseRow) purchase(created bool) Purchase {
	return Purchase{ID: r.ID, Name: string(r.Name), State: string(r.State), Reference: string(r.Origin), Created: created}
}

var purchaseFields = []string{"name", "state", "origin"}

// PushPurchase records po in Odoo as a confirmed purchase order, once: an
// order whose origin is po.Reference is looked up first. One already
// confirmed (purchase, done, to approve) is returned as it is; one left in
// draft or sent (an earlier push that stopped half-way) is confirmed.
// Otherwise the order is created and confirmed (button_confirm).
//
// The create itself is never repeated blindly: when it fails transiently
// (the order may have been made before the reply was lost) the order is
// looked up again first.
//
// Data problems (unknown supplier, product code, currency or warehouse, a
// cancelled order with the reference) are permanent errors naming what is
// missing.
func (c *Client) PushPurchase(ctx context.Context, po connectors.PurchaseOrder) (Purchase, error) {
	if strings.TrimSpace(po.Reference) == "" {
		return Purchase{}, permanent(errors.New("purchase order: reference is empty"))
	}
	var vals map[string]any
	wait := c.backoff
	for attempt := 1; ; attempt++ {
		if p, done, err := c.findPurchase(ctx, po.Reference); done || err != nil {
			return p, err
		}
		if vals == nil {
			var err error
			if vals, err = c.purchaseValues(ctx, po); err != nil {
				return Purchase{}, fmt.Errorf("purchase order %q: %w", po.Reference, err)
			}
		}
		var id int
		err := c.execute(ctx, "purchase.order", "create", []any{vals}, nil, 0, &id)
		if err == nil {
			c.log.Info("created odoo purchase order", "purchase_id", id, "reference", po.Reference, "lines", len(po.Lines))
			return c.confirm(ctx, purchaseRow{ID: id, State: "draft", Origin: Text(po.Reference)}, true)
		}
		err = fmt.Errorf("creating the purchase order with reference %q: %w", po.Reference, err)
		retry, after := transient(err)
		if !retry || attempt > c.cfg.retries() {
			return Purchase{}, err
		}
		c.log.Warn("odoo create failed; looking the order up before trying again", "reference", po.Reference, "attempt", attempt, "error", err)
		if err := sleep(ctx, max(wait, after)); err != nil {
			return Purchase{}, fmt.Errorf("creating the purchase order with reference %q: %w", po.Reference, err)
		}
		wait *= 2
	}
}

// findPurchase looks up the order with the reference: done reports that
// PushPurchase is finished with p (found confirmed, or confirmed now).
func (c *Client) findPurchase(ctx context.Context, ref string) (p Purchase, done bool, err error) {
	var found []purchaseRow
	kw := map[string]any{"fields": purchaseFields, "order": "id asc"}
	if err := c.Execute(ctx, "purchase.order", "search_read", []any{[]any{[]any{"origin", "=", ref}}}, kw, &found); err != nil {
		return Purchase{}, true, fmt.Errorf("looking up the purchase order with reference %q: %w", ref, err)
	}
	var cancelled *purchaseRow
	for i, r := range found {
		switch r.State {
		case "purchase", "done", "to approve":
			return r.purchase(false), true, nil
		case "draft", "sent":
			p, err := c.confirm(ctx, r, false)
			return p, true, err
		case "cancel":
			cancelled = &found[i]
		}
	}
	if cancelled != nil {
		return cancelled.purchase(false), true, permanent(fmt.Errorf("purchase order %s (id %d) with reference %q was cancelled in odoo; not making another", cancelled.Name, cancelled.ID, ref))
	}
	return Purchase{}, false, nil
}

// confirm confirms the order (button_confirm leaves orders not in draft or
// sent alone, so repeating it is harmless) and reads it back.
func (c *Client) confirm(ctx context.Context, r purchaseRow, created bool) (Purchase, error) {
	if err := c.Execute(ctx, "purchase.order", "button_confirm", []any{[]int{r.ID}}, nil, nil); err != nil {
		return r.purchase(created), fmt.Errorf("confirming purchase order %d: %w", r.ID, err)
	}
	var rows []purchaseRow
	kw := map[string]any{"fields": purchaseFields}
	if err := c.Execute(ctx, "purchase.order", "search_read", []any{[]any{[]any{"id", "=", r.ID}}}, kw, &rows); err != nil || len(rows) != 1 {
		if err == nil {
			err = fmt.Errorf("odoo returned %d rows", len(rows))
		}
		return r.purchase(created), fmt.Errorf("reading purchase order %d back: %w", r.ID, err)
	}
	return rows[0].purchase(created), nil
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
