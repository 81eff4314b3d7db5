package pgtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store/pgstore/pgtest"
)

func TestWithSearchPath(t *testing.T) {
	got, err := pgtest.WithSearchPath("postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "dh_x")
	require.NoError(t, err)
	require.Equal(t, "postgres://postgres@127.0.0.1:5432/test?search_path=dh_x&sslmode=disable", got)
	got, err = pgtest.WithSearchPath("host=127.0.0.1 user=postgres dbname=test", "dh_x")
	require.NoError(t, err)
	require.Equal(t, "host=127.0.0.1 user=postgres dbname=test search_path=dh_x", got)
}

func TestNewSchemaURLIsDroppedAfterTheTest(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var schema string
	t.Run("inner", func(t *testing.T) {
		url := pgtest.NewSchemaURL(t)
		conn, err := pgx.Connect(ctx, url)
		require.NoError(t, err)
		defer conn.Close(ctx)
		require.NoError(t, conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema))
		require.Regexp(t, `^dh_test_[0-9a-f]{12}$`, schema)
		_, err = conn.Exec(ctx, `CREATE TABLE t (id int)`)
		require.NoError(t, err, "objects are created in the test schema")
	})
	conn, err := pgx.Connect(ctx, pgtest.URL(t))
	require.NoError(t, err)
	defer conn.Close(ctx)
	var exists bool
	require.NoError(t, conn.QueryRow(ctx,
		`SELECT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = $1)`, schema).Scan(&exists))
	require.False(t, exists, "schema %s is dropped in cleanup", schema)
}
