package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

// Price lists are stored apart from other documents: the document row and
// its versions hold the header (the canonical document without "lines"),
// and every published version has its lines as rows, so a list of a
// million lines is written with COPY and never held in memory. Each
// published version is a PriceList record ("publication") in a chain: the
// supplier's lists in one currency. The current list of a chain is the one
// published last among those whose valid_from has come and whose valid_to
// has not passed; a list whose valid_from is still ahead is upcoming.

// Price-list statuses, decided against a date ("today") when read.
const (
	PriceListCurrent    = "current"    // the chain's list in force today
	PriceListUpcoming   = "upcoming"   // valid_from is after today
	PriceListSuperseded = "superseded" // in force once, replaced by a later publication
	PriceListExpired    = "expired"    // valid_to is before today
)

// ErrDuplicateLine: a price list gives one SKU twice. The store wraps it
// with the SKU.
var ErrDuplicateLine = errors.New("a price list has one line per SKU")

// NotificationPriceChange is the notification type of a price-list change
// for a dealer.
const NotificationPriceChange = "price_change"

// MaxNotifiedChanges bounds the changes listed in one notification's data;
// the rest are read through the link.
const MaxNotifiedChanges = 200

// PriceLine is one line of a published price list as stored.
type PriceLine struct {
	// LineNo is the line's position in the list, from 1, in the order the
	// partner gave the lines.
	LineNo      int              `json:"line_no"`
	SKU         string           `json:"sku"`
	Unit        string           `json:"unit,omitempty"`
	UnitPrice   string           `json:"unit_price"`
	MinQuantity string           `json:"min_quantity,omitempty"`
	Tiers       []pricelist.Tier `json:"tiers,omitempty"`
	// Body is the line's canonical JSON (every field it has).
	Body json.RawMessage `json:"line"`
}

// Line returns the line as the diff compares it, with its tax basis
// (tax_included, tax_rate) read from Body; a body that cannot be read
// leaves the basis unknown. Only the line's own basis is in Body: apply
// the list's with pricelist.Line.WithListTax.
func (l PriceLine) Line() pricelist.Line {
	out := pricelist.Line{SKU: l.SKU, Unit: l.Unit, UnitPrice: l.UnitPrice, MinQuantity: l.MinQuantity, Tiers: l.Tiers}
	// Body is canonical JSON, validated before it was stored.
	out.TaxIncluded, out.TaxRate, _ = pricelist.ParseTax(l.Body)
	return out
}

// PriceListHeader is what the publish step knows once every line is given.
type PriceListHeader struct {
	ExternalID string
	Currency   string
	ValidFrom  string // YYYY-MM-DD
	ValidTo    string // YYYY-MM-DD or ""
	// Body is the canonical document without "lines" (with source set).
	Body json.RawMessage
	// ContentHash covers the header and every line: equal to the current
	// version's, the publication is a no-op.
	ContentHash string
	// Deliveries to create for the new version (the dealers' routes).
	Deliveries []NewDelivery
	// Rejected are the rows left out for errors (on_error: import_valid);
	// they are recorded on the done message.
	Rejected []DataError
	// RejectedSKUs are those rows' SKUs, where readable: a SKU of the
	// predecessor that is among them is not reported as removed.
	RejectedSKUs []string
}

// PriceListPublish is one price-list message to publish.
type PriceListPublish struct {
	MessageID string
	Supplier  string
	// Today decides whether the new list is current or upcoming (YYYY-MM-DD).
	Today string
	// Write is called once, inside the transaction, to stream the lines:
	// put stores a batch of lines in list order (LineNo set by the caller).
	// It returns the header once every line is given. An error from Write
	// (or from put) rolls everything back and is returned wrapped, so
	// errors.As finds it.
	Write func(ctx context.Context, put func([]PriceLine) error) (PriceListHeader, error)
	// Outbox builds, inside the transaction, the bus messages of a
	// publication that changed something: the changed event and the
	// deliveries' jobs. Not called for a no-op.
	Outbox func(PriceListResult) []NewOutbox
}

// PriceDiff summarises a publication's difference from its predecessor.
type PriceDiff struct {
	// First is true when the chain had no predecessor: nothing to compare,
	// no changes stored, no dealer notified.
	First bool `json:"first"`
	pricelist.Counts
}

