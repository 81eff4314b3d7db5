package portal

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/webhook"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
)

// submitOne posts one document and returns its message id.
func (e *apiEnv) submitOne(t *testing.T, who, doctype, body string) string {
	t.Helper()
	r := e.do(t, http.MethodPost, "/api/v1/documents/"+doctype, who, "", body, nil)
	require.Equal(t, http.StatusAccepted, r.status, "body: %s", r.body)
	var resp SubmitResponse
	decode(t, r, &resp)
	require.Len(t, resp.Messages, 1)
	return resp.Messages[0].MessageID
}

// TestAPIIsolation follows one order from dealer-a (sender) to supplier-a
// (receiver) and checks what dealer-b (outsider), the operator and a revoked
// key see at each step, over both stores: visibility is enforced in their
// queries.
func TestAPIIsolation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts hubtest.Options
	}{
		{"sqlite", hubtest.Options{}},
		{"postgres", hubtest.Options{Postgres: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			testAPIIsolation(t, newAPIEnv(t, tc.opts, Options{}))
		})
	}
}

func testAPIIsolation(t *testing.T, e *apiEnv) {
	ctx := context.Background()

	msgID := e.submitOne(t, "dealer-a", "order", orderJSON("PO-ISO-1"))
	msg := e.WaitMessage(t, msgID, store.StatusDone)
	require.Len(t, msg.DocumentIDs, 1)
	docID := msg.DocumentIDs[0]

	r := e.do(t, http.MethodGet, "/api/v1/deliveries?document_id="+docID, "operator", "", "", nil)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var dl ListResponse[store.Delivery]
	decode(t, r, &dl)
	require.Len(t, dl.Items, 1)
	dlv := dl.Items[0]
	require.Equal(t, "supplier-a", dlv.Receiver)
	require.Equal(t, "inbox", dlv.Channel)
	require.Equal(t, store.DeliveryPending, dlv.Status)

	revoked, k, err := hub.CreateAPIKey(ctx, e.Store, "supplier-a", false, "leaver")
	require.NoError(t, err)
	e.run(t, []scenario{{name: "fresh key works", url: "/api/v1/documents/order/" + docID, who: "raw:" + revoked, status: 200}})
	require.NoError(t, e.Store.RevokeAPIKey(ctx, k.ID))

	doc := "/api/v1/documents/order/" + docID
	e.run(t, []scenario{
		// The document.
		{name: "sender reads the document", url: doc, who: "dealer-a", status: 200,
			fields: map[string]string{"id": docID, "external_id": "PO-ISO-1", "sender": "dealer-a", "receiver": "supplier-a", "body.lines.1.unit_price": "19.90"}},
		{name: "receiver reads the document", url: doc, who: "supplier-a", status: 200, fields: map[string]string{"id": docID}},
		{name: "outsider gets 404", url: doc, who: "dealer-b", status: 404, fields: map[string]string{"error.code": "not_found"}, absent: []string{"PO-ISO-1"}},
		{name: "carrier gets 404", url: doc, who: "carrier-a", status: 404},
		{name: "operator reads the document", url: doc, who: "operator", status: 200, fields: map[string]string{"id": docID}},
		{name: "revoked key gets 401", url: doc, who: "raw:" + revoked, status: 401, fields: map[string]string{"error.code": "unauthorized"}},
		{name: "another doctype's path is 404", url: "/api/v1/documents/price_list/" + docID, who: "dealer-a", status: 404},
		{name: "sender lists it", url: "/api/v1/documents/order?external_id=PO-ISO-1", who: "dealer-a", status: 200,
			fields: map[string]string{"items.#": "1", "items.0.id": docID, "next_cursor": ""}},
		{name: "receiver lists it", url: "/api/v1/documents/order?receiver=supplier-a", who: "supplier-a", status: 200,
			fields: map[string]string{"items.#": "1"}},
		{name: "outsider lists nothing", url: "/api/v1/documents/order", who: "dealer-b", status: 200,
			fields: map[string]string{"items.#": "0"}},
		{name: "operator lists it", url: "/api/v1/documents/order?sender=dealer-a", who: "operator", status: 200,
			fields: map[string]string{"items.#": "1"}},

		// The raw message.
		{name: "sender reads its message with the body", url: "/api/v1/messages/" + msgID, who: "dealer-a", status: 200,
			fields:   map[string]string{"id": msgID, "status": "done", "document_ids.0": docID, "body_base64": "<missing>"},
			contains: []string{`PO-ISO-1`}},
		{name: "outsider cannot read the message", url: "/api/v1/messages/" + msgID, who: "dealer-b", status: 404},
		{name: "outsider does not list the message", url: "/api/v1/messages", who: "dealer-b", status: 200,
			fields: map[string]string{"items.#": "0"}},
		{name: "sender lists its message", url: "/api/v1/messages?doctype=order&status=done", who: "dealer-a", status: 200,
			fields: map[string]string{"items.#": "1", "items.0.id": msgID}},
		{name: "operator filters by partner", url: "/api/v1/messages?partner=dealer-a", who: "operator", status: 200,
			fields: map[string]string{"items.#": "1"}},
		{name: "operator filters by another partner", url: "/api/v1/messages?partner=dealer-b", who: "operator", status: 200,
			fields: map[string]string{"items.#": "0"}},
		{name: "outsider cannot replay the message", method: "POST", url: "/api/v1/messages/" + msgID + "/replay", who: "dealer-b", status: 404},

		// The delivery.
		{name: "sender reads the delivery", url: "/api/v1/deliveries/" + dlv.ID, who: "dealer-a", status: 200,
			fields: map[string]string{"status": "pending", "receiver": "supplier-a"}},
		{name: "receiver reads the delivery", url: "/api/v1/deliveries/" + dlv.ID, who: "supplier-a", status: 200},
		{name: "outsider cannot read the delivery", url: "/api/v1/deliveries/" + dlv.ID, who: "dealer-b", status: 404},
		{name: "outsider lists no deliveries", url: "/api/v1/deliveries", who: "dealer-b", status: 200,
			fields: map[string]string{"items.#": "0"}, absent: []string{dlv.ID}},
		{name: "receiver lists the delivery", url: "/api/v1/deliveries?channel=inbox&status=pending", who: "supplier-a", status: 200,
			fields: map[string]string{"items.#": "1", "items.0.id": dlv.ID}},
		{name: "inbox deliveries are not replayed", method: "POST", url: "/api/v1/deliveries/" + dlv.ID + "/replay", who: "dealer-a", status: 409,
			fields: map[string]string{"error.code": "conflict"}},

		// The inbox.
		{name: "outsider's inbox is empty", url: "/api/v1/inbox", who: "dealer-b", status: 200, fields: map[string]string{"items.#": "0", "next_cursor": ""}},
		{name: "sender's inbox is empty", url: "/api/v1/inbox", who: "dealer-a", status: 200, fields: map[string]string{"items.#": "0"}},
		{name: "receiver's inbox has the order", url: "/api/v1/inbox", who: "supplier-a", status: 200,
			fields: map[string]string{"items.#": "1", "items.0.delivery_id": dlv.ID, "items.0.document_id": docID,
				"items.0.document.external_id": "PO-ISO-1", "items.0.sender": "dealer-a"}},
		{name: "outsider cannot ack", method: "POST", url: "/api/v1/inbox/" + dlv.ID + "/ack", who: "dealer-b", status: 404},
		{name: "sender cannot ack", method: "POST", url: "/api/v1/inbox/" + dlv.ID + "/ack", who: "dealer-a", status: 404},
		{name: "receiver acks", method: "POST", url: "/api/v1/inbox/" + dlv.ID + "/ack", who: "supplier-a", status: 200,
			fields: map[string]string{"id": dlv.ID, "status": "delivered"}},
		{name: "acking twice is harmless", method: "POST", url: "/api/v1/inbox/" + dlv.ID + "/ack", who: "supplier-a", status: 200,
			fields: map[string]string{"status": "delivered"}},
		{name: "the sender sees it delivered", url: "/api/v1/deliveries/" + dlv.ID, who: "dealer-a", status: 200,
			fields: map[string]string{"status": "delivered"}},
		{name: "the inbox is empty after the ack", url: "/api/v1/inbox", who: "supplier-a", status: 200, fields: map[string]string{"items.#": "0"}},
		{name: "ack wants POST", url: "/api/v1/inbox/" + dlv.ID + "/ack", who: "supplier-a", status: 405},

		// Replaying the same bytes changes nothing.
		{name: "sender replays its message", method: "POST", url: "/api/v1/messages/" + msgID + "/replay", who: "dealer-a", status: 202,
			fields: map[string]string{"id": msgID, "status": "received"}},
	})

	e.WaitMessage(t, msgID, store.StatusDone)
	e.run(t, []scenario{
		{name: "replay made no new version", url: doc, who: "dealer-a", status: 200, fields: map[string]string{"version": "1"}},
		{name: "replay made no new delivery", url: "/api/v1/deliveries?document_id=" + docID, who: "operator", status: 200,
			fields: map[string]string{"items.#": "1"}},
	})
}

