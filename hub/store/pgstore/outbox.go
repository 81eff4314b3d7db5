package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

// insertOutbox stores bus messages inside tx with one statement, ids in
// the order of items, each as store.OutboxRow makes it (a zero AvailableAt
// means at; a row without a subject is refused).
func insertOutbox(ctx context.Context, tx pgx.Tx, at time.Time, items ...store.NewOutbox) error {
	if len(items) == 0 {
		return nil
	}
	subjects, msgIDs := make([]string, len(items)), make([]string, len(items))
	payloads, avail := make([][]byte, len(items)), make([]time.Time, len(items))
	for i, o := range items {
		o, err := store.OutboxRow(i, o, at)
		if err != nil {
			return err
		}
		subjects[i], msgIDs[i], payloads[i], avail[i] = o.Subject, o.MsgID, o.Payload, o.AvailableAt
	}
	if _, err := tx.Exec(ctx, `INSERT INTO outbox (subject, msg_id, payload, available_at, created_at)
		SELECT u.subject, u.msg_id, u.payload, u.available_at, $5
		FROM unnest($1::text[], $2::text[], $3::bytea[], $4::timestamptz[]) WITH ORDINALITY
			AS u(subject, msg_id, payload, available_at, ord)
		ORDER BY u.ord`, subjects, msgIDs, payloads, avail, at); err != nil {
		return fmt.Errorf("inserting %d outbox rows: %w", len(items), err)
	}
	return nil
}

// ClaimOutbox returns up to limit rows (0 means 100) whose AvailableAt <=
// now and whose lease has expired, oldest (by AvailableAt, then id) first,
// leases them until now+lease and counts the attempt. Rows locked by a
// concurrent claimer are skipped, so two claimers never get the same row.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]store.OutboxItem, error) {
	now = norm(now)
	rows, err := s.pool.Query(ctx, `
		WITH due AS (
			SELECT id FROM outbox
			WHERE available_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
			ORDER BY available_at, id
			LIMIT $2
			FOR UPDATE SKIP LOCKED
		)
		UPDATE outbox o SET lease_until = $3, attempts = o.attempts + 1
		FROM due WHERE o.id = due.id
		RETURNING o.id, o.subject, o.msg_id, o.payload, o.available_at, o.attempts`,
		now, store.PageLimit(limit), norm(now.Add(lease)))
	if err != nil {
		return nil, fmt.Errorf("claiming outbox rows: %w", err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.OutboxItem, error) {
		var it store.OutboxItem
		err := r.Scan(&it.ID, &it.Subject, &it.MsgID, &it.Payload, &it.AvailableAt, &it.Attempts)
		it.AvailableAt = it.AvailableAt.UTC()
		return it, err
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
	if _, err := s.pool.Exec(ctx, `DELETE FROM outbox WHERE id = ANY($1)`, ids); err != nil {
		return fmt.Errorf("completing %d outbox rows: %w", len(ids), err)
	}
	return nil
}
