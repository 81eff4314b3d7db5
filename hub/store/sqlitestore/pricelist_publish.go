package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

// PublishPriceList publishes a price-list message in one write
// transaction, following the steps of store.Store.PublishPriceList: the
// lines go to price_list_lines through one prepared INSERT as Write gives
// them, the header document is versioned like any document, and a changed
// list becomes a publication with its diff from the predecessor (walked
// page by page in SKU order, so neither list is held in memory), its
// dealers' notifications, the message's completion and p.Outbox's rows.
// Any error rolls everything back.
func (s *Store) PublishPriceList(ctx context.Context, p store.PriceListPublish) (store.PriceListResult, error) {
	today, err := store.CheckToday(p.Today)
	if err != nil {
		return store.PriceListResult{}, fmt.Errorf("publishing price list of %q: %w", p.Supplier, err)
	}
	if p.Supplier == "" || p.Write == nil {
		return store.PriceListResult{}, fmt.Errorf("publishing price list of message %s: a supplier and a Write function are required", p.MessageID)
	}
	var res store.PriceListResult
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = s.publish(ctx, tx, p, today)
		return err
	})
	if err != nil {
		return store.PriceListResult{}, fmt.Errorf("publishing price list of %q (message %s): %w", p.Supplier, p.MessageID, err)
	}
	return res, nil
}

// publish is PublishPriceList inside its transaction.
func (s *Store) publish(ctx context.Context, tx *sql.Tx, p store.PriceListPublish, today string) (store.PriceListResult, error) {
	var res store.PriceListResult
	if err := checkFinish(ctx, tx, p.MessageID); err != nil {
		return res, err
	}
	plID := newID()
	header, lines, err := writeLines(ctx, tx, plID, p.Write)
	if err != nil {
		return res, err
	}
	if err := store.CheckPriceListHeader(header); err != nil {
		return res, err
	}
	cs := s.stmts.in(ctx, tx)
	defer cs.close()
	t := now()
	doc, err := cs.commitDocument(ctx, t, p.MessageID, store.DocumentInput{
		Doctype: "price_list", Sender: p.Supplier, ExternalID: header.ExternalID,
		Body: header.Body, ContentHash: header.ContentHash, Deliveries: header.Deliveries,
	})
	if err != nil {
		return res, fmt.Errorf("storing price_list %q: %w", header.ExternalID, err)
	}
	res.Document = doc
	if !doc.Changed {
		if _, err := tx.ExecContext(ctx, `DELETE FROM price_list_lines WHERE price_list_id = ?`, plID); err != nil {
			return res, fmt.Errorf("discarding the lines of an unchanged list: %w", err)
		}
		return res, finishMessage(ctx, tx, t, p.MessageID, []string{doc.DocumentID}, header.Rejected)
	}
	pl := store.PriceList{
		ID: plID, DocumentID: doc.DocumentID, Version: doc.Version, Supplier: p.Supplier,
		ExternalID: header.ExternalID, Currency: header.Currency, ValidFrom: header.ValidFrom,
		ValidTo: header.ValidTo, MessageID: p.MessageID, Lines: lines, Notified: []string{},
		Header: json.RawMessage(store.JSONBody(header.Body)), PublishedAt: t,
	}
	seq, err := insertPriceList(ctx, tx, &pl)
	if err != nil {
		return res, err
	}
	if pl.Status, err = chainStatus(ctx, tx, pl, today); err != nil {
		return res, err
	}
	if pl.Predecessor == "" {
		pl.Diff.First = true
	} else if pl.Diff.Counts, err = diffFrom(ctx, tx, pl.Predecessor, plID, header.RejectedSKUs); err != nil {
		return res, err
	}
	if !pl.Diff.First && pl.Diff.Changes() > 0 {
		if res.Notifications, err = notifyDealers(ctx, tx, t, pl); err != nil {
			return res, err
		}
		for _, n := range res.Notifications {
			pl.Notified = append(pl.Notified, n.Partner)
		}
	}
	if err := updatePriceListDiff(ctx, tx, seq, pl); err != nil {
		return res, err
	}
	if err := finishMessage(ctx, tx, t, p.MessageID, []string{doc.DocumentID}, header.Rejected); err != nil {
		return res, err
	}
	res.PriceList = pl
	if p.Outbox != nil {
		if err := cs.insertOutboxRows(ctx, t, p.Outbox(res)...); err != nil {
			return res, err
		}
	}
	return res, nil
}

