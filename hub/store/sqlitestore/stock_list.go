package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/dealerhub/dealerhub/hub/store"
)

const levelCols = `l.dealer, l.location, l.sku, l.supplier, l.supplier_sku, l.on_hand, l.available,
	l.reserved, l.on_order, l.unit, l.as_of, l.document_id, l.version, l.updated_at`

func scanLevel(row rowScanner) (store.StockLevel, error) {
	var (
		l             store.StockLevel
		asOf, updated int64
	)
	err := row.Scan(&l.Dealer, &l.Location, &l.SKU, &l.Supplier, &l.SupplierSKU, &l.OnHand, &l.Available,
		&l.Reserved, &l.OnOrder, &l.Unit, &asOf, &l.DocumentID, &l.Version, &updated)
	l.AsOf, l.UpdatedAt = fromUS(asOf), fromUS(updated)
	return l, err
}

// sharedStock is the SQL condition for the levels of a partner's products
// at other dealers that share stock with it.
const sharedStock = `l.supplier = ? AND l.dealer <> ? AND EXISTS (SELECT 1 FROM relationships r
	WHERE r.dealer = l.dealer AND r.supplier = ? AND r.shares_stock)`

// stockQuery builds the page query of ListStock. A partner sees its own
// levels and those it is shared: rather than one OR (which SQLite answers
// by collecting and sorting every visible row for each page), each part is
// read in key order from its own index (the primary key, the supplier
// index), cut at the page size, and the two merged.
func stockQuery(scope store.Scope, f store.StockFilter, c *keyCursor, limit int) (string, []any) {
	branch := func(cond string, args ...any) (string, []any) {
		var q query
		if cond != "" {
			q.and(cond, args...)
		}
		q.eq("l.dealer", f.Dealer)
		q.eq("l.supplier", f.Supplier)
		q.eq("l.location", f.Location)
		q.eq("l.sku", f.SKU)
		q.afterKey(c, "l")
		text := `SELECT ` + levelCols + ` FROM stock_levels l` + q.sql() + q.pageKey("l", limit)
		return text, q.args
	}
	switch scope.Visibility() {
	case store.VisibleAll:
		return branch("")
	case store.VisiblePartner:
		p := scope.Partner
		own, ownArgs := branch("l.dealer = ?", p)
		shared, sharedArgs := branch(sharedStock, p, p, p)
		text := `SELECT * FROM (` + own + `) UNION ALL SELECT * FROM (` + shared + `)
			ORDER BY dealer, location, sku LIMIT ?`
		args := append(append(ownArgs, sharedArgs...), limit+1)
		return text, args
	default:
		return branch("0")
	}
}

// ListStock returns current levels the scope may see, in (dealer,
// location, sku) order, each page decorated in three more queries: the
// sales of the window ending on f.Today where the scope may see them, and
// the policy and open low_stock alert for the dealer and operators.
func (s *Store) ListStock(ctx context.Context, scope store.Scope, f store.StockFilter) ([]store.StockLevel, string, error) {
	today, err := store.CheckToday(f.Today)
	if err != nil {
		return nil, "", fmt.Errorf("listing stock: %w", err)
	}
	c, err := decodeKeyCursor(f.Cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing stock: %w", err)
	}
	if err := s.checkStockDealer(ctx, scope, f.Dealer); err != nil {
		return nil, "", err
	}
	limit := store.PageLimit(f.Limit)
	text, args := stockQuery(scope, f, c, limit)
	ls, err := collect(ctx, s.r, text, args, scanLevel)
	if err != nil {
		return nil, "", fmt.Errorf("listing stock: %w", err)
	}
	ls, next := trimKeyPage(ls, limit, func(l store.StockLevel) (string, string, string) { return l.Dealer, l.Location, l.SKU })
	if err := s.decorateStock(ctx, scope, today, ls); err != nil {
		return nil, "", fmt.Errorf("listing stock: %w", err)
	}
	return ls, next, nil
}

