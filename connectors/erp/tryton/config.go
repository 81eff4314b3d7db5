package tryton

import "time"

// Config is how the hub reaches one dealer's Tryton. The hub config's
// partner erp.tryton block is decoded into its own type and converted to
// this one, secrets resolved.
type Config struct {
	// URL of the Tryton server, e.g. http://127.0.0.1:8000 (no database).
	URL string
	// Database is the Tryton database name.
	Database string
	// User logs in with Password.
	User     string
	Password string
	// Warehouses are the codes of the warehouses to read ("WH"); empty
	// reads every warehouse.
	Warehouses []string
	// SalesDays is how many days of confirmed sales ReadStock is asked for
	// by the hub (today and the days before); the hub sets it in the
	// StockQuery, the client reads what the query says.
	SalesDays int
	// Timeout of one JSON-RPC call; zero means DefaultTimeout.
	Timeout time.Duration
	// Retries of a call that failed transiently (connection refused or
	// reset, timeout, HTTP 5xx or 429) before the call fails with the
	// last error; zero means DefaultRetries, negative none. Backoff starts
	// at 500ms and doubles.
	Retries int
	// Parties maps hub supplier ids to the Tryton party id a purchase goes
	// to; a supplier not listed is found by the party whose name equals
	// the supplier's hub name.
	Parties map[string]int
}

// Defaults of Config.
const (
	DefaultTimeout   = 30 * time.Second
	DefaultRetries   = 4
	DefaultSalesDays = 30
)
