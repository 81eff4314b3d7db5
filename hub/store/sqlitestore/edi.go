package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/dealerhub/dealerhub/hub/store"
)

// RecordInterchange records an inbound interchange; see store.Store.
func (s *Store) RecordInterchange(ctx context.Context, in store.EDIInterchange) (store.EDIInterchange, bool, error) {
	if err := store.CheckEDIInterchange(in); err != nil {
		return store.EDIInterchange{}, false, err
	}
	if in.ReceivedAt.IsZero() {
		in.ReceivedAt = now()
	}
	var first store.EDIInterchange
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO edi_interchanges (partner, standard, sender, control, message_id, received_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			in.Partner, in.Standard, in.Sender, in.Control, in.MessageID, us(in.ReceivedAt)); err != nil {
			return err
		}
		var at int64
		first = store.EDIInterchange{Partner: in.Partner, Standard: in.Standard, Sender: in.Sender, Control: in.Control}
		if err := tx.QueryRowContext(ctx, `SELECT message_id, received_at FROM edi_interchanges
			WHERE partner = ? AND standard = ? AND sender = ? AND control = ?`,
			in.Partner, in.Standard, in.Sender, in.Control).Scan(&first.MessageID, &at); err != nil {
			return err
		}
		first.ReceivedAt = fromUS(at)
		return nil
	})
	if err != nil {
		return store.EDIInterchange{}, false, fmt.Errorf("recording interchange %s from %s: %w", in.Control, in.Sender, err)
	}
	return first, first.MessageID != in.MessageID, nil
}

// ControlNumber returns the number of counter given to a delivery; see
// store.Store.
func (s *Store) ControlNumber(ctx context.Context, counter, deliveryID string, max int64) (int64, error) {
	if err := store.CheckControlNumber(counter, deliveryID, max); err != nil {
		return 0, err
	}
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT number FROM edi_control_numbers WHERE delivery_id = ? AND counter = ?`,
			deliveryID, counter).Scan(&n)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO edi_counters (counter, last) VALUES (?, 1)
			ON CONFLICT (counter) DO UPDATE SET last = CASE WHEN last >= ? THEN 1 ELSE last + 1 END
			RETURNING last`, counter, max).Scan(&n); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO edi_control_numbers (delivery_id, counter, number) VALUES (?, ?, ?)`,
			deliveryID, counter, n)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("assigning control number %s to delivery %s: %w", counter, deliveryID, err)
	}
	return n, nil
}
