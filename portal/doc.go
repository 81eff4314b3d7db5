// Package portal serves the hub to people and programs over HTTP: the REST
// API (NewAPI) and, later, the web pages. It talks to the hub only through
// the hub.Service interface, so every visibility rule is the hub's.
//
// Wiring, in cmd:
//
//	api := portal.NewAPI(h, portal.Options{ // h is a *hub.Hub
//		MaxBodyBytes: 10 << 20,
//		Metrics:      promhttp.HandlerFor(registry, promhttp.HandlerOpts{}),
//		Logger:       logger,
//	})
//	srv := &http.Server{Addr: ":8080", Handler: api, ReadHeaderTimeout: 10 * time.Second}
//	go srv.ListenAndServe()
//
// A client posts documents with its API key and reads its inbox:
//
//	curl -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \
//	     --data @order.json http://localhost:8080/api/v1/documents/order
//	# 202 {"messages":[{"id":"…","status":"received","duplicate":false}]}
//	curl -H "Authorization: Bearer $KEY" http://localhost:8080/api/v1/inbox
//	# 200 {"items":[{"delivery_id":"…","document":{…}}],"next_cursor":""}
//
// Routes (all JSON; /api/v1 needs "Authorization: Bearer <api key>"):
//
//	POST /api/v1/documents/{doctype}          one object or an array → 202 receipts
//	GET  /api/v1/documents/{doctype}          external_id sender receiver status since until cursor limit
//	GET  /api/v1/documents/{doctype}/{id}
//	GET  /api/v1/inbox                        cursor limit
//	POST /api/v1/inbox/{id}/ack               the delivery becomes delivered
//	GET  /api/v1/deliveries                   status channel receiver document_id message_id cursor limit
//	GET  /api/v1/deliveries/{id}              with sent_body (UTF-8) or sent_body_base64
//	POST /api/v1/deliveries/{id}/replay       → 202
//	GET  /api/v1/dead-letters                 kind include_resolved cursor limit
//	GET  /api/v1/notifications                type cursor limit
//	GET  /api/v1/messages                     status doctype partner (operators) since until cursor limit
//	GET  /api/v1/messages/{id}                with body (UTF-8) or body_base64
//	POST /api/v1/messages/{id}/replay         → 202
//	GET  /api/v1/messages/{id}/errors.xlsx    an imported file's rejected rows and reasons
//	POST /api/v1/imports                      multipart: file doctype [mapping] [partner]; dry_run wait
//	GET  /api/v1/price-lists                  supplier currency status cursor limit
//	GET  /api/v1/price-lists/{id}             a publication: status, diff counts, dealers notified
//	GET  /api/v1/price-lists/{id}/lines       in the supplier's order; cursor limit
//	GET  /api/v1/price-lists/{id}/changes     the difference from the previous list; cursor limit
//	GET  /healthz  /readyz  /metrics          no key
//
// Lists answer {"items":[…],"next_cursor":"…"}; next_cursor is "" on the last
// page. Errors answer {"error":{"code","message","details"}} with the status
// and code from one table (see Error and the Code constants): 400
// bad_request, 401 unauthorized, 403 forbidden, 404 not_found or
// unknown_doctype, 405 method_not_allowed, 409 conflict, 413
// body_too_large, 415 unsupported_media_type, 422 validation_failed (every
// violation in details, with its JSON pointer) or unsupported_format (an
// upload that is neither csv nor xlsx), 500 internal.
//
// An import answers 201 when the file was stored, 200 with every error when
// it was refused, 202 when it is still being processed after ?wait= (30s,
// at most 60s); a dry run answers 200 with the report, or the error
// workbook when asked with Accept: XLSXContentType.
//
// Every response carries X-Request-Id (the caller's, when it sent a sane
// one). The access log has method, path, status, duration and partner;
// bodies, query strings and keys are never logged.
package portal
