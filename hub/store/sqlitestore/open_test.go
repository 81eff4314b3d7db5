package sqlitestore

import (
	"database/sql"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func pragma[T any](t *testing.T, db *sql.DB, name string) T {
	t.Helper()
	var v T
	require.NoError(t, db.QueryRowContext(t.Context(), "PRAGMA "+name).Scan(&v))
	return v
}

func TestConnectionPragmas(t *testing.T) {
	st, err := Open(t.Context(), filepath.Join(t.TempDir(), "hub.db"))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, st.Close()) })

	for name, db := range map[string]*sql.DB{"writer": st.w, "reader": st.r} {
		require.Equal(t, 10000, pragma[int](t, db, "busy_timeout"), name)
		require.Equal(t, "wal", pragma[string](t, db, "journal_mode"), name)
		require.Equal(t, 1, pragma[int](t, db, "foreign_keys"), name)
		require.Equal(t, 1, pragma[int](t, db, "synchronous"), name+": NORMAL")
		require.Equal(t, 2, pragma[int](t, db, "temp_store"), name+": MEMORY")
	}
	require.Equal(t, 0, pragma[int](t, st.w, "query_only"))
	require.Equal(t, -16384, pragma[int](t, st.w, "cache_size"), "the writer's cache: larger than the default, bounded for memory")
	require.Equal(t, 1, pragma[int](t, st.r, "query_only"))
	_, err = st.r.ExecContext(t.Context(), `DELETE FROM outbox`)
	require.Error(t, err, "the read pool refuses writes")
	require.Equal(t, 1, st.w.Stats().MaxOpenConnections, "one writer")
}

func TestMigrationsAppliedOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "dir", "hub.db")
	ms, err := store.LoadMigrations(migrationFiles, "migrations")
	require.NoError(t, err)
	require.NotEmpty(t, ms)
	require.Equal(t, 1, ms[0].Version)

	// Several processes (here: stores) opening a fresh file at once.
	const openers = 4
	stores := make([]*Store, openers)
	errs := make([]error, openers)
	var wg sync.WaitGroup
	for i := range openers {
		wg.Go(func() { stores[i], errs[i] = Open(t.Context(), path) })
	}
	wg.Wait()
	for i := range openers {
		require.NoError(t, errs[i])
		require.NoError(t, stores[i].Ping(t.Context()))
	}
	var applied int
	require.NoError(t, stores[0].r.QueryRowContext(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&applied))
	require.Equal(t, len(ms), applied)
	for _, st := range stores {
		require.NoError(t, st.Close())
	}

	// Reopening applies nothing new and keeps the data.
	st, err := Open(t.Context(), path)
	require.NoError(t, err)
	defer func() { require.NoError(t, st.Close()) }()
	require.NoError(t, st.r.QueryRowContext(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&applied))
	require.Equal(t, len(ms), applied)
}

func TestOpenBadPath(t *testing.T) {
	_, err := Open(t.Context(), "")
	require.Error(t, err)
	_, err = Open(t.Context(), filepath.Join(t.TempDir(), "what?.db"))
	require.Error(t, err)
}
