package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

// DiffPageSize is how many lines of each list a price-list diff reads at a
// time: neither list is held in memory.
const DiffPageSize = 2000

// CheckToday returns today, or the store's date in UTC when it is "", and
// refuses anything but a YYYY-MM-DD date (statuses compare dates as text).
func CheckToday(today string) (string, error) {
	if today == "" {
		return Today(time.Now()), nil
	}
	if _, err := time.Parse(time.DateOnly, today); err != nil {
		return "", fmt.Errorf("today %q is not a YYYY-MM-DD date", today)
	}
	return today, nil
}

// CheckPriceListHeader refuses a header whose dates are not YYYY-MM-DD:
// chains and statuses compare them as text.
func CheckPriceListHeader(h PriceListHeader) error {
	if _, err := time.Parse(time.DateOnly, h.ValidFrom); err != nil {
		return fmt.Errorf("price list header: valid_from %q is not a YYYY-MM-DD date", h.ValidFrom)
	}
	if h.ValidTo != "" {
		if _, err := time.Parse(time.DateOnly, h.ValidTo); err != nil {
			return fmt.Errorf("price list header: valid_to %q is not a YYYY-MM-DD date", h.ValidTo)
		}
	}
	return nil
}

// LineRow is a stored price-list line's columns as a diff reads them.
type LineRow struct {
	SKU, Unit, UnitPrice, MinQuantity string
	// Tiers is the tiers column's JSON array; nil or empty when the line
	// has none.
	Tiers []byte
	// Body is the line's canonical JSON, which holds its own tax basis.
	Body []byte
}

// FetchLines reads up to limit lines of one publication in SKU order,
// those whose SKU is after after ("" for the first page: SKUs are never
// empty), and calls each with every row, in order. A store runs its query
// here and reads the rows to their end before it returns, so that no
// query is open while the diff writes.
type FetchLines func(after string, limit int, each func(LineRow) error) error

// LineReader reads one publication's lines in SKU order, a page at a time
// by keyset, as a pricelist.Iter (its Next): each line has its tiers and
// its tax basis, its own or else its list header's.
type LineReader struct {
	id    string
	fetch FetchLines
	// listIncluded and listRate are the list header's tax basis, which a
	// line without its own takes.
	listIncluded, listRate string
	page                   []pricelist.Line
	i                      int
	done                   bool
}

// NewLineReader returns a reader of the lines of publication id, whose
// header (the canonical document without lines) is header, read through
// fetch.
func NewLineReader(id string, header []byte, fetch FetchLines) (*LineReader, error) {
	r := &LineReader{id: id, fetch: fetch}
	var err error
	if r.listIncluded, r.listRate, err = pricelist.ParseTax(header); err != nil {
		return nil, fmt.Errorf("reading the tax basis of %s: %w", id, err)
	}
	return r, nil
}

// Next yields the next line; ok is false after the last.
func (r *LineReader) Next() (pricelist.Line, bool, error) {
	if r.i == len(r.page) {
		if r.done {
			return pricelist.Line{}, false, nil
		}
		if err := r.fill(); err != nil {
			return pricelist.Line{}, false, err
		}
		if len(r.page) == 0 {
			return pricelist.Line{}, false, nil
		}
	}
	r.i++
	return r.page[r.i-1], true, nil
}

// fill reads the page after the last SKU read.
func (r *LineReader) fill() error {
	after := ""
	if len(r.page) > 0 {
		after = r.page[len(r.page)-1].SKU
	}
	r.page, r.i = r.page[:0], 0
	err := r.fetch(after, DiffPageSize, func(row LineRow) error {
		l, err := row.line(r.listIncluded, r.listRate)
		if err != nil {
			return err
		}
		r.page = append(r.page, l)
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading the lines of %s after %q: %w", r.id, after, err)
	}
	r.done = len(r.page) < DiffPageSize
	return nil
}

// line decodes the row's tiers and tax basis, the list's where the line
// has none of its own.
func (row LineRow) line(listIncluded, listRate string) (pricelist.Line, error) {
	l := pricelist.Line{SKU: row.SKU, Unit: row.Unit, UnitPrice: row.UnitPrice, MinQuantity: row.MinQuantity}
	if len(row.Tiers) > 0 {
		if err := json.Unmarshal(row.Tiers, &l.Tiers); err != nil {
			return pricelist.Line{}, fmt.Errorf("decoding the tiers of SKU %q: %w", row.SKU, err)
		}
	}
	var err error
	if l.TaxIncluded, l.TaxRate, err = pricelist.ParseTax(row.Body); err != nil {
		return pricelist.Line{}, fmt.Errorf("reading the tax basis of SKU %q: %w", row.SKU, err)
	}
	return l.WithListTax(listIncluded, listRate), nil
}

// DiffLists walks the predecessor's lines (prev) and the new list's (next)
// with pricelist.Walk and hands each change to emit; a SKU of the
// predecessor among rejectedSKUs (rows the new list left out for errors)
// is not reported as removed.
func DiffLists(prev, next *LineReader, rejectedSKUs []string, emit func(pricelist.Change) error) (pricelist.Counts, error) {
	var rejected func(string) bool
	if len(rejectedSKUs) > 0 {
		set := make(map[string]bool, len(rejectedSKUs))
		for _, sku := range rejectedSKUs {
			set[sku] = true
		}
		rejected = func(sku string) bool { return set[sku] }
	}
	counts, err := pricelist.Walk(prev.Next, next.Next, rejected, emit)
	if err != nil {
		return counts, fmt.Errorf("comparing with the predecessor %s: %w", prev.id, err)
	}
	return counts, nil
}

// DiffColumns encodes the publication's diff and notified dealers as the
// stores keep them: JSON, written once the diff and the notifications are
// done.
func (pl PriceList) DiffColumns() (diff, notified []byte, err error) {
	if diff, err = json.Marshal(pl.Diff); err != nil {
		return nil, nil, fmt.Errorf("encoding the diff: %w", err)
	}
	if notified, err = json.Marshal(pl.Notified); err != nil {
		return nil, nil, fmt.Errorf("encoding the notified dealers: %w", err)
	}
	return diff, notified, nil
}
