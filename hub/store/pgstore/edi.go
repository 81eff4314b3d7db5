package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

// RecordInterchange records an inbound interchange; see store.Store.
func (s *Store) RecordInterchange(ctx context.Context, in store.EDIInterchange) (store.EDIInterchange, bool, error) {
	if err := store.CheckEDIInterchange(in); err != nil {
		return store.EDIInterchange{}, false, err
	}
	if in.ReceivedAt.IsZero() {
		in.ReceivedAt = time.Now()
	}
	first := store.EDIInterchange{Partner: in.Partner, Standard: in.Standard, Sender: in.Sender, Control: in.Control}
	// The insert and the read are one statement: the row inserted, or the
	// one already there.
	err := s.pool.QueryRow(ctx, `WITH ins AS (
			INSERT INTO edi_interchanges (partner, standard, sender, control, message_id, received_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING message_id, received_at)
		SELECT message_id, received_at FROM ins
		UNION ALL
		SELECT message_id, received_at FROM edi_interchanges
		WHERE partner = $1 AND standard = $2 AND sender = $3 AND control = $4 AND NOT EXISTS (SELECT 1 FROM ins)`,
		in.Partner, in.Standard, in.Sender, in.Control, in.MessageID, in.ReceivedAt).Scan(&first.MessageID, &first.ReceivedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		// A concurrent insert committed after this statement's snapshot:
		// read it with a new one.
		err = s.pool.QueryRow(ctx, `SELECT message_id, received_at FROM edi_interchanges
			WHERE partner = $1 AND standard = $2 AND sender = $3 AND control = $4`,
			in.Partner, in.Standard, in.Sender, in.Control).Scan(&first.MessageID, &first.ReceivedAt)
	}
	if err != nil {
		return store.EDIInterchange{}, false, fmt.Errorf("recording interchange %s from %s: %w", in.Control, in.Sender, err)
	}
	first.ReceivedAt = first.ReceivedAt.UTC()
	return first, first.MessageID != in.MessageID, nil
}

// ControlNumber returns the number of counter given to a delivery; see
// store.Store.
func (s *Store) ControlNumber(ctx context.Context, counter, deliveryID string, max int64) (int64, error) {
	if err := store.CheckControlNumber(counter, deliveryID, max); err != nil {
		return 0, err
	}
	var n int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT number FROM edi_control_numbers WHERE delivery_id = $1 AND counter = $2`,
			deliveryID, counter).Scan(&n)
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO edi_counters (counter, last) VALUES ($1, 1)
			ON CONFLICT (counter) DO UPDATE SET last = CASE WHEN edi_counters.last >= $2 THEN 1 ELSE edi_counters.last + 1 END
			RETURNING last`, counter, max).Scan(&n); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO edi_control_numbers (delivery_id, counter, number) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, deliveryID, counter, n)
		if err == nil && tag.RowsAffected() == 0 {
			return errConcurrentAssign
		}
		return err
	})
	if errors.Is(err, errConcurrentAssign) {
		// Another attempt of the same delivery assigned one meanwhile: its
		// number wins (this transaction rolled back, the counter with it).
		err = s.pool.QueryRow(ctx, `SELECT number FROM edi_control_numbers WHERE delivery_id = $1 AND counter = $2`,
			deliveryID, counter).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("assigning control number %s to delivery %s: %w", counter, deliveryID, err)
	}
	return n, nil
}

var errConcurrentAssign = errors.New("assigned concurrently")