// TestAPIFailuresAndReplay covers the failure paths through the API: a
// delivery a webhook refuses (dead letter, notification, bytes sent, replay)
// and a message that cannot be routed.
func TestAPIFailuresAndReplay(t *testing.T) {
	t.Parallel()
	var accept atomic.Bool
	var received atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if !accept.Load() {
			http.Error(w, "no such customer", http.StatusUnprocessableEntity)
			return
		}
		received.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(hook.Close)
	cfg := &config.Config{Partners: []config.Partner{{
		ID: "dealer-a", Name: "Dealer A", Roles: []string{"dealer"},
		Routes: []config.Route{{Doctype: "order_response", Channel: "webhook", Format: "json", Webhook: &config.Webhook{URL: hook.URL}}},
	}}}
	e := newAPIEnv(t, hubtest.Options{Config: cfg, Sinks: map[string]connectors.Sink{"webhook": webhook.New(nil)}}, Options{})

	// supplier-a answers an order; dealer-a's webhook refuses it for good.
	resp := `{"receiver":"dealer-a","external_id":"SO-77","order_external_id":"PO-77","status":"confirmed"}`
	msgID := e.submitOne(t, "supplier-a", "order_response", resp)
	e.WaitMessage(t, msgID, store.StatusDone)
	r := e.do(t, http.MethodGet, "/api/v1/deliveries?message_id="+msgID, "supplier-a", "", "", nil)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var dl ListResponse[store.Delivery]
	decode(t, r, &dl)
	require.Len(t, dl.Items, 1)
	dlvID := dl.Items[0].ID
	require.Equal(t, "webhook", dl.Items[0].Channel)
	e.WaitDelivery(t, dlvID, store.DeliveryDead)

	// dealer-a sends an order to a supplier that does not exist: the message
	// fails, with the reason, a dead letter and a notification.
	failedID := e.submitOne(t, "dealer-a", "order", `{"receiver":"nobody-x","external_id":"PO-LOST","status":"sent","order_date":"2026-01-15","lines":[{"line_no":1,"sku":"A","quantity":"1","unit":"EA"}]}`)
	e.WaitMessage(t, failedID, store.StatusFailed)

	// A source may hand over bytes that are not UTF-8; the API shows them as
	// base64.
	binary := []byte{0xff, 0xfe, '{', '}'}
	rcpt, err := e.Hub.Ingest(context.Background(), connectors.IngestRequest{Partner: "dealer-a", Doctype: "order", Format: "json", Source: "test", Body: binary})
	require.NoError(t, err)
	e.WaitMessage(t, rcpt.MessageID, store.StatusFailed)

	dlvURL := "/api/v1/deliveries/" + dlvID
	e.run(t, []scenario{
		{name: "the dead delivery shows the bytes sent", url: dlvURL, who: "supplier-a", status: 200,
			fields:   map[string]string{"status": "dead", "channel": "webhook", "sent_body_base64": "<missing>"},
			contains: []string{`"sent_body":"{`, `SO-77`, `"last_error":"`}},
		{name: "the receiver sees the bytes too", url: dlvURL, who: "dealer-a", status: 200, fields: map[string]string{"status": "dead"}},
		{name: "outsider cannot see it", url: dlvURL, who: "dealer-b", status: 404},
		{name: "the sender's dead letters list it", url: "/api/v1/dead-letters?kind=delivery", who: "supplier-a", status: 200,
			fields: map[string]string{"items.#": "1", "items.0.ref_id": dlvID, "items.0.kind": "delivery", "items.0.receiver": "dealer-a"}},
		{name: "no delivery among message dead letters", url: "/api/v1/dead-letters?kind=message", who: "supplier-a", status: 200,
			fields: map[string]string{"items.#": "0"}},
		{name: "outsider has no dead letters", url: "/api/v1/dead-letters", who: "dealer-b", status: 200, fields: map[string]string{"items.#": "0"}},
		{name: "the sender is notified", url: "/api/v1/notifications?type=delivery_dead", who: "supplier-a", status: 200,
			fields: map[string]string{"items.#": "1", "items.0.type": "delivery_dead", "items.0.partner": "supplier-a"}},
		{name: "outsider has no notifications", url: "/api/v1/notifications", who: "dealer-b", status: 200, fields: map[string]string{"items.#": "0"}},
		{name: "outsider cannot replay", method: "POST", url: dlvURL + "/replay", who: "dealer-b", status: 404},
		{name: "the receiver may not replay", method: "POST", url: dlvURL + "/replay", who: "dealer-a", status: 403,
			fields: map[string]string{"error.code": "forbidden"}},

		{name: "the failed message says why", url: "/api/v1/messages/" + failedID, who: "dealer-a", status: 200,
			fields: map[string]string{"status": "failed", "errors.0.pointer": "/receiver"}, contains: []string{"nobody-x"}},
		{name: "failed messages are listed", url: "/api/v1/messages?status=failed&doctype=order", who: "dealer-a", status: 200,
			fields: map[string]string{"items.#": "2"}, contains: []string{failedID}},
		{name: "its dead letter", url: "/api/v1/dead-letters?kind=message", who: "dealer-a", status: 200,
			contains: []string{`"ref_id":"` + failedID + `"`}},
		{name: "its notification", url: "/api/v1/notifications?type=message_failed", who: "dealer-a", status: 200,
			fields: map[string]string{"items.#": "2", "items.0.partner": "dealer-a"}},
		{name: "binary bytes come as base64", url: "/api/v1/messages/" + rcpt.MessageID, who: "dealer-a", status: 200,
			fields: map[string]string{"body_base64": base64.StdEncoding.EncodeToString(binary), "body": "<missing>"}},
		{name: "outsider cannot replay the failed message", method: "POST", url: "/api/v1/messages/" + failedID + "/replay", who: "dealer-b", status: 404},
	})

	// The webhook is fixed: the sender replays the delivery.
	accept.Store(true)
	e.run(t, []scenario{
		{name: "the sender replays", method: "POST", url: dlvURL + "/replay", who: "supplier-a", status: 202,
			fields: map[string]string{"id": dlvID, "status": "pending", "attempts": "0"}},
	})
	e.WaitDelivery(t, dlvID, store.DeliveryDelivered)
	require.EqualValues(t, 1, received.Load())
	e.run(t, []scenario{
		{name: "replay resolved the dead letter", url: "/api/v1/dead-letters", who: "supplier-a", status: 200, fields: map[string]string{"items.#": "0"}},
		{name: "resolved ones on request", url: "/api/v1/dead-letters?include_resolved=true", who: "supplier-a", status: 200,
			fields: map[string]string{"items.#": "1", "items.0.ref_id": dlvID}, contains: []string{`"resolved_at":"`}},
		{name: "delivered now", url: dlvURL, who: "operator", status: 200, fields: map[string]string{"status": "delivered", "attempts": "1"}},
		{name: "replaying a delivered delivery conflicts", method: "POST", url: dlvURL + "/replay", who: "operator", status: 409},
	})

	// Replaying the failed message runs it again (and it fails again: the
	// supplier still does not exist).
	r = e.do(t, http.MethodPost, "/api/v1/messages/"+failedID+"/replay", "dealer-a", "", "", nil)
	require.Equal(t, http.StatusAccepted, r.status, "body: %s", r.body)
	var replayed store.Message
	require.NoError(t, json.Unmarshal(r.body, &replayed))
	require.Equal(t, store.StatusReceived, replayed.Status)
	require.Equal(t, failedID, replayed.ID)
	e.WaitMessage(t, failedID, store.StatusFailed)
}
