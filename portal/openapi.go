package portal

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

// OpenAPIPath is where the API serves its OpenAPI 3.1 document.
const OpenAPIPath = "/api/openapi.json"

// apiRoute describes one route of the API for the OpenAPI document.
type apiRoute struct {
	pattern string // as registered on the mux: "GET /api/v1/orders/{id}"
	summary string
	public  bool           // needs no API key
	query   []string       // query parameters
	body    any            // request body schema (nil: none)
	ok      map[int]any    // success statuses and their JSON schemas
	other   map[int]string // success statuses with a non-JSON body: content type
}

// routes lists every route NewAPI registers, with what it answers. Errors
// (every status not listed) have the shape of ErrorResponse.
func routes(b *schemaBuilder) []apiRoute {
	status := map[string]any{"type": "object", "additionalProperties": false, "required": []string{"status"},
		"properties": map[string]any{"status": map[string]any{"type": "string"}}}
	anyJSON := map[string]any{"description": "Any JSON value."}
	canonical := map[string]any{"description": "A canonical document (schemas/v1/<doctype>.json) or a non-empty array of them."}
	page := []string{"limit", "cursor"}
	action := map[int]any{200: b.ref(hub.OrderActionResult{}), 202: b.ref(hub.OrderActionResult{})}
	imported := b.ref(ImportResponse{})
	return []apiRoute{
		{pattern: "GET /healthz", summary: "Liveness", public: true, ok: map[int]any{200: status}},
		{pattern: "GET /readyz", summary: "Readiness of the store and the bus", public: true, ok: map[int]any{200: status, 503: map[string]any{
			"type": "object", "additionalProperties": false, "required": []string{"status", "reason"},
			"properties": map[string]any{"status": map[string]any{"type": "string"}, "reason": map[string]any{"type": "string"}}}}},
		{pattern: "GET /metrics", summary: "Prometheus metrics (when enabled)", public: true, other: map[int]string{200: "text/plain"}},
		{pattern: "GET " + OpenAPIPath, summary: "This document", public: true, ok: map[int]any{200: anyJSON}},

		{pattern: "POST /api/v1/documents/{doctype}", summary: "Submit canonical documents", body: canonical, ok: map[int]any{202: b.ref(SubmitResponse{})}},
		{pattern: "GET /api/v1/documents/{doctype}", summary: "List documents", query: append([]string{"external_id", "sender", "receiver", "status", "since", "until"}, page...), ok: map[int]any{200: b.list(store.Document{})}},
		{pattern: "GET /api/v1/documents/{doctype}/{id}", summary: "Get a document", ok: map[int]any{200: b.ref(store.Document{})}},

		{pattern: "GET /api/v1/inbox", summary: "Documents waiting for the caller", query: page, ok: map[int]any{200: b.list(store.InboxItem{})}},
		{pattern: "POST /api/v1/inbox/{id}/ack", summary: "Acknowledge an inbox delivery", ok: map[int]any{200: b.ref(store.Delivery{})}},
		{pattern: "GET /api/v1/inbox/{id}/body", summary: "An inbox delivery in its route's format", ok: map[int]any{200: anyJSON}, other: map[int]string{200: "application/octet-stream"}},

		{pattern: "GET /api/v1/deliveries", summary: "List deliveries", query: append([]string{"status", "channel", "receiver", "document_id", "message_id", "since", "until"}, page...), ok: map[int]any{200: b.list(store.Delivery{})}},
		{pattern: "GET /api/v1/deliveries/{id}", summary: "Get a delivery with the bytes last sent", ok: map[int]any{200: b.ref(DeliveryDetail{})}},
		{pattern: "POST /api/v1/deliveries/{id}/replay", summary: "Send a delivery again", ok: map[int]any{202: b.ref(store.Delivery{})}},
		{pattern: "GET /api/v1/dead-letters", summary: "What needs a person", query: append([]string{"kind", "include_resolved"}, page...), ok: map[int]any{200: b.list(store.DeadLetter{})}},
		{pattern: "GET /api/v1/notifications", summary: "Notifications", query: append([]string{"type", "open"}, page...), ok: map[int]any{200: b.list(store.Notification{})}},

		{pattern: "GET /api/v1/messages", summary: "List raw messages", query: append([]string{"status", "doctype", "partner", "since", "until"}, page...), ok: map[int]any{200: b.list(store.Message{})}},
		{pattern: "GET /api/v1/messages/{id}", summary: "Get a raw message", ok: map[int]any{200: b.ref(MessageDetail{})}},
		{pattern: "POST /api/v1/messages/{id}/replay", summary: "Process a message again", ok: map[int]any{202: b.ref(store.Message{})}},
		{pattern: "GET /api/v1/messages/{id}/body", summary: "A message's bytes", ok: map[int]any{200: anyJSON}, other: map[int]string{200: "application/octet-stream"}},
		{pattern: "GET /api/v1/messages/{id}/errors.xlsx", summary: "The error workbook of a spreadsheet message", other: map[int]string{200: XLSXContentType}},

		{pattern: "POST /api/v1/imports", summary: "Import a spreadsheet (multipart or raw)", query: []string{"doctype", "partner", "mapping", "dry_run", "wait", "errors"},
			body: anyJSON, ok: map[int]any{200: map[string]any{"anyOf": []any{b.ref(hub.ImportPreview{}), imported}}, 201: imported, 202: imported},
			other: map[int]string{200: XLSXContentType}},
		{pattern: "POST /api/v1/inbound/{doctype}", summary: "A partner's own JSON records", query: []string{"mapping", "wait"}, body: anyJSON,
			ok: map[int]any{200: imported, 201: imported, 202: imported}},

		{pattern: "GET /api/v1/price-lists", summary: "Price list publications", query: append([]string{"supplier", "currency", "status"}, page...), ok: map[int]any{200: b.list(store.PriceList{})}},
		{pattern: "GET /api/v1/price-lists/{id}", summary: "A price list publication", ok: map[int]any{200: b.ref(store.PriceList{})}},
		{pattern: "GET /api/v1/price-lists/{id}/lines", summary: "Its lines", query: page, ok: map[int]any{200: b.list(store.PriceLine{})}},
		{pattern: "GET /api/v1/price-lists/{id}/changes", summary: "Its changes against the previous list", query: page, ok: map[int]any{200: b.list(store.PriceChange{})}},

		{pattern: "GET /api/v1/stock", summary: "Stock levels", query: append([]string{"dealer", "supplier", "location", "sku"}, page...), ok: map[int]any{200: b.list(store.StockLevel{})}},
		{pattern: "GET /api/v1/stock-policies", summary: "Safety-stock policies", query: append([]string{"dealer", "location", "sku"}, page...), ok: map[int]any{200: b.list(store.StockPolicy{})}},
		{pattern: "PUT /api/v1/stock-policies", summary: "Set safety-stock policies (JSON array or CSV)", query: []string{"dealer"}, body: b.schema(reflect.TypeFor[[]store.StockPolicy]()), ok: map[int]any{200: b.ref(PutStockPoliciesResponse{})}},
		{pattern: "GET /api/v1/cross-refs", summary: "Item code cross-references", query: []string{"partner"}, ok: map[int]any{200: b.list(store.CrossRef{})}},
		{pattern: "PUT /api/v1/cross-refs", summary: "Set cross-references (JSON array or CSV)", query: []string{"partner"}, body: b.schema(reflect.TypeFor[[]store.CrossRef]()), ok: map[int]any{200: b.ref(PutCrossRefsResponse{})}},

		{pattern: "GET /api/v1/sync-runs", summary: "Runs of scheduled sources", query: append([]string{"partner", "source", "status"}, page...), ok: map[int]any{200: b.list(store.SyncRun{})}},
		{pattern: "POST /api/v1/sync-runs", summary: "Run a scheduled source now", body: b.ref(StartSyncRunRequest{}), ok: map[int]any{201: b.ref(store.SyncRun{})}},

		{pattern: "GET /api/v1/orders", summary: "The caller's orders as dealer or supplier", query: append([]string{"status", "partner", "since"}, page...), ok: map[int]any{200: b.list(hub.OrderSummary{})}},
		{pattern: "GET /api/v1/orders/{id}", summary: "An order with its per-line timeline", ok: map[int]any{200: b.ref(hub.Order{})}},
		{pattern: "POST /api/v1/orders/{id}/response", summary: "The supplier answers each line (an order_response)", body: b.ref(hub.OrderResponseRequest{}), ok: action},
		{pattern: "POST /api/v1/orders/{id}/receipt", summary: "The dealer records receipt of a shipment", body: b.ref(hub.ReceiptRequest{}), ok: action},
		{pattern: "POST /api/v1/shipments", summary: "The supplier's ship notice for confirmed lines", body: b.ref(hub.ShipmentRequest{}), ok: action},
		{pattern: "POST /api/v1/tracking-events", summary: "Tracking events (one or an array)", body: canonical,
			ok: map[int]any{200: b.ref(TrackingResponse{}), 202: b.ref(TrackingResponse{})}},
	}
}

