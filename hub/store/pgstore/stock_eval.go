package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

// evaluateLevels applies the dealer's policies to levels (store.EvaluateStock
// with their sales over the window ending on today, and the pack size and
// minimum order of the policy or else of the supplier's product
// document): a low level raises its low_stock alert (unless one is open),
// another resolves the open one. Levels without a policy are left alone.
// It reads with three queries and writes with two, whatever the number of
// levels.
func evaluateLevels(ctx context.Context, tx pgx.Tx, t time.Time, dealer, today string, levels []store.StockLevel) ([]store.Notification, int, error) {
	if len(levels) == 0 {
		return nil, 0, nil
	}
	locs, skus := make([]string, len(levels)), make([]string, len(levels))
	for i, l := range levels {
		locs[i], skus[i] = l.Location, l.SKU
	}
	policies, err := policiesOf(ctx, tx, dealer, locs, skus)
	if err != nil || len(policies) == 0 {
		return nil, 0, err
	}
	var with []store.StockLevel
	for _, l := range levels {
		if _, ok := policies[levelKey{l.Location, l.SKU}]; ok {
			with = append(with, l)
		}
	}
	sold, err := soldOver(ctx, tx, today, with)
	if err != nil {
		return nil, 0, err
	}
	products, err := productPacks(ctx, tx, with, policies)
	if err != nil {
		return nil, 0, err
	}
	var (
		raise   []store.Notification
		resolve []string
	)
	for _, l := range with {
		k := levelKey{l.Location, l.SKU}
		p := policies[k]
		pk := products[productKey{l.Supplier, l.SupplierSKU}]
		r, err := store.EvaluateStock(l, p, sold[dealerKey{l.Dealer, l.Location, l.SKU}], pk.pack, pk.minOrder)
		if err != nil {
			return nil, 0, fmt.Errorf("evaluating item %q at %q of %q: %w", l.SKU, l.Location, dealer, err)
		}
		if r.Low {
			raise = append(raise, store.LowStockNotification(l, r))
		} else {
			resolve = append(resolve, store.LowStockKey(l.Location, l.SKU))
		}
	}
	raised, err := raiseAlerts(ctx, tx, t, raise)
	if err != nil {
		return nil, 0, err
	}
	resolved, err := resolveAlerts(ctx, tx, t, dealer, store.NotificationLowStock, resolve)
	if err != nil {
		return nil, 0, err
	}
	return raised, resolved, nil
}

const policyCols = `p.dealer, p.location, p.sku, p.safety_stock, p.reorder_point, p.max_level, p.cover_days,
	p.pack_size, p.min_order, p.updated_at`

func scanPolicy(row pgx.Row) (store.StockPolicy, error) {
	var p store.StockPolicy
	if err := row.Scan(&p.Dealer, &p.Location, &p.SKU, &p.SafetyStock, &p.ReorderPoint, &p.MaxLevel, &p.CoverDays,
		&p.PackSize, &p.MinOrder, &p.UpdatedAt); err != nil {
		return store.StockPolicy{}, err
	}
	p.UpdatedAt = p.UpdatedAt.UTC()
	return p, nil
}

// policiesOf reads the dealer's policies of the given (location, sku)
// pairs in one query.
func policiesOf(ctx context.Context, q pgx.Tx, dealer string, locs, skus []string) (map[levelKey]store.StockPolicy, error) {
	rows, err := q.Query(ctx, `SELECT `+policyCols+` FROM stock_policies p
		JOIN unnest($2::text[], $3::text[]) AS u(location, sku) ON p.location = u.location AND p.sku = u.sku
		WHERE p.dealer = $1`, dealer, locs, skus)
	if err != nil {
		return nil, fmt.Errorf("reading policies: %w", err)
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.StockPolicy, error) { return scanPolicy(r) })
	if err != nil {
		return nil, fmt.Errorf("reading policies: %w", err)
	}
	out := make(map[levelKey]store.StockPolicy, len(ps))
	for _, p := range ps {
		out[levelKey{p.Location, p.SKU}] = p
	}
	return out, nil
}

// salesWindow returns the first and last day (YYYY-MM-DD) of the
// SalesWindowDays ending on today.
func salesWindow(today string) (string, string, error) {
	d, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return "", "", fmt.Errorf("today %q is not a YYYY-MM-DD date", today)
	}
	return d.AddDate(0, 0, -(store.SalesWindowDays - 1)).Format(time.DateOnly), today, nil
}

// salesQuery is a source of sales_lines rows (the pool or a transaction).
type salesQuery interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// productKey names a product: (supplier, supplier SKU).
type productKey struct{ supplier, sku string }

// productPack is a product document's pack_quantity and
// min_order_quantity ("" when absent).
type productPack struct{ pack, minOrder string }

// productPacks reads, in one query, the pack size and minimum order of
// the products of the levels whose policy does not set both.
func productPacks(ctx context.Context, tx pgx.Tx, levels []store.StockLevel, policies map[levelKey]store.StockPolicy) (map[productKey]productPack, error) {
	var sups, skus []string
	seen := map[productKey]bool{}
	for _, l := range levels {
		p := policies[levelKey{l.Location, l.SKU}]
		k := productKey{l.Supplier, l.SupplierSKU}
		if (p.PackSize != "" && p.MinOrder != "") || l.Supplier == "" || l.SupplierSKU == "" || seen[k] {
			continue
		}
		seen[k] = true
		sups, skus = append(sups, k.supplier), append(skus, k.sku)
	}
	out := make(map[productKey]productPack, len(sups))
	if len(sups) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, `SELECT d.sender, d.external_id, coalesce(d.body->>'pack_quantity', ''),
			coalesce(d.body->>'min_order_quantity', '')
		FROM documents d
		JOIN unnest($1::text[], $2::text[]) AS u(sender, external_id)
			ON d.sender = u.sender AND d.external_id = u.external_id
		WHERE d.doctype = 'product'`, sups, skus)
	if err != nil {
		return nil, fmt.Errorf("reading products: %w", err)
	}
	var (
		k  productKey
		pp productPack
	)
	if _, err := pgx.ForEachRow(rows, []any{&k.supplier, &k.sku, &pp.pack, &pp.minOrder}, func() error {
		out[k] = pp
		return nil
	}); err != nil {
		return nil, fmt.Errorf("reading products: %w", err)
	}
	return out, nil
}
