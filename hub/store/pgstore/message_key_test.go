package pgstore_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/pgstore"
	"github.com/dealerhub/dealerhub/hub/store/pgstore/pgtest"
)

// TestMessageKeyMigration upgrades a schema whose messages are keyed
// without the mapping (as before migration 0003): the stored messages keep
// their ids and fields, the same bytes with the same mapping stay
// duplicates, and with another mapping they become a new message.
func TestMessageKeyMigration(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	url := pgtest.NewSchemaURL(t)
	st, err := pgstore.Open(ctx, url)
	require.NoError(t, err)
	conn := rawConn(t, ctx, url)
	// Back to the key of 0001, as a database migrated up to 0002 has it.
	_, err = conn.Exec(ctx, `
		ALTER TABLE messages DROP CONSTRAINT messages_idempotency_key;
		ALTER TABLE messages ADD CONSTRAINT messages_idempotency_key UNIQUE (partner, doctype, format, sha256);
		DELETE FROM schema_migrations WHERE version = 3`)
	require.NoError(t, err)
	_, err = st.UpsertPartner(ctx, store.Partner{ID: "sup", Name: "SUP", Roles: []string{"supplier"}, Enabled: true})
	require.NoError(t, err)
	body := []byte("SKU,Price\nA-1,9.50\n")
	nm := func(mapping string) store.NewMessage {
		return store.NewMessage{Partner: "sup", Doctype: "price_list", Format: "csv", Source: "api:import",
			Filename: "prices.csv", Mapping: mapping, Body: body}
	}
	old, created, err := st.InsertMessage(ctx, nm("lenient"), nil)
	require.NoError(t, err)
	require.True(t, created)
	_, _, err = st.InsertMessage(ctx, nm("strict"), nil)
	require.Error(t, err, "the old key is in force: the same bytes with another mapping collide")
	require.NoError(t, st.Close())

	st, err = pgstore.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	var def string
	require.NoError(t, conn.QueryRow(ctx, `SELECT pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conname = 'messages_idempotency_key' AND conrelid = 'messages'::regclass`).Scan(&def))
	require.Equal(t, "UNIQUE (partner, doctype, format, mapping, sha256)", def)

	got, err := st.GetMessage(ctx, store.OperatorScope(), old.ID)
	require.NoError(t, err)
	require.Equal(t, "lenient", got.Mapping)
	stored, err := store.ReadBody(ctx, st, store.OperatorScope(), old.ID)
	require.NoError(t, err)
	require.Equal(t, body, stored)
	dup, created, err := st.InsertMessage(ctx, nm("lenient"), nil)
	require.NoError(t, err)
	require.False(t, created, "a stored message is still found by its key")
	require.Equal(t, old.ID, dup.ID)
	other, created, err := st.InsertMessage(ctx, nm("strict"), nil)
	require.NoError(t, err)
	require.True(t, created, "another mapping is a new message")
	require.NotEqual(t, old.ID, other.ID)
}
