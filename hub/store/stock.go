package store

import (
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/dealerhub/dealerhub/schemas"
)

// Notification types of stock and feeds.
const (
	// NotificationLowStock: a level's available + on order fell below its
	// reorder point; one per episode (Key "low_stock:LOCATION:SKU"),
	// resolved when the level recovers.
	NotificationLowStock = "low_stock"
	// NotificationStaleFeed: a partner's scheduled sync has not succeeded
	// for longer than three of its intervals; resolved by the next
	// successful run (Key "stale_feed:SOURCE").
	NotificationStaleFeed = "stale_feed"
)

// SalesWindowDays is how many days of sales the average daily sales (and
// the sell-through a supplier sees) covers: today and the 29 days before.
const SalesWindowDays = 30

// StockLevelInput is one level a sync read, already checked and matched
// to its product. Its key is (dealer, Location, SKU); the document's
// external_id is StockExternalID(Location, SKU).
type StockLevelInput struct {
	Location    string
	SKU         string // the dealer's item code
	Supplier    string // from the dealer's cross-reference
	SupplierSKU string
	OnHand      string // decimals
	Available   string
	Reserved    string
	OnOrder     string
	Unit        string
	AsOf        time.Time
	// Body is the canonical stock_level document (with as_of and source).
	Body []byte
	// ContentHash covers what counts for a change: the body without
	// as_of and source. Equal to the stored level's: nothing is written.
	ContentHash string
	// Deliveries to create when the level gets a new version.
	Deliveries []NewDelivery
}

// StockExternalID is the external_id of a dealer's stock_level document
// for an item at a location.
func StockExternalID(location, sku string) string { return location + ":" + sku }

// SalesDayInput is one sales_report document: what the dealer sold at one
// location on one day, per item.
type SalesDayInput struct {
	Date     string // YYYY-MM-DD
	Location string
	// ExternalID is SalesExternalID(Location, Date).
	ExternalID  string
	Lines       []SalesLineInput
	Body        []byte // canonical sales_report
	ContentHash string // of the body without source
	Deliveries  []NewDelivery
}

// SalesExternalID is the external_id of a dealer's sales_report document
// for a location and day.
func SalesExternalID(location, date string) string { return "sales:" + location + ":" + date }

// SalesLineInput is one item's sales in a SalesDayInput.
type SalesLineInput struct {
	SKU         string
	Supplier    string
	SupplierSKU string
	Quantity    string // decimal
	Unit        string
}

// StockSync is one processed stock snapshot, stored by Store.SyncStock.
type StockSync struct {
	MessageID string
	Dealer    string
	Levels    []StockLevelInput
	// Sales are the sales days of the snapshot; each is versioned like
	// any document (equal content: nothing written). A stored day missing
	// from Sales is left as it is.
	Sales []SalesDayInput
	// Rejected rows (bad quantities, codes without a cross-reference),
	// stored as the done message's errors, already capped.
	Rejected []DataError
	// Today (YYYY-MM-DD) ends the sales window used for suggestions.
	Today string
	// Outbox builds the bus messages (events, delivery jobs) of the
	// documents that changed, inside the transaction.
	Outbox OutboxFunc
}

// StockSyncResult is what SyncStock did.
type StockSyncResult struct {
	// Levels is how many levels were given; LevelsChanged how many got a
	// new version (new levels included).
	Levels        int
	LevelsChanged int
	// SalesDays and SalesChanged count sales_report documents likewise.
	SalesDays    int
	SalesChanged int
	// Changed holds the result of each document that got a new version
	// (levels first, then sales days), as CommitMessage reports them.
	Changed []DocumentResult
	// Raised are the low_stock notifications this sync raised; Resolved is
	// how many open ones it resolved.
	Raised   []Notification
	Resolved int
}

