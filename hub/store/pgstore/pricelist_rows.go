package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

// The lines and changes of a publication are paged by their position
// (line_no, seq). Their cursor is store.EncodeCursor of the last position
// (as microseconds) and the publication's id, so a cursor of another
// publication is refused.

// positionKey is the cursor key of a row at pos in publication id.
func positionKey(pos int, id string) (time.Time, string) {
	return time.UnixMicro(int64(pos)).UTC(), id
}

// decodePosition returns the position a cursor of publication id points
// after (0 for no cursor).
func decodePosition(cursor, id string) (int, error) {
	c, err := store.DecodeCursor(cursor)
	if err != nil || c == nil {
		return 0, err
	}
	pos := c.At.UnixMicro()
	if c.ID != id || pos < 0 || pos > 1<<31-1 {
		return 0, fmt.Errorf("cursor %q is not one of price list %s: %w", cursor, id, store.ErrInvalidCursor)
	}
	return int(pos), nil
}

// checkPriceListVisible is ErrNotFound when the publication is absent or
// outside the scope.
func (s *Store) checkPriceListVisible(ctx context.Context, scope store.Scope, id string) error {
	var q query
	q.and("p.id = " + q.arg(id))
	q.scope(scope, priceListScope)
	var one int
	return s.pool.QueryRow(ctx, `SELECT 1 FROM price_lists p`+q.sql(), q.args...).Scan(&one)
}

// ListPriceListLines returns a publication's lines in line order (the
// order the partner gave them).
func (s *Store) ListPriceListLines(ctx context.Context, scope store.Scope, id string, p store.Page) ([]store.PriceLine, string, error) {
	after, err := decodePosition(p.Cursor, id)
	if err != nil {
		return nil, "", fmt.Errorf("listing the lines of price list %s: %w", id, err)
	}
	if err := s.checkPriceListVisible(ctx, scope, id); err != nil {
		return nil, "", notFound(err, fmt.Sprintf("listing the lines of price list %s", id))
	}
	limit := store.PageLimit(p.Limit)
	rows, err := s.pool.Query(ctx, `SELECT line_no, sku, unit, unit_price, min_quantity, tiers, body
		FROM price_list_lines WHERE price_list_id = $1 AND line_no > $2 ORDER BY line_no LIMIT $3`,
		id, after, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("listing the lines of price list %s: %w", id, err)
	}
	lines, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.PriceLine, error) {
		var (
			l           store.PriceLine
			tiers, body []byte
		)
		if err := r.Scan(&l.LineNo, &l.SKU, &l.Unit, &l.UnitPrice, &l.MinQuantity, &tiers, &body); err != nil {
			return l, err
		}
		if len(tiers) > 0 {
			if err := json.Unmarshal(tiers, &l.Tiers); err != nil {
				return l, fmt.Errorf("decoding the tiers of SKU %q: %w", l.SKU, err)
			}
		}
		l.Body = body
		return l, nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("listing the lines of price list %s: %w", id, err)
	}
	lines, next := store.TrimPage(lines, limit, func(l store.PriceLine) (time.Time, string) { return positionKey(l.LineNo, id) })
	return lines, next, nil
}

// ListPriceListChanges returns a publication's changes in the order they
// were stored: SKU order, then kind order, as pricelist.Walk emits them.
func (s *Store) ListPriceListChanges(ctx context.Context, scope store.Scope, id string, p store.Page) ([]store.PriceChange, string, error) {
	after, err := decodePosition(p.Cursor, id)
	if err != nil {
		return nil, "", fmt.Errorf("listing the changes of price list %s: %w", id, err)
	}
	if err := s.checkPriceListVisible(ctx, scope, id); err != nil {
		return nil, "", notFound(err, fmt.Sprintf("listing the changes of price list %s", id))
	}
	limit := store.PageLimit(p.Limit)
	rows, err := s.pool.Query(ctx, `SELECT seq, body FROM price_list_changes
		WHERE price_list_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, id, after, limit+1)
	if err != nil {
		return nil, "", fmt.Errorf("listing the changes of price list %s: %w", id, err)
	}
	changes, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.PriceChange, error) {
		var (
			c    store.PriceChange
			body []byte
		)
		if err := r.Scan(&c.Seq, &body); err != nil {
			return c, err
		}
		if err := json.Unmarshal(body, &c.Change); err != nil {
			return c, fmt.Errorf("decoding change %d: %w", c.Seq, err)
		}
		return c, nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("listing the changes of price list %s: %w", id, err)
	}
	changes, next := store.TrimPage(changes, limit, func(c store.PriceChange) (time.Time, string) { return positionKey(c.Seq, id) })
	return changes, next, nil
}
