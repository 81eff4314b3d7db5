// Package odoo reads a dealer's stock and sales from an Odoo ERP and
// records the dealer's purchase orders in it, over Odoo's external
// JSON-RPC API (POST /jsonrpc, services common and object).
//
// A Client logs in once (common.login answers the user id) and sends
// every model call through object.execute_kw with the database, the user
// id and the password or API key. It retries transient failures itself
// (network errors, timeouts, HTTP 5xx, HTTP 429 with Retry-After) and logs
// in again once when Odoo answers "Odoo Session Expired" or AccessDenied.
// Odoo's error objects become *RPCError, carrying the exception's name
// and Odoo's message. Quantities stay decimal text from the JSON numbers
// Odoo sends to the rows the hub stores.
//
//	c, err := odoo.New(odoo.Config{URL: "https://dealer.odoo.example",
//		Database: "dealer", User: "hub@dealer.example", Password: os.Getenv("ODOO_API_KEY")})
//	snap, err := c.ReadStock(ctx, connectors.StockQuery{SalesFrom: "2026-11-01", SalesTo: "2026-11-24"})
//	p, err := c.PushPurchase(ctx, po)
//
// The sub-package odoofake is an in-process stand-in speaking the same
// request and response shapes, for this package's tests and the hub's.
package odoo
