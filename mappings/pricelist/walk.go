package pricelist

import (
	"errors"
	"fmt"
)

// ErrNotSorted means a list handed to Walk is not in ascending SKU order,
// or repeats a SKU.
var ErrNotSorted = errors.New("lines are not in ascending SKU order")

// Counts sums a difference by kind. A SKU with several changes (a price
// and its tiers) counts once under each kind.
type Counts struct {
	Added              int `json:"added"`
	Removed            int `json:"removed"`
	UnitChanged        int `json:"unit_changed"`
	PriceUp            int `json:"price_up"`
	PriceDown          int `json:"price_down"`
	MinQuantityChanged int `json:"min_quantity_changed"`
	TiersChanged       int `json:"tiers_changed"`
	// TaxChanged counts SKUs whose tax basis changed (tax included or not,
	// or the rate).
	TaxChanged int `json:"tax_changed"`
	// Unchanged counts SKUs in both lists with no change.
	Unchanged int `json:"unchanged"`
	// Rejected counts SKUs of the current list missing from the next one
	// because their rows were rejected: neither removed nor unchanged.
	Rejected int `json:"rejected"`
	// ChangedSKUs counts the SKUs with at least one change.
	ChangedSKUs int `json:"changed_skus"`
}

// Changes is the number of changes (not SKUs) counted.
func (c Counts) Changes() int {
	return c.Added + c.Removed + c.UnitChanged + c.PriceUp + c.PriceDown + c.MinQuantityChanged + c.TiersChanged + c.TaxChanged
}

// Add counts one change.
func (c *Counts) Add(ch Change) {
	switch ch.Kind {
	case Added:
		c.Added++
	case Removed:
		c.Removed++
	case UnitChanged:
		c.UnitChanged++
	case PriceUp:
		c.PriceUp++
	case PriceDown:
		c.PriceDown++
	case MinQuantityChanged:
		c.MinQuantityChanged++
	case TiersChanged:
		c.TiersChanged++
	case TaxChanged:
		c.TaxChanged++
	}
}

// Iter yields a list's lines one at a time; ok is false at the end.
type Iter func() (l Line, ok bool, err error)

// Walk compares two lists streamed in ascending SKU order (byte order, as
// Go compares strings; PostgreSQL's COLLATE "C" and SQLite's BINARY) and
// calls emit with each change in the order Compute lists them. It holds one
// line of each list at a time, so lists of millions of lines cost no
// memory. rejected reports whether a SKU's row was rejected from the next
// list (nil: none was). Lines are checked as Compute checks them, except
// that currencies are the caller's business (a price-list chain has one).
func Walk(current, next Iter, rejected func(sku string) bool, emit func(Change) error) (Counts, error) {
	var c Counts
	cur, err := newCursor(current, "current")
	if err != nil {
		return c, err
	}
	nxt, err := newCursor(next, "next")
	if err != nil {
		return c, err
	}
	send := func(ch Change) error {
		c.Add(ch)
		return emit(ch)
	}
	var buf []Change
	for cur.ok || nxt.ok {
		switch {
		case !nxt.ok || (cur.ok && cur.line.SKU < nxt.line.SKU):
			if rejected != nil && rejected(cur.line.SKU) {
				c.Rejected++
			} else {
				c.ChangedSKUs++
				if err := send(Change{SKU: cur.line.SKU, Kind: Removed, OldPrice: cur.line.UnitPrice, OldUnit: cur.line.Unit}); err != nil {
					return c, err
				}
			}
			if err := cur.advance(); err != nil {
				return c, err
			}
		case !cur.ok || nxt.line.SKU < cur.line.SKU:
			c.ChangedSKUs++
			if err := send(Change{SKU: nxt.line.SKU, Kind: Added, NewPrice: nxt.line.UnitPrice, NewUnit: nxt.line.Unit}); err != nil {
				return c, err
			}
			if err := nxt.advance(); err != nil {
				return c, err
			}
		default:
			buf = compareLines(buf[:0], &cur.line, &nxt.line)
			if len(buf) == 0 {
				c.Unchanged++
			} else {
				c.ChangedSKUs++
			}
			for _, ch := range buf {
				if err := send(ch); err != nil {
					return c, err
				}
			}
			if err := cur.advance(); err != nil {
				return c, err
			}
			if err := nxt.advance(); err != nil {
				return c, err
			}
		}
	}
	return c, nil
}

// cursor holds the head of one streamed list and checks its order.
type cursor struct {
	it   Iter
	name string
	line Line
	ok   bool
	n    int
}

func newCursor(it Iter, name string) (*cursor, error) {
	c := &cursor{it: it, name: name}
	return c, c.advance()
}

func (c *cursor) advance() error {
	prev, had := c.line.SKU, c.ok
	l, ok, err := c.it()
	if err != nil {
		return fmt.Errorf("reading the %s list: %w", c.name, err)
	}
	c.line, c.ok = l, ok
	if !ok {
		return nil
	}
	c.n++
	if err := checkLine(&c.line); err != nil {
		return fmt.Errorf("the %s list's line %d (SKU %q): %w", c.name, c.n, l.SKU, err)
	}
	if had && l.SKU <= prev {
		return fmt.Errorf("the %s list's line %d: SKU %q after %q: %w", c.name, c.n, l.SKU, prev, ErrNotSorted)
	}
	return nil
}
