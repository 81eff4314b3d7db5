package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

// changeBatchSize is how many changes are buffered before they are copied.
const changeBatchSize = 5000

// diffPublication compares pl with its predecessor (store.DiffLists over
// both lists read in SKU order) and stores each change; no predecessor is
// Diff.First. The lists are read a page at a time and a page is read to its
// end before changes are written, because a connection cannot write while
// a query's rows are open.
func diffPublication(ctx context.Context, tx pgx.Tx, pl store.PriceList, rejectedSKUs []string) (store.PriceDiff, error) {
	if pl.Predecessor == "" {
		return store.PriceDiff{First: true}, nil
	}
	var prevHeader []byte
	if err := tx.QueryRow(ctx, `SELECT header FROM price_lists WHERE id = $1`, pl.Predecessor).Scan(&prevHeader); err != nil {
		return store.PriceDiff{}, fmt.Errorf("reading the header of %s: %w", pl.Predecessor, err)
	}
	cur, err := store.NewLineReader(pl.Predecessor, prevHeader, fetchLines(ctx, tx, pl.Predecessor))
	if err != nil {
		return store.PriceDiff{}, err
	}
	next, err := store.NewLineReader(pl.ID, pl.Header, fetchLines(ctx, tx, pl.ID))
	if err != nil {
		return store.PriceDiff{}, err
	}
	w := &changeWriter{ctx: ctx, tx: tx, id: pl.ID}
	counts, err := store.DiffLists(cur, next, rejectedSKUs, w.add)
	if err != nil {
		return store.PriceDiff{}, err
	}
	if err := w.flush(); err != nil {
		return store.PriceDiff{}, err
	}
	return store.PriceDiff{Counts: counts}, nil
}

// fetchLines reads a page of publication id's lines for store.LineReader.
func fetchLines(ctx context.Context, tx pgx.Tx, id string) store.FetchLines {
	return func(after string, limit int, each func(store.LineRow) error) error {
		// Two statements rather than "($2 OR sku > $3)", which a generic
		// plan could not turn into an index range.
		sql, args := `SELECT sku, unit, unit_price, min_quantity, tiers, body FROM price_list_lines
			WHERE price_list_id = $1 ORDER BY sku LIMIT $2`, []any{id, limit}
		if after != "" {
			sql, args = `SELECT sku, unit, unit_price, min_quantity, tiers, body FROM price_list_lines
			WHERE price_list_id = $1 AND sku > $3 ORDER BY sku LIMIT $2`, append(args, after)
		}
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		var r store.LineRow
		_, err = pgx.ForEachRow(rows, []any{&r.SKU, &r.Unit, &r.UnitPrice, &r.MinQuantity, &r.Tiers, &r.Body},
			func() error { return each(r) })
		return err
	}
}

// changeWriter stores a publication's changes in batches, numbered in the
// order Walk emits them.
type changeWriter struct {
	ctx  context.Context
	tx   pgx.Tx
	id   string
	seq  int32
	rows [][]any
}

// add buffers one change and copies the buffer when it is full.
func (w *changeWriter) add(c pricelist.Change) error {
	body, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encoding the change of SKU %q: %w", c.SKU, err)
	}
	w.seq++
	w.rows = append(w.rows, []any{w.id, w.seq, c.SKU, string(c.Kind), string(body)})
	if len(w.rows) >= changeBatchSize {
		return w.flush()
	}
	return nil
}

// flush copies the buffered changes.
func (w *changeWriter) flush() error {
	if len(w.rows) == 0 {
		return nil
	}
	if _, err := w.tx.CopyFrom(w.ctx, pgx.Identifier{"price_list_changes"},
		[]string{"price_list_id", "seq", "sku", "kind", "body"}, pgx.CopyFromRows(w.rows)); err != nil {
		return fmt.Errorf("storing changes: %w", err)
	}
	w.rows = w.rows[:0]
	return nil
}

// dealerChangesSQL selects, for every dealer with a relationship to the
// supplier ($1), the changes of publication $2 to the dealer's SKUs: those
// of its stock levels naming the supplier (supplier_sku, or sku when the
// level has none: sku is the dealer's own code), of the lines of its orders
// to the supplier, and of its cross-references to the supplier. Rows come by
// dealer, then in the order the changes were stored.
const dealerChangesSQL = `
	WITH dealers AS (
		SELECT dealer FROM relationships WHERE supplier = $1
	), skus AS (
		SELECT d.sender AS dealer, coalesce(nullif(d.body->>'supplier_sku', ''), d.body->>'sku') AS sku
		FROM documents d JOIN dealers r ON r.dealer = d.sender
		WHERE d.doctype = 'stock_level' AND d.body->>'supplier' = $1
		UNION
		SELECT d.sender, l.line->>'sku'
		FROM documents d JOIN dealers r ON r.dealer = d.sender
		CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(d.body->'lines') = 'array'
			THEN d.body->'lines' ELSE '[]'::jsonb END) AS l(line)
		WHERE d.doctype = 'order' AND d.receiver = $1
		UNION
		SELECT x.partner, x.supplier_sku
		FROM cross_refs x JOIN dealers r ON r.dealer = x.partner
		WHERE x.supplier = $1
	)
	SELECT s.dealer, c.body
	FROM skus s JOIN price_list_changes c ON c.price_list_id = $2 AND c.sku = s.sku
	ORDER BY s.dealer, c.seq`

// notifyDealers stores a price_change notification (store.PriceNotification)
// for every dealer of the supplier with a change to one of its SKUs, in
// dealer order, and returns them as stored.
func notifyDealers(ctx context.Context, tx pgx.Tx, at time.Time, pl store.PriceList) ([]store.Notification, error) {
	if pl.Diff.First || pl.Diff.Changes() == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, dealerChangesSQL, pl.Supplier, pl.ID)
	if err != nil {
		return nil, fmt.Errorf("selecting the dealers' changes: %w", err)
	}
	var (
		dealers []string
		changes = map[string][]pricelist.Change{}
		dealer  string
		body    []byte
	)
	_, err = pgx.ForEachRow(rows, []any{&dealer, &body}, func() error {
		var c pricelist.Change
		if err := json.Unmarshal(body, &c); err != nil {
			return fmt.Errorf("decoding a change: %w", err)
		}
		if _, ok := changes[dealer]; !ok {
			dealers = append(dealers, dealer)
		}
		changes[dealer] = append(changes[dealer], c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("selecting the dealers' changes: %w", err)
	}
	ns := make([]store.Notification, 0, len(dealers))
	for _, d := range dealers {
		n, err := insertNotification(ctx, tx, at, store.PriceNotification(d, pl, changes[d]))
		if err != nil {
			return nil, fmt.Errorf("notifying %q: %w", d, err)
		}
		ns = append(ns, n)
	}
	return ns, nil
}
