package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

// upsertLevelSQL replaces a dealer's stored level (the projection of its
// current stock_level document).
const upsertLevelSQL = `INSERT INTO stock_levels (dealer, location, sku, supplier, supplier_sku, on_hand,
	available, reserved, on_order, unit, as_of, document_id, version, content_hash, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (dealer, location, sku) DO UPDATE SET supplier = excluded.supplier,
		supplier_sku = excluded.supplier_sku, on_hand = excluded.on_hand, available = excluded.available,
		reserved = excluded.reserved, on_order = excluded.on_order, unit = excluded.unit,
		as_of = excluded.as_of, document_id = excluded.document_id, version = excluded.version,
		content_hash = excluded.content_hash, updated_at = excluded.updated_at`

// upsertSalesLineSQL stores one item's sales of a day.
const upsertSalesLineSQL = `INSERT INTO sales_lines (dealer, location, sku, day, supplier, supplier_sku,
	quantity, unit, document_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (dealer, location, sku, day) DO UPDATE SET supplier = excluded.supplier,
		supplier_sku = excluded.supplier_sku, quantity = excluded.quantity, unit = excluded.unit,
		document_id = excluded.document_id`

// SyncStock stores a processed stock snapshot in one write transaction,
// following the steps of store.Store.SyncStock. The stored content hashes
// of the dealer's levels are read in one query first, so an unchanged
// level costs a map lookup and no statement at all; a changed one is
// stored by the same code as CommitMessage's documents, its projection
// row by one prepared upsert. Then the sales days, the evaluation of the
// changed levels that have a policy, the message (done, with the changed
// documents' ids and s.Rejected) and s.Outbox's rows.
func (s *Store) SyncStock(ctx context.Context, in store.StockSync) (store.StockSyncResult, error) {
	today, err := store.CheckToday(in.Today)
	if err != nil {
		return store.StockSyncResult{}, fmt.Errorf("syncing stock of %q: %w", in.Dealer, err)
	}
	var res store.StockSyncResult
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = s.syncStock(ctx, tx, in, today)
		return err
	})
	if err != nil {
		return store.StockSyncResult{}, fmt.Errorf("syncing stock of %q (message %s): %w", in.Dealer, in.MessageID, err)
	}
	return res, nil
}

// syncStock is SyncStock inside its transaction.
func (s *Store) syncStock(ctx context.Context, tx *sql.Tx, in store.StockSync, today string) (store.StockSyncResult, error) {
	res := store.StockSyncResult{Levels: len(in.Levels), SalesDays: len(in.Sales)}
	if err := checkFinish(ctx, tx, in.MessageID); err != nil {
		return res, err
	}
	cs := s.stmts.in(ctx, tx)
	defer cs.close()
	t := now()
	changed, err := syncLevels(ctx, tx, cs, t, in)
	if err != nil {
		return res, err
	}
	res.LevelsChanged = len(changed)
	res.Changed = make([]store.DocumentResult, 0, len(changed))
	for _, c := range changed {
		res.Changed = append(res.Changed, c.result)
	}
	days, err := syncSales(ctx, tx, cs, t, in)
	if err != nil {
		return res, err
	}
	res.SalesChanged = len(days)
	res.Changed = append(res.Changed, days...)
	if len(changed) > 0 {
		e, err := newEvaluator(ctx, tx, today, t)
		if err != nil {
			return res, err
		}
		defer e.close()
		if len(changed) >= bulkPolicies {
			if err := e.loadPolicies(ctx, in.Dealer); err != nil {
				return res, err
			}
		}
		for _, c := range changed {
			if err := e.levelPolicy(ctx, c.level); err != nil {
				return res, err
			}
		}
		res.Raised, res.Resolved = e.raised, e.resolved
	}
	ids := make([]string, len(res.Changed))
	for i, r := range res.Changed {
		ids[i] = r.DocumentID
	}
	if err := finishMessage(ctx, tx, t, in.MessageID, ids, in.Rejected); err != nil {
		return res, err
	}
	if in.Outbox != nil {
		if err := cs.insertOutboxRows(ctx, t, in.Outbox(res.Changed)...); err != nil {
			return res, err
		}
	}
	return res, nil
}

// changedLevel is a level that got a new version, with its stored row.
type changedLevel struct {
	result store.DocumentResult
	level  store.StockLevel
}

// levelKey is a level's key within one dealer.
type levelKey struct{ location, sku string }

