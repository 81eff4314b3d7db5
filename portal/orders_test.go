package portal

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
)

// postOrder submits orderJSON(externalID) as dealer-a, waits for it and
// returns the order's hub id.
func (e *apiEnv) postOrder(t *testing.T, externalID string) string {
	t.Helper()
	r := e.do(t, http.MethodPost, "/api/v1/documents/order", "dealer-a", "", orderJSON(externalID), nil)
	require.Equal(t, http.StatusAccepted, r.status, "body: %s", r.body)
	m := e.WaitMessage(t, jsonField(t, r.body, "messages.0.id"), store.StatusDone)
	require.Len(t, m.DocumentIDs, 1)
	return m.DocumentIDs[0]
}

// TestOrderCollaboration runs the whole flow through the API: the dealer
// orders, the supplier confirms one line and changes the other, ships the
// confirmed quantities, the carrier posts tracking events (a late
// in_transit among them), the dealer records the receipt, and each line's
// timeline shows every step.
func TestOrderCollaboration(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t, hubtest.Options{}, Options{})
	id := e.postOrder(t, "PO-100")
	order := "/api/v1/orders/" + id

	e.run(t, []scenario{
		{name: "the dealer lists its order", url: "/api/v1/orders", who: "dealer-a", status: 200,
			fields: map[string]string{"items.#": "1", "items.0.id": id, "items.0.supplier": "supplier-a", "items.0.lines": "2"}},
		{name: "the supplier lists it filtered by dealer", url: "/api/v1/orders?partner=dealer-a", who: "supplier-a", status: 200,
			fields: map[string]string{"items.#": "1", "items.0.external_id": "PO-100"}},
		{name: "a filter by another partner finds none", url: "/api/v1/orders?partner=dealer-b", who: "supplier-a", status: 200,
			fields: map[string]string{"items.#": "0"}},
		{name: "an answer to a line the order lacks names it", method: "POST", url: order + "/response", who: "supplier-a",
			body: `{"lines":[{"line_no":9,"response":"accepted"}]}`, status: 422,
			fields: map[string]string{"error.code": "validation_failed", "error.details.0.pointer": "/lines/0/line_no"}},
		{name: "a change without what changes names the line", method: "POST", url: order + "/response", who: "supplier-a",
			body: `{"lines":[{"line_no":1,"response":"accepted"},{"line_no":2,"response":"changed"}]}`, status: 422,
			fields: map[string]string{"error.details.0.pointer": "/lines/1"}},
		{name: "a bad promised date names the line", method: "POST", url: order + "/response", who: "supplier-a",
			body: `{"lines":[{"line_no":1,"response":"accepted","promised_date":"tomorrow"}]}`, status: 422,
			fields: map[string]string{"error.details.0.pointer": "/lines/0/promised_date"}},
		{name: "an unknown field is refused", method: "POST", url: order + "/response", who: "supplier-a",
			body: `{"lines":[],"colour":"red"}`, status: 400, contains: []string{"colour"}},
		{name: "the dealer may not answer its own order", method: "POST", url: order + "/response", who: "dealer-a",
			body: `{"lines":[{"line_no":1,"response":"accepted"}]}`, status: 404},
		{name: "the supplier confirms line 1 and changes line 2", method: "POST", url: order + "/response", who: "supplier-a",
			body: `{"lines":[{"line_no":1,"response":"accepted","promised_date":"2026-02-01"},` +
				`{"line_no":2,"response":"changed","quantity":"10","unit_price":"19.50","promised_date":"2026-02-05","reason":"short"}]}`,
			status: 200, fields: map[string]string{
				"message.status": "done", "order.progress": "changed",
				"order.lines.0.response": "accepted", "order.lines.0.confirmed_quantity": "12", "order.lines.0.promised_date": "2026-02-01",
				"order.lines.1.response": "changed", "order.lines.1.confirmed_quantity": "10", "order.lines.1.confirmed_price": "19.50",
				"order.lines.1.timeline.1.step": "changed", "order.lines.1.timeline.1.reason": "short",
			}},
		{name: "the dealer receives the response in its inbox", url: "/api/v1/inbox", who: "dealer-a", status: 200,
			contains: []string{`"order_response"`, `"PO-100-R1"`}},
		{name: "shipping more than confirmed names the package line", method: "POST", url: "/api/v1/shipments", who: "supplier-a",
			body:   `{"order_id":"` + id + `","packages":[{"lines":[{"line_no":1,"quantity":"12"},{"line_no":2,"quantity":"10.5"}]}]}`,
			status: 422, fields: map[string]string{"error.details.#": "1", "error.details.0.pointer": "/packages/0/lines/1/quantity"},
			contains: []string{"confirmed quantity 10"}},
		{name: "the dealer may not ship", method: "POST", url: "/api/v1/shipments", who: "dealer-a",
			body: `{"order_id":"` + id + `","packages":[{"lines":[{"line_no":1,"quantity":"1"}]}]}`, status: 404},
		{name: "the supplier ships the confirmed quantities", method: "POST", url: "/api/v1/shipments", who: "supplier-a",
			body: `{"order_id":"` + id + `","external_id":"ASN-100","carrier":"carrier-a","tracking_number":"SF1234567890",` +
				`"packages":[{"sscc":"003456789012345675","lines":[{"line_no":1,"quantity":"12"}]},{"lines":[{"line_no":2,"quantity":"10"}]}]}`,
			status: 200, fields: map[string]string{
				"order.progress": "shipped", "order.shipments.0.external_id": "ASN-100",
				"order.lines.0.shipped_quantity": "12", "order.lines.1.shipped_quantity": "10",
				"order.lines.0.timeline.2.package": "003456789012345675", "order.lines.1.timeline.2.package": "2",
			}},
		{name: "shipping again beyond the confirmed quantity counts what shipped", method: "POST", url: "/api/v1/shipments", who: "supplier-a",
			body: `{"order_id":"` + id + `","packages":[{"lines":[{"line_no":1,"quantity":"1"}]}]}`, status: 422,
			contains: []string{"12 already shipped"}},
	})

	e.run(t, []scenario{
		{name: "another carrier gets 404 for the shipment", method: "POST", url: "/api/v1/tracking-events", who: "dealer-b",
			body:   `{"shipment_external_id":"ASN-100","status":"picked_up","occurred_at":"2026-01-20T08:00:00+08:00"}`,
			status: 404, fields: map[string]string{"error.details.0.pointer": "/shipment_external_id"}},
		{name: "a batch names the bad event by index", method: "POST", url: "/api/v1/tracking-events", who: "carrier-a",
			body: `[{"shipment_external_id":"ASN-100","status":"picked_up","occurred_at":"2026-01-20T08:00:00+08:00"},` +
				`{"shipment_external_id":"ASN-100","status":"flying","occurred_at":"2026-01-20T09:00:00+08:00"}]`,
			status: 422, fields: map[string]string{"error.details.0.pointer": "/1/status"}},
		{name: "an unknown carrier code is named", method: "POST", url: "/api/v1/tracking-events", who: "carrier-a",
			body:   `{"shipment_external_id":"ASN-100","carrier_status_code":"ZZ9","occurred_at":"2026-01-20T08:00:00+08:00"}`,
			status: 422, fields: map[string]string{"error.details.0.pointer": "/carrier_status_code"}},
		{name: "the carrier posts a batch, delivered by its own code", method: "POST", url: "/api/v1/tracking-events", who: "carrier-a",
			body: `[{"shipment_external_id":"ASN-100","status":"picked_up","occurred_at":"2026-01-20T08:00:00+08:00"},` +
				`{"shipment_external_id":"ASN-100","status":"in_transit","occurred_at":"2026-01-20T18:00:00+08:00","description":"快件已到达【上海转运中心】"},` +
				`{"shipment_external_id":"ASN-100","carrier_status_code":"D","occurred_at":"2026-01-21T10:00:00+08:00","signed_by":"王"}]`,
			status: 200, fields: map[string]string{"events.#": "3", "events.2.status": "delivered", "events.2.shipment_status": "delivered", "events.2.applied": "true"}},
		{name: "a late in_transit is recorded but does not move the status back", method: "POST", url: "/api/v1/tracking-events", who: "carrier-a",
			body:   `{"shipment_external_id":"ASN-100","status":"in_transit","occurred_at":"2026-01-21T12:00:00+08:00"}`,
			status: 200, fields: map[string]string{"events.0.status": "in_transit", "events.0.applied": "false", "events.0.shipment_status": "delivered", "events.0.message.status": "done"}},
		{name: "a receipt of another shipment names it", method: "POST", url: order + "/receipt", who: "dealer-a",
			body: `{"shipment":"ASN-999"}`, status: 422, fields: map[string]string{"error.details.0.pointer": "/shipment"}},
		{name: "receiving more than shipped names the line", method: "POST", url: order + "/receipt", who: "dealer-a",
			body: `{"shipment":"ASN-100","lines":[{"line_no":2,"quantity":"11"}]}`, status: 422,
			fields: map[string]string{"error.details.0.pointer": "/lines/0/quantity"}},
		{name: "the supplier may not record the dealer's receipt", method: "POST", url: order + "/receipt", who: "supplier-a",
			body: `{"shipment":"ASN-100"}`, status: 404},
		{name: "the dealer records the receipt", method: "POST", url: order + "/receipt", who: "dealer-a",
			body: `{"shipment":"ASN-100","received_at":"2026-01-21T15:00:00+08:00"}`, status: 200,
			fields: map[string]string{"order.progress": "received", "order.status": "received",
				"order.lines.0.received_quantity": "12", "order.lines.1.received_quantity": "10"}},
	})

	want := []string{"ordered", "confirmed", "shipped", "tracking", "tracking", "tracking", "tracking", "received"}
	fields := map[string]string{
		"progress": "received", "shipments.0.tracking_status": "delivered", "shipments.0.events": "4",
		"lines.0.timeline.#": "8", "lines.1.timeline.#": "8", "lines.1.timeline.1.step": "changed",
		"lines.0.timeline.1.date": "2026-02-01", "lines.0.timeline.2.shipment": "ASN-100",
		"lines.0.timeline.6.status": "in_transit", "lines.0.timeline.6.applied": "false",
		"lines.0.timeline.5.status": "delivered", "lines.0.timeline.7.quantity": "12",
	}
	for i, step := range want {
		fields["lines.0.timeline."+strconv.Itoa(i)+".step"] = step
	}
	e.run(t, []scenario{
		{name: "the dealer sees every step per line", url: order, who: "dealer-a", status: 200, fields: fields},
		{name: "the supplier sees the same timeline", url: order, who: "supplier-a", status: 200, fields: map[string]string{"lines.0.timeline.#": "8"}},
		{name: "the operator sees it", url: order, who: "operator", status: 200, fields: map[string]string{"progress": "received"}},
	})
}

