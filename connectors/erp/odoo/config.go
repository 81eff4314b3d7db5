package odoo

import "time"

// Config is how the hub reaches one dealer's Odoo. The hub config's partner
// erp.odoo block is decoded into its own type and converted to this one,
// secrets resolved.
type Config struct {
	// URL of the Odoo server, e.g. https://dealer.odoo.example (the client
	// posts to URL/jsonrpc).
	URL string
	// Database is the Odoo database name.
	Database string
	// User is the login (usually an e-mail address).
	User string
	// Password is the user's password or, better, an API key of the user
	// (Preferences → Account Security → New API Key); the external API
	// takes either and sends it with every call.
	Password string
	// Warehouses are the codes of the stock.warehouse records to read
	// ("WH"); empty reads every warehouse.
	Warehouses []string
	// SalesDays is how many days of confirmed sales the hub asks ReadStock
	// for; the hub sets StockQuery from it, the client reads the query.
	SalesDays int
	// Timeout of one JSON-RPC call; zero means DefaultTimeout.
	Timeout time.Duration
	// Retries of a call that failed transiently (connection refused or
	// reset, timeout, HTTP 5xx or 429) before the call fails with the last
	// error; zero means DefaultRetries, negative none. Backoff starts at
	// 500ms and doubles; a longer Retry-After wins.
	Retries int
	// Parties maps hub supplier ids to the Odoo res.partner id a purchase
	// goes to; a supplier not listed is found by the partner whose name
	// equals the supplier's hub name.
	Parties map[string]int
}

// Defaults of Config.
const (
	DefaultTimeout   = 30 * time.Second
	DefaultRetries   = 4
	DefaultSalesDays = 30
)
