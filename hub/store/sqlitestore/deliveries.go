package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

const deliveryCols = `id, document_id, version, message_id, doctype, sender, receiver, channel, format,
	config, status, attempts, last_error, next_attempt_at, content_type, sent_body, created_at, updated_at,
	delivered_at`

func scanDelivery(row rowScanner) (store.Delivery, error) {
	var (
		d                      store.Delivery
		next, created, updated int64
		delivered              sql.NullInt64
	)
	if err := row.Scan(&d.ID, &d.DocumentID, &d.Version, &d.MessageID, &d.Doctype, &d.Sender, &d.Receiver,
		&d.Channel, &d.Format, &d.Config, &d.Status, &d.Attempts, &d.LastError, &next,
		&d.ContentType, &d.SentBody, &created, &updated, &delivered); err != nil {
		return store.Delivery{}, err
	}
	d.NextAttemptAt, d.CreatedAt, d.UpdatedAt = fromUS(next), fromUS(created), fromUS(updated)
	d.DeliveredAt = fromNullUS(delivered)
	return d, nil
}

// deliveryScope is the SQL condition for deliveries a partner may see.
const deliveryScope = "sender = ? OR receiver = ?"

// getDelivery reads one delivery within the scope.
func getDelivery(ctx context.Context, q queryer, scope store.Scope, id string) (store.Delivery, error) {
	var w query
	w.and("id = ?", id)
	w.scope(scope, deliveryScope)
	return scanDelivery(q.QueryRowContext(ctx, `SELECT `+deliveryCols+` FROM deliveries`+w.sql(), w.args...))
}

// GetDelivery returns a delivery; ErrNotFound if absent or outside the
// scope.
func (s *Store) GetDelivery(ctx context.Context, scope store.Scope, id string) (store.Delivery, error) {
	d, err := getDelivery(ctx, s.r, scope, id)
	if err != nil {
		return store.Delivery{}, notFound(err, fmt.Sprintf("getting delivery %s", id))
	}
	return d, nil
}

// ListDeliveries returns deliveries the scope may see (its partner is the
// sender or the receiver), newest first.
func (s *Store) ListDeliveries(ctx context.Context, scope store.Scope, f store.DeliveryFilter) ([]store.Delivery, string, error) {
	c, err := store.DecodeCursor(f.Cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing deliveries: %w", err)
	}
	limit := store.PageLimit(f.Limit)
	var q query
	q.scope(scope, deliveryScope)
	q.eq("status", string(f.Status))
	q.eq("channel", f.Channel)
	q.eq("receiver", f.Receiver)
	q.eq("document_id", f.DocumentID)
	q.eq("message_id", f.MessageID)
	q.after(c, "created_at", "id", true)
	text := `SELECT ` + deliveryCols + ` FROM deliveries` + q.sql()
	text += q.page("created_at", "id", true, limit)
	ds, err := collect(ctx, s.r, text, q.args, scanDelivery)
	if err != nil {
		return nil, "", fmt.Errorf("listing deliveries: %w", err)
	}
	ds, next := store.TrimPage(ds, limit, func(d store.Delivery) (time.Time, string) { return d.CreatedAt, d.ID })
	return ds, next, nil
}

// ClaimDelivery leases a delivery for an attempt until now+lease. It
// succeeds only for a delivery in pending or failed, on a channel other
// than inbox, with NextAttemptAt <= now and no live lease; otherwise it
// returns the delivery with claimed false (ErrNotFound if absent).
func (s *Store) ClaimDelivery(ctx context.Context, id string, now time.Time, lease time.Duration, watchdog *store.NewOutbox) (store.Delivery, bool, error) {
	var (
		out     store.Delivery
		claimed bool
	)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		d, err := scanDelivery(tx.QueryRowContext(ctx, `
			UPDATE deliveries SET lease_until = ?1
			WHERE id = ?2 AND status IN ('pending', 'failed') AND channel <> 'inbox'
				AND next_attempt_at <= ?3 AND lease_until <= ?3
			RETURNING `+deliveryCols, us(now.Add(lease)), id, us(now)))
		if err == nil {
			out, claimed = d, true
			if watchdog == nil {
				return nil
			}
			return s.insertOutbox(ctx, tx, now, *watchdog)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		out, err = getDelivery(ctx, tx, store.OperatorScope(), id)
		return err
	})
	if err != nil {
		return store.Delivery{}, false, notFound(err, fmt.Sprintf("claiming delivery %s", id))
	}
	return out, claimed, nil
}