// checkStockDealer refuses (ErrNotFound) a partner's listing of another
// dealer's stock unless that dealer shares stock with it.
func (s *Store) checkStockDealer(ctx context.Context, scope store.Scope, dealer string) error {
	if dealer == "" || scope.Visibility() != store.VisiblePartner || scope.Partner == dealer {
		return nil
	}
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM relationships
		WHERE dealer = ? AND supplier = ? AND shares_stock`, dealer, scope.Partner).Scan(&n); err != nil {
		return fmt.Errorf("listing stock of %q: reading the relationship: %w", dealer, err)
	}
	if n == 0 {
		return fmt.Errorf("listing stock of %q: %w", dealer, store.ErrNotFound)
	}
	return nil
}

// decorateStock sets Sold30d, Policy and LowStock on a page of levels.
func (s *Store) decorateStock(ctx context.Context, scope store.Scope, today string, ls []store.StockLevel) error {
	if len(ls) == 0 {
		return nil
	}
	all := scope.Visibility() == store.VisibleAll
	sharesSales := map[string]bool{}
	if !all {
		dealers, err := collect(ctx, s.r, `SELECT dealer FROM relationships WHERE supplier = ? AND shares_sales`,
			[]any{scope.Partner}, func(r rowScanner) (string, error) {
				var d string
				return d, r.Scan(&d)
			})
		if err != nil {
			return fmt.Errorf("reading who shares sales: %w", err)
		}
		for _, d := range dealers {
			sharesSales[d] = true
		}
	}
	var salesKeys, ownKeys, alertKeys [][]string
	for _, l := range ls {
		own := all || l.Dealer == scope.Partner
		if own || sharesSales[l.Dealer] {
			salesKeys = append(salesKeys, []string{l.Dealer, l.Location, l.SKU})
		}
		if own {
			ownKeys = append(ownKeys, []string{l.Dealer, l.Location, l.SKU})
			alertKeys = append(alertKeys, []string{l.Dealer, store.LowStockKey(l.Location, l.SKU)})
		}
	}
	sold, err := s.pageSales(ctx, today, salesKeys)
	if err != nil {
		return err
	}
	policies, err := s.pagePolicies(ctx, ownKeys)
	if err != nil {
		return err
	}
	low, err := s.pageAlerts(ctx, alertKeys)
	if err != nil {
		return err
	}
	for i := range ls {
		l := &ls[i]
		k := [3]string{l.Dealer, l.Location, l.SKU}
		if qs, ok := sold[k]; ok {
			sum, err := store.SumDecimals(qs...)
			if err != nil {
				return fmt.Errorf("summing the sales of %s at %s of %q: %w", l.SKU, l.Location, l.Dealer, err)
			}
			l.Sold30d = &sum
		}
		if p, ok := policies[k]; ok {
			l.Policy = &p
		}
		l.LowStock = low[[2]string{l.Dealer, store.LowStockKey(l.Location, l.SKU)}]
	}
	return nil
}

// keysJSON encodes a page's keys for json_each.
func keysJSON(keys [][]string) string {
	b, _ := json.Marshal(keys)
	return string(b)
}

// pageSales returns the quantities sold in the window ending on today for
// each key (dealer, location, sku); every key is present, with no
// quantity when nothing was sold.
func (s *Store) pageSales(ctx context.Context, today string, keys [][]string) (map[[3]string][]string, error) {
	out := make(map[[3]string][]string, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	for _, k := range keys {
		out[[3]string{k[0], k[1], k[2]}] = []string{}
	}
	from, to := salesWindow(today)
	type line struct {
		k   [3]string
		qty string
	}
	rows, err := collect(ctx, s.r, `SELECT s.dealer, s.location, s.sku, s.quantity
		FROM json_each(?) k JOIN sales_lines s ON s.dealer = json_extract(k.value, '$[0]')
			AND s.location = json_extract(k.value, '$[1]') AND s.sku = json_extract(k.value, '$[2]')
		WHERE s.day BETWEEN ? AND ?`, []any{keysJSON(keys), from, to}, func(r rowScanner) (line, error) {
		var l line
		return l, r.Scan(&l.k[0], &l.k[1], &l.k[2], &l.qty)
	})
	if err != nil {
		return nil, fmt.Errorf("reading sales: %w", err)
	}
	for _, l := range rows {
		out[l.k] = append(out[l.k], l.qty)
	}
	return out, nil
}

// pagePolicies returns the policies of the keys that have one.
func (s *Store) pagePolicies(ctx context.Context, keys [][]string) (map[[3]string]store.StockPolicy, error) {
	out := make(map[[3]string]store.StockPolicy, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	ps, err := collect(ctx, s.r, `SELECT `+policyCols+`
		FROM json_each(?) k JOIN stock_policies p ON p.dealer = json_extract(k.value, '$[0]')
			AND p.location = json_extract(k.value, '$[1]') AND p.sku = json_extract(k.value, '$[2]')`,
		[]any{keysJSON(keys)}, scanPolicy)
	if err != nil {
		return nil, fmt.Errorf("reading policies: %w", err)
	}
	for _, p := range ps {
		out[[3]string{p.Dealer, p.Location, p.SKU}] = p
	}
	return out, nil
}

// pageAlerts reports which (dealer, low_stock key) have an open alert.
func (s *Store) pageAlerts(ctx context.Context, keys [][]string) (map[[2]string]bool, error) {
	out := make(map[[2]string]bool, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	open, err := collect(ctx, s.r, `SELECT n.partner, n.alert_key
		FROM json_each(?) k JOIN notifications n ON n.partner = json_extract(k.value, '$[0]')
			AND n.type = ? AND n.alert_key = json_extract(k.value, '$[1]')
		WHERE n.alert_key <> '' AND n.resolved_at IS NULL`,
		[]any{keysJSON(keys), store.NotificationLowStock}, func(r rowScanner) ([2]string, error) {
			var k [2]string
			return k, r.Scan(&k[0], &k[1])
		})
	if err != nil {
		return nil, fmt.Errorf("reading low_stock alerts: %w", err)
	}
	for _, k := range open {
		out[k] = true
	}
	return out, nil
}
