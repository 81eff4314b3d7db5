package hub

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

// OrderFilter selects the orders ListOrders returns; zero fields match
// everything.
type OrderFilter struct {
	// Status is the status of the order document itself (as the dealer
	// last sent it: sent, cancelled, received, …).
	Status string
	// Partner is the other party: the supplier of a dealer's orders, the
	// dealer of a supplier's. For an operator, either party.
	Partner string
	// Since selects orders updated at or after it.
	Since time.Time
	store.Page
}

// OrderSummary is one order in a list.
type OrderSummary struct {
	ID         string `json:"id"`
	ExternalID string `json:"external_id"`
	// Dealer is the buyer (the order's sender), Supplier its receiver.
	Dealer    string    `json:"dealer"`
	Supplier  string    `json:"supplier"`
	Status    string    `json:"status"`
	OrderDate string    `json:"order_date,omitempty"`
	Lines     int       `json:"lines"`
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// orderBody is the part of a canonical order the order view reads.
type orderBody struct {
	Sender        string            `json:"sender"`
	Receiver      string            `json:"receiver"`
	ExternalID    string            `json:"external_id"`
	Status        string            `json:"status"`
	OrderDate     string            `json:"order_date"`
	RequestedDate string            `json:"requested_date"`
	Currency      string            `json:"currency"`
	Extensions    map[string]string `json:"extensions"`
	Lines         []orderBodyLine   `json:"lines"`
}

type orderBodyLine struct {
	LineNo        int    `json:"line_no"`
	SKU           string `json:"sku"`
	Quantity      string `json:"quantity"`
	Unit          string `json:"unit"`
	UnitPrice     string `json:"unit_price"`
	RequestedDate string `json:"requested_date"`
}

func summaryOf(d store.Document) OrderSummary {
	var b orderBody
	_ = json.Unmarshal(d.Body, &b) // a stored order passed its schema
	return OrderSummary{
		ID: d.ID, ExternalID: d.ExternalID, Dealer: d.Sender, Supplier: d.Receiver,
		Status: d.Status, OrderDate: b.OrderDate, Lines: len(b.Lines), Version: d.Version, UpdatedAt: d.UpdatedAt,
	}
}

// ListOrders lists the orders the principal is party to, as buyer (it
// sent them) or supplier (they are addressed to it), newest update first;
// an operator sees all.
func (h *Hub) ListOrders(ctx context.Context, p Principal, f OrderFilter) ([]OrderSummary, string, error) {
	base := store.DocumentFilter{Doctype: "order", Status: f.Status, Since: f.Since, Page: f.Page}
	var filters []store.DocumentFilter
	switch {
	case f.Partner == "":
		filters = []store.DocumentFilter{base}
	case p.Operator:
		a, b := base, base
		a.Sender, b.Receiver = f.Partner, f.Partner
		filters = []store.DocumentFilter{a, b}
	default:
		a, b := base, base
		a.Sender, a.Receiver = p.Partner, f.Partner
		b.Sender, b.Receiver = f.Partner, p.Partner
		filters = []store.DocumentFilter{a, b}
	}
	limit := store.PageLimit(f.Limit)
	var docs []store.Document
	seen := map[string]bool{}
	for _, df := range filters {
		df.Limit = limit
		page, _, err := h.st.ListDocuments(ctx, p.Scope(), df)
		if err != nil {
			return nil, "", fmt.Errorf("listing orders: %w", err)
		}
		for _, d := range page {
			if !seen[d.ID] {
				seen[d.ID] = true
				docs = append(docs, d)
			}
		}
	}
	// Both queries are newest first from the same cursor: merged and cut at
	// limit, the last row is the next page's cursor.
	slices.SortFunc(docs, func(a, b store.Document) int {
		if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	next := ""
	if len(docs) > limit {
		docs = docs[:limit]
		last := docs[limit-1]
		next = store.EncodeCursor(last.UpdatedAt, last.ID)
	}
	out := make([]OrderSummary, 0, len(docs))
	for _, d := range docs {
		out = append(out, summaryOf(d))
	}
	return out, next, nil
}

// visibleOrder loads an order the principal is party to (its dealer, its
// supplier, or an operator); anything else is ErrNotFound.
func (h *Hub) visibleOrder(ctx context.Context, p Principal, id string) (store.Document, orderBody, error) {
	d, err := h.st.GetDocument(ctx, p.Scope(), id)
	if err != nil {
		return store.Document{}, orderBody{}, fmt.Errorf("order %q: %w", id, err)
	}
	if d.Doctype != "order" || (!p.Operator && d.Sender != p.Partner && d.Receiver != p.Partner) {
		return store.Document{}, orderBody{}, fmt.Errorf("order %q: %w", id, ErrNotFound)
	}
	var b orderBody
	if err := json.Unmarshal(d.Body, &b); err != nil {
		return store.Document{}, orderBody{}, fmt.Errorf("reading order %q: %w", id, err)
	}
	return d, b, nil
}

// allDocuments reads every page of f across all partners (the order view
// has already checked the caller may see the order they belong to).
func (h *Hub) allDocuments(ctx context.Context, f store.DocumentFilter) ([]store.Document, error) {
	f.Limit = store.MaxPageLimit
	var out []store.Document
	for {
		page, next, err := h.st.ListDocuments(ctx, opScope, f)
		if err != nil {
			return nil, fmt.Errorf("listing %s documents: %w", f.Doctype, err)
		}
		out = append(out, page...)
		if next == "" {
			return out, nil
		}
		f.Cursor = next
	}
}

// GetOrder returns an order the principal is party to with its per-line
// timeline: ordered, the supplier's answers, the shipments, their tracking
// events and the dealer's receipts. Others get ErrNotFound.
func (h *Hub) GetOrder(ctx context.Context, p Principal, id string) (Order, error) {
	d, b, err := h.visibleOrder(ctx, p, id)
	if err != nil {
		return Order{}, err
	}
	return h.orderView(ctx, d, b)
}
