package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

// Publications, lines and changes are paged by an integer position (seq,
// line_no, seq). As in sqlitestore, a cursor carries it as its time
// (store.EncodeCursor writes the integer itself) with the row's id, or its
// SKU for lines and changes, so a cursor means the same in both stores.

// positionKey is the cursor time of position n.
func positionKey(n int64) time.Time { return time.UnixMicro(n).UTC() }

// decodePosition returns the position and id of a cursor; ok is false for
// no cursor.
func decodePosition(cursor string) (pos int64, id string, ok bool, err error) {
	c, err := store.DecodeCursor(cursor)
	if err != nil || c == nil {
		return 0, "", false, err
	}
	return c.At.UnixMicro(), c.ID, true, nil
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
	afterNo, afterSKU, ok, err := decodePosition(p.Cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing the lines of price list %s: %w", id, err)
	}
	if err := s.checkPriceListVisible(ctx, scope, id); err != nil {
		return nil, "", notFound(err, fmt.Sprintf("listing the lines of price list %s", id))
	}
	limit := store.PageLimit(p.Limit)
	if !ok {
		afterNo = -1 << 31
	}
	// Lines that share a number (the caller numbers them) follow SKU order.
	rows, err := s.pool.Query(ctx, `SELECT line_no, sku, unit, unit_price, min_quantity, tiers, body
		FROM price_list_lines WHERE price_list_id = $1 AND line_no >= $2 AND (line_no, sku) > ($2, $3)
		ORDER BY line_no, sku LIMIT $4`, id, afterNo, afterSKU, limit+1)
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
	lines, next := store.TrimPage(lines, limit, func(l store.PriceLine) (time.Time, string) {
		return positionKey(int64(l.LineNo)), l.SKU
	})
	return lines, next, nil
}

// ListPriceListChanges returns a publication's changes in the order they
// were stored: SKU order, then kind order, as pricelist.Walk emits them.
func (s *Store) ListPriceListChanges(ctx context.Context, scope store.Scope, id string, p store.Page) ([]store.PriceChange, string, error) {
	after, _, _, err := decodePosition(p.Cursor)
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
	changes, next := store.TrimPage(changes, limit, func(c store.PriceChange) (time.Time, string) {
		return positionKey(int64(c.Seq)), c.SKU
	})
	return changes, next, nil
}
