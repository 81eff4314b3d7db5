package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

const documentCols = `d.id, d.doctype, d.sender, d.receiver, d.external_id, d.status, d.version,
	d.message_id, d.body, d.created_at, d.updated_at`

func scanDocument(row rowScanner) (store.Document, error) {
	var (
		d                store.Document
		body             string
		created, updated int64
	)
	if err := row.Scan(&d.ID, &d.Doctype, &d.Sender, &d.Receiver, &d.ExternalID, &d.Status, &d.Version,
		&d.MessageID, &body, &created, &updated); err != nil {
		return store.Document{}, err
	}
	d.Body = json.RawMessage(body)
	d.CreatedAt, d.UpdatedAt = fromUS(created), fromUS(updated)
	return d, nil
}

// documentScope is the SQL condition for documents a partner may see: it
// sent them, they are addressed to it, or one of their deliveries is.
const documentScope = `d.sender = ? OR d.receiver = ?
	OR EXISTS (SELECT 1 FROM deliveries x WHERE x.document_id = d.id AND x.receiver = ?)`

// GetDocument returns the current version of a document; ErrNotFound if
// absent or outside the scope.
func (s *Store) GetDocument(ctx context.Context, scope store.Scope, id string) (store.Document, error) {
	var q query
	q.and("d.id = ?", id)
	q.scope(scope, documentScope)
	d, err := scanDocument(s.r.QueryRowContext(ctx, `SELECT `+documentCols+` FROM documents d`+q.sql(), q.args...))
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
	q.and("d.id = ?", id)
	q.and("v.version = ?", version)
	q.scope(scope, documentScope)
	d, err := scanDocument(s.r.QueryRowContext(ctx, `
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
	text := `SELECT ` + documentCols + ` FROM documents d` + q.sql()
	text += q.page("d.updated_at", "d.id", true, limit)
	ds, err := collect(ctx, s.r, text, q.args, scanDocument)
	if err != nil {
		return nil, "", fmt.Errorf("listing documents: %w", err)
	}
	ds, next := store.TrimPage(ds, limit, func(d store.Document) (time.Time, string) { return d.UpdatedAt, d.ID })
	return ds, next, nil
}

// writeStmts are the statements of the hot write paths (InsertMessages
// runs the message ones once per message, CommitMessage the document ones
// once per document or delivery; every write path stores outbox rows). They are prepared once, at Open, on the writer connection and bound
// to each transaction with tx.StmtContext, which reuses the connection's
// prepared statement instead of compiling the SQL again.
type writeStmts struct {
	current, insertDoc, updateDoc, insertVersion, insertDelivery, insertOutbox *sql.Stmt
	insertMessage, existingMessage, insertChunk                                *sql.Stmt
}

// fields lists the statements with their SQL.
func (cs *writeStmts) fields() []struct {
	dst  **sql.Stmt
	text string
} {
	return []struct {
		dst  **sql.Stmt
		text string
	}{
		{&cs.current, `SELECT id, version, content_hash FROM documents
			WHERE sender = ? AND doctype = ? AND external_id = ?`},
		{&cs.insertDoc, `INSERT INTO documents (id, doctype, sender, receiver, external_id, status, version,
			message_id, body, content_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`},
		{&cs.updateDoc, `UPDATE documents
			SET receiver = ?, status = ?, version = ?, message_id = ?, body = ?, content_hash = ?, updated_at = ?
			WHERE id = ?`},
		{&cs.insertVersion, `INSERT INTO document_versions (document_id, version, receiver, status, body,
			content_hash, message_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`},
		{&cs.insertDelivery, `INSERT INTO deliveries (id, document_id, version, message_id, doctype, sender,
			receiver, channel, format, config, status, attempts, next_attempt_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`},
		{&cs.insertOutbox, `INSERT INTO outbox (subject, msg_id, payload, available_at, created_at)
			VALUES (?, ?, ?, ?, ?)`},
		{&cs.insertMessage, insertMessageSQL},
		{&cs.existingMessage, existingMessageSQL},
		{&cs.insertChunk, insertChunkSQL},
	}
}

// prepareWriteStmts prepares the statements on the writer pool.
func prepareWriteStmts(ctx context.Context, w *sql.DB) (*writeStmts, error) {
	cs := &writeStmts{}
	for _, f := range cs.fields() {
		st, err := w.PrepareContext(ctx, f.text)
		if err != nil {
			cs.close()
			return nil, fmt.Errorf("preparing write statements: %w", err)
		}
		*f.dst = st
	}
	return cs, nil
}

// in returns the statements bound to tx.
func (cs *writeStmts) in(ctx context.Context, tx *sql.Tx) *writeStmts {
	bound := &writeStmts{}
	src, dst := cs.fields(), bound.fields()
	for i := range src {
		*dst[i].dst = tx.StmtContext(ctx, *src[i].dst)
	}
	return bound
}

// close closes the statements that are set.
func (cs *writeStmts) close() {
	for _, f := range cs.fields() {
		if *f.dst != nil {
			_ = (*f.dst).Close()
		}
	}
}

// CommitMessage stores the documents of a message (content equal to the
// current version is a no-op; anything else is a new version), creates the
// deliveries of each new version (pending, due now), stores outbox(results)
// and marks the message done with every document's id, all in one
// transaction. The message must be in received or processing (ErrConflict
// otherwise; ErrNotFound if absent). Write transactions are serialised
// (BEGIN IMMEDIATE), so concurrent commits of the same document key neither
// create two documents nor lose a version. Results keep the order of docs;
// a nil outbox stores no rows. A panic in outbox rolls everything back and
// propagates. It is CommitPartial with no rejected rows.
func (s *Store) CommitMessage(ctx context.Context, messageID string, docs []store.DocumentInput, outbox store.OutboxFunc) ([]store.DocumentResult, error) {
	return s.CommitPartial(ctx, messageID, docs, nil, outbox)
}

// CommitPartial is CommitMessage for a file imported with on_error:
// import_valid: the done message keeps rejected (the rows left out) as its
// Errors; with none, its Errors are cleared.
func (s *Store) CommitPartial(ctx context.Context, messageID string, docs []store.DocumentInput, rejected []store.DataError, outbox store.OutboxFunc) ([]store.DocumentResult, error) {
	var results []store.DocumentResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkFinish(ctx, tx, messageID); err != nil {
			return err
		}
		cs := s.stmts.in(ctx, tx)
		defer cs.close()
		t := now()
		results = make([]store.DocumentResult, len(docs))
		ids := make([]string, len(docs))
		for i, in := range docs {
			r, err := cs.commitDocument(ctx, t, messageID, in)
			if err != nil {
				return fmt.Errorf("storing %s %q of %q: %w", in.Doctype, in.ExternalID, in.Sender, err)
			}
			results[i], ids[i] = r, r.DocumentID
		}
		if outbox != nil {
			if err := cs.insertOutboxRows(ctx, t, outbox(results)...); err != nil {
				return err
			}
		}
		return finishMessage(ctx, tx, t, messageID, ids, rejected)
	})
	if err != nil {
		return nil, fmt.Errorf("committing message %s: %w", messageID, err)
	}
	return results, nil
}

// checkFinish reads a message inside tx and checks that it may be finished
// (received or processing: ErrConflict otherwise, ErrNotFound if absent).
func checkFinish(ctx context.Context, tx *sql.Tx, messageID string) error {
	m, err := getMessage(ctx, tx, store.OperatorScope(), messageID)
	if err != nil {
		return notFound(err, "reading message")
	}
	return store.CheckMessageFinish(m.Status)
}

// finishMessage marks a message done with its document ids and the rows
// left out (NULL errors when there are none).
func finishMessage(ctx context.Context, tx execer, t time.Time, messageID string, ids []string, rejected []store.DataError) error {
	idJSON, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("encoding document ids: %w", err)
	}
	var errs any
	if len(rejected) > 0 {
		b, err := json.Marshal(rejected)
		if err != nil {
			return fmt.Errorf("encoding rejected rows: %w", err)
		}
		errs = string(b)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE messages
		SET status = ?, document_ids = ?, errors = ?, finished_at = ?, updated_at = ?
		WHERE id = ?`, store.StatusDone, string(idJSON), errs, us(t), us(t), messageID); err != nil {
		return fmt.Errorf("marking message done: %w", err)
	}
	return nil
}

// commitDocument stores one document with the prepared statements.
func (cs *writeStmts) commitDocument(ctx context.Context, t time.Time, messageID string, in store.DocumentInput) (store.DocumentResult, error) {
	res := store.DocumentResult{Input: in}
	body := store.JSONBody(in.Body)
	var (
		docID   string
		current int
		hash    string
	)
	err := cs.current.QueryRowContext(ctx, in.Sender, in.Doctype, in.ExternalID).Scan(&docID, &current, &hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		docID = newID()
		if _, err := cs.insertDoc.ExecContext(ctx, docID, in.Doctype, in.Sender, in.Receiver, in.ExternalID,
			in.Status, messageID, body, in.ContentHash, us(t), us(t)); err != nil {
			return res, fmt.Errorf("inserting document: %w", err)
		}
		res.DocumentID = docID
		res.Version, res.Changed = store.NextVersion(0, "", in.ContentHash)
	case err != nil:
		return res, fmt.Errorf("reading current version: %w", err)
	default:
		res.DocumentID, res.Previous = docID, current
		if res.Version, res.Changed = store.NextVersion(current, hash, in.ContentHash); !res.Changed {
			return res, nil
		}
		if _, err := cs.updateDoc.ExecContext(ctx, in.Receiver, in.Status, res.Version, messageID, body,
			in.ContentHash, us(t), docID); err != nil {
			return res, fmt.Errorf("updating current version: %w", err)
		}
	}
	if _, err := cs.insertVersion.ExecContext(ctx, docID, res.Version, in.Receiver, in.Status, body,
		in.ContentHash, messageID, us(t)); err != nil {
		return res, fmt.Errorf("inserting version %d: %w", res.Version, err)
	}
	res.Deliveries = store.PendingDeliveries(docID, res.Version, messageID, in, t, newID)
	for _, d := range res.Deliveries {
		if _, err := cs.insertDelivery.ExecContext(ctx, d.ID, d.DocumentID, d.Version, d.MessageID, d.Doctype,
			d.Sender, d.Receiver, d.Channel, d.Format, nullBytes(d.Config), string(d.Status),
			us(t), us(t), us(t)); err != nil {
			return res, fmt.Errorf("inserting delivery to %q over %s: %w", d.Receiver, d.Channel, err)
		}
	}
	return res, nil
}

// nullBytes stores a nil or empty byte slice as NULL.
func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}
