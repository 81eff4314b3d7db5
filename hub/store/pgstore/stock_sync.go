package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

// Doctypes of the documents a stock sync versions.
const (
	doctypeStockLevel  = "stock_level"
	doctypeSalesReport = "sales_report"
)

// SyncStock stores a processed stock snapshot of s.Dealer in one
// transaction, following store.Store.SyncStock. The stored levels'
// hashes are read with one query on stock_levels' primary key; only the
// levels that differ are written, each step in one statement whatever
// their number (documents, versions, deliveries, projection, alerts), so
// an unchanged re-sync is that one read and a full one a handful of
// statements. Stock syncs and policy changes of one dealer queue behind a
// lock of their own.
func (s *Store) SyncStock(ctx context.Context, in store.StockSync) (store.StockSyncResult, error) {
	today, err := store.CheckToday(in.Today)
	if err == nil && in.Dealer == "" {
		err = fmt.Errorf("the dealer is empty")
	}
	if err != nil {
		return store.StockSyncResult{}, fmt.Errorf("syncing stock of message %s: %w", in.MessageID, err)
	}
	var res store.StockSyncResult
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		res, err = syncStock(ctx, tx, in, today)
		return err
	})
	if err != nil {
		return store.StockSyncResult{}, fmt.Errorf("syncing stock of %q (message %s): %w", in.Dealer, in.MessageID, err)
	}
	return res, nil
}

// syncStock is SyncStock inside its transaction.
func syncStock(ctx context.Context, tx pgx.Tx, in store.StockSync, today string) (store.StockSyncResult, error) {
	res := store.StockSyncResult{Levels: len(in.Levels), SalesDays: len(in.Sales)}
	if _, err := lockPendingMessage(ctx, tx, in.MessageID); err != nil {
		return res, err
	}
	if err := lockDealerStock(ctx, tx, in.Dealer); err != nil {
		return res, err
	}
	t := now()
	changed, err := changedLevels(ctx, tx, in.Dealer, in.Levels)
	if err != nil {
		return res, err
	}
	levelResults, err := commitLevels(ctx, tx, t, in, changed)
	if err != nil {
		return res, err
	}
	salesResults, err := commitSales(ctx, tx, t, in)
	if err != nil {
		return res, err
	}
	levels := make([]store.StockLevel, len(changed))
	for i, j := range changed {
		levels[i] = levelOf(in.Dealer, in.Levels[j])
	}
	if res.Raised, res.Resolved, err = evaluateLevels(ctx, tx, t, in.Dealer, today, levels); err != nil {
		return res, err
	}
	for _, r := range levelResults {
		if r.Changed {
			res.LevelsChanged++
			res.Changed = append(res.Changed, r)
		}
	}
	for _, r := range salesResults {
		if r.Changed {
			res.SalesChanged++
			res.Changed = append(res.Changed, r)
		}
	}
	ids := make([]string, len(res.Changed))
	for i, r := range res.Changed {
		ids[i] = r.DocumentID
	}
	if err := markDone(ctx, tx, t, in.MessageID, ids, in.Rejected); err != nil {
		return res, err
	}
	if in.Outbox != nil {
		if err := insertOutbox(ctx, tx, t, in.Outbox(res.Changed)...); err != nil {
			return res, err
		}
	}
	return res, nil
}

