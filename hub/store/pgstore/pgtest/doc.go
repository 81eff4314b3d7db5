// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema per test, dropped when the test ends.
//
// The server is TEST_DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test
// with trust auth. When it is unreachable, tests are skipped, or fail when
// CI=true.
//
//	func TestSomething(t *testing.T) {
//		st, err := pgstore.Open(t.Context(), pgtest.NewSchemaURL(t))
//		require.NoError(t, err)
//		t.Cleanup(func() { st.Close() })
//		…
//	}
package pgtest
