// Package sqlitestore implements store.Store on an embedded SQLite file
// (modernc.org/sqlite, pure Go, no cgo). It is the zero-setup default of
// `dealerhub serve`.
//
// One file, two pools: a single writer connection whose transactions start
// with BEGIN IMMEDIATE (so read-then-write transactions such as document
// versioning are serialised, and a writer in another process waits on
// busy_timeout instead of failing), and a pool of read-only connections that
// read the last committed state while a write is in progress (WAL). Every
// connection is set up with, in this order: busy_timeout 10 s, journal_mode
// WAL, foreign_keys ON, synchronous NORMAL, temp_store MEMORY; the writer
// also gets a 16 MiB page cache (cache_size -16384; about twice that
// resident, see connectionPragmas).
//
// A price list's lines are rows of price_list_lines (WITHOUT ROWID, keyed by
// publication and SKU in BINARY, that is byte, order), written 100 per
// INSERT while the hub reads the file; the diff from the predecessor walks
// both lists in SKU order 2,000 lines at a time (pricelist.Walk), so a
// publication of any size holds two pages of lines in memory.
//
// Schema changes are embedded SQL files (migrations/0001_init.sql, …),
// applied in order at Open inside one write transaction and recorded in
// schema_migrations, so two processes opening a fresh file at once do not
// race. Times are stored as INTEGER microseconds since the Unix epoch (UTC);
// document bodies as TEXT checked with json_valid.
//
//	st, err := sqlitestore.Open(ctx, filepath.Join(dataDir, "dealerhub.db"))
//	if err != nil {
//		return err
//	}
//	defer st.Close()
//	msg, created, err := st.InsertMessage(ctx, store.NewMessage{
//		Partner: "acme", Doctype: "order", Format: "json", Body: body,
//	}, inbound)
package sqlitestore
