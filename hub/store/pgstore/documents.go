package pgstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

const documentCols = `d.id, d.doctype, d.sender, d.receiver, d.external_id, d.status, d.version,
	d.message_id, d.body, d.created_at, d.updated_at`

func scanDocument(row pgx.Row) (store.Document, error) {
	var (
		d    store.Document
		body []byte
	)
	if err := row.Scan(&d.ID, &d.Doctype, &d.Sender, &d.Receiver, &d.ExternalID, &d.Status, &d.Version,
		&d.MessageID, &body, &d.CreatedAt, &d.UpdatedAt); err != nil {
		return store.Document{}, err
	}
	d.Body = body
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return d, nil
}

// documentScope is the SQL condition for documents a partner may see: it
// sent them, they are addressed to it, or one of their deliveries is.
func documentScope(p string) string {
	return "d.sender = " + p + " OR d.receiver = " + p +
		" OR EXISTS (SELECT 1 FROM deliveries x WHERE x.document_id = d.id AND x.receiver = " + p + ")"
}

// GetDocument returns the current version of a document; ErrNotFound if
// absent or outside the scope.
func (s *Store) GetDocument(ctx context.Context, scope store.Scope, id string) (store.Document, error) {
	var q query
	q.and("d.id = " + q.arg(id))
	q.scope(scope, documentScope)
	d, err := scanDocument(s.pool.QueryRow(ctx, `SELECT `+documentCols+` FROM documents d`+q.sql(), q.args...))
	if err != nil {
		return store.Document{}, notFound(err, fmt.Sprintf("getting document %s", id))
	}
	return d, nil
}

// GetDocumentVersion returns one version of a document: its body,
// receiver, status and message as of that version; UpdatedAt is when the
// version was stored. ErrNotFound if absent or outside the scope.
func (s *Store) GetDocumentVersion(ctx context.Context, scope store.Scope, id string, version int) (store.Document, error) {
	var q query
	q.and("d.id = " + q.arg(id))
	q.and("v.version = " + q.arg(version))
	q.scope(scope, documentScope)
	d, err := scanDocument(s.pool.QueryRow(ctx, `
		SELECT d.id, d.doctype, d.sender, v.receiver, d.external_id, v.status, v.version,
			v.message_id, v.body, d.created_at, v.created_at
		FROM documents d JOIN document_versions v ON v.document_id = d.id`+q.sql(), q.args...))
	if err != nil {
		return store.Document{}, notFound(err, fmt.Sprintf("getting version %d of document %s", version, id))
	}
	return d, nil
}

// ListDocuments returns current versions the scope may see, newest update
// first.
func (s *Store) ListDocuments(ctx context.Context, scope store.Scope, f store.DocumentFilter) ([]store.Document, string, error) {
	c, err := store.DecodeCursor(f.Cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing documents: %w", err)
	}
	limit := store.PageLimit(f.Limit)
	var q query
	q.scope(scope, documentScope)
	q.eq("d.doctype", f.Doctype)
	q.eq("d.external_id", f.ExternalID)
	q.eq("d.sender", f.Sender)
	q.eq("d.receiver", f.Receiver)
	q.eq("d.status", f.Status)
	q.timeRange("d.updated_at", f.Since, f.Until)
	q.after(c, "d.updated_at", "d.id", true)
	rows, err := s.pool.Query(ctx, `SELECT `+documentCols+` FROM documents d`+q.sql()+
		q.page("d.updated_at", "d.id", true, limit), q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("listing documents: %w", err)
	}
	ds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Document, error) { return scanDocument(r) })
	if err != nil {
		return nil, "", fmt.Errorf("listing documents: %w", err)
	}
	ds, next := store.TrimPage(ds, limit, func(d store.Document) (time.Time, string) { return d.UpdatedAt, d.ID })
	return ds, next, nil
}

// CommitMessage stores the documents of a message (content equal to the
// current version is a no-op; anything else is a new version), creates the
// deliveries of each new version (pending, due now), stores outbox(results)
// and marks the message done with every document's id, all in one
// transaction. It is CommitPartial with no rejected rows.
func (s *Store) CommitMessage(ctx context.Context, messageID string, docs []store.DocumentInput, outbox store.OutboxFunc) ([]store.DocumentResult, error) {
	return s.CommitPartial(ctx, messageID, docs, nil, outbox)
}

// CommitPartial is CommitMessage for a file imported with on_error:
// import_valid: the done message keeps rejected (the rows left out) as its
// Errors. The message must be in received or processing (ErrConflict
// otherwise; ErrNotFound if absent).
//
// Documents are locked in key order, so concurrent commits touching the
// same documents queue behind each other instead of deadlocking; results
// keep the order of docs.
func (s *Store) CommitPartial(ctx context.Context, messageID string, docs []store.DocumentInput, rejected []store.DataError, outbox store.OutboxFunc) ([]store.DocumentResult, error) {
	var results []store.DocumentResult
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := lockPendingMessage(ctx, tx, messageID); err != nil {
			return err
		}
		t := now()
		results = make([]store.DocumentResult, len(docs))
		for _, i := range keyOrder(docs) {
			r, err := commitDocument(ctx, tx, t, messageID, docs[i])
			if err != nil {
				return fmt.Errorf("storing %s %q of %q: %w", docs[i].Doctype, docs[i].ExternalID, docs[i].Sender, err)
			}
			results[i] = r
		}
		if outbox != nil {
			if err := insertOutbox(ctx, tx, t, outbox(results)...); err != nil {
				return err
			}
		}
		ids := make([]string, len(results))
		for i, r := range results {
			ids[i] = r.DocumentID
		}
		return markDone(ctx, tx, t, messageID, ids, rejected)
	})
	if err != nil {
		return nil, fmt.Errorf("committing message %s: %w", messageID, err)
	}
	return results, nil
}

