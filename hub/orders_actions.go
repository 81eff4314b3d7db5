package hub

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/schemas"
)

// ActionWait bounds how long an order action waits for the document it
// submitted to be processed before it answers with the message as it
// stands.
const ActionWait = 30 * time.Second

// OrderResponseRequest is a supplier's answer to an order, line by line.
type OrderResponseRequest struct {
	// ExternalID is the supplier's number for the response; empty gives
	// "<order number>-R<n>".
	ExternalID string `json:"external_id,omitempty"`
	// ResponseDate defaults to the hub's date (UTC).
	ResponseDate string       `json:"response_date,omitempty"`
	Note         string       `json:"note,omitempty"`
	Lines        []LineAnswer `json:"lines"`
}

// LineAnswer answers one order line: accepted (as ordered), changed
// (quantity, unit_price or promised_date), rejected or backordered.
type LineAnswer struct {
	LineNo       int    `json:"line_no"`
	Response     string `json:"response"`
	Quantity     string `json:"quantity,omitempty"`
	UnitPrice    string `json:"unit_price,omitempty"`
	PromisedDate string `json:"promised_date,omitempty"`
	Reason       string `json:"reason,omitempty"`
}

// OrderActionResult is what an order action submitted: the message it
// became (done, or still queued after ActionWait), the canonical document
// and the order's timeline afterwards.
type OrderActionResult struct {
	Message  store.Message   `json:"message"`
	Document json.RawMessage `json:"document"`
	Order    Order           `json:"order"`
}

// RespondToOrder builds an order_response from a supplier's answers and
// submits it through the pipeline, so it reaches the dealer over its
// channel like any order response. Only the order's supplier (or an
// operator) may answer: others get ErrNotFound. Bad answers give a
// *ValidationError whose pointers name the request's lines.
func (h *Hub) RespondToOrder(ctx context.Context, p Principal, orderID string, req OrderResponseRequest) (OrderActionResult, error) {
	d, b, err := h.visibleOrder(ctx, p, orderID)
	if err != nil {
		return OrderActionResult{}, err
	}
	if !p.Operator && p.Partner != d.Receiver {
		return OrderActionResult{}, fmt.Errorf("order %q: only its supplier may answer it: %w", orderID, ErrNotFound)
	}
	var vs []schemas.Violation
	bad := func(ptr, format string, args ...any) {
		vs = append(vs, schemas.Violation{Pointer: ptr, Reason: fmt.Sprintf(format, args...)})
	}
	if len(req.Lines) == 0 {
		bad("/lines", "answer at least one order line")
	}
	seen := map[int]bool{}
	lines := make([]map[string]any, 0, len(req.Lines))
	for i, a := range req.Lines {
		ptr := "/lines/" + strconv.Itoa(i)
		k := slices.IndexFunc(b.Lines, func(l orderBodyLine) bool { return l.LineNo == a.LineNo })
		switch {
		case k < 0:
			bad(ptr+"/line_no", "order %s has no line %d", d.ExternalID, a.LineNo)
			continue
		case seen[a.LineNo]:
			bad(ptr+"/line_no", "line %d is answered twice", a.LineNo)
			continue
		case !slices.Contains(schemas.LineResponses, a.Response):
			bad(ptr+"/response", "line %d: response must be one of %v", a.LineNo, schemas.LineResponses)
			continue
		case a.Response == "changed" && a.Quantity == "" && a.UnitPrice == "" && a.PromisedDate == "":
			bad(ptr, "line %d: a change names a quantity, a unit_price or a promised_date", a.LineNo)
			continue
		}
		seen[a.LineNo] = true
		ol := b.Lines[k]
		l := map[string]any{"line_no": a.LineNo, "sku": ol.SKU, "response": a.Response, "unit": ol.Unit}
		q, price := a.Quantity, a.UnitPrice
		if a.Response == "accepted" {
			q, price = cmp.Or(q, ol.Quantity), cmp.Or(price, ol.UnitPrice)
		}
		if a.Response == "rejected" {
			q = cmp.Or(q, "0")
		}
		setIf(l, "quantity", q)
		setIf(l, "unit_price", price)
		setIf(l, "promised_date", a.PromisedDate)
		setIf(l, "reason", a.Reason)
		lines = append(lines, l)
	}
	if len(vs) > 0 {
		return OrderActionResult{}, &ValidationError{Violations: vs}
	}
	ext := req.ExternalID
	if ext == "" {
		n, err := h.countResponses(ctx, d)
		if err != nil {
			return OrderActionResult{}, err
		}
		ext = fmt.Sprintf("%s-R%d", d.ExternalID, n+1)
	}
	doc := map[string]any{
		"sender": d.Receiver, "receiver": d.Sender, "external_id": ext, "order_external_id": d.ExternalID,
		"status": responseStatus(req.Lines), "response_date": cmp.Or(req.ResponseDate, h.now().UTC().Format(time.DateOnly)),
		"lines": lines,
	}
	setIf(doc, "currency", b.Currency)
	setIf(doc, "note", req.Note)
	return h.submitForOrder(ctx, p, "order_response", doc, d.ID)
}

// countResponses counts the supplier's responses to order d.
func (h *Hub) countResponses(ctx context.Context, d store.Document) (int, error) {
	docs, err := h.allDocuments(ctx, store.DocumentFilter{Doctype: "order_response", Sender: d.Receiver, Receiver: d.Sender})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, rd := range docs {
		var rb responseBody
		if json.Unmarshal(rd.Body, &rb) == nil && rb.OrderExternalID == d.ExternalID {
			n++
		}
	}
	return n, nil
}

// responseStatus is the order status a set of answers amounts to.
func responseStatus(as []LineAnswer) string {
	count := map[string]int{}
	for _, a := range as {
		count[a.Response]++
	}
	switch {
	case count["accepted"] == len(as):
		return "confirmed"
	case count["rejected"] == len(as):
		return "rejected"
	case count["changed"] > 0 && count["rejected"] == 0 && count["backordered"] == 0:
		return "changed"
	}
	return "partially_confirmed"
}

func setIf(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}

// submitForOrder submits doc as its sender (an operator acts for it),
// waits up to ActionWait for its message and returns it with the order's
// timeline. A message that failed gives a *ValidationError of its errors.
func (h *Hub) submitForOrder(ctx context.Context, p Principal, doctype string, doc map[string]any, orderID string) (OrderActionResult, error) {
	raw, err := json.Marshal(doc)
	if err != nil {
		return OrderActionResult{}, fmt.Errorf("encoding the %s: %w", doctype, err)
	}
	rs, err := h.Submit(ctx, p, doctype, []json.RawMessage{raw})
	if err != nil {
		return OrderActionResult{}, err
	}
	m, err := AwaitMessage(ctx, h.st, rs[0].MessageID, time.Now().Add(ActionWait), 100*time.Millisecond)
	if err != nil {
		return OrderActionResult{}, err
	}
	if m.Status == store.StatusFailed || m.Status == store.StatusDead {
		verr := &ValidationError{}
		for _, e := range m.Errors {
			verr.Violations = append(verr.Violations, schemas.Violation{Pointer: e.Pointer, Reason: e.Reason})
		}
		return OrderActionResult{}, verr
	}
	d, b, err := h.visibleOrder(ctx, Principal{Operator: true}, orderID)
	if err != nil {
		return OrderActionResult{}, err
	}
	o, err := h.orderView(ctx, d, b)
	if err != nil {
		return OrderActionResult{}, err
	}
	return OrderActionResult{Message: m, Document: raw, Order: o}, nil
}
