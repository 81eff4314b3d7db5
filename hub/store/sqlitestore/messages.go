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

// messageCols are the columns of a message (its body is in
// message_chunks).
const messageCols = `id, partner, doctype, format, source, filename, mapping, sha256, size,
	status, errors, attempts, document_ids, received_at, updated_at, finished_at`

// insertMessageSQL inserts a message unless one with its idempotency key
// (partner, doctype, format, mapping, sha256) exists, returning the new row
// (no row for a duplicate). Prepared once, as writeStmts.insertMessage.
const insertMessageSQL = `INSERT INTO messages (id, partner, doctype, format, source, filename, mapping,
	sha256, size, status, attempts, received_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
	ON CONFLICT (partner, doctype, format, mapping, sha256) DO NOTHING
	RETURNING ` + messageCols

// existingMessageSQL reads the message with an idempotency key. Prepared
// once, as writeStmts.existingMessage.
const existingMessageSQL = `SELECT ` + messageCols + ` FROM messages
	WHERE partner = ? AND doctype = ? AND format = ? AND mapping = ? AND sha256 = ?`

// scanMessage reads a row of messageCols.
func scanMessage(row rowScanner) (store.Message, error) {
	var (
		m                 store.Message
		errs, docIDs      sql.NullString
		received, updated int64
		finished          sql.NullInt64
	)
	dest := []any{&m.ID, &m.Partner, &m.Doctype, &m.Format, &m.Source, &m.Filename, &m.Mapping,
		&m.SHA256, &m.Size, &m.Status, &errs, &m.Attempts, &docIDs, &received, &updated, &finished}
	if err := row.Scan(dest...); err != nil {
		return store.Message{}, err
	}
	if errs.Valid {
		if err := json.Unmarshal([]byte(errs.String), &m.Errors); err != nil {
			return store.Message{}, fmt.Errorf("decoding errors of message %s: %w", m.ID, err)
		}
	}
	if len(m.Errors) == 0 {
		m.Errors = nil
	}
	if docIDs.Valid {
		if err := json.Unmarshal([]byte(docIDs.String), &m.DocumentIDs); err != nil {
			return store.Message{}, fmt.Errorf("decoding document ids of message %s: %w", m.ID, err)
		}
	}
	if len(m.DocumentIDs) == 0 {
		m.DocumentIDs = nil
	}
	m.ReceivedAt, m.UpdatedAt, m.FinishedAt = fromUS(received), fromUS(updated), fromNullUS(finished)
	return m, nil
}

// InsertMessage stores one raw message idempotently, keyed by (partner,
// doctype, format, mapping, sha256 of body), with the outbox row built by
// inbound in the same transaction. It is InsertMessages with one message.
func (s *Store) InsertMessage(ctx context.Context, nm store.NewMessage, inbound func(id string) store.NewOutbox) (store.Message, bool, error) {
	var in func(int, string) store.NewOutbox
	if inbound != nil {
		in = func(_ int, id string) store.NewOutbox { return inbound(id) }
	}
	msgs, created, err := s.insertMessages(ctx, []store.NewMessage{nm}, in)
	if err != nil {
		return store.Message{}, false, fmt.Errorf("inserting message of %q: %w", nm.Partner, err)
	}
	return msgs[0], created[0], nil
}

// InsertMessages stores raw messages idempotently in one write transaction,
// keyed as InsertMessage is, each with the outbox row built by inbound when
// it is new. A duplicate (of a stored message or of an earlier one in ms,
// with the same mapping) returns the existing message
// with created false and stores no outbox row. Write transactions are
// serialised, so concurrent batches that share messages create exactly one
// row per message, and exactly one caller reports it created. On error
// nothing is stored.
func (s *Store) InsertMessages(ctx context.Context, ms []store.NewMessage, inbound func(i int, id string) store.NewOutbox) ([]store.Message, []bool, error) {
	msgs, created, err := s.insertMessages(ctx, ms, inbound)
	if err != nil {
		return nil, nil, fmt.Errorf("inserting %d messages: %w", len(ms), err)
	}
	return msgs, created, nil
}