// insertPriceList finds the new publication's predecessor (the chain's
// last publication whose valid_from is not after the new one's), sets it
// on pl and inserts pl, whose diff and notified are set later. It returns
// the row's seq.
func insertPriceList(ctx context.Context, tx *sql.Tx, pl *store.PriceList) (int64, error) {
	var pred sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT id FROM price_lists
		WHERE supplier = ? AND currency = ? AND valid_from <= ?
		ORDER BY seq DESC LIMIT 1`, pl.Supplier, pl.Currency, pl.ValidFrom).Scan(&pred)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("finding the predecessor: %w", err)
	}
	pl.Predecessor = pred.String
	var seq int64
	err = tx.QueryRowContext(ctx, `INSERT INTO price_lists (id, document_id, version, supplier, external_id,
		currency, valid_from, valid_to, message_id, lines, predecessor, diff, header, published_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?) RETURNING seq`,
		pl.ID, pl.DocumentID, pl.Version, pl.Supplier, pl.ExternalID, pl.Currency, pl.ValidFrom,
		nullString(pl.ValidTo), pl.MessageID, pl.Lines, nullString(pl.Predecessor), string(pl.Header),
		us(pl.PublishedAt)).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("inserting the publication: %w", err)
	}
	return seq, nil
}

// updatePriceListDiff stores the publication's diff and notified dealers.
func updatePriceListDiff(ctx context.Context, tx *sql.Tx, seq int64, pl store.PriceList) error {
	diff, notified, err := pl.DiffColumns()
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE price_lists SET diff = ?, notified = ? WHERE seq = ?`,
		string(diff), string(notified), seq); err != nil {
		return fmt.Errorf("storing the diff: %w", err)
	}
	return nil
}

// nullString stores "" as NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// diffFrom walks the lines of the predecessor (prev) and the new list
// (next) in SKU order and stores each change, numbered from 1 in the
// order Walk emits them.
func diffFrom(ctx context.Context, tx *sql.Tx, prev, next string, rejectedSKUs []string) (pricelist.Counts, error) {
	read, err := tx.PrepareContext(ctx, `SELECT sku, unit, unit_price, min_quantity, tiers, body
		FROM price_list_lines WHERE price_list_id = ? AND sku > ? ORDER BY sku LIMIT ?`)
	if err != nil {
		return pricelist.Counts{}, fmt.Errorf("preparing the line reader: %w", err)
	}
	defer func() { _ = read.Close() }()
	insert, err := tx.PrepareContext(ctx, `INSERT INTO price_list_changes (price_list_id, seq, sku, kind, body)
		VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return pricelist.Counts{}, fmt.Errorf("preparing the change insert: %w", err)
	}
	defer func() { _ = insert.Close() }()
	var readers [2]*store.LineReader
	for i, id := range []string{prev, next} {
		var header string
		if err := tx.QueryRowContext(ctx, `SELECT header FROM price_lists WHERE id = ?`, id).Scan(&header); err != nil {
			return pricelist.Counts{}, fmt.Errorf("reading the header of %s: %w", id, err)
		}
		if readers[i], err = store.NewLineReader(id, []byte(header), fetchLines(ctx, read, id)); err != nil {
			return pricelist.Counts{}, err
		}
	}
	seq := 0
	return store.DiffLists(readers[0], readers[1], rejectedSKUs, func(c pricelist.Change) error {
		body, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("encoding the change of SKU %q: %w", c.SKU, err)
		}
		seq++
		if _, err := insert.ExecContext(ctx, next, seq, c.SKU, string(c.Kind), string(body)); err != nil {
			return fmt.Errorf("storing the change of SKU %q: %w", c.SKU, err)
		}
		return nil
	})
}

// fetchLines reads a page of publication id's lines through read (the
// prepared keyset query) for store.LineReader. The page is read whole, so
// no query is open while the changes are stored.
func fetchLines(ctx context.Context, read *sql.Stmt, id string) store.FetchLines {
	return func(after string, limit int, each func(store.LineRow) error) error {
		rows, err := read.QueryContext(ctx, id, after, limit)
		if err != nil {
			return err
		}
		defer func() { _ = rows.Close() }()
		for rows.Next() {
			var (
				r     store.LineRow
				tiers sql.NullString
			)
			if err := rows.Scan(&r.SKU, &r.Unit, &r.UnitPrice, &r.MinQuantity, &tiers, &r.Body); err != nil {
				return err
			}
			if tiers.Valid {
				r.Tiers = []byte(tiers.String)
			}
			if err := each(r); err != nil {
				return err
			}
		}
		return rows.Err()
	}
}
