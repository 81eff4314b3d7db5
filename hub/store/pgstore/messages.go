package pgstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

// messageCols are the columns of a message (its body is in
// message_chunks).
const messageCols = `id, partner, doctype, format, source, filename, mapping, sha256, size,
	status, errors, attempts, document_ids, received_at, updated_at, finished_at`

// scanMessage reads a row of messageCols.
func scanMessage(row pgx.Row) (store.Message, error) {
	var (
		m      store.Message
		errs   []byte
		docIDs []string
	)
	dest := []any{&m.ID, &m.Partner, &m.Doctype, &m.Format, &m.Source, &m.Filename, &m.Mapping,
		&m.SHA256, &m.Size, &m.Status, &errs, &m.Attempts, &docIDs, &m.ReceivedAt, &m.UpdatedAt, &m.FinishedAt}
	if err := row.Scan(dest...); err != nil {
		return store.Message{}, err
	}
	if len(errs) > 0 {
		if err := json.Unmarshal(errs, &m.Errors); err != nil {
			return store.Message{}, fmt.Errorf("decoding errors of message %s: %w", m.ID, err)
		}
	}
	if len(m.Errors) == 0 {
		m.Errors = nil
	}
	if len(docIDs) > 0 {
		m.DocumentIDs = docIDs
	}
	m.ReceivedAt, m.UpdatedAt = m.ReceivedAt.UTC(), m.UpdatedAt.UTC()
	m.FinishedAt = utcPtr(m.FinishedAt)
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

// InsertMessages stores raw messages idempotently in one transaction, keyed
// as InsertMessage is, each with the outbox row built by inbound when it is
// new. A duplicate (of a stored message or of an earlier one in ms, with the
// same mapping) returns the existing message
// with created false and stores no outbox row. Concurrent batches that
// share messages create exactly one row per message, and exactly one caller
// reports it created; rows are inserted in key order, so such batches wait
// on each other instead of deadlocking. On error nothing is stored.
// inbound must have no side effects: a transaction that PostgreSQL aborts
// (deadlock, serialization failure) is run again, calling it again.
func (s *Store) InsertMessages(ctx context.Context, ms []store.NewMessage, inbound func(i int, id string) store.NewOutbox) ([]store.Message, []bool, error) {
	msgs, created, err := s.insertMessages(ctx, ms, inbound)
	if err != nil {
		return nil, nil, fmt.Errorf("inserting %d messages: %w", len(ms), err)
	}
	return msgs, created, nil
}

// messageKey is the idempotency key of a message: the same bytes with
// another mapping are another message.
type messageKey struct{ partner, doctype, format, mapping, sha256 string }

// compare orders keys bytewise, field by field.
func (k messageKey) compare(o messageKey) int {
	return cmp.Or(strings.Compare(k.partner, o.partner), strings.Compare(k.doctype, o.doctype),
		strings.Compare(k.format, o.format), strings.Compare(k.mapping, o.mapping),
		strings.Compare(k.sha256, o.sha256))
}

// keyOf returns the key of a stored message.
func keyOf(m store.Message) messageKey {
	return messageKey{m.Partner, m.Doctype, m.Format, m.Mapping, m.SHA256}
}

// batchRows are the distinct messages of a batch as column arrays, in key
// order, ready for unnest.
type batchRows struct {
	// first is the index in the batch of each key's first message.
	first map[messageKey]int
	// keys are the keys of every message of the batch, in batch order.
	keys []messageKey
	// The columns of the distinct messages, in key order.
	partners, doctypes, formats, hashes []string
	sources, filenames, mappings        []string
	sizes                               []int32
	// bodies are the bodies of the distinct messages, in key order.
	bodies [][]byte
}

// newBatchRows checks the messages and lays the distinct ones out in key
// order.
func newBatchRows(ms []store.NewMessage) (*batchRows, error) {
	b := &batchRows{first: make(map[messageKey]int, len(ms)), keys: make([]messageKey, len(ms))}
	var distinct []int
	for i, nm := range ms {
		hash, err := store.HashNewMessage(nm)
		if err != nil {
			return nil, fmt.Errorf("message %d: %w", i, err)
		}
		b.keys[i] = messageKey{nm.Partner, nm.Doctype, nm.Format, nm.Mapping, hash}
		if _, ok := b.first[b.keys[i]]; !ok {
			b.first[b.keys[i]] = i
			distinct = append(distinct, i)
		}
	}
	slices.SortFunc(distinct, func(x, y int) int { return b.keys[x].compare(b.keys[y]) })
	for _, i := range distinct {
		nm, k := ms[i], b.keys[i]
		b.partners = append(b.partners, k.partner)
		b.doctypes = append(b.doctypes, k.doctype)
		b.formats = append(b.formats, k.format)
		b.sources = append(b.sources, nm.Source)
		b.filenames = append(b.filenames, nm.Filename)
		b.mappings = append(b.mappings, k.mapping)
		b.hashes = append(b.hashes, k.sha256)
		b.sizes = append(b.sizes, int32(len(nm.Body)))
		b.bodies = append(b.bodies, nm.Body)
	}
	return b, nil
}

// insertMessages is InsertMessages without the error context. The new rows
// go in with one INSERT … ON CONFLICT DO NOTHING; the duplicates are then
// read with one SELECT, which (READ COMMITTED, a new snapshot per
// statement) sees any row a concurrent batch committed while the INSERT
// waited for it.
func (s *Store) insertMessages(ctx context.Context, ms []store.NewMessage, inbound func(i int, id string) store.NewOutbox) ([]store.Message, []bool, error) {
	if len(ms) == 0 {
		return []store.Message{}, []bool{}, nil
	}
	b, err := newBatchRows(ms)
	if err != nil {
		return nil, nil, err
	}
	var (
		msgs    []store.Message
		created []bool
	)
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		// Everything is rebuilt on each attempt: inTx may run fn again.
		msgs, created = make([]store.Message, len(ms)), make([]bool, len(ms))
		t := now()
		ids := make([]string, len(b.hashes))
		for i := range ids {
			ids[i] = newID()
		}
		rows, err := tx.Query(ctx, `
			INSERT INTO messages (id, partner, doctype, format, source, filename, mapping, sha256, size,
				status, attempts, received_at, updated_at)
			SELECT u.id, u.partner, u.doctype, u.format, u.source, u.filename, u.mapping, u.sha256, u.size,
				$10, 0, $11, $11
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
				$8::text[], $9::integer[]) WITH ORDINALITY
				AS u(id, partner, doctype, format, source, filename, mapping, sha256, size, ord)
			ORDER BY u.ord
			ON CONFLICT ON CONSTRAINT messages_idempotency_key DO NOTHING
			RETURNING `+messageCols,
			ids, b.partners, b.doctypes, b.formats, b.sources, b.filenames, b.mappings, b.hashes, b.sizes,
			store.StatusReceived, t)
		if err != nil {
			return fmt.Errorf("inserting new messages: %w", err)
		}
		inserted, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Message, error) { return scanMessage(r) })
		if err != nil {
			return fmt.Errorf("inserting new messages: %w", err)
		}
		var chunks chunkRows
		for _, m := range inserted {
			i := b.first[keyOf(m)]
			msgs[i], created[i] = m, true
			chunks.add(m.ID, ms[i].Body)
		}
		if err := chunks.insert(ctx, tx); err != nil {
			return err
		}
		if len(inserted) < len(b.hashes) {
			if err := readExisting(ctx, tx, b, msgs); err != nil {
				return err
			}
		}
		for i, k := range b.keys {
			if j := b.first[k]; j != i {
				msgs[i] = msgs[j]
			}
		}
		return insertOutbox(ctx, tx, t, store.InboundOutbox(msgs, created, inbound)...)
	})
	if err != nil {
		return nil, nil, err
	}
	return msgs, created, nil
}