// insertMessages is InsertMessages without the error context. Each message
// is one run of the prepared INSERT … ON CONFLICT DO NOTHING, and, for a
// duplicate, one of the prepared SELECT; within the transaction a repeat of
// an earlier message of the batch is a duplicate like any other.
func (s *Store) insertMessages(ctx context.Context, ms []store.NewMessage, inbound func(i int, id string) store.NewOutbox) ([]store.Message, []bool, error) {
	hashes := make([]string, len(ms))
	for i, nm := range ms {
		hash, err := store.HashNewMessage(nm)
		if err != nil {
			return nil, nil, fmt.Errorf("message %d: %w", i, err)
		}
		hashes[i] = hash
	}
	msgs, created := make([]store.Message, len(ms)), make([]bool, len(ms))
	if len(ms) == 0 {
		return msgs, created, nil
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		insert := tx.StmtContext(ctx, s.stmts.insertMessage)
		defer func() { _ = insert.Close() }()
		existing := tx.StmtContext(ctx, s.stmts.existingMessage)
		defer func() { _ = existing.Close() }()
		chunk := tx.StmtContext(ctx, s.stmts.insertChunk)
		defer func() { _ = chunk.Close() }()
		t := now()
		for i, nm := range ms {
			m, err := scanMessage(insert.QueryRowContext(ctx, newID(), nm.Partner, nm.Doctype, nm.Format,
				nm.Source, nm.Filename, nm.Mapping, hashes[i], len(nm.Body), store.StatusReceived, us(t), us(t)))
			switch {
			case err == nil:
				msgs[i], created[i] = m, true
				for _, c := range store.Chunks(nm.Body) {
					if _, err := chunk.ExecContext(ctx, m.ID, c.Pos, c.Data); err != nil {
						return fmt.Errorf("storing the body of message %d: %w", i, err)
					}
				}
			case errors.Is(err, sql.ErrNoRows):
				m, err = scanMessage(existing.QueryRowContext(ctx, nm.Partner, nm.Doctype, nm.Format, nm.Mapping, hashes[i]))
				if err != nil {
					return fmt.Errorf("reading existing message %d: %w", i, err)
				}
				msgs[i] = m
			default:
				return fmt.Errorf("inserting message %d: %w", i, err)
			}
		}
		return s.insertOutbox(ctx, tx, t, store.InboundOutbox(msgs, created, inbound)...)
	})
	if err != nil {
		return nil, nil, err
	}
	return msgs, created, nil
}

// messageScope is the SQL condition for messages a partner may see.
const messageScope = "partner = ?"

// GetMessage returns a message without its body; ErrNotFound if absent
// or outside the scope.
func (s *Store) GetMessage(ctx context.Context, scope store.Scope, id string) (store.Message, error) {
	m, err := getMessage(ctx, s.r, scope, id)
	if err != nil {
		return store.Message{}, notFound(err, fmt.Sprintf("getting message %s", id))
	}
	return m, nil
}

// getMessage reads one message within the scope.
func getMessage(ctx context.Context, q queryer, scope store.Scope, id string) (store.Message, error) {
	var w query
	w.and("id = ?", id)
	w.scope(scope, messageScope)
	return scanMessage(q.QueryRowContext(ctx, `SELECT `+messageCols+` FROM messages`+w.sql(), w.args...))
}

// ListMessages returns messages newest (received) first, without Body.
func (s *Store) ListMessages(ctx context.Context, scope store.Scope, f store.MessageFilter) ([]store.Message, string, error) {
	c, err := store.DecodeCursor(f.Cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing messages: %w", err)
	}
	limit := store.PageLimit(f.Limit)
	var q query
	q.scope(scope, messageScope)
	q.eq("partner", f.Partner)
	q.eq("doctype", f.Doctype)
	q.eq("status", string(f.Status))
	q.timeRange("received_at", f.Since, f.Until)
	q.after(c, "received_at", "id", true)
	text := `SELECT ` + messageCols + ` FROM messages` + q.sql()
	text += q.page("received_at", "id", true, limit)
	ms, err := collect(ctx, s.r, text, q.args, scanMessage)
	if err != nil {
		return nil, "", fmt.Errorf("listing messages: %w", err)
	}
	ms, next := store.TrimPage(ms, limit, func(m store.Message) (time.Time, string) { return m.ReceivedAt, m.ID })
	return ms, next, nil
}

