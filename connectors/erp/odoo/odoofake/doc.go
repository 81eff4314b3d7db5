// Package odoofake is an in-process stand-in for Odoo's external JSON-RPC
// API (POST /jsonrpc): common.login, and object.execute_kw with
// search_read (flat domains with =, !=, in, not in, <, <=, >, >=, child_of
// and dotted paths), create of purchase orders with their order_line
// commands, and purchase.order button_confirm. Replies and errors have
// Odoo's shapes: {"jsonrpc":"2.0","id":N,"result":…} and
// {"error":{"code":200,"message":"Odoo Server Error","data":{"name":…,"message":…}}}.
//
// Hooks make the failures a client must survive: FailNext (HTTP status),
// SetRetryAfter, ExpireSession (Odoo's "Odoo Session Expired" object),
// RevokeKey (AccessDenied), ErrorNext (any exception by name).
//
//	srv := odoofake.New()
//	defer srv.Close()
//	id := srv.AddProduct(odoofake.Product{Code: "SKU-1", Name: "Widget"})
//	srv.AddQuant(odoofake.Quant{Product: id, Location: "WH/Stock", Quantity: "40"})
//	c, _ := odoo.New(srv.Config())
package odoofake