// readExisting fills msgs, at the index of each key's first message, with
// the stored rows of the batch's keys that the INSERT skipped.
func readExisting(ctx context.Context, tx pgx.Tx, b *batchRows, msgs []store.Message) error {
	var partners, doctypes, formats, mappings, hashes []string
	for k, i := range b.first {
		if msgs[i].ID == "" {
			partners, doctypes, formats = append(partners, k.partner), append(doctypes, k.doctype), append(formats, k.format)
			mappings, hashes = append(mappings, k.mapping), append(hashes, k.sha256)
		}
	}
	rows, err := tx.Query(ctx, `SELECT `+messageCols+` FROM messages
		WHERE (partner, doctype, format, mapping, sha256) IN (
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]))`,
		partners, doctypes, formats, mappings, hashes)
	if err != nil {
		return fmt.Errorf("reading existing messages: %w", err)
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Message, error) { return scanMessage(r) })
	if err != nil {
		return fmt.Errorf("reading existing messages: %w", err)
	}
	for _, m := range found {
		msgs[b.first[keyOf(m)]] = m
	}
	if len(found) != len(hashes) {
		return fmt.Errorf("%d of %d duplicate messages were not found", len(hashes)-len(found), len(hashes))
	}
	return nil
}

// messageScope is the SQL condition for messages a partner may see.
func messageScope(p string) string { return "partner = " + p }