var (
	openAPIOnce  sync.Once
	openAPIBytes []byte
)

// OpenAPIDocument returns the API's OpenAPI 3.1 document (JSON).
func OpenAPIDocument() []byte {
	openAPIOnce.Do(func() {
		b, err := json.MarshalIndent(buildOpenAPI(), "", "  ")
		if err != nil {
			panic("portal: encoding the OpenAPI document: " + err.Error()) // only plain maps: cannot fail
		}
		openAPIBytes = b
	})
	return openAPIBytes
}

// buildOpenAPI assembles the document from routes.
func buildOpenAPI() map[string]any {
	b := newSchemaBuilder()
	errSchema := b.ref(struct {
		Error *Error `json:"error"`
	}{})
	b.components["ErrorResponse"] = errSchema
	paths := map[string]any{}
	for _, rt := range routes(b) {
		method, path, _ := strings.Cut(rt.pattern, " ")
		op := map[string]any{"summary": rt.summary, "operationId": operationID(method, path)}
		if rt.public {
			op["security"] = []any{}
		}
		var params []any
		for _, seg := range strings.Split(path, "/") {
			if strings.HasPrefix(seg, "{") {
				params = append(params, map[string]any{"name": strings.Trim(seg, "{}"), "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
			}
		}
		for _, q := range rt.query {
			params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if rt.body != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": rt.body}}}
		}
		responses := map[string]any{}
		for st, sch := range rt.ok {
			responses[strconv.Itoa(st)] = map[string]any{"description": http.StatusText(st),
				"content": map[string]any{"application/json": map[string]any{"schema": sch}}}
		}
		for st, ct := range rt.other {
			r, _ := responses[strconv.Itoa(st)].(map[string]any)
			if r == nil {
				r = map[string]any{"description": http.StatusText(st), "content": map[string]any{}}
				responses[strconv.Itoa(st)] = r
			}
			r["content"].(map[string]any)[ct] = map[string]any{"schema": map[string]any{"type": "string"}}
		}
		responses["default"] = map[string]any{"description": "An error: the status and code say what went wrong (see Error).",
			"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/ErrorResponse"}}}}
		op["responses"] = responses
		item, _ := paths[path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[path] = item
		}
		item[strings.ToLower(method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "dealerhub API", "version": "1",
			"description": "The dealerhub REST API. Every /api/v1 route needs an API key (Authorization: Bearer <key>). Lists answer {items, next_cursor}; errors {error: {code, message, details}}."},
		"jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
		"security":          []any{map[string]any{"apiKey": []any{}}},
		"paths":             paths,
		"components": map[string]any{
			"schemas":         b.components,
			"securitySchemes": map[string]any{"apiKey": map[string]any{"type": "http", "scheme": "bearer", "description": "A dealerhub API key (dhk_…)."}},
		},
	}
}

// operationID makes "getApiV1OrdersId" style ids from a route.
func operationID(method, path string) string {
	var sb strings.Builder
	sb.WriteString(strings.ToLower(method))
	for _, seg := range strings.FieldsFunc(path, func(r rune) bool { return r == '/' || r == '-' || r == '.' || r == '{' || r == '}' }) {
		sb.WriteString(strings.ToUpper(seg[:1]) + seg[1:])
	}
	return sb.String()
}

// openAPI handles GET /api/openapi.json.
func (a *api) openAPI(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(OpenAPIDocument())
}