// StartProcessing moves a message from received or processing to
// processing and counts the attempt. A message in any other status is
// returned unchanged with started false; ErrNotFound if absent.
func (s *Store) StartProcessing(ctx context.Context, id string) (store.Message, bool, error) {
	var (
		out     store.Message
		started bool
	)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		m, err := scanMessage(tx.QueryRowContext(ctx, `
			UPDATE messages SET status = ?, attempts = attempts + 1, updated_at = ?
			WHERE id = ? AND status IN ('received', 'processing')
			RETURNING `+messageCols, store.StatusProcessing, us(now()), id))
		if err == nil {
			out, started = m, true
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		out, err = getMessage(ctx, tx, store.OperatorScope(), id)
		return err
	})
	if err != nil {
		return store.Message{}, false, notFound(err, fmt.Sprintf("starting processing of message %s", id))
	}
	return out, started, nil
}

// FailMessage marks a message failed or dead with its errors and
// finished_at, adds a dead letter (kind "message") and a message_failed
// notification for its partner, in one transaction. The message must be in
// received or processing (ErrConflict otherwise); errs must not be empty.
func (s *Store) FailMessage(ctx context.Context, id string, status store.MessageStatus, errs []store.DataError) error {
	if err := store.CheckMessageFailure(status, errs); err != nil {
		return fmt.Errorf("failing message %s: %w", id, err)
	}
	errJSON, err := json.Marshal(errs)
	if err != nil {
		return fmt.Errorf("failing message %s: encoding errors: %w", id, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		m, err := getMessage(ctx, tx, store.OperatorScope(), id)
		if err != nil {
			return notFound(err, "reading message")
		}
		if err := store.CheckMessageFinish(m.Status); err != nil {
			return err
		}
		t := now()
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET status = ?, errors = ?, finished_at = ?, updated_at = ?
			WHERE id = ?`, status, string(errJSON), us(t), us(t), id); err != nil {
			return fmt.Errorf("updating message: %w", err)
		}
		dl, n := store.MessageFailureRecords(id, m.Partner, status, errs)
		if err := insertDeadLetter(ctx, tx, t, dl); err != nil {
			return err
		}
		_, err = insertNotification(ctx, tx, t, n)
		return err
	})
	if err != nil {
		return fmt.Errorf("failing message %s: %w", id, err)
	}
	return nil
}

// ReplayMessage puts a message back to received, clears its errors and
// finished_at, resolves its open dead letters and stores the outbox row, in
// one transaction. ErrNotFound outside the scope; ErrConflict while it is
// processing. A done message may be replayed.
func (s *Store) ReplayMessage(ctx context.Context, scope store.Scope, id string, inbound store.NewOutbox) (store.Message, error) {
	var out store.Message
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		m, err := getMessage(ctx, tx, scope, id)
		if err != nil {
			return notFound(err, "reading message")
		}
		if err := store.CheckMessageReplay(m.Status); err != nil {
			return err
		}
		t := now()
		out, err = scanMessage(tx.QueryRowContext(ctx, `UPDATE messages
			SET status = ?, errors = NULL, finished_at = NULL, updated_at = ?
			WHERE id = ? RETURNING `+messageCols, store.StatusReceived, us(t), id))
		if err != nil {
			return fmt.Errorf("updating message: %w", err)
		}
		if err := resolveDeadLetters(ctx, tx, t, store.DeadLetterMessage, id); err != nil {
			return err
		}
		return s.insertOutbox(ctx, tx, t, inbound)
	})
	if err != nil {
		return store.Message{}, fmt.Errorf("replaying message %s: %w", id, err)
	}
	return out, nil
}

// PendingMessages lists ids of messages in received or processing whose
// last update is older than before, oldest first (limit 0 means 100).
func (s *Store) PendingMessages(ctx context.Context, before time.Time, limit int) ([]string, error) {
	ids, err := collect(ctx, s.r, `SELECT id FROM messages
		WHERE status IN ('received', 'processing') AND updated_at < ?
		ORDER BY updated_at, id LIMIT ?`, []any{us(before), store.PageLimit(limit)},
		func(r rowScanner) (string, error) {
			var id string
			return id, r.Scan(&id)
		})
	if err != nil {
		return nil, fmt.Errorf("listing pending messages: %w", err)
	}
	return ids, nil
}
