// Package web is the portal's browser side: session cookies, CSRF tokens,
// login, logout, invites, the account page and the admin pages for a
// partner's users and API keys, rendered with html/template from embedded
// files, in English and Simplified Chinese.
//
// A session resolves to a hub.Account whose Principal is the same type an
// API key resolves to, so pages and the REST API share every authorisation
// check. Pages that come later mount behind the same middleware:
//
//	acc, _ := hub.NewAccounts(st, hub.AccountOptions{})
//	p, _ := web.New(acc, web.Options{})
//	mux := http.NewServeMux()
//	mux.Handle("/api/", portal.NewAPI(h, portal.Options{}))
//	mux.Handle("/", p) // login, account, admin pages
//	p.Handle("GET /orders", web.RequireLogin(ordersPage)) // later pages
package web