// lockPendingMessage locks a message that is to be finished: it must be in
// received or processing (ErrConflict otherwise; ErrNotFound if absent).
func lockPendingMessage(ctx context.Context, tx pgx.Tx, id string) (store.Message, error) {
	m, err := lockMessage(ctx, tx, store.OperatorScope(), id)
	if err != nil {
		return store.Message{}, err
	}
	if err := store.CheckMessageFinish(m.Status); err != nil {
		return store.Message{}, err
	}
	return m, nil
}

// markDone marks a message done with its documents' ids and the rows left
// out for errors (NULL when there are none).
func markDone(ctx context.Context, tx pgx.Tx, at time.Time, id string, docIDs []string, rejected []store.DataError) error {
	var errJSON []byte
	if len(rejected) > 0 {
		var err error
		if errJSON, err = json.Marshal(rejected); err != nil {
			return fmt.Errorf("encoding rejected rows: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE messages
		SET status = $2, document_ids = $3, errors = $4, finished_at = $5, updated_at = $5
		WHERE id = $1`, id, store.StatusDone, docIDs, errJSON, at); err != nil {
		return fmt.Errorf("marking message done: %w", err)
	}
	return nil
}

// keyOrder returns the indexes of docs sorted by document key.
func keyOrder(docs []store.DocumentInput) []int {
	idx := make([]int, len(docs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		da, db := docs[a], docs[b]
		if c := cmp.Compare(da.Sender, db.Sender); c != 0 {
			return c
		}
		if c := cmp.Compare(da.Doctype, db.Doctype); c != 0 {
			return c
		}
		return cmp.Compare(da.ExternalID, db.ExternalID)
	})
	return idx
}

// commitDocument stores one document inside tx. The insert of a new key
// waits for (and then yields to) a concurrent insert of the same key; the
// row lock then serialises version numbers.
func commitDocument(ctx context.Context, tx pgx.Tx, t time.Time, messageID string, in store.DocumentInput) (store.DocumentResult, error) {
	res := store.DocumentResult{Input: in}
	body := store.JSONBody(in.Body)
	id := newID()
	var docID string
	err := tx.QueryRow(ctx, `
		INSERT INTO documents (id, doctype, sender, receiver, external_id, status, version, message_id,
			body, content_hash, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9, $10, $10)
		ON CONFLICT ON CONSTRAINT documents_key DO NOTHING
		RETURNING id`,
		id, in.Doctype, in.Sender, in.Receiver, in.ExternalID, in.Status, messageID, body,
		in.ContentHash, t).Scan(&docID)
	switch {
	case err == nil:
		res.DocumentID = docID
		res.Version, res.Changed = store.NextVersion(0, "", in.ContentHash)
	case errors.Is(err, pgx.ErrNoRows):
		var current int
		var hash string
		if err := tx.QueryRow(ctx, `SELECT id, version, content_hash FROM documents
			WHERE sender = $1 AND doctype = $2 AND external_id = $3 FOR UPDATE`,
			in.Sender, in.Doctype, in.ExternalID).Scan(&docID, &current, &hash); err != nil {
			return res, fmt.Errorf("locking current version: %w", err)
		}
		res.DocumentID, res.Previous = docID, current
		if res.Version, res.Changed = store.NextVersion(current, hash, in.ContentHash); !res.Changed {
			return res, nil
		}
		if _, err := tx.Exec(ctx, `UPDATE documents
			SET receiver = $2, status = $3, version = $4, message_id = $5, body = $6, content_hash = $7,
				updated_at = $8
			WHERE id = $1`, docID, in.Receiver, in.Status, res.Version, messageID, body,
			in.ContentHash, t); err != nil {
			return res, fmt.Errorf("updating current version: %w", err)
		}
	default:
		return res, fmt.Errorf("inserting document: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO document_versions (document_id, version, receiver, status, body,
			content_hash, message_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, docID, res.Version, in.Receiver, in.Status, body,
		in.ContentHash, messageID, t); err != nil {
		return res, fmt.Errorf("inserting version %d: %w", res.Version, err)
	}
	res.Deliveries = store.PendingDeliveries(docID, res.Version, messageID, in, t, newID)
	for _, d := range res.Deliveries {
		if _, err := tx.Exec(ctx, `INSERT INTO deliveries (id, document_id, version, message_id, doctype,
				sender, receiver, channel, format, config, status, attempts, next_attempt_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $12, $12, $12)`,
			d.ID, d.DocumentID, d.Version, d.MessageID, d.Doctype, d.Sender, d.Receiver, d.Channel, d.Format,
			d.Config, d.Status, t); err != nil {
			return res, fmt.Errorf("inserting delivery to %q over %s: %w", d.Receiver, d.Channel, err)
		}
	}
	return res, nil
}
