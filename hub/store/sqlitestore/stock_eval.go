package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

// salesWindow returns the first and last day (YYYY-MM-DD) of the
// store.SalesWindowDays ending on today, a checked date.
func salesWindow(today string) (from, to string) {
	d, _ := time.Parse(time.DateOnly, today)
	return d.AddDate(0, 0, -(store.SalesWindowDays - 1)).Format(time.DateOnly), today
}

// evaluator decides the low_stock alert of levels inside a write
// transaction, as SyncStock and PutStockPolicies do: the level's sales
// over the window, the pack size and minimum order of its policy or else
// of the supplier's product document, store.EvaluateStock, then raise or
// resolve.
type evaluator struct {
	tx                     *sql.Tx
	policy, sales, product *sql.Stmt
	from, to               string
	at                     time.Time
	raised                 []store.Notification
	resolved               int
	// policies, when loaded (loadPolicies), are the dealer's, by key: a
	// sync that changed many levels reads them in one query instead of
	// one lookup per level.
	policies map[levelKey]store.StockPolicy
}

// bulkPolicies is how many changed levels make SyncStock read the
// dealer's policies at once rather than one by one.
const bulkPolicies = 500

// loadPolicies reads all of dealer's policies into e.policies.
func (e *evaluator) loadPolicies(ctx context.Context, dealer string) error {
	ps, err := collect(ctx, e.tx, `SELECT `+policyCols+` FROM stock_policies p WHERE p.dealer = ?`,
		[]any{dealer}, scanPolicy)
	if err != nil {
		return fmt.Errorf("reading the policies: %w", err)
	}
	e.policies = make(map[levelKey]store.StockPolicy, len(ps))
	for _, p := range ps {
		e.policies[levelKey{p.Location, p.SKU}] = p
	}
	return nil
}

// newEvaluator prepares the evaluator's statements in tx; close releases
// them.
func newEvaluator(ctx context.Context, tx *sql.Tx, today string, at time.Time) (*evaluator, error) {
	e := &evaluator{tx: tx, at: at}
	e.from, e.to = salesWindow(today)
	for _, p := range []struct {
		dst  **sql.Stmt
		text string
	}{
		{&e.policy, `SELECT ` + policyCols + ` FROM stock_policies p
			WHERE p.dealer = ? AND p.location = ? AND p.sku = ?`},
		{&e.sales, `SELECT quantity FROM sales_lines
			WHERE dealer = ? AND location = ? AND sku = ? AND day BETWEEN ? AND ?`},
		{&e.product, `SELECT coalesce(json_extract(body, '$.pack_quantity'), ''),
			coalesce(json_extract(body, '$.min_order_quantity'), '')
			FROM documents WHERE sender = ? AND doctype = 'product' AND external_id = ?`},
	} {
		st, err := tx.PrepareContext(ctx, p.text)
		if err != nil {
			e.close()
			return nil, fmt.Errorf("preparing the stock evaluation: %w", err)
		}
		*p.dst = st
	}
	return e, nil
}

// close releases the prepared statements.
func (e *evaluator) close() {
	for _, st := range []*sql.Stmt{e.policy, e.sales, e.product} {
		if st != nil {
			_ = st.Close()
		}
	}
}

// levelPolicy evaluates l under its stored policy, if it has one.
func (e *evaluator) levelPolicy(ctx context.Context, l store.StockLevel) error {
	if e.policies != nil {
		p, ok := e.policies[levelKey{l.Location, l.SKU}]
		if !ok {
			return nil
		}
		return e.evaluate(ctx, l, p)
	}
	p, err := scanPolicy(e.policy.QueryRowContext(ctx, l.Dealer, l.Location, l.SKU))
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the policy of %s at %s: %w", l.SKU, l.Location, err)
	}
	return e.evaluate(ctx, l, p)
}

// evaluate raises l's low_stock alert (unless one is open) when it is low
// under p, and resolves the open one otherwise.
func (e *evaluator) evaluate(ctx context.Context, l store.StockLevel, p store.StockPolicy) error {
	sold, err := e.sold30d(ctx, l)
	if err != nil {
		return err
	}
	var pack, moq string
	if (p.PackSize == "" || p.MinOrder == "") && l.Supplier != "" && l.SupplierSKU != "" {
		err := e.product.QueryRowContext(ctx, l.Supplier, l.SupplierSKU).Scan(&pack, &moq)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("reading product %q of %q: %w", l.SupplierSKU, l.Supplier, err)
		}
	}
	r, err := store.EvaluateStock(l, p, sold, pack, moq)
	if err != nil {
		return fmt.Errorf("evaluating %s at %s of %q: %w", l.SKU, l.Location, l.Dealer, err)
	}
	if !r.Low {
		ok, err := resolveAlert(ctx, e.tx, l.Dealer, store.NotificationLowStock, store.LowStockKey(l.Location, l.SKU), e.at)
		if err != nil {
			return fmt.Errorf("resolving low_stock of %s at %s: %w", l.SKU, l.Location, err)
		}
		if ok {
			e.resolved++
		}
		return nil
	}
	n, stored, err := addNotification(ctx, e.tx, e.at, store.LowStockNotification(l, r))
	if err != nil {
		return fmt.Errorf("raising low_stock of %s at %s: %w", l.SKU, l.Location, err)
	}
	if stored {
		e.raised = append(e.raised, n)
	}
	return nil
}

// sold30d sums the level's sales over the window.
func (e *evaluator) sold30d(ctx context.Context, l store.StockLevel) (string, error) {
	rows, err := e.sales.QueryContext(ctx, l.Dealer, l.Location, l.SKU, e.from, e.to)
	if err != nil {
		return "", fmt.Errorf("reading the sales of %s at %s: %w", l.SKU, l.Location, err)
	}
	defer func() { _ = rows.Close() }()
	var qs []string
	for rows.Next() {
		var q string
		if err := rows.Scan(&q); err != nil {
			return "", fmt.Errorf("reading the sales of %s at %s: %w", l.SKU, l.Location, err)
		}
		qs = append(qs, q)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("reading the sales of %s at %s: %w", l.SKU, l.Location, err)
	}
	sum, err := store.SumDecimals(qs...)
	if err != nil {
		return "", fmt.Errorf("summing the sales of %s at %s: %w", l.SKU, l.Location, err)
	}
	return sum, nil
}
