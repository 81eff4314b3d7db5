package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

// insertDeadLetter stores a dead letter inside tx.
func insertDeadLetter(ctx context.Context, tx pgx.Tx, at time.Time, d store.DeadLetter) error {
	if _, err := tx.Exec(ctx, `INSERT INTO dead_letters (id, kind, ref_id, partner, receiver, reason, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, newID(), d.Kind, d.RefID, d.Partner, d.Receiver, d.Reason, at); err != nil {
		return fmt.Errorf("inserting %s dead letter: %w", d.Kind, err)
	}
	return nil
}

// resolveDeadLetters marks the open dead letters of a message or delivery
// resolved.
func resolveDeadLetters(ctx context.Context, tx pgx.Tx, at time.Time, kind, refID string) error {
	if _, err := tx.Exec(ctx, `UPDATE dead_letters SET resolved_at = $3
		WHERE ref_id = $2 AND kind = $1 AND resolved_at IS NULL`, kind, refID, at); err != nil {
		return fmt.Errorf("resolving dead letters: %w", err)
	}
	return nil
}

// deadLetterScope is the SQL condition for dead letters a partner may see.
func deadLetterScope(p string) string { return "partner = " + p + " OR receiver = " + p }

// ListDeadLetters returns dead letters the scope may see (its partner is
// the letter's partner or receiver), newest first; resolved ones only when
// f.IncludeResolved.
func (s *Store) ListDeadLetters(ctx context.Context, scope store.Scope, f store.DeadLetterFilter) ([]store.DeadLetter, string, error) {
	c, err := store.DecodeCursor(f.Cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing dead letters: %w", err)
	}
	limit := store.PageLimit(f.Limit)
	var q query
	q.scope(scope, deadLetterScope)
	q.eq("kind", f.Kind)
	if !f.IncludeResolved {
		q.and("resolved_at IS NULL")
	}
	q.after(c, "created_at", "id", true)
	rows, err := s.pool.Query(ctx, `SELECT id, kind, ref_id, partner, receiver, reason, created_at, resolved_at
		FROM dead_letters`+q.sql()+q.page("created_at", "id", true, limit), q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("listing dead letters: %w", err)
	}
	ds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.DeadLetter, error) {
		var d store.DeadLetter
		err := r.Scan(&d.ID, &d.Kind, &d.RefID, &d.Partner, &d.Receiver, &d.Reason, &d.CreatedAt, &d.ResolvedAt)
		d.CreatedAt = d.CreatedAt.UTC()
		d.ResolvedAt = utcPtr(d.ResolvedAt)
		return d, err
	})
	if err != nil {
		return nil, "", fmt.Errorf("listing dead letters: %w", err)
	}
	ds, next := store.TrimPage(ds, limit, func(d store.DeadLetter) (time.Time, string) { return d.CreatedAt, d.ID })
	return ds, next, nil
}

// querier is what both the pool and a transaction offer.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

const notificationCols = `id, partner, type, title, link, data, created_at, alert_key, resolved_at`

func scanNotification(row pgx.Row) (store.Notification, error) {
	var (
		n    store.Notification
		data []byte
	)
	if err := row.Scan(&n.ID, &n.Partner, &n.Type, &n.Title, &n.Link, &data, &n.CreatedAt, &n.Key,
		&n.ResolvedAt); err != nil {
		return store.Notification{}, err
	}
	if len(data) > 0 {
		n.Data = data
	}
	n.CreatedAt = n.CreatedAt.UTC()
	n.ResolvedAt = utcPtr(n.ResolvedAt)
	return n, nil
}

// notificationData is a notification's data as the jsonb parameter: NULL
// when empty.
func notificationData(n store.Notification) any {
	if len(n.Data) == 0 {
		return nil
	}
	return string(n.Data)
}

// insertNotification stores a notification with a new id and CreatedAt at.
// An alert (n.Key set) whose (partner, type, key) is already open is not
// stored: the error is then pgx.ErrNoRows (see raiseAlert).
func insertNotification(ctx context.Context, q querier, at time.Time, n store.Notification) (store.Notification, error) {
	out, err := scanNotification(q.QueryRow(ctx, `INSERT INTO notifications (id, partner, type, title, link, data,
			created_at, alert_key)
		VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
		ON CONFLICT (partner, type, alert_key) WHERE alert_key <> '' AND resolved_at IS NULL DO NOTHING
		RETURNING `+notificationCols,
		newID(), n.Partner, n.Type, n.Title, n.Link, notificationData(n), at, n.Key))
	if err != nil {
		return store.Notification{}, fmt.Errorf("inserting %s notification: %w", n.Type, err)
	}
	return out, nil
}

// AddNotification stores a notification; the store sets ID and CreatedAt.
// Data, when set, must be JSON. One with a Key is an alert: when an open
// one with its (partner, type, key) exists, that one is returned and
// nothing is stored.
func (s *Store) AddNotification(ctx context.Context, n store.Notification) (store.Notification, error) {
	if n.Key != "" {
		out, _, err := s.RaiseAlert(ctx, n)
		return out, err
	}
	return insertNotification(ctx, s.pool, now(), n)
}

// ListNotifications returns the scope's notifications, newest first;
// f.Open keeps those not resolved (records without a key never are).
func (s *Store) ListNotifications(ctx context.Context, scope store.Scope, f store.NotificationFilter) ([]store.Notification, string, error) {
	c, err := store.DecodeCursor(f.Cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing notifications: %w", err)
	}
	limit := store.PageLimit(f.Limit)
	var q query
	q.scope(scope, func(p string) string { return "partner = " + p })
	q.eq("type", f.Type)
	if f.Open {
		q.and("resolved_at IS NULL")
	}
	q.after(c, "created_at", "id", true)
	rows, err := s.pool.Query(ctx, `SELECT `+notificationCols+` FROM notifications`+q.sql()+
		q.page("created_at", "id", true, limit), q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("listing notifications: %w", err)
	}
	ns, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Notification, error) { return scanNotification(r) })
	if err != nil {
		return nil, "", fmt.Errorf("listing notifications: %w", err)
	}
	ns, next := store.TrimPage(ns, limit, func(n store.Notification) (time.Time, string) { return n.CreatedAt, n.ID })
	return ns, next, nil
}
