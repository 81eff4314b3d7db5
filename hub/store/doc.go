// Package store is the hub's persistence seam: partners, API keys, raw
// messages, canonical documents with versions, the outbox, deliveries, dead
// letters and notifications.
//
// Two implementations pass one conformance suite (storetest): pgstore for
// PostgreSQL through pgx v5, and sqlitestore, the embedded default (pure-Go
// SQLite under the data dir). Writes that belong together (document +
// deliveries + outbox rows + message status) commit in one transaction, so a
// crash leaves either all of them or none.
//
//	st, err := sqlitestore.Open(ctx, filepath.Join(dataDir, "dealerhub.db"))
//	msg, created, err := st.InsertMessage(ctx, store.NewMessage{...}, inboundOutbox)
package store
