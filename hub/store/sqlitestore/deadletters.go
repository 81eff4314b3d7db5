package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

// execer is what a transaction offers for statements without rows.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// insertDeadLetter stores a dead letter inside tx.
func insertDeadLetter(ctx context.Context, tx execer, at time.Time, d store.DeadLetter) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO dead_letters (id, kind, ref_id, partner, receiver, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, newID(), d.Kind, d.RefID, d.Partner, d.Receiver, d.Reason, us(at)); err != nil {
		return fmt.Errorf("inserting %s dead letter: %w", d.Kind, err)
	}
	return nil
}

// resolveDeadLetters marks the open dead letters of a message or delivery
// resolved.
func resolveDeadLetters(ctx context.Context, tx execer, at time.Time, kind, refID string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE dead_letters SET resolved_at = ?
		WHERE ref_id = ? AND kind = ? AND resolved_at IS NULL`, us(at), refID, kind); err != nil {
		return fmt.Errorf("resolving dead letters: %w", err)
	}
	return nil
}

// deadLetterScope is the SQL condition for dead letters a partner may see.
const deadLetterScope = "partner = ? OR receiver = ?"

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
	text := `SELECT id, kind, ref_id, partner, receiver, reason, created_at, resolved_at FROM dead_letters` + q.sql()
	text += q.page("created_at", "id", true, limit)
	ds, err := collect(ctx, s.r, text, q.args, func(r rowScanner) (store.DeadLetter, error) {
		var (
			d        store.DeadLetter
			created  int64
			resolved sql.NullInt64
		)
		err := r.Scan(&d.ID, &d.Kind, &d.RefID, &d.Partner, &d.Receiver, &d.Reason, &created, &resolved)
		d.CreatedAt, d.ResolvedAt = fromUS(created), fromNullUS(resolved)
		return d, err
	})
	if err != nil {
		return nil, "", fmt.Errorf("listing dead letters: %w", err)
	}
	ds, next := store.TrimPage(ds, limit, func(d store.DeadLetter) (time.Time, string) { return d.CreatedAt, d.ID })
	return ds, next, nil
}

const notificationCols = `id, partner, type, title, link, data, created_at, alert_key, resolved_at`

func scanNotification(row rowScanner) (store.Notification, error) {
	var (
		n        store.Notification
		data     sql.NullString
		created  int64
		resolved sql.NullInt64
	)
	if err := row.Scan(&n.ID, &n.Partner, &n.Type, &n.Title, &n.Link, &data, &created, &n.Key, &resolved); err != nil {
		return store.Notification{}, err
	}
	if data.Valid && data.String != "" {
		n.Data = []byte(data.String)
	}
	n.CreatedAt, n.ResolvedAt = fromUS(created), fromNullUS(resolved)
	return n, nil
}

// insertNotification stores a notification with a new id and CreatedAt at.
// One with a Key is an alert: when an open one with the same (partner,
// type, key) exists, nothing is stored and that one is returned with
// stored false.
func insertNotification(ctx context.Context, q queryer, at time.Time, n store.Notification) (store.Notification, error) {
	out, _, err := addNotification(ctx, q, at, n)
	return out, err
}

// addNotification is insertNotification reporting whether it stored a row.
func addNotification(ctx context.Context, q queryer, at time.Time, n store.Notification) (out store.Notification, stored bool, err error) {
	if n.Key != "" {
		out, err = scanNotification(q.QueryRowContext(ctx, `SELECT `+notificationCols+` FROM notifications
			WHERE partner = ? AND type = ? AND alert_key = ? AND alert_key <> '' AND resolved_at IS NULL`,
			n.Partner, n.Type, n.Key))
		switch {
		case err == nil:
			return out, false, nil
		case !errors.Is(err, sql.ErrNoRows):
			return store.Notification{}, false, fmt.Errorf("looking for the open %s alert %q: %w", n.Type, n.Key, err)
		}
	}
	var data any
	if len(n.Data) > 0 {
		data = string(n.Data)
	}
	out, err = scanNotification(q.QueryRowContext(ctx, `INSERT INTO notifications (id, partner, type, title, link, data, created_at, alert_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+notificationCols,
		newID(), n.Partner, n.Type, n.Title, n.Link, data, us(at), n.Key))
	if err != nil {
		return store.Notification{}, false, fmt.Errorf("inserting %s notification: %w", n.Type, err)
	}
	return out, true, nil
}

// AddNotification stores a notification; the store sets ID and CreatedAt.
// Data, when set, must be JSON. One with a Key is an alert: while an open
// one with its (partner, type, key) exists, that one is returned and
// nothing is stored.
func (s *Store) AddNotification(ctx context.Context, n store.Notification) (store.Notification, error) {
	var out store.Notification
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = insertNotification(ctx, tx, now(), n)
		return err
	})
	if err != nil {
		return store.Notification{}, fmt.Errorf("adding notification for %q: %w", n.Partner, err)
	}
	return out, nil
}

// notificationScope is the SQL condition for notifications a partner may
// see.
const notificationScope = "partner = ?"

// ListNotifications returns notifications the scope may see, newest first;
// with f.Open, only those not resolved (records without a key never are).
func (s *Store) ListNotifications(ctx context.Context, scope store.Scope, f store.NotificationFilter) ([]store.Notification, string, error) {
	c, err := store.DecodeCursor(f.Cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing notifications: %w", err)
	}
	limit := store.PageLimit(f.Limit)
	var q query
	q.scope(scope, notificationScope)
	q.eq("type", f.Type)
	if f.Open {
		q.and("resolved_at IS NULL")
	}
	q.after(c, "created_at", "id", true)
	text := `SELECT ` + notificationCols + ` FROM notifications` + q.sql()
	text += q.page("created_at", "id", true, limit)
	ns, err := collect(ctx, s.r, text, q.args, scanNotification)
	if err != nil {
		return nil, "", fmt.Errorf("listing notifications: %w", err)
	}
	ns, next := store.TrimPage(ns, limit, func(n store.Notification) (time.Time, string) { return n.CreatedAt, n.ID })
	return ns, next, nil
}
