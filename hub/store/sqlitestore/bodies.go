package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"github.com/dealerhub/dealerhub/hub/store"
)

// insertChunkSQL stores one chunk of a body. Prepared once, as
// writeStmts.insertChunk.
const insertChunkSQL = `INSERT INTO message_chunks (message_id, pos, data) VALUES (?, ?, ?)`

// errDuplicate ends the transaction of a streamed message whose key is
// stored already: rolling back discards its chunks.
var errDuplicate = errors.New("duplicate message")

// InsertMessageFrom stores one raw message whose body is read from r: each
// chunk is inserted as it is read and hashed, then the message row (INSERT
// … ON CONFLICT DO NOTHING) and its outbox row, in one write transaction,
// which holds the one writer while r is read. A duplicate's chunks are
// rolled back and the stored message is returned with created false.
func (s *Store) InsertMessageFrom(ctx context.Context, nm store.NewMessage, r io.Reader, inbound func(id string) store.NewOutbox) (store.Message, bool, error) {
	m, created, err := s.insertMessageFrom(ctx, nm, r, inbound)
	if err != nil {
		return store.Message{}, false, fmt.Errorf("inserting message of %q from a stream: %w", nm.Partner, err)
	}
	return m, created, nil
}

func (s *Store) insertMessageFrom(ctx context.Context, nm store.NewMessage, r io.Reader, inbound func(id string) store.NewOutbox) (store.Message, bool, error) {
	if err := store.CheckStreamedMessage(nm); err != nil {
		return store.Message{}, false, err
	}
	var m, existing store.Message
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		id := newID()
		ch, err := s.writeChunks(ctx, tx, id, r)
		if err != nil {
			return err
		}
		insert := tx.StmtContext(ctx, s.stmts.insertMessage)
		defer func() { _ = insert.Close() }()
		t := now()
		m, err = scanMessage(insert.QueryRowContext(ctx, id, nm.Partner, nm.Doctype, nm.Format, nm.Source,
			nm.Filename, nm.Mapping, ch.SHA256(), ch.Size(), store.StatusReceived, us(t), us(t)))
		if errors.Is(err, sql.ErrNoRows) {
			stmt := tx.StmtContext(ctx, s.stmts.existingMessage)
			defer func() { _ = stmt.Close() }()
			existing, err = scanMessage(stmt.QueryRowContext(ctx, nm.Partner, nm.Doctype, nm.Format, nm.Mapping, ch.SHA256()))
			if err != nil {
				return fmt.Errorf("reading the existing message: %w", err)
			}
			return errDuplicate
		}
		if err != nil {
			return fmt.Errorf("inserting the message: %w", err)
		}
		if inbound == nil {
			return nil
		}
		return s.insertOutbox(ctx, tx, t, inbound(m.ID))
	})
	switch {
	case errors.Is(err, errDuplicate):
		return existing, false, nil
	case err != nil:
		return store.Message{}, false, err
	}
	return m, true, nil
}

// writeChunks stores the body read from r as the chunks of message id,
// one INSERT each, and returns the Chunker that read it (its size and
// SHA-256). An error of r is returned as it is.
func (s *Store) writeChunks(ctx context.Context, tx *sql.Tx, id string, r io.Reader) (*store.Chunker, error) {
	ch := store.NewChunker(r)
	insert := tx.StmtContext(ctx, s.stmts.insertChunk)
	defer func() { _ = insert.Close() }()
	for c, ok := ch.Next(); ok; c, ok = ch.Next() {
		if _, err := insert.ExecContext(ctx, id, c.Pos, c.Data); err != nil {
			return nil, fmt.Errorf("storing the body at offset %d: %w", c.Pos, err)
		}
	}
	if err := ch.Err(); err != nil {
		return nil, err
	}
	return ch, nil
}

// OpenBody opens the body of a message the scope may see; its chunks are
// read through the read pool as the reader needs them.
func (s *Store) OpenBody(ctx context.Context, scope store.Scope, id string) (*store.BodyReader, error) {
	var w query
	w.and("id = ?", id)
	w.scope(scope, messageScope)
	var size int64
	if err := s.r.QueryRowContext(ctx, `SELECT size FROM messages`+w.sql(), w.args...).Scan(&size); err != nil {
		return nil, notFound(err, fmt.Sprintf("opening the body of message %s", id))
	}
	return store.NewBodyReader(ctx, size, func(ctx context.Context, off int64) (store.Chunk, error) {
		var c store.Chunk
		err := s.r.QueryRowContext(ctx, `SELECT pos, data FROM message_chunks
			WHERE message_id = ? AND pos <= ? ORDER BY pos DESC LIMIT 1`, id, off).Scan(&c.Pos, &c.Data)
		if err != nil {
			return store.Chunk{}, notFound(err, fmt.Sprintf("reading the body of message %s", id))
		}
		return c, nil
	}), nil
}
