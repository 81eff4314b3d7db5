package pgstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

// PutStockPolicies upserts a dealer's policies (the dealer argument
// overrides each one's Dealer; a (location, sku) given twice: the last
// wins) and, in the same transaction, evaluates each one's stored level as
// SyncStock does, on today. It returns the low_stock notifications raised.
// A policy that fails StockPolicy.Validate is refused, naming its index;
// an unknown dealer is ErrNotFound.
func (s *Store) PutStockPolicies(ctx context.Context, dealer string, ps []store.StockPolicy, today string) ([]store.Notification, error) {
	today, err := store.CheckToday(today)
	if err != nil {
		return nil, fmt.Errorf("putting stock policies of %q: %w", dealer, err)
	}
	for i, p := range ps {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("putting stock policies of %q: policy %d (%q at %q): %w", dealer, i, p.SKU, p.Location, err)
		}
	}
	var raised []store.Notification
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		raised, err = putPolicies(ctx, tx, dealer, ps, today)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("putting stock policies of %q: %w", dealer, err)
	}
	return raised, nil
}

// putPolicies is PutStockPolicies inside its transaction.
func putPolicies(ctx context.Context, tx pgx.Tx, dealer string, ps []store.StockPolicy, today string) ([]store.Notification, error) {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM partners WHERE id = $1)`, dealer).Scan(&exists); err != nil {
		return nil, fmt.Errorf("checking the dealer: %w", err)
	}
	if !exists {
		return nil, fmt.Errorf("dealer %q: %w", dealer, store.ErrNotFound)
	}
	if len(ps) == 0 {
		return nil, nil
	}
	if err := lockDealerStock(ctx, tx, dealer); err != nil {
		return nil, err
	}
	last := make(map[levelKey]int, len(ps))
	for i, p := range ps {
		last[levelKey{p.Location, p.SKU}] = i
	}
	var locs, skus, safety, rp, maxLevel, pack, minOrder []string
	var cover []int32
	for i, p := range ps {
		if last[levelKey{p.Location, p.SKU}] != i {
			continue
		}
		locs, skus, safety, rp = append(locs, p.Location), append(skus, p.SKU), append(safety, p.SafetyStock), append(rp, p.ReorderPoint)
		maxLevel, pack, minOrder = append(maxLevel, p.MaxLevel), append(pack, p.PackSize), append(minOrder, p.MinOrder)
		cover = append(cover, int32(p.CoverDays))
	}
	t := now()
	if _, err := tx.Exec(ctx, `INSERT INTO stock_policies (dealer, location, sku, safety_stock, reorder_point,
			max_level, cover_days, pack_size, min_order, updated_at)
		SELECT $1, u.location, u.sku, u.safety_stock, u.reorder_point, u.max_level, u.cover_days, u.pack_size,
			u.min_order, $10
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::integer[], $8::text[], $9::text[])
			AS u(location, sku, safety_stock, reorder_point, max_level, cover_days, pack_size, min_order)
		ON CONFLICT (dealer, location, sku) DO UPDATE
		SET safety_stock = excluded.safety_stock, reorder_point = excluded.reorder_point,
			max_level = excluded.max_level, cover_days = excluded.cover_days, pack_size = excluded.pack_size,
			min_order = excluded.min_order, updated_at = excluded.updated_at`,
		dealer, locs, skus, safety, rp, maxLevel, cover, pack, minOrder, t); err != nil {
		return nil, fmt.Errorf("storing %d policies: %w", len(locs), err)
	}
	rows, err := tx.Query(ctx, `SELECT `+stockLevelCols+` FROM stock_levels l
		JOIN unnest($2::text[], $3::text[]) AS u(location, sku) ON l.location = u.location AND l.sku = u.sku
		WHERE l.dealer = $1
		ORDER BY l.location, l.sku`, dealer, locs, skus)
	if err != nil {
		return nil, fmt.Errorf("reading the policies' levels: %w", err)
	}
	levels, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.StockLevel, error) { return scanStockLevel(r) })
	if err != nil {
		return nil, fmt.Errorf("reading the policies' levels: %w", err)
	}
	raised, _, err := evaluateLevels(ctx, tx, t, dealer, today, levels)
	return raised, err
}

// policyScope is the SQL condition for policies a partner may see: its
// own.
func policyScope(p string) string { return "p.dealer = " + p }

// ListStockPolicies returns the policies the scope may see (a dealer's
// own; operators all) in (dealer, location, sku) order.
func (s *Store) ListStockPolicies(ctx context.Context, scope store.Scope, f store.StockPolicyFilter) ([]store.StockPolicy, string, error) {
	key, err := decodeKeyCursor(f.Cursor, 3)
	if err != nil {
		return nil, "", fmt.Errorf("listing stock policies: %w", err)
	}
	limit := store.PageLimit(f.Limit)
	var q query
	q.scope(scope, policyScope)
	q.eq("p.dealer", f.Dealer)
	q.eq("p.location", f.Location)
	q.eq("p.sku", f.SKU)
	q.afterKey("p.dealer, p.location, p.sku", key)
	rows, err := s.pool.Query(ctx, `SELECT `+policyCols+` FROM stock_policies p`+q.sql()+
		` ORDER BY p.dealer, p.location, p.sku LIMIT `+q.arg(limit+1), q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("listing stock policies: %w", err)
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.StockPolicy, error) { return scanPolicy(r) })
	if err != nil {
		return nil, "", fmt.Errorf("listing stock policies: %w", err)
	}
	ps, next := trimKeyPage(ps, limit, func(p store.StockPolicy) []string { return []string{p.Dealer, p.Location, p.SKU} })
	return ps, next, nil
}