// GetMessage returns a message without its body; ErrNotFound if absent
// or outside the scope.
func (s *Store) GetMessage(ctx context.Context, scope store.Scope, id string) (store.Message, error) {
	var q query
	q.and("id = " + q.arg(id))
	q.scope(scope, messageScope)
	m, err := scanMessage(s.pool.QueryRow(ctx, `SELECT `+messageCols+` FROM messages`+q.sql(), q.args...))
	if err != nil {
		return store.Message{}, notFound(err, fmt.Sprintf("getting message %s", id))
	}
	return m, nil
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
	sql := `SELECT ` + messageCols + ` FROM messages` + q.sql() + q.page("received_at", "id", true, limit)
	rows, err := s.pool.Query(ctx, sql, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("listing messages: %w", err)
	}
	ms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Message, error) { return scanMessage(r) })
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
	m, err := scanMessage(s.pool.QueryRow(ctx, `
		UPDATE messages SET status = $2, attempts = attempts + 1, updated_at = $3
		WHERE id = $1 AND status IN ('received', 'processing')
		RETURNING `+messageCols, id, store.StatusProcessing, now()))
	if err == nil {
		return m, true, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return store.Message{}, false, fmt.Errorf("starting processing of message %s: %w", id, err)
	}
	m, err = scanMessage(s.pool.QueryRow(ctx, `SELECT `+messageCols+` FROM messages WHERE id = $1`, id))
	if err != nil {
		return store.Message{}, false, notFound(err, fmt.Sprintf("starting processing of message %s", id))
	}
	return m, false, nil
}

// lockMessage reads a message inside tx and locks its row; the scope
// applies (ErrNotFound outside it).
func lockMessage(ctx context.Context, tx pgx.Tx, scope store.Scope, id string) (store.Message, error) {
	var q query
	q.and("id = " + q.arg(id))
	q.scope(scope, messageScope)
	m, err := scanMessage(tx.QueryRow(ctx, `SELECT `+messageCols+` FROM messages`+q.sql()+` FOR UPDATE`, q.args...))
	if err != nil {
		return store.Message{}, notFound(err, "locking message")
	}
	return m, nil
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
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		m, err := lockMessage(ctx, tx, store.OperatorScope(), id)
		if err != nil {
			return err
		}
		if err := store.CheckMessageFinish(m.Status); err != nil {
			return err
		}
		t := now()
		if _, err := tx.Exec(ctx, `UPDATE messages SET status = $2, errors = $3, finished_at = $4, updated_at = $4
			WHERE id = $1`, id, status, errJSON, t); err != nil {
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
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		m, err := lockMessage(ctx, tx, scope, id)
		if err != nil {
			return err
		}
		if err := store.CheckMessageReplay(m.Status); err != nil {
			return err
		}
		t := now()
		out, err = scanMessage(tx.QueryRow(ctx, `UPDATE messages
			SET status = $2, errors = NULL, finished_at = NULL, updated_at = $3
			WHERE id = $1 RETURNING `+messageCols, id, store.StatusReceived, t))
		if err != nil {
			return fmt.Errorf("updating message: %w", err)
		}
		if err := resolveDeadLetters(ctx, tx, t, store.DeadLetterMessage, id); err != nil {
			return err
		}
		return insertOutbox(ctx, tx, t, inbound)
	})
	if err != nil {
		return store.Message{}, fmt.Errorf("replaying message %s: %w", id, err)
	}
	return out, nil
}

// PendingMessages lists ids of messages in received or processing whose
// last update is older than before, oldest first (limit 0 means 100).
func (s *Store) PendingMessages(ctx context.Context, before time.Time, limit int) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT id FROM messages
		WHERE status IN ('received', 'processing') AND updated_at < $1
		ORDER BY updated_at, id LIMIT $2`, norm(before), store.PageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("listing pending messages: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("listing pending messages: %w", err)
	}
	return ids, nil
}