// PriceList is one published version of a supplier's price list.
type PriceList struct {
	ID          string `json:"id"`
	DocumentID  string `json:"document_id"`
	Version     int    `json:"version"`
	Supplier    string `json:"supplier"`
	ExternalID  string `json:"external_id"`
	Currency    string `json:"currency"`
	ValidFrom   string `json:"valid_from"`
	ValidTo     string `json:"valid_to,omitempty"`
	MessageID   string `json:"message_id"`
	Lines       int    `json:"lines"`
	Status      string `json:"status"` // against the date of the read; see PriceListCurrent …
	Predecessor string `json:"predecessor,omitempty"`
	// Diff is the difference from Predecessor.
	Diff PriceDiff `json:"diff"`
	// Notified lists the dealers that got a price_change notification.
	Notified    []string        `json:"notified"`
	Header      json.RawMessage `json:"header"`
	PublishedAt time.Time       `json:"published_at"`
}

// PriceListRef names a publication in the payloads that speak of it (a
// dealer's price_change notification, the price_list changed event);
// embedded, its fields come first.
type PriceListRef struct {
	PriceList  string `json:"price_list"`
	DocumentID string `json:"document_id"`
	Version    int    `json:"version"`
	Supplier   string `json:"supplier"`
	ExternalID string `json:"external_id"`
	Currency   string `json:"currency"`
	ValidFrom  string `json:"valid_from"`
}

// Ref returns the publication's PriceListRef.
func (pl PriceList) Ref() PriceListRef {
	return PriceListRef{PriceList: pl.ID, DocumentID: pl.DocumentID, Version: pl.Version, Supplier: pl.Supplier,
		ExternalID: pl.ExternalID, Currency: pl.Currency, ValidFrom: pl.ValidFrom}
}

// PriceListResult is what a publication did.
type PriceListResult struct {
	// Document is the header document's result; Changed false means the
	// content equals the current version: nothing was stored but the
	// message's completion.
	Document DocumentResult
	// PriceList is the new publication (zero when nothing changed).
	PriceList PriceList
	// Notifications created for dealers.
	Notifications []Notification
}

// PriceListFilter selects publications; zero fields match everything.
type PriceListFilter struct {
	Supplier string
	Currency string
	// Status keeps only current, upcoming, superseded or expired lists.
	Status string
	// Today is the date statuses are decided against (YYYY-MM-DD); empty
	// means the store's clock in UTC.
	Today string
	Page
}

// PriceChange is one stored change of a publication.
type PriceChange struct {
	Seq int `json:"seq"`
	pricelist.Change
}

// Today formats t as a calendar date in UTC.
func Today(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// PriceListStatus decides a publication's status on today, given the id
// of its chain's current list ("" when none).
func PriceListStatus(pl PriceList, currentID, today string) string {
	switch {
	case pl.ID == currentID:
		return PriceListCurrent
	case pl.ValidFrom > today:
		return PriceListUpcoming
	case pl.ValidTo != "" && pl.ValidTo < today:
		return PriceListExpired
	default:
		return PriceListSuperseded
	}
}

// PriceNotification builds a dealer's price_change notification for a
// publication from the changes to the dealer's SKUs (those it stocks, has
// ordered or cross-references), all of them in SKU order. It lists at most
// MaxNotifiedChanges of them; counts covers all.
func PriceNotification(dealer string, pl PriceList, changes []pricelist.Change) Notification {
	var counts pricelist.Counts
	skus := map[string]bool{}
	for _, c := range changes {
		counts.Add(c)
		skus[c.SKU] = true
	}
	counts.ChangedSKUs = len(skus)
	listed := changes
	if len(listed) > MaxNotifiedChanges {
		listed = listed[:MaxNotifiedChanges]
	}
	status := PriceListCurrent
	if pl.Status == PriceListUpcoming {
		status = PriceListUpcoming
	}
	data, _ := json.Marshal(struct {
		PriceListRef
		Status    string             `json:"status"`
		Counts    pricelist.Counts   `json:"counts"`
		Changes   []pricelist.Change `json:"changes"`
		Truncated bool               `json:"truncated,omitempty"`
	}{pl.Ref(), status, counts, listed, len(listed) < len(changes)})
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{counts.PriceUp, "up"}, {counts.PriceDown, "down"}, {counts.Added, "new"}, {counts.Removed, "removed"},
		{counts.UnitChanged + counts.MinQuantityChanged + counts.TiersChanged + counts.TaxChanged, "other changes"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	when := "from " + pl.ValidFrom
	if status == PriceListUpcoming {
		when = "from " + pl.ValidFrom + " (upcoming)"
	}
	return Notification{
		Partner: dealer,
		Type:    NotificationPriceChange,
		Title: fmt.Sprintf("%s price list %s %s: %d of your SKUs changed (%s)",
			pl.Supplier, pl.ExternalID, when, counts.ChangedSKUs, strings.Join(parts, ", ")),
		Link: "/api/v1/price-lists/" + pl.ID + "/changes",
		Data: data,
	}
}
