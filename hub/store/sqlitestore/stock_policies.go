package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/dealerhub/dealerhub/hub/store"
)

const policyCols = `p.dealer, p.location, p.sku, p.safety_stock, p.reorder_point, p.max_level,
	p.cover_days, p.pack_size, p.min_order, p.updated_at`

func scanPolicy(row rowScanner) (store.StockPolicy, error) {
	var (
		p       store.StockPolicy
		updated int64
	)
	err := row.Scan(&p.Dealer, &p.Location, &p.SKU, &p.SafetyStock, &p.ReorderPoint, &p.MaxLevel,
		&p.CoverDays, &p.PackSize, &p.MinOrder, &updated)
	p.UpdatedAt = fromUS(updated)
	return p, err
}

// PutStockPolicies validates and upserts a dealer's policies (each
// replaced whole; the dealer argument overrides their Dealer) and
// evaluates each one's stored level as SyncStock does, on today, in one
// transaction. It returns the low_stock notifications raised. An invalid
// policy fails the whole call, naming its index and field; an unknown
// dealer is ErrNotFound.
func (s *Store) PutStockPolicies(ctx context.Context, dealer string, ps []store.StockPolicy, today string) ([]store.Notification, error) {
	today, err := store.CheckToday(today)
	if err != nil {
		return nil, fmt.Errorf("putting stock policies of %q: %w", dealer, err)
	}
	for i, p := range ps {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("putting stock policies of %q: policy %d: %w", dealer, i, err)
		}
	}
	var raised []store.Notification
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM partners WHERE id = ?`, dealer).Scan(&n); err != nil {
			return fmt.Errorf("reading the dealer: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("dealer %q: %w", dealer, store.ErrNotFound)
		}
		t := now()
		upsert, err := tx.PrepareContext(ctx, `INSERT INTO stock_policies (dealer, location, sku, safety_stock,
			reorder_point, max_level, cover_days, pack_size, min_order, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (dealer, location, sku) DO UPDATE SET safety_stock = excluded.safety_stock,
				reorder_point = excluded.reorder_point, max_level = excluded.max_level,
				cover_days = excluded.cover_days, pack_size = excluded.pack_size,
				min_order = excluded.min_order, updated_at = excluded.updated_at`)
		if err != nil {
			return fmt.Errorf("preparing the upsert: %w", err)
		}
		defer func() { _ = upsert.Close() }()
		for i, p := range ps {
			if _, err := upsert.ExecContext(ctx, dealer, p.Location, p.SKU, p.SafetyStock, p.ReorderPoint,
				p.MaxLevel, p.CoverDays, p.PackSize, p.MinOrder, us(t)); err != nil {
				return fmt.Errorf("upserting policy %d (%s at %s): %w", i, p.SKU, p.Location, err)
			}
		}
		e, err := newEvaluator(ctx, tx, today, t)
		if err != nil {
			return err
		}
		defer e.close()
		for _, p := range ps {
			p.Dealer = dealer
			l, err := scanLevel(tx.QueryRowContext(ctx, `SELECT `+levelCols+` FROM stock_levels l
				WHERE l.dealer = ? AND l.location = ? AND l.sku = ?`, dealer, p.Location, p.SKU))
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("reading the level of %s at %s: %w", p.SKU, p.Location, err)
			}
			if err := e.evaluate(ctx, l, p); err != nil {
				return err
			}
		}
		raised = e.raised
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("putting stock policies of %q: %w", dealer, err)
	}
	return raised, nil
}

// ListStockPolicies returns the policies the scope may see (a dealer's
// own; operators all) in (dealer, location, sku) order.
func (s *Store) ListStockPolicies(ctx context.Context, scope store.Scope, f store.StockPolicyFilter) ([]store.StockPolicy, string, error) {
	c, err := decodeKeyCursor(f.Cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing stock policies: %w", err)
	}
	limit := store.PageLimit(f.Limit)
	var q query
	q.scope(scope, "p.dealer = ?")
	q.eq("p.dealer", f.Dealer)
	q.eq("p.location", f.Location)
	q.eq("p.sku", f.SKU)
	q.afterKey(c, "p")
	text := `SELECT ` + policyCols + ` FROM stock_policies p` + q.sql() + q.pageKey("p", limit)
	ps, err := collect(ctx, s.r, text, q.args, scanPolicy)
	if err != nil {
		return nil, "", fmt.Errorf("listing stock policies: %w", err)
	}
	ps, next := trimKeyPage(ps, limit, func(p store.StockPolicy) (string, string, string) { return p.Dealer, p.Location, p.SKU })
	return ps, next, nil
}
