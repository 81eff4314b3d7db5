package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dealerhub/dealerhub/hub/store"
)

// SourceState returns the state partner's source saved last; nil when
// it saved none.
func (s *Store) SourceState(ctx context.Context, partner, source string) (json.RawMessage, error) {
	var state string
	err := s.r.QueryRowContext(ctx, `SELECT state FROM source_states WHERE partner = ? AND source = ?`, partner, source).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the state of %s's source %s: %w", partner, source, err)
	}
	return json.RawMessage(state), nil
}

// SaveSourceState replaces the state of partner's source.
func (s *Store) SaveSourceState(ctx context.Context, partner, source string, state json.RawMessage) error {
	if err := store.CheckSourceState(partner, source, state); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO source_states (partner, source, state, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (partner, source) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
			partner, source, string(state), us(now()))
		if err != nil {
			return fmt.Errorf("saving the state of %s's source %s: %w", partner, source, err)
		}
		return nil
	})
}
