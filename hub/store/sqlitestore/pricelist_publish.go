package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

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
	today, err := checkToday(p.Today)
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
	if err := checkHeader(header); err != nil {
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

// checkToday returns today, or the store's date in UTC when it is empty,
// and refuses anything but a YYYY-MM-DD date (statuses compare dates as
// text).
func checkToday(today string) (string, error) {
	if today == "" {
		return store.Today(time.Now()), nil
	}
	if _, err := time.Parse(time.DateOnly, today); err != nil {
		return "", fmt.Errorf("today %q is not a YYYY-MM-DD date", today)
	}
	return today, nil
}

// checkHeader refuses a header whose dates are not YYYY-MM-DD: chains and
// statuses compare them as text.
func checkHeader(h store.PriceListHeader) error {
	if _, err := time.Parse(time.DateOnly, h.ValidFrom); err != nil {
		return fmt.Errorf("price list header: valid_from %q is not a YYYY-MM-DD date", h.ValidFrom)
	}
	if h.ValidTo != "" {
		if _, err := time.Parse(time.DateOnly, h.ValidTo); err != nil {
			return fmt.Errorf("price list header: valid_to %q is not a YYYY-MM-DD date", h.ValidTo)
		}
	}
	return nil
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
	diff, err := json.Marshal(pl.Diff)
	if err != nil {
		return fmt.Errorf("encoding the diff: %w", err)
	}
	notified, err := json.Marshal(pl.Notified)
	if err != nil {
		return fmt.Errorf("encoding the notified dealers: %w", err)
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

// diffPage is how many lines of each list the diff reads at a time.
const diffPage = 2000

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
	var rejected func(string) bool
	if len(rejectedSKUs) > 0 {
		set := make(map[string]bool, len(rejectedSKUs))
		for _, sku := range rejectedSKUs {
			set[sku] = true
		}
		rejected = func(sku string) bool { return set[sku] }
	}
	seq := 0
	cur := &lineReader{ctx: ctx, stmt: read, id: prev}
	nxt := &lineReader{ctx: ctx, stmt: read, id: next}
	for _, r := range []*lineReader{cur, nxt} {
		var header string
		if err := tx.QueryRowContext(ctx, `SELECT header FROM price_lists WHERE id = ?`, r.id).Scan(&header); err != nil {
			return pricelist.Counts{}, fmt.Errorf("reading the header of %s: %w", r.id, err)
		}
		if r.listIncluded, r.listRate, err = pricelist.ParseTax([]byte(header)); err != nil {
			return pricelist.Counts{}, fmt.Errorf("reading the tax basis of %s: %w", r.id, err)
		}
	}
	counts, err := pricelist.Walk(cur.next, nxt.next, rejected, func(c pricelist.Change) error {
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
	if err != nil {
		return counts, fmt.Errorf("comparing with the predecessor %s: %w", prev, err)
	}
	return counts, nil
}

// lineReader reads one list's lines in SKU order, a page at a time by
// keyset. Each page is read whole before its lines are handed out, so no
// query is open while the changes are stored. SKUs are never empty (put
// refuses them), so the first page starts after "".
type lineReader struct {
	ctx  context.Context
	stmt *sql.Stmt
	id   string
	// listIncluded and listRate are the list header's tax basis, which a
	// line without its own takes.
	listIncluded, listRate string
	page                   []pricelist.Line
	i                      int
	done                   bool
}

// next is a pricelist.Iter.
func (r *lineReader) next() (pricelist.Line, bool, error) {
	if r.i == len(r.page) {
		if r.done {
			return pricelist.Line{}, false, nil
		}
		if err := r.fill(); err != nil {
			return pricelist.Line{}, false, err
		}
		if len(r.page) == 0 {
			return pricelist.Line{}, false, nil
		}
	}
	r.i++
	return r.page[r.i-1], true, nil
}

// fill reads the page after the last SKU read.
func (r *lineReader) fill() error {
	after := ""
	if len(r.page) > 0 {
		after = r.page[len(r.page)-1].SKU
	}
	rows, err := r.stmt.QueryContext(r.ctx, r.id, after, diffPage)
	if err != nil {
		return fmt.Errorf("reading lines of %s after %q: %w", r.id, after, err)
	}
	defer func() { _ = rows.Close() }()
	r.page, r.i = r.page[:0], 0
	for rows.Next() {
		var (
			l     pricelist.Line
			tiers sql.NullString
			body  []byte
		)
		if err := rows.Scan(&l.SKU, &l.Unit, &l.UnitPrice, &l.MinQuantity, &tiers, &body); err != nil {
			return fmt.Errorf("reading lines of %s: %w", r.id, err)
		}
		var err error
		if l.TaxIncluded, l.TaxRate, err = pricelist.ParseTax(body); err != nil {
			return fmt.Errorf("reading the tax basis of SKU %q: %w", l.SKU, err)
		}
		l = l.WithListTax(r.listIncluded, r.listRate)
		if tiers.Valid {
			if err := json.Unmarshal([]byte(tiers.String), &l.Tiers); err != nil {
				return fmt.Errorf("decoding the tiers of SKU %q: %w", l.SKU, err)
			}
		}
		r.page = append(r.page, l)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading lines of %s: %w", r.id, err)
	}
	r.done = len(r.page) < diffPage
	return nil
}