// StockLevel is a dealer's current stock of an item at a location, as the
// API shows it.
type StockLevel struct {
	Dealer      string    `json:"dealer"`
	Location    string    `json:"location"`
	SKU         string    `json:"sku"`
	Supplier    string    `json:"supplier,omitempty"`
	SupplierSKU string    `json:"supplier_sku,omitempty"`
	OnHand      string    `json:"on_hand"`
	Available   string    `json:"available,omitempty"`
	Reserved    string    `json:"reserved,omitempty"`
	OnOrder     string    `json:"on_order,omitempty"`
	Unit        string    `json:"unit"`
	AsOf        time.Time `json:"as_of"`
	DocumentID  string    `json:"document_id"`
	Version     int       `json:"version"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Sold30d is the quantity sold over the SalesWindowDays ending on the
	// filter's Today; set only where the caller may see the dealer's sales
	// (the dealer itself, an operator, a supplier it shares sales with).
	Sold30d *string `json:"sold_30d,omitempty"`
	// Policy is the level's safety-stock settings, for the dealer and
	// operators only.
	Policy *StockPolicy `json:"policy,omitempty"`
	// LowStock: an open low_stock alert exists (dealer and operators only).
	LowStock bool `json:"low_stock,omitempty"`
}

// StockFilter selects stock levels, in (dealer, location, sku) order.
type StockFilter struct {
	// Dealer limits to one dealer. For a partner scope that is neither the
	// dealer nor a supplier the dealer shares stock with, ListStock returns
	// ErrNotFound.
	Dealer   string
	Supplier string
	Location string
	SKU      string
	// Today (YYYY-MM-DD) ends the sales window of Sold30d; "" is the
	// store's clock (UTC).
	Today string
	Page
}

// StockPolicy is a level's safety-stock settings. Empty decimals and a
// zero CoverDays are unset.
type StockPolicy struct {
	Dealer   string `json:"dealer"`
	Location string `json:"location"`
	SKU      string `json:"sku"`
	// SafetyStock is the least a dealer wants on the shelf.
	SafetyStock string `json:"safety_stock,omitempty"`
	// ReorderPoint: available + on order below it raises low_stock. Unset,
	// the safety stock is the reorder point.
	ReorderPoint string `json:"reorder_point,omitempty"`
	// MaxLevel is what a reorder fills up to.
	MaxLevel string `json:"max_level,omitempty"`
	// CoverDays is how many days of average sales a reorder should cover
	// when there is no MaxLevel.
	CoverDays int `json:"cover_days,omitempty"`
	// PackSize and MinOrder override the product's pack_quantity and
	// min_order_quantity for the rounding of suggestions.
	PackSize  string    `json:"pack_size,omitempty"`
	MinOrder  string    `json:"min_order,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks a policy's key and decimals, naming the field.
func (p StockPolicy) Validate() error {
	if p.Location == "" {
		return fmt.Errorf("location is required")
	}
	if p.SKU == "" {
		return fmt.Errorf("sku is required")
	}
	for _, f := range []struct{ name, v string }{
		{"safety_stock", p.SafetyStock}, {"reorder_point", p.ReorderPoint}, {"max_level", p.MaxLevel},
		{"pack_size", p.PackSize}, {"min_order", p.MinOrder},
	} {
		if f.v == "" {
			continue
		}
		if r, ok := schemas.Decimal(f.v).Rat(); !ok || r.Sign() < 0 {
			return fmt.Errorf("%s: %q is not a non-negative decimal", f.name, f.v)
		}
	}
	if p.CoverDays < 0 {
		return fmt.Errorf("cover_days: %d is negative", p.CoverDays)
	}
	if p.SafetyStock == "" && p.ReorderPoint == "" {
		return fmt.Errorf("safety_stock or reorder_point is required")
	}
	return nil
}

// StockPolicyFilter selects policies, in (dealer, location, sku) order.
type StockPolicyFilter struct {
	Dealer   string
	Location string
	SKU      string
	Page
}

// Reorder is what EvaluateStock decided for one level.
type Reorder struct {
	// Low: available + on order is below the reorder point.
	Low bool `json:"low"`
	// Position is available + on order.
	Position string `json:"position"`
	// ReorderPoint used (the safety stock when unset).
	ReorderPoint string `json:"reorder_point"`
	// Suggested is the quantity to order, rounded up to the pack size and
	// at least the minimum order ("0" when there is nothing to order).
	Suggested string `json:"suggested_quantity"`
	// Basis says which formula gave Suggested: max_level, cover_days or
	// reorder_point (neither max level nor cover days set: back to the
	// reorder point).
	Basis string `json:"basis"`
	// AvgDailySales is sold30d / SalesWindowDays, when the basis is
	// cover_days.
	AvgDailySales string `json:"avg_daily_sales,omitempty"`
	// PackSize and MinOrder used for rounding, when any.
	PackSize string `json:"pack_size,omitempty"`
	MinOrder string `json:"min_order,omitempty"`
}

// EvaluateStock decides whether a level is low under its policy and what
// to reorder. position = available + on order (available defaults to on
// hand; empty on order is 0). When position < reorder point:
//
//	max_level set:  max_level − position
//	cover_days set: ceil(sold30d / SalesWindowDays × cover_days) − position
//	otherwise:      reorder_point − position
//
// then, when positive, raised to minOrder and rounded up to a multiple of
// packSize (each ignored when empty or zero). sold30d, packSize and
// minOrder are decimals ("" is zero/unset).
func EvaluateStock(l StockLevel, p StockPolicy, sold30d, packSize, minOrder string) (Reorder, error) {
	dec := func(field, s string) (*big.Rat, error) {
		if s == "" {
			return new(big.Rat), nil
		}
		r, ok := schemas.Decimal(s).Rat()
		if !ok {
			return nil, fmt.Errorf("%s: %q is not a decimal", field, s)
		}
		return r, nil
	}
	availText := l.Available
	if availText == "" {
		availText = l.OnHand
	}
	avail, err := dec("available", availText)
	if err != nil {
		return Reorder{}, err
	}
	onOrder, err := dec("on_order", l.OnOrder)
	if err != nil {
		return Reorder{}, err
	}
	rpText := p.ReorderPoint
	if rpText == "" {
		rpText = p.SafetyStock
	}
	rp, err := dec("reorder_point", rpText)
	if err != nil {
		return Reorder{}, err
	}
	pos := new(big.Rat).Add(avail, onOrder)
	out := Reorder{Position: RatString(pos), ReorderPoint: RatString(rp), Suggested: "0"}
	if pos.Cmp(rp) >= 0 {
		return out, nil
	}
	out.Low = true
	var want *big.Rat
	switch {
	case p.MaxLevel != "":
		out.Basis = "max_level"
		if want, err = dec("max_level", p.MaxLevel); err != nil {
			return Reorder{}, err
		}
	case p.CoverDays > 0:
		out.Basis = "cover_days"
		sold, err := dec("sold_30d", sold30d)
		if err != nil {
			return Reorder{}, err
		}
		avg := new(big.Rat).Quo(sold, big.NewRat(SalesWindowDays, 1))
		out.AvgDailySales = RatString(avg)
		want = ceilRat(new(big.Rat).Mul(avg, big.NewRat(int64(p.CoverDays), 1)))
	default:
		out.Basis = "reorder_point"
		want = rp
	}
	q := new(big.Rat).Sub(want, pos)
	if q.Sign() <= 0 {
		return out, nil
	}
	if p.MinOrder != "" {
		minOrder = p.MinOrder
	}
	if p.PackSize != "" {
		packSize = p.PackSize
	}
	moq, err := dec("min_order", minOrder)
	if err != nil {
		return Reorder{}, err
	}
	if moq.Sign() > 0 {
		out.MinOrder = RatString(moq)
		if q.Cmp(moq) < 0 {
			q = moq
		}
	}
	pack, err := dec("pack_size", packSize)
	if err != nil {
		return Reorder{}, err
	}
	if pack.Sign() > 0 {
		out.PackSize = RatString(pack)
		n := ceilRat(new(big.Rat).Quo(q, pack))
		q = new(big.Rat).Mul(n, pack)
	}
	out.Suggested = RatString(q)
	return out, nil
}

// ceilRat rounds r up to an integer.
func ceilRat(r *big.Rat) *big.Rat {
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if m.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return new(big.Rat).SetInt(q)
}

// RatString writes r as a plain decimal: exact when its denominator
// divides a power of ten, else with 6 decimals; trailing zeros dropped.
func RatString(r *big.Rat) string {
	for prec := 0; prec <= 12; prec++ {
		s := r.FloatString(prec)
		if back, ok := new(big.Rat).SetString(s); ok && back.Cmp(r) == 0 {
			return s
		}
	}
	s := r.FloatString(6)
	for len(s) > 0 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

// SumDecimals adds decimal texts exactly; an invalid one is an error.
func SumDecimals(vals ...string) (string, error) {
	sum := new(big.Rat)
	for _, v := range vals {
		r, ok := schemas.Decimal(v).Rat()
		if !ok {
			return "", fmt.Errorf("%q is not a decimal", v)
		}
		sum.Add(sum, r)
	}
	return RatString(sum), nil
}

// LowStockKey is the alert key of a level's low_stock notification.
func LowStockKey(location, sku string) string { return "low_stock:" + location + ":" + sku }

// LowStockNotification builds the low_stock notification of a level (the
// store sets its id and time).
func LowStockNotification(l StockLevel, r Reorder) Notification {
	data, _ := json.Marshal(struct {
		Location    string `json:"location"`
		SKU         string `json:"sku"`
		Supplier    string `json:"supplier,omitempty"`
		SupplierSKU string `json:"supplier_sku,omitempty"`
		Available   string `json:"available,omitempty"`
		OnHand      string `json:"on_hand"`
		OnOrder     string `json:"on_order,omitempty"`
		Reorder
	}{l.Location, l.SKU, l.Supplier, l.SupplierSKU, l.Available, l.OnHand, l.OnOrder, r})
	title := fmt.Sprintf("Low stock: %s at %s: %s available and on order, under the reorder point %s; suggested order %s",
		l.SKU, l.Location, r.Position, r.ReorderPoint, r.Suggested)
	if l.Unit != "" {
		title += " " + l.Unit
	}
	return Notification{
		Partner: l.Dealer,
		Type:    NotificationLowStock,
		Key:     LowStockKey(l.Location, l.SKU),
		Title:   title,
		Link:    "/api/v1/stock?dealer=" + l.Dealer + "&location=" + l.Location + "&sku=" + l.SKU,
		Data:    data,
	}
}

// SyncRunStatus is where a sync run is.
type SyncRunStatus string

// Sync run statuses.
const (
	SyncRunning   SyncRunStatus = "running"
	SyncSucceeded SyncRunStatus = "succeeded"
	SyncFailed    SyncRunStatus = "failed"
)

// SyncRun is one run of a partner's scheduled source.
type SyncRun struct {
	ID      string `json:"id"`
	Partner string `json:"partner"`
	// Source names the source run (tryton, odoo, rest:NAME).
	Source string `json:"source"`
	// Trigger is schedule or manual.
	Trigger    string        `json:"trigger"`
	Status     SyncRunStatus `json:"status"`
	StartedAt  time.Time     `json:"started_at"`
	FinishedAt *time.Time    `json:"finished_at,omitempty"`
	// Read is how many records the source read; Changed how many became
	// new document versions; Rejected how many were left out.
	Read     int `json:"read"`
	Changed  int `json:"changed"`
	Rejected int `json:"rejected"`
	// MessageID is the raw message the run stored, if it got that far.
	MessageID string `json:"message_id,omitempty"`
	// Error is why a failed run failed (the ERP's own message).
	Error string `json:"error,omitempty"`
	// Errors are the rejected records' errors (capped), for people.
	Errors []DataError `json:"errors,omitempty"`
}

// SyncRunFilter selects sync runs, newest first.
type SyncRunFilter struct {
	Partner string
	Source  string
	Status  SyncRunStatus
	Page
}
