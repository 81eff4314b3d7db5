package pgstore_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/pgstore"
	"github.com/dealerhub/dealerhub/hub/store/pgstore/pgtest"
)

// TestMessageChunksMigration upgrades a schema whose bodies are a column
// of messages (as before migration 0004): each body is cut into chunks of
// 1 MiB and reads back byte for byte, the column is gone, and the chunks'
// foreign key holds.
func TestMessageChunksMigration(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	url := pgtest.NewSchemaURL(t)
	st, err := pgstore.Open(ctx, url)
	require.NoError(t, err)
	require.NoError(t, st.Close())
	conn := rawConn(t, ctx, url)
	// Back to the messages of 0003.
	_, err = conn.Exec(ctx, `
		DROP TABLE message_chunks;
		ALTER TABLE messages ADD COLUMN body bytea NOT NULL DEFAULT '';
		DELETE FROM schema_migrations WHERE version = 4`)
	require.NoError(t, err)
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
		sum := sha256.Sum256(b)
		_, err := conn.Exec(ctx, `INSERT INTO messages (id, partner, doctype, format, source, filename, mapping,
			sha256, size, body, status, attempts, received_at, updated_at)
			VALUES ($1, 'sup', 'price_list', 'csv', 'sftp', 'a.csv', $1, $2, $3, $4, 'received', 0, now(), now())`,
			id, hex.EncodeToString(sum[:]), len(b), b)
		require.NoError(t, err, id)
	}

	st, err = pgstore.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	for id, want := range bodies {
		got, err := store.ReadBody(ctx, st, store.OperatorScope(), id)
		require.NoError(t, err, id)
		require.True(t, bytes.Equal(want, got), "%s reads back as it was (%d of %d bytes)", id, len(got), len(want))
		require.Equal(t, wantChunks[id], chunkSizes(t, conn, id), "%s: its chunks, by position", id)
	}
	var hasBody bool
	require.NoError(t, conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'messages' AND column_name = 'body')`).Scan(&hasBody))
	require.False(t, hasBody, "the body column is gone")
	_, err = conn.Exec(ctx, `INSERT INTO message_chunks (message_id, pos, data) VALUES ('nobody', 0, '\x00')`)
	require.Error(t, err, "a chunk needs its message (checked at commit)")
}

// chunkSizes returns the length of each chunk of a message's body, in
// position order, checking that each starts where the one before ended.
func chunkSizes(t *testing.T, conn *pgx.Conn, id string) []int {
	t.Helper()
	rows, err := conn.Query(t.Context(), `SELECT pos, length(data) FROM message_chunks WHERE message_id = $1 ORDER BY pos`, id)
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
