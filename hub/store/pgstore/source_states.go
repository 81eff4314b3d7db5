package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

// SourceState returns the state partner's source saved last; nil when
// it saved none.
func (s *Store) SourceState(ctx context.Context, partner, source string) (json.RawMessage, error) {
	var state []byte
	err := s.pool.QueryRow(ctx, `SELECT state::text FROM source_states WHERE partner = $1 AND source = $2`, partner, source).Scan(&state)
	if errors.Is(err, pgx.ErrNoRows) {
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
	_, err := s.pool.Exec(ctx, `INSERT INTO source_states (partner, source, state, updated_at) VALUES ($1, $2, $3::jsonb, now())
		ON CONFLICT (partner, source) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
		partner, source, string(state))
	if err != nil {
		return fmt.Errorf("saving the state of %s's source %s: %w", partner, source, err)
	}
	return nil
}
