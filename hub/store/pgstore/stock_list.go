package pgstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

const stockLevelCols = `l.dealer, l.location, l.sku, l.supplier, l.supplier_sku, l.on_hand, l.available, l.reserved,
	l.on_order, l.unit, l.as_of, l.document_id, l.version, l.updated_at`

func scanStockLevel(row pgx.Row, extra ...any) (store.StockLevel, error) {
	var l store.StockLevel
	dest := append([]any{&l.Dealer, &l.Location, &l.SKU, &l.Supplier, &l.SupplierSKU, &l.OnHand, &l.Available,
		&l.Reserved, &l.OnOrder, &l.Unit, &l.AsOf, &l.DocumentID, &l.Version, &l.UpdatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return store.StockLevel{}, err
	}
	l.AsOf, l.UpdatedAt = l.AsOf.UTC(), l.UpdatedAt.UTC()
	return l, nil
}

// stockScope is the SQL condition for levels a partner may see: its own as
// dealer, and those of its products at dealers that share stock with it.
func stockScope(p string) string {
	return "l.dealer = " + p + " OR (l.supplier = " + p + " AND EXISTS (SELECT 1 FROM relationships r" +
		" WHERE r.dealer = l.dealer AND r.supplier = " + p + " AND r.shares_stock))"
}

// listedLevel is a row of ListStock with what the caller may see of it.
type listedLevel struct {
	store.StockLevel
	sales, own bool
}

// ListStock returns the current levels the scope may see in (dealer,
// location, sku) order, with one query for the page and up to three for
// what the caller may see besides (sold over the window, policies, open
// alerts).
func (s *Store) ListStock(ctx context.Context, scope store.Scope, f store.StockFilter) ([]store.StockLevel, string, error) {
	key, err := decodeKeyCursor(f.Cursor, 3)
	if err == nil {
		f.Today, err = store.CheckToday(f.Today)
	}
	if err != nil {
		return nil, "", fmt.Errorf("listing stock: %w", err)
	}
	if err := s.checkStockDealer(ctx, scope, f.Dealer); err != nil {
		return nil, "", err
	}
	limit := store.PageLimit(f.Limit)
	var (
		q     query
		sales = "true"
		own   = "true"
	)
	q.scope(scope, stockScope)
	if scope.Visibility() == store.VisiblePartner {
		p := q.arg(scope.Partner)
		own = "l.dealer = " + p
		sales = own + " OR EXISTS (SELECT 1 FROM relationships r WHERE r.dealer = l.dealer AND r.supplier = " + p +
			" AND r.shares_sales)"
	}
	q.eq("l.dealer", f.Dealer)
	q.eq("l.supplier", f.Supplier)
	q.eq("l.location", f.Location)
	q.eq("l.sku", f.SKU)
	q.afterKey("l.dealer, l.location, l.sku", key)
	rows, err := s.pool.Query(ctx, `SELECT `+stockLevelCols+`, (`+sales+`), (`+own+`) FROM stock_levels l`+q.sql()+
		` ORDER BY l.dealer, l.location, l.sku LIMIT `+q.arg(limit+1), q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("listing stock: %w", err)
	}
	ls, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (listedLevel, error) {
		var l listedLevel
		var err error
		l.StockLevel, err = scanStockLevel(r, &l.sales, &l.own)
		return l, err
	})
	if err != nil {
		return nil, "", fmt.Errorf("listing stock: %w", err)
	}
	ls, next := trimKeyPage(ls, limit, func(l listedLevel) []string { return []string{l.Dealer, l.Location, l.SKU} })
	out, err := s.stockExtras(ctx, f.Today, ls)
	if err != nil {
		return nil, "", fmt.Errorf("listing stock: %w", err)
	}
	return out, next, nil
}

