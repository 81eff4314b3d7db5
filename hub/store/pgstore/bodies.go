package pgstore

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

// chunkRows are the chunks of bodies held in memory (a batch of small
// messages), as columns for one INSERT … unnest.
type chunkRows struct {
	ids  []string
	pos  []int64
	data [][]byte
}

// add cuts a message's body into chunks.
func (c *chunkRows) add(id string, body []byte) {
	for _, ch := range store.Chunks(body) {
		c.ids, c.pos, c.data = append(c.ids, id), append(c.pos, ch.Pos), append(c.data, ch.Data)
	}
}

// insert stores the chunks.
func (c *chunkRows) insert(ctx context.Context, tx pgx.Tx) error {
	if len(c.ids) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO message_chunks (message_id, pos, data)
		SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[])`, c.ids, c.pos, c.data)
	if err != nil {
		return fmt.Errorf("storing message bodies: %w", err)
	}
	return nil
}

// errDuplicate ends the transaction of a streamed message whose key is
// stored already: rolling back discards its chunks.
var errDuplicate = errors.New("duplicate message")

// InsertMessageFrom stores one raw message whose body is read from r: the
// chunks go in with one COPY as r is read and hashed, then the message row
// (INSERT … ON CONFLICT DO NOTHING) and its outbox row, in one
// transaction. A duplicate's chunks are rolled back and the stored message
// is returned with created false. The transaction is not run again on a
// deadlock or serialization failure (r cannot be read twice): the error is
// returned.
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
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		id := newID()
		ch, err := copyChunks(ctx, tx, id, r)
		if err != nil {
			return err
		}
		t := now()
		m, err = scanMessage(tx.QueryRow(ctx, `
			INSERT INTO messages (id, partner, doctype, format, source, filename, mapping, sha256, size,
				status, attempts, received_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $11)
			ON CONFLICT ON CONSTRAINT messages_idempotency_key DO NOTHING
			RETURNING `+messageCols,
			id, nm.Partner, nm.Doctype, nm.Format, nm.Source, nm.Filename, nm.Mapping, ch.SHA256(), ch.Size(),
			store.StatusReceived, t))
		if errors.Is(err, pgx.ErrNoRows) {
			existing, err = scanMessage(tx.QueryRow(ctx, `SELECT `+messageCols+` FROM messages
				WHERE partner = $1 AND doctype = $2 AND format = $3 AND mapping = $4 AND sha256 = $5`,
				nm.Partner, nm.Doctype, nm.Format, nm.Mapping, ch.SHA256()))
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
		return insertOutbox(ctx, tx, t, inbound(m.ID))
	})
	switch {
	case errors.Is(err, errDuplicate):
		return existing, false, nil
	case err != nil:
		return store.Message{}, false, err
	}
	return m, true, nil
}

// copyChunks stores the body read from r as the chunks of message id, with
// one COPY, and returns the Chunker that read it (its size and SHA-256).
// An error of r is returned as it is.
func copyChunks(ctx context.Context, tx pgx.Tx, id string, r io.Reader) (*store.Chunker, error) {
	ch := store.NewChunker(r)
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"message_chunks"}, []string{"message_id", "pos", "data"},
		pgx.CopyFromFunc(func() ([]any, error) {
			c, ok := ch.Next()
			if !ok {
				return nil, ch.Err()
			}
			return []any{id, c.Pos, c.Data}, nil
		}))
	if ch.Err() != nil {
		return nil, ch.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("storing the body: %w", err)
	}
	return ch, nil
}

// OpenBody opens the body of a message the scope may see; its chunks are
// read from the pool as the reader needs them.
func (s *Store) OpenBody(ctx context.Context, scope store.Scope, id string) (*store.BodyReader, error) {
	var q query
	q.and("id = " + q.arg(id))
	q.scope(scope, messageScope)
	var size int64
	if err := s.pool.QueryRow(ctx, `SELECT size FROM messages`+q.sql(), q.args...).Scan(&size); err != nil {
		return nil, notFound(err, fmt.Sprintf("opening the body of message %s", id))
	}
	return store.NewBodyReader(ctx, size, func(ctx context.Context, off int64) (store.Chunk, error) {
		var c store.Chunk
		err := s.pool.QueryRow(ctx, `SELECT pos, data FROM message_chunks
			WHERE message_id = $1 AND pos <= $2 ORDER BY pos DESC LIMIT 1`, id, off).Scan(&c.Pos, &c.Data)
		if err != nil {
			return store.Chunk{}, notFound(err, fmt.Sprintf("reading the body of message %s", id))
		}
		return c, nil
	}), nil
}
