package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

// doctypePriceList is the doctype of a price list's header document.
const doctypePriceList = "price_list"

// PublishPriceList publishes a price-list message in one transaction,
// following the steps of store.Store.PublishPriceList:
//
//   - the lines are COPYed into price_list_lines as p.Write puts them, in a
//     savepoint, so that a header equal to the current version discards
//     them at once;
//   - the header document is versioned by commitDocument, as any document;
//   - a new version takes the chain's lock (supplier, currency), so
//     publications of one chain get their seq in commit order and each sees
//     its predecessor; then the diff, the notifications, the message's
//     completion and p.Outbox(result).
//
// Write is called exactly once: unlike other writes, a transaction that
// PostgreSQL aborts is not run again.
func (s *Store) PublishPriceList(ctx context.Context, p store.PriceListPublish) (store.PriceListResult, error) {
	if p.Write == nil {
		return store.PriceListResult{}, fmt.Errorf("publishing price list of message %s: no lines writer", p.MessageID)
	}
	today, err := store.CheckToday(p.Today)
	if err != nil {
		return store.PriceListResult{}, fmt.Errorf("publishing price list of message %s: %w", p.MessageID, err)
	}
	var res store.PriceListResult
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		res, err = publish(ctx, tx, p, today)
		return err
	})
	if err != nil {
		return store.PriceListResult{}, fmt.Errorf("publishing price list of message %s: %w", p.MessageID, err)
	}
	return res, nil
}

// publish is PublishPriceList inside its transaction.
func publish(ctx context.Context, tx pgx.Tx, p store.PriceListPublish, today string) (store.PriceListResult, error) {
	var res store.PriceListResult
	if _, err := lockPendingMessage(ctx, tx, p.MessageID); err != nil {
		return res, err
	}
	t := now()
	plID := newID()
	sp, err := tx.Begin(ctx)
	if err != nil {
		return res, fmt.Errorf("starting the lines' savepoint: %w", err)
	}
	lines, h, err := writeLines(ctx, sp, p, plID)
	if err != nil {
		return res, err
	}
	res.Document, err = commitDocument(ctx, sp, t, p.MessageID, store.DocumentInput{
		Doctype: doctypePriceList, Sender: p.Supplier, ExternalID: h.ExternalID,
		Body: h.Body, ContentHash: h.ContentHash, Deliveries: h.Deliveries,
	})
	if err != nil {
		return res, fmt.Errorf("storing price_list %q of %q: %w", h.ExternalID, p.Supplier, err)
	}
	if !res.Document.Changed {
		if err := sp.Rollback(ctx); err != nil {
			return res, fmt.Errorf("discarding the lines: %w", err)
		}
		return res, markDone(ctx, tx, t, p.MessageID, []string{res.Document.DocumentID}, h.Rejected)
	}
	if err := sp.Commit(ctx); err != nil {
		return res, fmt.Errorf("releasing the lines' savepoint: %w", err)
	}
	pl, err := insertPublication(ctx, tx, t, p, h, res.Document, plID, lines, today)
	if err != nil {
		return res, err
	}
	if pl.Diff, err = diffPublication(ctx, tx, pl, h.RejectedSKUs); err != nil {
		return res, err
	}
	if res.Notifications, err = notifyDealers(ctx, tx, t, pl); err != nil {
		return res, err
	}
	pl.Notified = make([]string, 0, len(res.Notifications))
	for _, n := range res.Notifications {
		pl.Notified = append(pl.Notified, n.Partner)
	}
	if err := updatePublication(ctx, tx, pl); err != nil {
		return res, err
	}
	res.PriceList = pl
	if err := markDone(ctx, tx, t, p.MessageID, []string{res.Document.DocumentID}, h.Rejected); err != nil {
		return res, err
	}
	if p.Outbox != nil {
		return res, insertOutbox(ctx, tx, t, p.Outbox(res)...)
	}
	return res, nil
}

// writeLines runs p.Write, streaming its batches into a COPY on tx, and
// returns the number of lines and the header. An error of Write is
// returned wrapped (with the COPY's own error, if it failed for another
// reason).
func writeLines(ctx context.Context, tx pgx.Tx, p store.PriceListPublish, plID string) (int, store.PriceListHeader, error) {
	c := startLineCopy(ctx, tx, plID)
	h, writeErr := p.Write(ctx, func(lines []store.PriceLine) error { return c.put(ctx, lines) })
	n, copyErr := c.finish(writeErr)
	switch {
	case writeErr != nil && copyErr != nil && !errors.Is(writeErr, store.ErrDuplicateLine):
		return 0, h, fmt.Errorf("writing the lines: %w", errors.Join(writeErr, copyErr))
	case writeErr != nil:
		return 0, h, fmt.Errorf("writing the lines: %w", writeErr)
	case copyErr != nil:
		return 0, h, copyErr
	}
	return int(n), h, store.CheckPriceListHeader(h)
}

// insertPublication stores the price_lists row of a new version, under
// the chain's lock, with its predecessor, and returns it with its status
// on today.
func insertPublication(ctx context.Context, tx pgx.Tx, t time.Time, p store.PriceListPublish, h store.PriceListHeader,
	doc store.DocumentResult, id string, lines int, today string) (store.PriceList, error) {
	// Publications of one chain queue here until the earlier one commits,
	// so seq follows commit order and the predecessor is visible.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('dealerhub.price_list.' || $1 || '|' || $2, 0))`,
		p.Supplier, h.Currency); err != nil {
		return store.PriceList{}, fmt.Errorf("locking the chain %s/%s: %w", p.Supplier, h.Currency, err)
	}
	var seq int64
	if err := tx.QueryRow(ctx, `INSERT INTO price_lists (id, document_id, version, supplier, external_id, currency,
			valid_from, valid_to, message_id, lines, diff, notified, header, published_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '{}', '[]', $11, $12)
		RETURNING seq`,
		id, doc.DocumentID, doc.Version, p.Supplier, h.ExternalID, h.Currency, h.ValidFrom, nullable(h.ValidTo),
		p.MessageID, lines, store.JSONBody(h.Body), t).Scan(&seq); err != nil {
		return store.PriceList{}, fmt.Errorf("inserting the publication: %w", err)
	}
	var pred string
	err := tx.QueryRow(ctx, `SELECT id FROM price_lists
		WHERE supplier = $1 AND currency = $2 AND seq < $3 AND valid_from <= $4
		ORDER BY seq DESC LIMIT 1`, p.Supplier, h.Currency, seq, h.ValidFrom).Scan(&pred)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return store.PriceList{}, fmt.Errorf("finding the predecessor: %w", err)
	}
	if pred != "" {
		if _, err := tx.Exec(ctx, `UPDATE price_lists SET predecessor = $2 WHERE id = $1`, id, pred); err != nil {
			return store.PriceList{}, fmt.Errorf("recording the predecessor: %w", err)
		}
	}
	pl, err := getPriceList(ctx, tx, store.OperatorScope(), "p.id", id, today)
	if err != nil {
		return store.PriceList{}, fmt.Errorf("reading the publication back: %w", err)
	}
	return pl, nil
}

// updatePublication stores the diff and the notified dealers.
func updatePublication(ctx context.Context, tx pgx.Tx, pl store.PriceList) error {
	diff, notified, err := pl.DiffColumns()
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE price_lists SET diff = $2, notified = $3 WHERE id = $1`,
		pl.ID, diff, notified); err != nil {
		return fmt.Errorf("recording the diff: %w", err)
	}
	return nil
}

// nullable is NULL for "".
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
