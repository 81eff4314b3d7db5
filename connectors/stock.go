package connectors

import (
	"context"
	"time"
)

// FormatStockSnapshot is the format name of a raw message holding a
// StockSnapshot as JSON: what an ERP source read in one sync run.
const FormatStockSnapshot = "stock-snapshot"

// StockSnapshot is what a stock source (an ERP) read at one moment: the
// dealer's stock per location and item, and its confirmed sales over a
// window of days. The hub stores it as one raw message (format
// FormatStockSnapshot), then matches each row to a product through the
// dealer's cross-references and keeps only what changed.
type StockSnapshot struct {
	// Source names the system read ("tryton", "odoo", "rest:NAME").
	Source string `json:"source"`
	// AsOf is when the stock was read.
	AsOf time.Time `json:"as_of"`
	// Levels are the stock rows, one per (location, code).
	Levels []StockRow `json:"levels"`
	// SalesFrom and SalesTo (YYYY-MM-DD, inclusive) are the days the
	// sales cover; empty when the source reads no sales. A day in the range
	// with no row sold nothing.
	SalesFrom string `json:"sales_from,omitempty"`
	SalesTo   string `json:"sales_to,omitempty"`
	// Sales are confirmed sales summed per (date, location, code).
	Sales []SalesRow `json:"sales,omitempty"`
}

// StockRow is one item's stock at one location, as the ERP gave it.
// Quantities are decimal text exactly as read ("40", "12.5"); the hub
// rejects a row whose quantity is not a non-negative decimal, naming it.
type StockRow struct {
	// Location is the ERP's warehouse or store code ("WH").
	Location string `json:"location"`
	// Code is the ERP's item code (the dealer's SKU).
	Code string `json:"code"`
	// Name is the item's name in the ERP, for people.
	Name string `json:"name,omitempty"`
	// OnHand is physically in stock.
	OnHand string `json:"on_hand"`
	// Available is on hand less reserved; empty when the ERP does not say.
	Available string `json:"available,omitempty"`
	// Reserved for customers; empty when the ERP does not say.
	Reserved string `json:"reserved,omitempty"`
	// OnOrder is ordered from suppliers, not yet received; empty when the
	// ERP does not say.
	OnOrder string `json:"on_order,omitempty"`
	// Unit is the ERP's unit of measure ("u", "pcs", "个").
	Unit string `json:"unit,omitempty"`
	// Supplier and SupplierSKU name the item's supplier and its code for
	// it, when the source says so itself (a mapped record); otherwise the
	// hub finds them through the dealer's cross-reference of Code.
	Supplier    string `json:"supplier,omitempty"`
	SupplierSKU string `json:"supplier_sku,omitempty"`
}

// SalesRow is what one item sold at one location on one day.
type SalesRow struct {
	Date     string `json:"date"` // YYYY-MM-DD
	Location string `json:"location"`
	Code     string `json:"code"`
	Quantity string `json:"quantity"` // decimal text
	Unit     string `json:"unit,omitempty"`
}

// StockQuery says what a StockReader should read.
type StockQuery struct {
	// SalesFrom and SalesTo (YYYY-MM-DD, inclusive) bound the sales to
	// read; both empty reads none.
	SalesFrom string
	SalesTo   string
}

// StockReader reads a dealer's stock and sales from its ERP. A reader
// retries transient failures itself (with backoff) and returns the ERP's
// own message when it gives up; an error wrapped with Permanent
// (bad credentials, a missing database) is not worth retrying soon.
type StockReader interface {
	ReadStock(ctx context.Context, q StockQuery) (StockSnapshot, error)
}

// PurchaseOrder is a dealer's confirmed order as its ERP should record
// it: the hub turns a canonical order into one, with the dealer's own item
// codes, and hands it (as JSON) to the ERP sink in Outbound.Body.
type PurchaseOrder struct {
	// Reference is the hub's order document id: the ERP keeps it in the
	// purchase's reference, so that a retried push finds the purchase it
	// already made instead of making a second one.
	Reference string `json:"reference"`
	// ExternalID is the dealer's order number.
	ExternalID string `json:"external_id"`
	// Supplier is the supplier partner: its hub id and name (the ERP's
	// party is found by this name unless the ERP config maps the id).
	SupplierID   string `json:"supplier_id"`
	SupplierName string `json:"supplier_name"`
	OrderDate    string `json:"order_date"` // YYYY-MM-DD
	Currency     string `json:"currency,omitempty"`
	// Location is the dealer's receiving warehouse code, when known.
	Location string         `json:"location,omitempty"`
	Lines    []PurchaseLine `json:"lines"`
}

// PurchaseLine is one line of a PurchaseOrder.
type PurchaseLine struct {
	LineNo      int    `json:"line_no"`
	Code        string `json:"code"` // the dealer's item code in its ERP
	SupplierSKU string `json:"supplier_sku"`
	Description string `json:"description,omitempty"`
	Quantity    string `json:"quantity"`             // decimal text
	UnitPrice   string `json:"unit_price,omitempty"` // decimal text
	Unit        string `json:"unit,omitempty"`
}
