package sqlitestore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/google/uuid"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/dealerhub/dealerhub/hub/store"
)

var _ store.Store = (*Store)(nil)

// Store is the SQLite implementation of store.Store. It is safe for
// concurrent use; Close releases both pools.
type Store struct {
	w     *sql.DB // one connection; transactions are BEGIN IMMEDIATE
	r     *sql.DB // read-only pool
	stmts *writeStmts
}

// connectionPragmas are run on every new connection, in this order:
// busy_timeout first so the others wait for a lock held by another process
// instead of failing. Read-only connections also get query_only, so a stray
// write fails loudly.
func connectionPragmas(readOnly bool) []string {
	p := []string{
		"PRAGMA busy_timeout = 10000",
		"PRAGMA journal_mode = WAL",
		"PRAGMA foreign_keys = ON",
		"PRAGMA synchronous = NORMAL",
		// Statement journals (kept for every INSERT … ON CONFLICT inside a
		// transaction) and temporary b-trees stay in memory instead of
		// costing a temp-file write per page.
		"PRAGMA temp_store = MEMORY",
	}
	if readOnly {
		p = append(p, "PRAGMA query_only = ON")
	} else {
		// The writer's page cache may grow to 16 MiB (the default is 2 MiB):
		// a price list's lines arrive in file order, not key order, and a
		// small cache rereads and spills pages to the WAL in the middle of
		// the transaction. It is not larger because it costs about twice
		// its size in memory: modernc's allocator rounds each 4 KiB page
		// and its header up to an 8 KiB slot, and keeps the slots. With
		// 64 MiB (130 MiB resident) a 1,000,000-row import peaked at
		// 265 MB; with 16 MiB at 177 MB, and a 100k-line publish took about
		// 5% longer.
		p = append(p, "PRAGMA cache_size = -16384")
	}
	return p
}

// Open opens (creating it and its parent directory if needed) the SQLite
// database at path and applies pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("opening sqlite store: empty path")
	}
	if strings.ContainsRune(path, '?') {
		// The driver reads its settings after the first '?'.
		return nil, fmt.Errorf("opening sqlite store %q: the path may not contain '?'", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("opening sqlite store: creating directory of %q: %w", path, err)
	}
	w, err := openDB(path, "immediate", false)
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := migrate(ctx, w); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("opening sqlite store %q: %w", path, err)
	}
	r, err := openDB(path, "deferred", true)
	if err != nil {
		_ = w.Close()
		return nil, err
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	if err := r.PingContext(ctx); err != nil {
		_ = w.Close()
		_ = r.Close()
		return nil, fmt.Errorf("opening sqlite store %q: connecting readers: %w", path, err)
	}
	stmts, err := prepareWriteStmts(ctx, w)
	if err != nil {
		_ = w.Close()
		_ = r.Close()
		return nil, fmt.Errorf("opening sqlite store %q: %w", path, err)
	}
	return &Store{w: w, r: r, stmts: stmts}, nil
}

// openDB opens a pool over path whose connections get connectionPragmas.
func openDB(path, txlock string, readOnly bool) (*sql.DB, error) {
	base, err := sqlite.NewConnector(path + "?_txlock=" + txlock)
	if err != nil {
		return nil, fmt.Errorf("opening sqlite store %q: %w", path, err)
	}
	return sql.OpenDB(&connector{base: base, readOnly: readOnly}), nil
}

// connector sets every new physical connection up with the pragmas, in
// order (the driver's DSN keys would apply them in its own order).
type connector struct {
	base     driver.Connector
	readOnly bool
}

// Connect opens a connection and applies the pragmas.
func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	ex, ok := conn.(driver.ExecerContext)
	if !ok {
		_ = conn.Close()
		return nil, errors.New("sqlite connection cannot execute statements")
	}
	for _, p := range connectionPragmas(c.readOnly) {
		if err := execPragma(ctx, ex, p); err != nil {
			_ = conn.Close()
			return nil, fmt.Errorf("setting up connection (%s): %w", p, err)
		}
	}
	return conn, nil
}

// execPragma runs one pragma. Switching a fresh file to WAL needs an
// exclusive lock, and SQLite answers SQLITE_BUSY at once, without its busy
// handler, while another process holds a lock (as when several open a new
// file together); so a busy answer is retried for as long as busy_timeout.
func execPragma(ctx context.Context, ex driver.ExecerContext, pragma string) error {
	deadline := time.Now().Add(10 * time.Second)
	wait := time.Millisecond
	for {
		_, err := ex.ExecContext(ctx, pragma, nil)
		if err == nil || sqliteCode(err)&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("waiting for the database lock: %w", ctx.Err())
		case <-t.C:
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
}

// Driver returns the underlying driver.
func (c *connector) Driver() driver.Driver { return c.base.Driver() }

// Ping checks that both pools answer.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("pinging sqlite readers: %w", err)
	}
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("pinging sqlite writer: %w", err)
	}
	return nil
}

// Close closes both pools.
func (s *Store) Close() error {
	s.stmts.close()
	return errors.Join(s.r.Close(), s.w.Close())
}

// inTx runs fn in a write transaction (BEGIN IMMEDIATE on the one writer
// connection) and commits it if fn returns nil. A panic in fn rolls back
// and propagates.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning write transaction: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}

// queryer is what both the read pool and a transaction offer.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// now is the store's clock: UTC, truncated to the microsecond (the
// precision of both stores).
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// newID returns a UUIDv7 string.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// us converts a time to stored microseconds.
func us(t time.Time) int64 { return t.UnixMicro() }

// fromUS converts stored microseconds to a UTC time.
func fromUS(v int64) time.Time { return time.UnixMicro(v).UTC() }

// fromNullUS converts a nullable stored time.
func fromNullUS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromUS(v.Int64)
	return &t
}

// nullUS converts an optional time for storage.
func nullUS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return us(*t)
}

// notFound maps sql.ErrNoRows to store.ErrNotFound, wrapping either with
// what was being done.
func notFound(err error, doing string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", doing, store.ErrNotFound)
	}
	return fmt.Errorf("%s: %w", doing, err)
}

// sqliteCode returns the extended result code of a SQLite error, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

// isUniqueViolation reports a UNIQUE or PRIMARY KEY constraint failure.
func isUniqueViolation(err error) bool {
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// isForeignKeyViolation reports a FOREIGN KEY constraint failure.
func isForeignKeyViolation(err error) bool {
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}
