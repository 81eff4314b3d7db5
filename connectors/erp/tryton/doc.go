// Package tryton reads a dealer's stock and sales from a Tryton 6.0 ERP and
// records the dealer's purchase orders in it, over Tryton's JSON-RPC.
//
// A Client logs in once per session (common.db.login) and sends every call
// with an "Authorization: Session …" header and the user's context from
// res.user.get_preferences. It retries transient failures itself (network
// errors, timeouts, HTTP 5xx, HTTP 429 with Retry-After, Tryton's
// ConcurrencyException) and logs in again once when the server forgets the
// session. Tryton's own error replies become *RPCError.
//
//	c, err := tryton.New(tryton.Config{URL: "http://127.0.0.1:8000",
//		Database: "tryton", User: "hub", Password: os.Getenv("TRYTON_PASSWORD")})
//	snap, err := c.ReadStock(ctx, connectors.StockQuery{SalesFrom: "2026-11-01", SalesTo: "2026-11-24"})
//	p, err := c.PushPurchase(ctx, po)
//
// The sub-packages trytontest (a live trytond on loopback, for tests) and
// trytonfake (an in-process stand-in speaking the same JSON-RPC shapes) serve
// this package's tests and the hub's.
package tryton
