package portal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/dealerhub/dealerhub/hub"
)

// listOrders handles GET /api/v1/orders: the caller's orders as dealer or
// supplier (?status= of the order document, ?partner= the other party,
// ?since=, ?limit=, ?cursor=).
func (a *api) listOrders(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	q := newQuery(r.URL)
	f := hub.OrderFilter{Status: q.str("status"), Partner: q.str("partner"), Since: q.time("since"), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	orders, next, err := a.svc.ListOrders(r.Context(), p, f)
	if err != nil {
		return fmt.Errorf("listing orders: %w", err)
	}
	writeList(w, orders, next)
	return nil
}

// getOrder handles GET /api/v1/orders/{id}: the order with its per-line
// timeline.
func (a *api) getOrder(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	id := r.PathValue("id")
	o, err := a.svc.GetOrder(r.Context(), p, id)
	if err != nil {
		return fmt.Errorf("getting order %q: %w", id, err)
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

// respondToOrder handles POST /api/v1/orders/{id}/response.
func (a *api) respondToOrder(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	var req hub.OrderResponseRequest
	if err := a.decodeStrict(r, &req); err != nil {
		return err
	}
	id := r.PathValue("id")
	res, err := a.svc.RespondToOrder(r.Context(), p, id, req)
	if err != nil {
		return fmt.Errorf("answering order %q: %w", id, err)
	}
	writeAction(w, res)
	return nil
}

// recordReceipt handles POST /api/v1/orders/{id}/receipt.
func (a *api) recordReceipt(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	var req hub.ReceiptRequest
	if err := a.decodeStrict(r, &req); err != nil {
		return err
	}
	id := r.PathValue("id")
	res, err := a.svc.RecordReceipt(r.Context(), p, id, req)
	if err != nil {
		return fmt.Errorf("recording a receipt of order %q: %w", id, err)
	}
	writeAction(w, res)
	return nil
}

// writeAction answers 200 when the submitted document was processed, 202
// when it is still queued (the message says where it is).
func writeAction(w http.ResponseWriter, res hub.OrderActionResult) {
	status := http.StatusOK
	if res.Message.Status != "done" {
		status = http.StatusAccepted
	}
	writeJSON(w, status, res)
}

// decodeStrict reads a JSON object body into v; unknown fields are errors
// that name the field.
func (a *api) decodeStrict(r *http.Request, v any) error {
	if err := checkJSONContentType(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	body, err := a.readBody(r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return badRequest("field %s: want a %s, got a JSON %s", te.Field, te.Type, te.Value)
		}
		return badRequest("the body must be a JSON object: %v", err)
	}
	if dec.More() {
		return badRequest("the body must be one JSON object")
	}
	return nil
}
