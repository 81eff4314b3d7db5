package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dealerhub/dealerhub/hub/store"
)

// Store is the PostgreSQL implementation of store.Store. It is safe for
// concurrent use by many goroutines and many processes sharing one database.
type Store struct {
	pool *pgxpool.Pool
}

var _ store.Store = (*Store)(nil)

// defaultMaxConns is the pool size unless the URL sets pool_max_conns.
const defaultMaxConns = 16

// Open connects to databaseURL through a pgxpool, applies the embedded
// migrations (under an advisory lock, so processes starting together do not
// race) and pings the database. Unknown URL query parameters such as
// search_path are sent as runtime parameters, so a schema can be chosen per
// store. The pool holds 16 connections unless the URL sets pool_max_conns.
func Open(ctx context.Context, databaseURL string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("parsing database url: %w", err)
	}
	if !strings.Contains(databaseURL, "pool_max_conns") {
		// pgxpool's default (4 on this size of machine) is fewer than the
		// hub's concurrent users: the outbox relay, the inbound and
		// delivery workers and the API handlers.
		cfg.MaxConns = defaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("creating connection pool: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	s := &Store{pool: pool}
	if err := s.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("pinging postgresql: %w", err)
	}
	return nil
}

// Close releases the connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// now is the store's clock: UTC, truncated to the microsecond that
// PostgreSQL keeps, so values read back compare equal to values written.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// norm brings a caller-supplied time to the stored precision.
func norm(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// utcPtr converts a nullable time read from the database to UTC.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// newID returns a UUIDv7 string; they sort by creation time.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// inTx runs fn in one transaction. Deadlocks and serialization failures,
// which PostgreSQL resolves by aborting one side, are retried a few times:
// fn must therefore only have effects through tx.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = pgx.BeginFunc(ctx, s.pool, fn)
		if !retryable(err) {
			return err
		}
	}
	return err
}

// retryable reports whether err is a deadlock or serialization failure.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "40P01" || pgErr.Code == "40001"
	}
	return false
}

// isCode reports whether err is a PostgreSQL error with the given SQLSTATE.
func isCode(err error, code string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == code
}

// notFound maps pgx.ErrNoRows to store.ErrNotFound and wraps other errors.
func notFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}