// checkStockDealer refuses (ErrNotFound) a Dealer filter that a partner
// scope may not see: neither that dealer nor a supplier it shares stock
// with.
func (s *Store) checkStockDealer(ctx context.Context, scope store.Scope, dealer string) error {
	if dealer == "" || scope.Visibility() == store.VisibleAll || scope.Partner == dealer {
		return nil
	}
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM relationships
		WHERE dealer = $1 AND supplier = $2 AND shares_stock)`, dealer, scope.Partner).Scan(&ok)
	if err != nil {
		return fmt.Errorf("listing stock of %q: %w", dealer, err)
	}
	if !ok || scope.Visibility() != store.VisiblePartner {
		return fmt.Errorf("listing stock of %q: %w", dealer, store.ErrNotFound)
	}
	return nil
}

// stockExtras fills in what the caller may see besides the levels:
// Sold30d where it sees the dealer's sales, Policy and LowStock where it
// is the dealer (or the operator).
func (s *Store) stockExtras(ctx context.Context, today string, ls []listedLevel) ([]store.StockLevel, error) {
	out := make([]store.StockLevel, len(ls))
	var withSales, owned []store.StockLevel
	for i, l := range ls {
		out[i] = l.StockLevel
		if l.sales {
			withSales = append(withSales, l.StockLevel)
		}
		if l.own {
			owned = append(owned, l.StockLevel)
		}
	}
	sold, err := soldOver(ctx, s.pool, today, withSales)
	if err != nil {
		return nil, err
	}
	policies, alerts, err := s.ownExtras(ctx, owned)
	if err != nil {
		return nil, err
	}
	for i, l := range ls {
		k := dealerKey{l.Dealer, l.Location, l.SKU}
		if l.sales {
			v := sold[k]
			out[i].Sold30d = &v
		}
		if l.own {
			if p, ok := policies[k]; ok {
				out[i].Policy = &p
			}
			out[i].LowStock = alerts[k]
		}
	}
	return out, nil
}

// dealerKey is a level's full key.
type dealerKey struct{ dealer, location, sku string }

// soldOver sums, exactly, what each level (of any dealer) sold over the
// SalesWindowDays ending on today, in one query; every level gets a sum
// ("0" without sales).
func soldOver(ctx context.Context, q salesQuery, today string, levels []store.StockLevel) (map[dealerKey]string, error) {
	out := make(map[dealerKey]string, len(levels))
	if len(levels) == 0 {
		return out, nil
	}
	from, to, err := salesWindow(today)
	if err != nil {
		return nil, err
	}
	dealers, locs, skus := make([]string, len(levels)), make([]string, len(levels)), make([]string, len(levels))
	for i, l := range levels {
		dealers[i], locs[i], skus[i] = l.Dealer, l.Location, l.SKU
	}
	rows, err := q.Query(ctx, `SELECT s.dealer, s.location, s.sku, s.quantity FROM sales_lines s
		JOIN unnest($1::text[], $2::text[], $3::text[]) AS u(dealer, location, sku)
			ON s.dealer = u.dealer AND s.location = u.location AND s.sku = u.sku
		WHERE s.day >= $4 AND s.day <= $5`, dealers, locs, skus, from, to)
	if err != nil {
		return nil, fmt.Errorf("reading sales: %w", err)
	}
	qty := map[dealerKey][]string{}
	var k dealerKey
	var quantity string
	if _, err := pgx.ForEachRow(rows, []any{&k.dealer, &k.location, &k.sku, &quantity}, func() error {
		qty[k] = append(qty[k], quantity)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("reading sales: %w", err)
	}
	for _, l := range levels {
		k := dealerKey{l.Dealer, l.Location, l.SKU}
		sum, err := store.SumDecimals(qty[k]...)
		if err != nil {
			return nil, fmt.Errorf("summing the sales of item %q at %q of %q: %w", l.SKU, l.Location, l.Dealer, err)
		}
		out[k] = sum
	}
	return out, nil
}

// ownExtras reads the policies and open low_stock alerts of levels, in
// two queries.
func (s *Store) ownExtras(ctx context.Context, levels []store.StockLevel) (map[dealerKey]store.StockPolicy, map[dealerKey]bool, error) {
	policies, alerts := map[dealerKey]store.StockPolicy{}, map[dealerKey]bool{}
	if len(levels) == 0 {
		return policies, alerts, nil
	}
	dealers, locs, skus, keys := make([]string, len(levels)), make([]string, len(levels)), make([]string, len(levels)), make([]string, len(levels))
	alertOf := make(map[[2]string]dealerKey, len(levels))
	for i, l := range levels {
		dealers[i], locs[i], skus[i], keys[i] = l.Dealer, l.Location, l.SKU, store.LowStockKey(l.Location, l.SKU)
		alertOf[[2]string{l.Dealer, keys[i]}] = dealerKey{l.Dealer, l.Location, l.SKU}
	}
	rows, err := s.pool.Query(ctx, `SELECT `+policyCols+` FROM stock_policies p
		JOIN unnest($1::text[], $2::text[], $3::text[]) AS u(dealer, location, sku)
			ON p.dealer = u.dealer AND p.location = u.location AND p.sku = u.sku`, dealers, locs, skus)
	if err != nil {
		return nil, nil, fmt.Errorf("reading policies: %w", err)
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.StockPolicy, error) { return scanPolicy(r) })
	if err != nil {
		return nil, nil, fmt.Errorf("reading policies: %w", err)
	}
	for _, p := range ps {
		policies[dealerKey{p.Dealer, p.Location, p.SKU}] = p
	}
	rows, err = s.pool.Query(ctx, `SELECT n.partner, n.alert_key FROM notifications n
		JOIN unnest($1::text[], $2::text[]) AS u(partner, alert_key)
			ON n.partner = u.partner AND n.alert_key = u.alert_key
		WHERE n.type = $3 AND n.alert_key <> '' AND n.resolved_at IS NULL`, dealers, keys, store.NotificationLowStock)
	if err != nil {
		return nil, nil, fmt.Errorf("reading open alerts: %w", err)
	}
	var partner, key string
	if _, err := pgx.ForEachRow(rows, []any{&partner, &key}, func() error {
		alerts[alertOf[[2]string{partner, key}]] = true
		return nil
	}); err != nil {
		return nil, nil, fmt.Errorf("reading open alerts: %w", err)
	}
	return policies, alerts, nil
}
