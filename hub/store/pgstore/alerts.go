package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dealerhub/dealerhub/hub/store"
)

// RaiseAlert stores n (Key required) unless an open alert with its
// (partner, type, key) exists, which is then returned with raised false.
// The partial unique index notifications_open_alert_idx decides, so two
// concurrent raises store one alert.
func (s *Store) RaiseAlert(ctx context.Context, n store.Notification) (store.Notification, bool, error) {
	if n.Key == "" {
		return store.Notification{}, false, fmt.Errorf("raising %s alert of %q: the key is empty", n.Type, n.Partner)
	}
	// The open alert found by the insert may be resolved before it is
	// read; then the next round stores a new one.
	for range 5 {
		out, err := insertNotification(ctx, s.pool, now(), n)
		if err == nil {
			return out, true, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return store.Notification{}, false, fmt.Errorf("raising %s alert %q of %q: %w", n.Type, n.Key, n.Partner, err)
		}
		out, err = scanNotification(s.pool.QueryRow(ctx, `SELECT `+notificationCols+` FROM notifications
			WHERE partner = $1 AND type = $2 AND alert_key = $3 AND resolved_at IS NULL`, n.Partner, n.Type, n.Key))
		if err == nil {
			return out, false, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return store.Notification{}, false, fmt.Errorf("reading open %s alert %q of %q: %w", n.Type, n.Key, n.Partner, err)
		}
	}
	return store.Notification{}, false, fmt.Errorf("raising %s alert %q of %q: resolved and raised again too often: %w",
		n.Type, n.Key, n.Partner, store.ErrConflict)
}

// ResolveAlert marks the open alert (partner, typ, key) resolved at at
// (the store's clock when zero); resolved is false when none was open.
func (s *Store) ResolveAlert(ctx context.Context, partner, typ, key string, at time.Time) (bool, error) {
	if at.IsZero() {
		at = now()
	}
	n, err := resolveAlerts(ctx, s.pool, norm(at), partner, typ, []string{key})
	if err != nil {
		return false, fmt.Errorf("resolving %s alert %q of %q: %w", typ, key, partner, err)
	}
	return n > 0, nil
}

// execer is what both the pool and a transaction offer for statements.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// resolveAlerts resolves the open alerts of a partner and type with the
// given keys in one statement and returns how many it resolved.
func resolveAlerts(ctx context.Context, q execer, at time.Time, partner, typ string, keys []string) (int, error) {
	if len(keys) == 0 {
		return 0, nil
	}
	tag, err := q.Exec(ctx, `UPDATE notifications SET resolved_at = $4
		WHERE partner = $1 AND type = $2 AND alert_key = ANY($3::text[]) AND alert_key <> '' AND resolved_at IS NULL`,
		partner, typ, keys, at)
	if err != nil {
		return 0, fmt.Errorf("resolving %d alerts: %w", len(keys), err)
	}
	return int(tag.RowsAffected()), nil
}

// raiseAlerts stores, in one statement, each alert of ns whose (partner,
// type, key) has no open alert, and returns those stored in the order of
// ns.
func raiseAlerts(ctx context.Context, tx pgx.Tx, at time.Time, ns []store.Notification) ([]store.Notification, error) {
	if len(ns) == 0 {
		return nil, nil
	}
	n := len(ns)
	ids, partners, types, titles := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	links, keys, data := make([]string, n), make([]string, n), make([]*string, n)
	for i, x := range ns {
		if x.Key == "" {
			return nil, fmt.Errorf("raising %s alert of %q: the key is empty", x.Type, x.Partner)
		}
		ids[i], partners[i], types[i], titles[i], links[i], keys[i] = newID(), x.Partner, x.Type, x.Title, x.Link, x.Key
		if len(x.Data) > 0 {
			d := string(x.Data)
			data[i] = &d
		}
	}
	rows, err := tx.Query(ctx, `INSERT INTO notifications (id, partner, type, title, link, data, created_at, alert_key)
		SELECT u.id, u.partner, u.type, u.title, u.link, u.data::jsonb, $8, u.alert_key
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
			WITH ORDINALITY AS u(id, partner, type, title, link, data, alert_key, ord)
		ORDER BY u.ord
		ON CONFLICT (partner, type, alert_key) WHERE alert_key <> '' AND resolved_at IS NULL DO NOTHING
		RETURNING `+notificationCols, ids, partners, types, titles, links, data, keys, at)
	if err != nil {
		return nil, fmt.Errorf("raising %d alerts: %w", n, err)
	}
	stored, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Notification, error) { return scanNotification(r) })
	if err != nil {
		return nil, fmt.Errorf("raising %d alerts: %w", n, err)
	}
	byID := make(map[string]store.Notification, len(stored))
	for _, x := range stored {
		byID[x.ID] = x
	}
	out := make([]store.Notification, 0, len(stored))
	for _, id := range ids {
		if x, ok := byID[id]; ok {
			out = append(out, x)
		}
	}
	return out, nil
}
