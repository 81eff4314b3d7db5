package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

const deliveryCols = `id, document_id, version, message_id, doctype, sender, receiver, channel, format,
	config, status, attempts, last_error, next_attempt_at, content_type, sent_body, created_at, updated_at,
	delivered_at`

func scanDelivery(row pgx.Row) (store.Delivery, error) {
	var d store.Delivery
	if err := row.Scan(&d.ID, &d.DocumentID, &d.Version, &d.MessageID, &d.Doctype, &d.Sender, &d.Receiver,
		&d.Channel, &d.Format, &d.Config, &d.Status, &d.Attempts, &d.LastError, &d.NextAttemptAt,
		&d.ContentType, &d.SentBody, &d.CreatedAt, &d.UpdatedAt, &d.DeliveredAt); err != nil {
		return store.Delivery{}, err
	}
	d.NextAttemptAt, d.CreatedAt, d.UpdatedAt = d.NextAttemptAt.UTC(), d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	d.DeliveredAt = utcPtr(d.DeliveredAt)
	return d, nil
}

// deliveryScope is the SQL condition for deliveries a partner may see.
func deliveryScope(p string) string { return "sender = " + p + " OR receiver = " + p }

// GetDelivery returns a delivery; ErrNotFound if absent or outside the
// scope.
func (s *Store) GetDelivery(ctx context.Context, scope store.Scope, id string) (store.Delivery, error) {
	var q query
	q.and("id = " + q.arg(id))
	q.scope(scope, deliveryScope)
	d, err := scanDelivery(s.pool.QueryRow(ctx, `SELECT `+deliveryCols+` FROM deliveries`+q.sql(), q.args...))
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
	rows, err := s.pool.Query(ctx, `SELECT `+deliveryCols+` FROM deliveries`+q.sql()+
		q.page("created_at", "id", true, limit), q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("listing deliveries: %w", err)
	}
	ds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Delivery, error) { return scanDelivery(r) })
	if err != nil {
		return nil, "", fmt.Errorf("listing deliveries: %w", err)
	}
	ds, next := store.TrimPage(ds, limit, func(d store.Delivery) (time.Time, string) { return d.CreatedAt, d.ID })
	return ds, next, nil
}

// ClaimDelivery leases a delivery for an attempt until now+lease. It
// succeeds only for a delivery in pending or failed, on a channel other
// than inbox, with NextAttemptAt <= now and no live lease; otherwise it
// returns the delivery with claimed false (ErrNotFound if absent). Of
// concurrent claimers exactly one wins: the conditional update re-checks the
// lease after waiting for the row lock.
func (s *Store) ClaimDelivery(ctx context.Context, id string, now time.Time, lease time.Duration, watchdog *store.NewOutbox) (store.Delivery, bool, error) {
	now = norm(now)
	var d store.Delivery
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		d, err = scanDelivery(tx.QueryRow(ctx, `
			UPDATE deliveries SET lease_until = $3
			WHERE id = $1 AND status IN ('pending', 'failed') AND channel <> 'inbox'
				AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
			RETURNING `+deliveryCols, id, now, norm(now.Add(lease))))
		if err != nil || watchdog == nil {
			return err
		}
		return insertOutbox(ctx, tx, now, *watchdog)
	})
	if err == nil {
		return d, true, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return store.Delivery{}, false, fmt.Errorf("claiming delivery %s: %w", id, err)
	}
	d, err = scanDelivery(s.pool.QueryRow(ctx, `SELECT `+deliveryCols+` FROM deliveries WHERE id = $1`, id))
	if err != nil {
		return store.Delivery{}, false, notFound(err, fmt.Sprintf("claiming delivery %s", id))
	}
	return d, false, nil
}