// RecordDeliveryAttempt stores the outcome of a claimed attempt, in one
// transaction: it counts the attempt, keeps the bytes sent and their
// content type, releases the lease, and writes what
// store.DeliveryAttemptOutcome decides (status, last error, delivered_at,
// next attempt, a.Retry, and on Dead the dead letter and delivery_dead
// notification). A delivery already delivered or dead is ErrConflict.
func (s *Store) RecordDeliveryAttempt(ctx context.Context, a store.DeliveryAttempt) (store.Delivery, error) {
	var out store.Delivery
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		d, err := getDelivery(ctx, tx, store.OperatorScope(), a.DeliveryID)
		if err != nil {
			return notFound(err, "reading delivery")
		}
		t := now()
		o, err := store.DeliveryAttemptOutcome(d, a, t)
		if err != nil {
			return err
		}
		out, err = scanDelivery(tx.QueryRowContext(ctx, `UPDATE deliveries
			SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?, lease_until = 0,
				content_type = ?, sent_body = ?, delivered_at = ?, updated_at = ?
			WHERE id = ? RETURNING `+deliveryCols,
			string(o.Status), o.LastError, us(o.NextAttemptAt), a.ContentType, a.SentBody, nullUS(o.DeliveredAt),
			us(t), d.ID))
		if err != nil {
			return fmt.Errorf("updating delivery: %w", err)
		}
		if o.DeadLetter != nil {
			if err := insertDeadLetter(ctx, tx, t, *o.DeadLetter); err != nil {
				return err
			}
		}
		if o.Notification != nil {
			if _, err := insertNotification(ctx, tx, t, *o.Notification); err != nil {
				return err
			}
		}
		if o.Retry != nil {
			return s.insertOutbox(ctx, tx, t, *o.Retry)
		}
		return nil
	})
	if err != nil {
		return store.Delivery{}, fmt.Errorf("recording attempt of delivery %s: %w", a.DeliveryID, err)
	}
	return out, nil
}

// ReplayDelivery puts a dead or failed delivery back to pending, due now,
// with its attempts reset, lease and last error cleared; resolves its open
// dead letters and stores retry, in one transaction. ErrNotFound outside the
// scope; ErrConflict in any other status.
func (s *Store) ReplayDelivery(ctx context.Context, scope store.Scope, id string, retry store.NewOutbox) (store.Delivery, error) {
	var out store.Delivery
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		d, err := getDelivery(ctx, tx, scope, id)
		if err != nil {
			return notFound(err, "reading delivery")
		}
		if err := store.CheckDeliveryReplay(d.Status); err != nil {
			return err
		}
		t := now()
		out, err = scanDelivery(tx.QueryRowContext(ctx, `UPDATE deliveries
			SET status = ?1, attempts = 0, last_error = '', next_attempt_at = ?2, lease_until = 0, updated_at = ?2
			WHERE id = ?3 RETURNING `+deliveryCols, string(store.DeliveryPending), us(t), id))
		if err != nil {
			return fmt.Errorf("updating delivery: %w", err)
		}
		if err := resolveDeadLetters(ctx, tx, t, store.DeadLetterDelivery, id); err != nil {
			return err
		}
		return s.insertOutbox(ctx, tx, t, retry)
	})
	if err != nil {
		return store.Delivery{}, fmt.Errorf("replaying delivery %s: %w", id, err)
	}
	return out, nil
}

// ListInbox returns pending inbox deliveries addressed to partner, oldest
// first, each with the body of the document version it carries.
func (s *Store) ListInbox(ctx context.Context, partner string, p store.Page) ([]store.InboxItem, string, error) {
	c, err := store.DecodeCursor(p.Cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing inbox of %q: %w", partner, err)
	}
	limit := store.PageLimit(p.Limit)
	var q query
	q.and("x.channel = 'inbox'")
	q.and("x.status = 'pending'")
	q.and("x.receiver = ?", partner)
	q.after(c, "x.created_at", "x.id", false)
	text := `
		SELECT x.id, x.document_id, x.version, x.doctype, x.sender, d.external_id, v.body, x.created_at
		FROM deliveries x
		JOIN documents d ON d.id = x.document_id
		JOIN document_versions v ON v.document_id = x.document_id AND v.version = x.version` + q.sql()
	text += q.page("x.created_at", "x.id", false, limit)
	items, err := collect(ctx, s.r, text, q.args, func(r rowScanner) (store.InboxItem, error) {
		var (
			it      store.InboxItem
			body    string
			created int64
		)
		err := r.Scan(&it.DeliveryID, &it.DocumentID, &it.Version, &it.Doctype, &it.Sender, &it.ExternalID,
			&body, &created)
		it.Body = json.RawMessage(body)
		it.CreatedAt = fromUS(created)
		return it, err
	})
	if err != nil {
		return nil, "", fmt.Errorf("listing inbox of %q: %w", partner, err)
	}
	items, next := store.TrimPage(items, limit, func(it store.InboxItem) (time.Time, string) { return it.CreatedAt, it.DeliveryID })
	return items, next, nil
}

// AckInbox marks an inbox delivery delivered (delivered_at now, one
// attempt). Acknowledging twice returns the delivered row unchanged;
// ErrNotFound if it is not an inbox delivery addressed to partner.
func (s *Store) AckInbox(ctx context.Context, partner, deliveryID string) (store.Delivery, error) {
	var out store.Delivery
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		t := us(now())
		d, err := scanDelivery(tx.QueryRowContext(ctx, `UPDATE deliveries
			SET status = ?1, delivered_at = ?2, attempts = 1, last_error = '', updated_at = ?2
			WHERE id = ?3 AND receiver = ?4 AND channel = 'inbox' AND status = 'pending'
			RETURNING `+deliveryCols, string(store.DeliveryDelivered), t, deliveryID, partner))
		if err == nil {
			out = d
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		out, err = scanDelivery(tx.QueryRowContext(ctx, `SELECT `+deliveryCols+` FROM deliveries
			WHERE id = ? AND receiver = ? AND channel = 'inbox'`, deliveryID, partner))
		return err
	})
	if err != nil {
		return store.Delivery{}, notFound(err, fmt.Sprintf("acknowledging inbox delivery %s", deliveryID))
	}
	return out, nil
}
