// Package pgstore implements store.Store on PostgreSQL through pgx v5 and a
// pgxpool.
//
// Open applies the embedded migrations (migrations/NNNN_*.sql) in order,
// recording them in a schema_migrations table of the current schema, under
// an advisory lock keyed by that schema, so several hub processes may start
// at once against one database. Objects are created unqualified: a
// search_path in the URL puts a store in a schema of its own; pgxpool's own
// URL parameters (pool_max_conns, …) size the pool.
//
// Partner scope is enforced in the SQL of every query. Idempotent inserts
// and document keys use ON CONFLICT; a batch of messages (InsertMessages)
// is one INSERT over unnest'ed arrays, in key order so that concurrent
// batches sharing messages wait for each other instead of deadlocking;
// outbox claims use FOR UPDATE SKIP LOCKED; document bodies are jsonb (returned as equal JSON, not byte for
// byte: jsonb normalises whitespace and key order).
//
//	st, err := pgstore.Open(ctx, "postgres://hub@db:5432/dealerhub?sslmode=disable")
//	if err != nil {
//		return err
//	}
//	defer st.Close()
//	msg, created, err := st.InsertMessage(ctx, store.NewMessage{Partner: "acme", Doctype: "order",
//		Format: "json", Source: "api", Body: body}, inbound)
package pgstore
