package sqlitestore

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// migrateUpTo applies the embedded migrations up to version last, as an
// older binary left the database.
func migrateUpTo(t *testing.T, w *sql.DB, last int) {
	t.Helper()
	ms, err := store.LoadMigrations(migrationFiles, "migrations")
	require.NoError(t, err)
	_, err = w.ExecContext(t.Context(), `CREATE TABLE schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at INTEGER NOT NULL
	) STRICT`)
	require.NoError(t, err)
	for _, m := range ms {
		if m.Version > last {
			break
		}
		_, err := w.ExecContext(t.Context(), m.SQL)
		require.NoError(t, err, m.Name)
		_, err = w.ExecContext(t.Context(), `INSERT INTO schema_migrations VALUES (?, ?, 1)`, m.Version, m.Name)
		require.NoError(t, err)
	}
}

// TestMessageKeyMigration upgrades a database of migration 0002, whose
// messages are keyed without the mapping: the table is rebuilt with every
// row, column, index and constraint, and the mapping joins the key.
func TestMessageKeyMigration(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "hub.db")
	w, err := openDB(path, "immediate", false)
	require.NoError(t, err)
	w.SetMaxOpenConns(1)
	migrateUpTo(t, w, 2)
	// A done message with errors and documents, and a received one.
	_, err = w.ExecContext(ctx, `INSERT INTO messages (id, partner, doctype, format, source, filename, mapping,
		sha256, size, body, status, errors, attempts, document_ids, received_at, updated_at, finished_at) VALUES
		('m-1', 'sup', 'price_list', 'csv', 'sftp', 'a.csv', 'lenient', 'h1', 3, x'414243', 'done',
		 '[{"code":"row","reason":"bad"}]', 2, '["d-1"]', 10, 20, 30),
		('m-2', 'sup', 'price_list', 'csv', 'api', 'b.csv', '', 'h2', 0, x'', 'received', NULL, 0, NULL, 40, 40, NULL)`)
	require.NoError(t, err)
	before := dumpMessages(t, w, "hex(body)")
	require.NoError(t, w.Close())

	st, err := Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, st.Close()) })
	require.Equal(t, before, dumpMessages(t, st.w, chunksHex), "every row and column is kept (the body, since 0004, in chunks)")

	var indexes []string
	rows, err := st.w.QueryContext(ctx, `SELECT name FROM sqlite_schema
		WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL ORDER BY name`)
	require.NoError(t, err)
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		indexes = append(indexes, n)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []string{"messages_partner_received_idx", "messages_pending_idx", "messages_received_idx"}, indexes)
	var leftover int
	require.NoError(t, st.w.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE name = 'messages_new'`).Scan(&leftover))
	require.Zero(t, leftover)
	require.Equal(t, []string{"partner", "doctype", "format", "mapping", "sha256"}, uniqueKey(t, st.w))
	require.Equal(t, "ok", pragma[string](t, st.w, "integrity_check"))
	_, err = st.w.ExecContext(ctx, `UPDATE messages SET errors = 'not json' WHERE id = 'm-2'`)
	require.Error(t, err, "the CHECK constraints are kept")

	// The key works on the rebuilt table, old rows included.
	body := []byte("SKU,Price\nA-1,9.50\n")
	nm := store.NewMessage{Partner: "sup", Doctype: "price_list", Format: "csv", Mapping: "lenient", Body: body}
	first, created, err := st.InsertMessage(ctx, nm, nil)
	require.NoError(t, err)
	require.True(t, created)
	dup, created, err := st.InsertMessage(ctx, nm, nil)
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, first.ID, dup.ID)
	nm.Mapping = "strict"
	other, created, err := st.InsertMessage(ctx, nm, nil)
	require.NoError(t, err)
	require.True(t, created)
	require.NotEqual(t, first.ID, other.ID)
}

// chunksHex is the hex of a message's body joined from its chunks, for
// dumpMessages after migration 0004.
const chunksHex = `coalesce((SELECT group_concat(h, '') FROM (SELECT hex(data) AS h FROM message_chunks c
	WHERE c.message_id = messages.id ORDER BY pos)), '')`

// dumpMessages reads every column of every message as text, by id; body
// is the SQL expression of the body's hex.
func dumpMessages(t *testing.T, db *sql.DB, body string) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), `SELECT id || '|' || partner || '|' || doctype || '|' || format || '|' ||
		source || '|' || filename || '|' || mapping || '|' || sha256 || '|' || size || '|' || `+body+` || '|' ||
		status || '|' || coalesce(errors, 'NULL') || '|' || attempts || '|' || coalesce(document_ids, 'NULL') || '|' ||
		received_at || '|' || updated_at || '|' || coalesce(finished_at, 'NULL') FROM messages ORDER BY id`)
	require.NoError(t, err)
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	require.Len(t, out, 2)
	return out
}

// uniqueKey returns the columns of the one UNIQUE constraint of messages.
func uniqueKey(t *testing.T, db *sql.DB) []string {
	t.Helper()
	var index string
	require.NoError(t, db.QueryRowContext(t.Context(), `SELECT name FROM pragma_index_list('messages')
		WHERE origin = 'u'`).Scan(&index))
	rows, err := db.QueryContext(t.Context(), `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, index)
	require.NoError(t, err)
	var cols []string
	for rows.Next() {
		var c string
		require.NoError(t, rows.Scan(&c))
		cols = append(cols, c)
	}
	require.NoError(t, rows.Err())
	return cols
}