// syncLevels stores the levels whose content hash differs from the stored
// one (or that are new) and returns them in input order.
func syncLevels(ctx context.Context, tx *sql.Tx, cs *writeStmts, t time.Time, in store.StockSync) ([]changedLevel, error) {
	if len(in.Levels) == 0 {
		return nil, nil
	}
	stored := make(map[levelKey]string)
	rows, err := tx.QueryContext(ctx, `SELECT location, sku, content_hash FROM stock_levels WHERE dealer = ?`, in.Dealer)
	if err != nil {
		return nil, fmt.Errorf("reading the stored levels: %w", err)
	}
	for rows.Next() {
		var (
			k    levelKey
			hash string
		)
		if err := rows.Scan(&k.location, &k.sku, &hash); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("reading the stored levels: %w", err)
		}
		stored[k] = hash
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("reading the stored levels: %w", err)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the stored levels: %w", err)
	}
	upsert, err := tx.PrepareContext(ctx, upsertLevelSQL)
	if err != nil {
		return nil, fmt.Errorf("preparing the level upsert: %w", err)
	}
	defer func() { _ = upsert.Close() }()
	// Pick the changed levels first, so their results are allocated once
	// (a first sync of 100,000 levels changes them all).
	var todo []int
	for i, l := range in.Levels {
		if hash, ok := stored[levelKey{l.Location, l.SKU}]; !ok || hash != l.ContentHash {
			todo = append(todo, i)
		}
	}
	changed := make([]changedLevel, 0, len(todo))
	for _, i := range todo {
		l := in.Levels[i]
		k := levelKey{l.Location, l.SKU}
		if hash, ok := stored[k]; ok && hash == l.ContentHash {
			continue // the same level given twice
		}
		stored[k] = l.ContentHash
		ext := store.StockExternalID(l.Location, l.SKU)
		r, err := cs.commitDocument(ctx, t, in.MessageID, store.DocumentInput{
			Doctype: "stock_level", Sender: in.Dealer, ExternalID: ext,
			Body: l.Body, ContentHash: l.ContentHash, Deliveries: l.Deliveries,
		})
		if err != nil {
			return nil, fmt.Errorf("storing stock_level %q: %w", ext, err)
		}
		sl := store.StockLevel{
			Dealer: in.Dealer, Location: l.Location, SKU: l.SKU, Supplier: l.Supplier, SupplierSKU: l.SupplierSKU,
			OnHand: l.OnHand, Available: l.Available, Reserved: l.Reserved, OnOrder: l.OnOrder, Unit: l.Unit,
			AsOf: l.AsOf.UTC().Truncate(time.Microsecond), DocumentID: r.DocumentID, Version: r.Version, UpdatedAt: t,
		}
		// The projection follows the document even when the document was
		// already at this content (a projection behind its document).
		if _, err := upsert.ExecContext(ctx, sl.Dealer, sl.Location, sl.SKU, sl.Supplier, sl.SupplierSKU,
			sl.OnHand, sl.Available, sl.Reserved, sl.OnOrder, sl.Unit, us(sl.AsOf), sl.DocumentID, sl.Version,
			l.ContentHash, us(t)); err != nil {
			return nil, fmt.Errorf("storing the level %q: %w", ext, err)
		}
		if r.Changed {
			changed = append(changed, changedLevel{result: r, level: sl})
		}
	}
	return changed, nil
}

// syncSales versions each sales day and, for each that changed, replaces
// the stored lines of its document. It returns the changed days' results.
func syncSales(ctx context.Context, tx *sql.Tx, cs *writeStmts, t time.Time, in store.StockSync) ([]store.DocumentResult, error) {
	var out []store.DocumentResult
	var insert *sql.Stmt
	defer func() {
		if insert != nil {
			_ = insert.Close()
		}
	}()
	for _, d := range in.Sales {
		r, err := cs.commitDocument(ctx, t, in.MessageID, store.DocumentInput{
			Doctype: "sales_report", Sender: in.Dealer, ExternalID: d.ExternalID,
			Body: d.Body, ContentHash: d.ContentHash, Deliveries: d.Deliveries,
		})
		if err != nil {
			return nil, fmt.Errorf("storing sales_report %q: %w", d.ExternalID, err)
		}
		if !r.Changed {
			continue
		}
		out = append(out, r)
		if _, err := tx.ExecContext(ctx, `DELETE FROM sales_lines WHERE document_id = ?`, r.DocumentID); err != nil {
			return nil, fmt.Errorf("replacing the lines of %q: %w", d.ExternalID, err)
		}
		if insert == nil {
			if insert, err = tx.PrepareContext(ctx, upsertSalesLineSQL); err != nil {
				return nil, fmt.Errorf("preparing the sales line insert: %w", err)
			}
		}
		lines, err := sumSalesLines(d.Lines)
		if err != nil {
			return nil, fmt.Errorf("sales_report %q: %w", d.ExternalID, err)
		}
		for _, l := range lines {
			if _, err := insert.ExecContext(ctx, in.Dealer, d.Location, l.SKU, d.Date, l.Supplier, l.SupplierSKU,
				l.Quantity, l.Unit, r.DocumentID); err != nil {
				return nil, fmt.Errorf("storing the sales of %s on %s at %s: %w", l.SKU, d.Date, d.Location, err)
			}
		}
	}
	return out, nil
}

// sumSalesLines merges lines of the same SKU (one stored row per item and
// day), adding their quantities, in first-seen order.
func sumSalesLines(lines []store.SalesLineInput) ([]store.SalesLineInput, error) {
	at := make(map[string]int, len(lines))
	out := make([]store.SalesLineInput, 0, len(lines))
	for _, l := range lines {
		i, ok := at[l.SKU]
		if !ok {
			at[l.SKU] = len(out)
			out = append(out, l)
			continue
		}
		sum, err := store.SumDecimals(out[i].Quantity, l.Quantity)
		if err != nil {
			return nil, fmt.Errorf("sku %q: %w", l.SKU, err)
		}
		out[i].Quantity = sum
	}
	return out, nil
}
