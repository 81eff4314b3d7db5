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
// The decisions both stores make are written once, here, as pure functions
// the stores call; only the SQL is per dialect: what a delivery attempt
// writes (DeliveryAttemptOutcome), the dead letters and notifications of a
// failed message or a dead delivery (MessageFailureRecords,
// DeliveryDeadRecords), the state guards (CheckMessageFinish, …),
// versioning (NextVersion), the deliveries of a new version, outbox rows,
// message keys, scopes (Scope.Visibility), partner roles, cross-references,
// migration files (LoadMigrations), cursors and page sizes.
//
// Raw message bodies are kept in chunks of ChunkSize, apart from their
// messages, and never loaded with them: a large file goes in through
// InsertMessageFrom (cut into chunks by a Chunker as it is read and
// hashed) and comes out through OpenBody, a BodyReader that fetches the
// chunks it is asked for, so neither side holds the file whole.
//
//	st, err := sqlitestore.Open(ctx, filepath.Join(dataDir, "dealerhub.db"))
//	msg, created, err := st.InsertMessage(ctx, store.NewMessage{...}, inboundOutbox)
package store