// RecordDeliveryAttempt stores the outcome of a claimed attempt, in one
// transaction: it counts the attempt, keeps the bytes sent and their
// content type, releases the lease, and writes what
// store.DeliveryAttemptOutcome decides (status, last error, delivered_at,
// next attempt, a.Retry, and on Dead the dead letter and delivery_dead
// notification). A delivery already delivered or dead is ErrConflict.
func (s *Store) RecordDeliveryAttempt(ctx context.Context, a store.DeliveryAttempt) (store.Delivery, error) {
	var out store.Delivery
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		d, err := scanDelivery(tx.QueryRow(ctx, `SELECT `+deliveryCols+` FROM deliveries WHERE id = $1 FOR UPDATE`,
			a.DeliveryID))
		if err != nil {
			return notFound(err, "locking delivery")
		}
		t := now()
		o, err := store.DeliveryAttemptOutcome(d, a, t)
		if err != nil {
			return err
		}
		out, err = scanDelivery(tx.QueryRow(ctx, `UPDATE deliveries
			SET status = $2, attempts = attempts + 1, last_error = $3, next_attempt_at = $4, lease_until = NULL,
				content_type = $5, sent_body = $6, delivered_at = $7, updated_at = $8
			WHERE id = $1 RETURNING `+deliveryCols,
			d.ID, o.Status, o.LastError, o.NextAttemptAt, a.ContentType, a.SentBody, o.DeliveredAt, t))
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
			return insertOutbox(ctx, tx, t, *o.Retry)
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
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var q query
		q.and("id = " + q.arg(id))
		q.scope(scope, deliveryScope)
		d, err := scanDelivery(tx.QueryRow(ctx, `SELECT `+deliveryCols+` FROM deliveries`+q.sql()+` FOR UPDATE`,
			q.args...))
		if err != nil {
			return notFound(err, "locking delivery")
		}
		if err := store.CheckDeliveryReplay(d.Status); err != nil {
			return err
		}
		t := now()
		out, err = scanDelivery(tx.QueryRow(ctx, `UPDATE deliveries
			SET status = $2, attempts = 0, last_error = '', next_attempt_at = $3, lease_until = NULL, updated_at = $3
			WHERE id = $1 RETURNING `+deliveryCols, id, store.DeliveryPending, t))
		if err != nil {
			return fmt.Errorf("updating delivery: %w", err)
		}
		if err := resolveDeadLetters(ctx, tx, t, store.DeadLetterDelivery, id); err != nil {
			return err
		}
		return insertOutbox(ctx, tx, t, retry)
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
	q.and("x.receiver = " + q.arg(partner))
	q.after(c, "x.created_at", "x.id", false)
	rows, err := s.pool.Query(ctx, `
		SELECT x.id, x.document_id, x.version, x.doctype, x.sender, d.external_id, v.body, x.created_at
		FROM deliveries x
		JOIN documents d ON d.id = x.document_id
		JOIN document_versions v ON v.document_id = x.document_id AND v.version = x.version`+
		q.sql()+q.page("x.created_at", "x.id", false, limit), q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("listing inbox of %q: %w", partner, err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.InboxItem, error) {
		var (
			it   store.InboxItem
			body []byte
		)
		err := r.Scan(&it.DeliveryID, &it.DocumentID, &it.Version, &it.Doctype, &it.Sender, &it.ExternalID,
			&body, &it.CreatedAt)
		it.Body = body
		it.CreatedAt = it.CreatedAt.UTC()
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
	t := now()
	d, err := scanDelivery(s.pool.QueryRow(ctx, `UPDATE deliveries
		SET status = $3, delivered_at = $4, attempts = 1, last_error = '', updated_at = $4
		WHERE id = $1 AND receiver = $2 AND channel = 'inbox' AND status = 'pending'
		RETURNING `+deliveryCols, deliveryID, partner, store.DeliveryDelivered, t))
	if err == nil {
		return d, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return store.Delivery{}, fmt.Errorf("acknowledging inbox delivery %s: %w", deliveryID, err)
	}
	d, err = scanDelivery(s.pool.QueryRow(ctx, `SELECT `+deliveryCols+` FROM deliveries
		WHERE id = $1 AND receiver = $2 AND channel = 'inbox'`, deliveryID, partner))
	if err != nil {
		return store.Delivery{}, notFound(err, fmt.Sprintf("acknowledging inbox delivery %s", deliveryID))
	}
	return d, nil
}
