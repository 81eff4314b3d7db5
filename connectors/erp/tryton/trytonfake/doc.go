// Package trytonfake is an in-process stand-in for a Tryton 6.0 server: an
// httptest server answering the JSON-RPC calls package tryton makes, in
// the same shapes as trytond (login, get_preferences, warehouses, products
// with quantities per warehouse, incoming moves, sale lines, purchases).
// It keeps its tables in memory, so 100,000 products read in pages of
// 1,000 take well under a second, and it has hooks for failure tests:
// FailNext (HTTP 401, 429 with Retry-After, 5xx), ErrorNext (a Tryton error
// reply), SetDelay and ExpireSession.
//
//	srv := trytonfake.New()
//	defer srv.Close()
//	srv.SetProducts(trytonfake.Product{Code: "SKU-1", Name: "Widget"})
//	srv.SetQuantity("SKU-1", "WH", 40)
//	c, _ := tryton.New(srv.Config())
//
// It checks what the client relies on, not what Tryton validates: it is
// no substitute for the live tests of package trytontest.
package trytonfake
