package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

// insertOutbox stores bus messages inside tx; a zero AvailableAt means at.
func (s *Store) insertOutbox(ctx context.Context, tx *sql.Tx, at time.Time, items ...store.NewOutbox) error {
	if len(items) == 0 {
		return nil
	}
	st := tx.StmtContext(ctx, s.stmts.insertOutbox)
	defer func() { _ = st.Close() }()
	return (&writeStmts{insertOutbox: st}).insertOutboxRows(ctx, at, items...)
}

// insertOutboxRows stores bus messages with the bound insertOutbox
// statement, each as store.OutboxRow makes it (a zero AvailableAt means
// at; a row without a subject is refused).
func (cs *writeStmts) insertOutboxRows(ctx context.Context, at time.Time, items ...store.NewOutbox) error {
	for i, o := range items {
		o, err := store.OutboxRow(i, o, at)
		if err != nil {
			return err
		}
		if _, err := cs.insertOutbox.ExecContext(ctx, o.Subject, o.MsgID, o.Payload, us(o.AvailableAt), us(at)); err != nil {
			return fmt.Errorf("inserting outbox row %q: %w", o.Subject, err)
		}
	}
	return nil
}

// ClaimOutbox returns up to limit rows (0 means 100) whose AvailableAt <=
// now and whose lease has expired, oldest (by AvailableAt, then id) first,
// leases them until now+lease and counts the attempt. Claims are write
// transactions, which are serialised, so two claimers never get the same
// row while its lease lives.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]store.OutboxItem, error) {
	nowUS := us(now)
	// The relay polls often; most polls find nothing. Look first on the
	// read pool so an idle poll does not take the file's write lock (which
	// another process, the CLI, may be waiting for).
	var due int
	err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM outbox
		WHERE available_at <= ?1 AND lease_until <= ?1)`, nowUS).Scan(&due)
	if err != nil {
		return nil, fmt.Errorf("claiming outbox rows: looking for due rows: %w", err)
	}
	if due == 0 {
		return nil, nil
	}
	var items []store.OutboxItem
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		items, err = collect(ctx, tx, `
			UPDATE outbox SET lease_until = ?1, attempts = attempts + 1
			WHERE id IN (
				SELECT id FROM outbox
				WHERE available_at <= ?2 AND lease_until <= ?2
				ORDER BY available_at, id
				LIMIT ?3
			)
			RETURNING id, subject, msg_id, payload, available_at, attempts`,
			[]any{us(now.Add(lease)), nowUS, store.PageLimit(limit)},
			func(r rowScanner) (store.OutboxItem, error) {
				var (
					it    store.OutboxItem
					avail int64
				)
				err := r.Scan(&it.ID, &it.Subject, &it.MsgID, &it.Payload, &avail, &it.Attempts)
				it.AvailableAt = fromUS(avail)
				return it, err
			})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claiming outbox rows: %w", err)
	}
	store.SortOutbox(items)
	return items, nil
}

// CompleteOutbox deletes published rows.
func (s *Store) CompleteOutbox(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("completing %d outbox rows: %w", len(ids), err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))`, string(list))
		return err
	})
	if err != nil {
		return fmt.Errorf("completing %d outbox rows: %w", len(ids), err)
	}
	return nil
}
