package portal

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/hubtest"
)

// TestAPIBadInput sends every kind of bad request the API must refuse, and
// the probes, against a real hub.
func TestAPIBadInput(t *testing.T) {
	t.Parallel()
	metrics := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		_, _ = w.Write([]byte("dealerhub_test_metric 1\n"))
	})
	e := newAPIEnv(t, hubtest.Options{}, Options{MaxBodyBytes: 64 << 10, Metrics: metrics})

	ctx := context.Background()
	revoked, k, err := hub.CreateAPIKey(ctx, e.Store, "dealer-a", false, "to revoke")
	require.NoError(t, err)
	require.NoError(t, e.Store.RevokeAPIKey(ctx, k.ID))

	invalidOrder := `{"receiver":"supplier-a","external_id":"PO-BAD","status":"sent","order_date":"2026-01-15",` +
		`"lines":[{"line_no":1,"sku":"BOLT-M8","quantity":12,"unit":"EA","unit_price":"cheap"}]}`
	huge := `{"receiver":"supplier-a","external_id":"PO-HUGE","note":"` + strings.Repeat("x", 100<<10) + `"}`

	e.run(t, []scenario{
		// Probes need no key.
		{name: "healthz", url: "/healthz", status: 200, fields: map[string]string{"status": "ok"}},
		{name: "readyz", url: "/readyz", status: 200, fields: map[string]string{"status": "ok"}},
		{name: "metrics", url: "/metrics", status: 200, contains: []string{"dealerhub_test_metric 1"}},

		// Authentication.
		{name: "no key", url: "/api/v1/inbox", status: 401,
			fields: map[string]string{"error.code": "unauthorized"}, headers: map[string]string{"WWW-Authenticate": "Bearer"}},
		{name: "unknown key", url: "/api/v1/inbox", who: "raw:dhk_0123456789abcdef_notthesecret", status: 401,
			fields: map[string]string{"error.code": "unauthorized"}, headers: map[string]string{"WWW-Authenticate": "Bearer"}},
		{name: "not a key", url: "/api/v1/inbox", who: "raw:hunter2", status: 401, absent: []string{"hunter2"}},
		{name: "revoked key", url: "/api/v1/inbox", who: "raw:" + revoked, status: 401,
			fields: map[string]string{"error.code": "unauthorized"}},
		{name: "basic auth is not a bearer key", url: "/api/v1/inbox", header: map[string]string{"Authorization": "Basic ZGVhbGVyOmE="}, status: 401},
		{name: "bearer scheme is case-insensitive", url: "/api/v1/inbox", header: map[string]string{"Authorization": "bearer " + e.Key("dealer-a")}, status: 200},

		// Submissions.
		{name: "unknown doctype", method: "POST", url: "/api/v1/documents/invoice-x", who: "dealer-a", body: orderJSON("PO-1"), status: 404,
			fields: map[string]string{"error.code": "unknown_doctype"}, contains: []string{"invoice-x"}},
		{name: "unknown doctype list", url: "/api/v1/documents/invoice-x", who: "dealer-a", status: 404,
			fields: map[string]string{"error.code": "unknown_doctype"}},
		{name: "text/plain", method: "POST", url: "/api/v1/documents/order", who: "dealer-a", contentType: "text/plain", body: orderJSON("PO-1"), status: 415,
			fields: map[string]string{"error.code": "unsupported_media_type"}},
		{name: "no content type", method: "POST", url: "/api/v1/documents/order", who: "dealer-a", contentType: "-", body: orderJSON("PO-1"), status: 415},
		{name: "latin-1 charset", method: "POST", url: "/api/v1/documents/order", who: "dealer-a", contentType: "application/json; charset=iso-8859-1", body: orderJSON("PO-1"), status: 415},
		{name: "malformed JSON names line and offset", method: "POST", url: "/api/v1/documents/order", who: "dealer-a",
			body: "{\n  \"external_id\": \"PO-1\",\n  \"lines\": [}\n", status: 400,
			fields: map[string]string{"error.code": "bad_request"}, contains: []string{"line 3, column 13", "byte offset 39"}},
		{name: "empty body", method: "POST", url: "/api/v1/documents/order", who: "dealer-a", contentType: "application/json", status: 400,
			fields: map[string]string{"error.code": "bad_request"}},
		{name: "empty array", method: "POST", url: "/api/v1/documents/order", who: "dealer-a", body: "[]", status: 400,
			fields: map[string]string{"error.code": "bad_request"}, contains: []string{"empty"}},
		{name: "array of scalars", method: "POST", url: "/api/v1/documents/order", who: "dealer-a", body: `[` + orderJSON("PO-1") + `, 7]`, status: 400,
			fields: map[string]string{"error.details.0.pointer": "/1"}},
		{name: "body over the limit", method: "POST", url: "/api/v1/documents/order", who: "dealer-a", body: huge, status: 413,
			fields: map[string]string{"error.code": "body_too_large"}},
		{name: "schema violations", method: "POST", url: "/api/v1/documents/order", who: "dealer-a", body: invalidOrder, status: 422,
			fields:   map[string]string{"error.code": "validation_failed"},
			contains: []string{`"pointer":"/lines/0/quantity"`, `"pointer":"/lines/0/unit_price"`}},
		{name: "schema violations in an array carry the index", method: "POST", url: "/api/v1/documents/order", who: "dealer-a",
			body: `[` + orderJSON("PO-ARR-OK") + `,` + invalidOrder + `]`, status: 422,
			contains: []string{`"pointer":"/1/lines/0/quantity"`, `"pointer":"/1/lines/0/unit_price"`}, absent: []string{`"/0/`}},
		{name: "nothing of a refused array was stored", url: "/api/v1/documents/order?external_id=PO-ARR-OK", who: "dealer-a", status: 200,
			fields: map[string]string{"items.#": "0"}},
		{name: "another sender", method: "POST", url: "/api/v1/documents/order", who: "dealer-a",
			body: strings.Replace(orderJSON("PO-1"), `{`, `{"sender":"dealer-b",`, 1), status: 403,
			fields: map[string]string{"error.code": "forbidden"}},
		{name: "operator must name the sender", method: "POST", url: "/api/v1/documents/order", who: "operator", body: orderJSON("PO-OP"), status: 422,
			contains: []string{`"pointer":"/sender"`}},
		{name: "charset utf-8 accepted", method: "POST", url: "/api/v1/documents/order", who: "dealer-a",
			contentType: "application/json; charset=UTF-8", body: orderJSON("PO-CHARSET"), status: 202,
			fields: map[string]string{"messages.#": "1", "messages.0.status": "received", "messages.0.duplicate": "false"}},
		{name: "same bytes again are a duplicate", method: "POST", url: "/api/v1/documents/order", who: "dealer-a",
			body: orderJSON("PO-CHARSET"), status: 202, fields: map[string]string{"messages.0.duplicate": "true"}},

		// Query parameters.
		{name: "limit not a number", url: "/api/v1/documents/order?limit=ten", who: "dealer-a", status: 400, contains: []string{"limit"}},
		{name: "limit zero", url: "/api/v1/inbox?limit=0", who: "supplier-a", status: 400, contains: []string{"limit"}},
		{name: "limit too large", url: "/api/v1/deliveries?limit=5000", who: "dealer-a", status: 400, contains: []string{"limit"}},
		{name: "since not RFC 3339", url: "/api/v1/documents/order?since=yesterday", who: "dealer-a", status: 400, contains: []string{"since"}},
		{name: "until not RFC 3339", url: "/api/v1/messages?until=2026-01-02", who: "dealer-a", status: 400, contains: []string{"until"}},
		{name: "until before since", url: "/api/v1/messages?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z", who: "dealer-a", status: 400, contains: []string{"until"}},
		{name: "RFC 3339 accepted", url: "/api/v1/messages?since=2026-01-02T00:00:00%2B08:00&limit=5", who: "dealer-a", status: 200},
		{name: "unknown message status", url: "/api/v1/messages?status=lost", who: "dealer-a", status: 400, contains: []string{"status"}},
		{name: "cursor not from the API", url: "/api/v1/messages?cursor=bm90LWEtY3Vyc29y", who: "dealer-a", status: 400, contains: []string{"cursor"}},
		{name: "broken document cursor", url: "/api/v1/documents/order?cursor=%25%25", who: "dealer-a", status: 400, contains: []string{"cursor"}},
		{name: "unknown delivery status", url: "/api/v1/deliveries?status=lost", who: "dealer-a", status: 400, contains: []string{"status"}},
		{name: "unknown doctype filter", url: "/api/v1/messages?doctype=invoice-x", who: "dealer-a", status: 400, contains: []string{"doctype"}},
		{name: "partner filter is for operators", url: "/api/v1/messages?partner=dealer-b", who: "dealer-a", status: 403},
		{name: "include_resolved not a bool", url: "/api/v1/dead-letters?include_resolved=maybe", who: "dealer-a", status: 400, contains: []string{"include_resolved"}},
		{name: "unknown dead-letter kind", url: "/api/v1/dead-letters?kind=parcel", who: "dealer-a", status: 400, contains: []string{"kind"}},
		{name: "operator has no inbox", url: "/api/v1/inbox", who: "operator", status: 400},

		// Routing.
		{name: "unknown route", url: "/api/v1/nothing-here", who: "dealer-a", status: 404, fields: map[string]string{"error.code": "not_found"}},
		{name: "wrong method", method: "DELETE", url: "/api/v1/inbox", who: "dealer-a", status: 405,
			fields: map[string]string{"error.code": "method_not_allowed"}, headers: map[string]string{"Allow": "GET"}},
		{name: "wrong method on documents", method: "PUT", url: "/api/v1/documents/order", who: "dealer-a", body: "{}", status: 405,
			headers: map[string]string{"Allow": "POST"}},
		{name: "unknown message", url: "/api/v1/messages/0190e6f0-0000-7000-8000-000000000000", who: "dealer-a", status: 404,
			fields: map[string]string{"error.code": "not_found"}},
		{name: "unknown delivery", url: "/api/v1/deliveries/nope", who: "dealer-a", status: 404},
		{name: "unknown document", url: "/api/v1/documents/order/nope", who: "dealer-a", status: 404},

		// Request ids.
		{name: "request id is honoured", url: "/healthz", header: map[string]string{"X-Request-Id": "trace-42"}, status: 200,
			headers: map[string]string{"X-Request-Id": "trace-42"}},
	})
}
