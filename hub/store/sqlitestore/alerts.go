package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

// RaiseAlert stores n (Key required) unless an open alert with its
// (partner, type, key) exists, which it returns with raised false.
func (s *Store) RaiseAlert(ctx context.Context, n store.Notification) (store.Notification, bool, error) {
	if n.Key == "" {
		return store.Notification{}, false, fmt.Errorf("raising %s alert for %q: the alert has no key", n.Type, n.Partner)
	}
	var (
		out    store.Notification
		raised bool
	)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, raised, err = addNotification(ctx, tx, now(), n)
		return err
	})
	if err != nil {
		return store.Notification{}, false, fmt.Errorf("raising %s alert %q for %q: %w", n.Type, n.Key, n.Partner, err)
	}
	return out, raised, nil
}

// ResolveAlert marks the open alert (partner, typ, key) resolved at at
// (stored to the microsecond); resolved is false when none was open.
func (s *Store) ResolveAlert(ctx context.Context, partner, typ, key string, at time.Time) (bool, error) {
	var resolved bool
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		resolved, err = resolveAlert(ctx, tx, partner, typ, key, at)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("resolving %s alert %q for %q: %w", typ, key, partner, err)
	}
	return resolved, nil
}

// resolveAlert marks the open alert (partner, typ, key) resolved inside tx.
func resolveAlert(ctx context.Context, tx execer, partner, typ, key string, at time.Time) (bool, error) {
	if key == "" {
		return false, errors.New("the alert has no key")
	}
	res, err := tx.ExecContext(ctx, `UPDATE notifications SET resolved_at = ?
		WHERE partner = ? AND type = ? AND alert_key = ? AND alert_key <> '' AND resolved_at IS NULL`,
		us(at), partner, typ, key)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	return n > 0, nil
}
