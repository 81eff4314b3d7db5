package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

// commitDocuments versions many documents of one sender and doctype in
// one statement, the way commitDocument versions one: a new key gets
// version 1, a content hash other than the current one the next version,
// an equal one nothing at all (not even a row lock). Each new version gets
// its document_versions row and its deliveries (bulk too). docs must have
// distinct external ids. The results follow docs; an unchanged document's
// result has Changed false and no id.
//
// Rows are written in external_id order (bytewise, like keyOrder), so a
// concurrent CommitMessage on the same documents queues instead of
// deadlocking.
func commitDocuments(ctx context.Context, tx pgx.Tx, t time.Time, messageID, doctype, sender string,
	docs []store.DocumentInput) ([]store.DocumentResult, error) {
	results := make([]store.DocumentResult, len(docs))
	if len(docs) == 0 {
		return results, nil
	}
	n := len(docs)
	ids, extIDs, receivers, statuses := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	bodies, hashes := make([]string, n), make([]string, n)
	index := make(map[string]int, n)
	for i, d := range docs {
		if d.Doctype != doctype || d.Sender != sender {
			return nil, fmt.Errorf("document %q is a %s of %q, not a %s of %q", d.ExternalID, d.Doctype, d.Sender, doctype, sender)
		}
		if j, dup := index[d.ExternalID]; dup {
			return nil, fmt.Errorf("%s %q is given twice (at %d and %d)", doctype, d.ExternalID, j, i)
		}
		index[d.ExternalID] = i
		ids[i], extIDs[i], receivers[i], statuses[i] = newID(), d.ExternalID, d.Receiver, d.Status
		bodies[i], hashes[i] = store.JSONBody(d.Body), d.ContentHash
		results[i] = store.DocumentResult{Input: d}
	}
	rows, err := tx.Query(ctx, `
		WITH up AS (
			INSERT INTO documents AS d (id, doctype, sender, receiver, external_id, status, version, message_id,
				body, content_hash, created_at, updated_at)
			SELECT u.id, $7, $8, u.receiver, u.external_id, u.status, 1, $9, u.body::jsonb, u.content_hash, $10, $10
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
				AS u(id, external_id, receiver, status, body, content_hash)
			ORDER BY u.external_id COLLATE "C"
			ON CONFLICT ON CONSTRAINT documents_key DO UPDATE
			SET receiver = excluded.receiver, status = excluded.status, version = d.version + 1,
				message_id = excluded.message_id, body = excluded.body, content_hash = excluded.content_hash,
				updated_at = excluded.updated_at
			WHERE d.content_hash <> excluded.content_hash
			RETURNING d.id, d.external_id, d.version, d.receiver, d.status, d.body, d.content_hash
		), v AS (
			INSERT INTO document_versions (document_id, version, receiver, status, body, content_hash, message_id,
				created_at)
			SELECT up.id, up.version, up.receiver, up.status, up.body, up.content_hash, $9, $10 FROM up
		)
		SELECT id, external_id, version FROM up`,
		ids, extIDs, receivers, statuses, bodies, hashes, doctype, sender, messageID, t)
	if err != nil {
		return nil, fmt.Errorf("storing %d %s documents: %w", n, doctype, err)
	}
	var (
		id, ext string
		version int
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &ext, &version}, func() error {
		i, ok := index[ext]
		if !ok {
			return fmt.Errorf("stored %s %q that was not given", doctype, ext)
		}
		r := &results[i]
		r.DocumentID, r.Version, r.Previous, r.Changed = id, version, version-1, true
		r.Deliveries = store.PendingDeliveries(id, version, messageID, r.Input, t, newID)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storing %d %s documents: %w", n, doctype, err)
	}
	var ds []store.Delivery
	for _, r := range results {
		ds = append(ds, r.Deliveries...)
	}
	if err := insertDeliveries(ctx, tx, t, ds); err != nil {
		return nil, err
	}
	return results, nil
}

// insertDeliveries stores new deliveries (as store.PendingDeliveries makes
// them) in one statement.
func insertDeliveries(ctx context.Context, tx pgx.Tx, t time.Time, ds []store.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	n := len(ds)
	ids, docIDs, msgIDs, doctypes := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	senders, receivers, channels, formats := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	statuses, versions, configs := make([]string, n), make([]int32, n), make([][]byte, n)
	for i, d := range ds {
		ids[i], docIDs[i], msgIDs[i], doctypes[i] = d.ID, d.DocumentID, d.MessageID, d.Doctype
		senders[i], receivers[i], channels[i], formats[i] = d.Sender, d.Receiver, d.Channel, d.Format
		statuses[i], versions[i], configs[i] = string(d.Status), int32(d.Version), d.Config
	}
	if _, err := tx.Exec(ctx, `INSERT INTO deliveries (id, document_id, version, message_id, doctype, sender, receiver,
			channel, format, config, status, attempts, next_attempt_at, created_at, updated_at)
		SELECT u.id, u.document_id, u.version, u.message_id, u.doctype, u.sender, u.receiver, u.channel, u.format,
			u.config, u.status, 0, $12, $12, $12
		FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::text[],
			$8::text[], $9::text[], $10::bytea[], $11::text[])
			AS u(id, document_id, version, message_id, doctype, sender, receiver, channel, format, config, status)`,
		ids, docIDs, versions, msgIDs, doctypes, senders, receivers, channels, formats, configs, statuses, t); err != nil {
		return fmt.Errorf("inserting %d deliveries: %w", n, err)
	}
	return nil
}
