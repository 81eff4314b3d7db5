package sqlitestore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// TestMessageChunksMigration upgrades a database of migration 0003, whose
// bodies are a column of messages: each body is cut into chunks of 1 MiB
// and reads back byte for byte, the column is gone, and the chunks' foreign
// key holds.
func TestMessageChunksMigration(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "hub.db")
	w, err := openDB(path, "immediate", false)
	require.NoError(t, err)
	w.SetMaxOpenConns(1)
	migrateUpTo(t, w, 3)
	bodies := map[string][]byte{
		"m-empty": {},
		"m-small": []byte("SKU,Price\nA-1,9.50\n"),
		"m-chunk": bytes.Repeat([]byte{0xAB}, store.ChunkSize),
		"m-large": append(bytes.Repeat([]byte("0123456789abcdef"), 5*store.ChunkSize/32), 0, 1, 2),
	}
	wantChunks := map[string][]int{
		"m-empty": nil,
		"m-small": {len(bodies["m-small"])},
		"m-chunk": {store.ChunkSize},
		"m-large": {store.ChunkSize, store.ChunkSize, store.ChunkSize/2 + 3},
	}
	for id, b := range bodies {
		_, err := w.ExecContext(ctx, `INSERT INTO messages (id, partner, doctype, format, source, filename, mapping,
			sha256, size, body, status, attempts, received_at, updated_at)
			VALUES (?, 'sup', 'price_list', 'csv', 'sftp', 'a.csv', ?, ?, ?, ?, 'received', 0, 10, 10)`,
			id, id, hexSHA256(b), len(b), b)
		require.NoError(t, err, id)
	}
	require.NoError(t, w.Close())

	st, err := Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, st.Close()) })
	for id, want := range bodies {
		got, err := store.ReadBody(ctx, st, store.OperatorScope(), id)
		require.NoError(t, err, id)
		require.True(t, bytes.Equal(want, got), "%s reads back as it was (%d of %d bytes)", id, len(got), len(want))
		m, err := st.GetMessage(ctx, store.OperatorScope(), id)
		require.NoError(t, err, id)
		require.Equal(t, len(want), m.Size, id)
		require.Equal(t, wantChunks[id], chunkSizes(t, st, id), "%s: its chunks, by position", id)
	}

	var hasBody int
	require.NoError(t, st.w.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'body'`).Scan(&hasBody))
	require.Zero(t, hasBody, "the body column is gone")
	require.Equal(t, "ok", pragma[string](t, st.w, "integrity_check"))
	var orphans int
	require.NoError(t, st.w.QueryRowContext(ctx, `SELECT count(*) FROM pragma_foreign_key_check('message_chunks')`).Scan(&orphans))
	require.Zero(t, orphans)
	_, err = st.w.ExecContext(ctx, `INSERT INTO message_chunks (message_id, pos, data) VALUES ('nobody', 0, x'00')`)
	require.Error(t, err, "a chunk needs its message (checked at commit)")
}

// chunkSizes returns the length of each chunk of a message's body, in
// position order, checking that each starts where the one before ended.
func chunkSizes(t *testing.T, st *Store, id string) []int {
	t.Helper()
	rows, err := st.r.QueryContext(t.Context(), `SELECT pos, length(data) FROM message_chunks WHERE message_id = ? ORDER BY pos`, id)
	require.NoError(t, err)
	var sizes []int
	next := int64(0)
	for rows.Next() {
		var pos int64
		var n int
		require.NoError(t, rows.Scan(&pos, &n))
		require.Equal(t, next, pos, "chunk %d of %s", len(sizes), id)
		next += int64(n)
		sizes = append(sizes, n)
	}
	require.NoError(t, rows.Err())
	return sizes
}

// hexSHA256 is the hex SHA-256 of b, as messages.sha256 holds it.
func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