// TestOrderIsolation: partners not party to an order get 404 for it, its
// answers, its shipments and their tracking.
func TestOrderIsolation(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t, hubtest.Options{}, Options{})
	id := e.postOrder(t, "PO-200")
	order := "/api/v1/orders/" + id
	e.run(t, []scenario{
		{name: "the supplier confirms", method: "POST", url: order + "/response", who: "supplier-a",
			body:   `{"lines":[{"line_no":1,"response":"accepted"},{"line_no":2,"response":"rejected","reason":"discontinued"}]}`,
			status: 200, fields: map[string]string{"order.progress": "partially_confirmed", "order.lines.1.confirmed_quantity": "0"}},
		{name: "the supplier ships by another carrier", method: "POST", url: "/api/v1/shipments", who: "supplier-a",
			body:   `{"order_id":"` + id + `","external_id":"ASN-200","carrier":"SF Express","packages":[{"lines":[{"line_no":1,"quantity":"12"}]}]}`,
			status: 200, fields: map[string]string{"order.progress": "shipped"}},
	})
	e.run(t, []scenario{
		{name: "another dealer cannot see the order", url: order, who: "dealer-b", status: 404, fields: map[string]string{"error.code": "not_found"}},
		{name: "a carrier cannot see the order", url: order, who: "carrier-a", status: 404},
		{name: "another dealer lists none", url: "/api/v1/orders", who: "dealer-b", status: 200, fields: map[string]string{"items.#": "0"}},
		{name: "a carrier lists none", url: "/api/v1/orders", who: "carrier-a", status: 200, fields: map[string]string{"items.#": "0"}},
		{name: "another dealer cannot answer", method: "POST", url: order + "/response", who: "dealer-b",
			body: `{"lines":[{"line_no":1,"response":"rejected"}]}`, status: 404},
		{name: "another dealer cannot record a receipt", method: "POST", url: order + "/receipt", who: "dealer-b",
			body: `{"shipment":"ASN-200"}`, status: 404},
		{name: "another dealer cannot ship the order", method: "POST", url: "/api/v1/shipments", who: "dealer-b",
			body: `{"order_id":"` + id + `","packages":[{"lines":[{"line_no":1,"quantity":"1"}]}]}`, status: 404},
		{name: "a carrier not named on the shipment gets 404", method: "POST", url: "/api/v1/tracking-events", who: "carrier-a",
			body: `{"shipment_external_id":"ASN-200","status":"picked_up","occurred_at":"2026-01-20T08:00:00Z"}`, status: 404},
		{name: "the dealer cannot post tracking for its shipment", method: "POST", url: "/api/v1/tracking-events", who: "dealer-a",
			body: `{"shipment_external_id":"ASN-200","status":"delivered","occurred_at":"2026-01-20T08:00:00Z"}`, status: 404},
		{name: "the supplier posts tracking for its own shipment", method: "POST", url: "/api/v1/tracking-events", who: "supplier-a",
			body:   `{"shipment_external_id":"ASN-200","status":"picked_up","occurred_at":"2026-01-20T08:00:00Z"}`,
			status: 200, fields: map[string]string{"events.0.shipment_status": "picked_up"}},
		{name: "a rejected line cannot ship", method: "POST", url: "/api/v1/shipments", who: "supplier-a",
			body: `{"order_id":"` + id + `","packages":[{"lines":[{"line_no":2,"quantity":"1"}]}]}`, status: 422,
			fields: map[string]string{"error.details.0.pointer": "/packages/0/lines/0/quantity"}},
		{name: "an unknown order is 404", url: "/api/v1/orders/nope", who: "dealer-a", status: 404},
	})
}
