// Package storetest is the conformance suite every store.Store implementation
// must pass. It only uses the store.Store interface, so the same assertions
// run against PostgreSQL (pgstore) and embedded SQLite (sqlitestore).
//
// Each subtest gets a fresh, empty store from the constructor, which
// registers its own cleanup:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "hub.db"))
//			require.NoError(t, err)
//			t.Cleanup(func() { st.Close() })
//			return st
//		})
//	}
//
// Document bodies and JSON settings are compared as JSON (PostgreSQL jsonb
// normalises whitespace and key order); raw message bodies, outbox payloads
// and sent bytes are compared byte for byte. Times are compared with
// time.Equal and must be UTC, truncated to the microsecond.
package storetest