// lockDealerStock serialises the stock writes of one dealer (syncs and
// policy changes) until the transaction ends, so each reads the levels
// the previous one wrote.
func lockDealerStock(ctx context.Context, tx pgx.Tx, dealer string) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('dealerhub.stock.' || $1, 0))`,
		dealer); err != nil {
		return fmt.Errorf("locking the stock of %q: %w", dealer, err)
	}
	return nil
}

// levelKey is the key of a level within a dealer.
type levelKey struct{ location, sku string }

// changedLevels returns the indexes of the levels that are new or whose
// content hash differs from the stored level's, reading the dealer's
// stored hashes in one query. A (location, SKU) given twice is an error.
func changedLevels(ctx context.Context, tx pgx.Tx, dealer string, levels []store.StockLevelInput) ([]int, error) {
	if len(levels) == 0 {
		return nil, nil
	}
	seen := make(map[levelKey]int, len(levels))
	for i, l := range levels {
		k := levelKey{l.Location, l.SKU}
		if j, dup := seen[k]; dup {
			return nil, fmt.Errorf("level %d: item %q at %q is given twice (first at %d)", i, l.SKU, l.Location, j)
		}
		seen[k] = i
	}
	rows, err := tx.Query(ctx, `SELECT location, sku, content_hash FROM stock_levels WHERE dealer = $1`, dealer)
	if err != nil {
		return nil, fmt.Errorf("reading the stored levels: %w", err)
	}
	stored := make(map[levelKey]string, len(levels))
	var loc, sku, hash string
	if _, err := pgx.ForEachRow(rows, []any{&loc, &sku, &hash}, func() error {
		if _, ok := seen[levelKey{loc, sku}]; ok {
			stored[levelKey{loc, sku}] = hash
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("reading the stored levels: %w", err)
	}
	var changed []int
	for i, l := range levels {
		if h, ok := stored[levelKey{l.Location, l.SKU}]; !ok || h != l.ContentHash {
			changed = append(changed, i)
		}
	}
	return changed, nil
}

// levelOf is the StockLevel of an input level (without document fields).
func levelOf(dealer string, l store.StockLevelInput) store.StockLevel {
	return store.StockLevel{
		Dealer: dealer, Location: l.Location, SKU: l.SKU, Supplier: l.Supplier, SupplierSKU: l.SupplierSKU,
		OnHand: l.OnHand, Available: l.Available, Reserved: l.Reserved, OnOrder: l.OnOrder, Unit: l.Unit,
		AsOf: norm(l.AsOf),
	}
}

// commitLevels versions the stock_level documents of the changed levels
// and replaces their stored levels; it returns the document results in
// the order of changed.
func commitLevels(ctx context.Context, tx pgx.Tx, t time.Time, in store.StockSync, changed []int) ([]store.DocumentResult, error) {
	if len(changed) == 0 {
		return nil, nil
	}
	docs := make([]store.DocumentInput, len(changed))
	for i, j := range changed {
		l := in.Levels[j]
		docs[i] = store.DocumentInput{
			Doctype: doctypeStockLevel, Sender: in.Dealer, ExternalID: store.StockExternalID(l.Location, l.SKU),
			Body: l.Body, ContentHash: l.ContentHash, Deliveries: l.Deliveries,
		}
	}
	results, err := commitDocuments(ctx, tx, t, in.MessageID, doctypeStockLevel, in.Dealer, docs)
	if err != nil {
		return nil, err
	}
	if err := currentVersions(ctx, tx, doctypeStockLevel, in.Dealer, results); err != nil {
		return nil, err
	}
	if err := upsertLevels(ctx, tx, t, in, changed, results); err != nil {
		return nil, err
	}
	return results, nil
}

// currentVersions fills in the id and version of the unchanged results
// (a document already equal to its level, which the projection did not
// know yet) from the stored documents.
func currentVersions(ctx context.Context, tx pgx.Tx, doctype, sender string, results []store.DocumentResult) error {
	index := map[string]int{}
	var ext []string
	for i, r := range results {
		if !r.Changed {
			index[r.Input.ExternalID] = i
			ext = append(ext, r.Input.ExternalID)
		}
	}
	if len(ext) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT id, external_id, version FROM documents
		WHERE sender = $1 AND doctype = $2 AND external_id = ANY($3::text[])`, sender, doctype, ext)
	if err != nil {
		return fmt.Errorf("reading current %s versions: %w", doctype, err)
	}
	var (
		id, e   string
		version int
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &e, &version}, func() error {
		r := &results[index[e]]
		r.DocumentID, r.Version, r.Previous = id, version, version
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading current %s versions: %w", doctype, err)
	}
	return nil
}

// upsertLevels writes the stored levels of the changed inputs in one
// statement.
func upsertLevels(ctx context.Context, tx pgx.Tx, t time.Time, in store.StockSync, changed []int, results []store.DocumentResult) error {
	n := len(changed)
	locs, skus, sups, supSKUs := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	onHand, avail, reserved, onOrder := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	units, docIDs, hashes := make([]string, n), make([]string, n), make([]string, n)
	asOf, versions := make([]time.Time, n), make([]int32, n)
	for i, j := range changed {
		l := in.Levels[j]
		locs[i], skus[i], sups[i], supSKUs[i] = l.Location, l.SKU, l.Supplier, l.SupplierSKU
		onHand[i], avail[i], reserved[i], onOrder[i] = l.OnHand, l.Available, l.Reserved, l.OnOrder
		units[i], asOf[i], hashes[i] = l.Unit, norm(l.AsOf), l.ContentHash
		docIDs[i], versions[i] = results[i].DocumentID, int32(results[i].Version)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO stock_levels (dealer, location, sku, supplier, supplier_sku, on_hand,
			available, reserved, on_order, unit, as_of, document_id, version, content_hash, updated_at)
		SELECT $1, u.location, u.sku, u.supplier, u.supplier_sku, u.on_hand, u.available, u.reserved, u.on_order,
			u.unit, u.as_of, u.document_id, u.version, u.content_hash, $15
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
			$10::text[], $11::timestamptz[], $12::text[], $13::integer[], $14::text[])
			AS u(location, sku, supplier, supplier_sku, on_hand, available, reserved, on_order, unit, as_of,
				document_id, version, content_hash)
		ON CONFLICT (dealer, location, sku) DO UPDATE
		SET supplier = excluded.supplier, supplier_sku = excluded.supplier_sku, on_hand = excluded.on_hand,
			available = excluded.available, reserved = excluded.reserved, on_order = excluded.on_order,
			unit = excluded.unit, as_of = excluded.as_of, document_id = excluded.document_id,
			version = excluded.version, content_hash = excluded.content_hash, updated_at = excluded.updated_at`,
		in.Dealer, locs, skus, sups, supSKUs, onHand, avail, reserved, onOrder, units, asOf, docIDs, versions,
		hashes, t); err != nil {
		return fmt.Errorf("storing %d levels: %w", n, err)
	}
	return nil
}
