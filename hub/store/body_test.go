package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// chunkSource serves a body's chunks from memory and counts the fetches.
type chunkSource struct {
	chunks  []store.Chunk
	fetched []int64 // Pos of each chunk handed out, in order
	err     error
}

func (s *chunkSource) fetch(_ context.Context, off int64) (store.Chunk, error) {
	if s.err != nil {
		return store.Chunk{}, s.err
	}
	for i := len(s.chunks) - 1; i >= 0; i-- {
		if s.chunks[i].Pos <= off {
			s.fetched = append(s.fetched, s.chunks[i].Pos)
			return s.chunks[i], nil
		}
	}
	return store.Chunk{}, store.ErrNotFound
}

func newSource(body []byte) (*chunkSource, *store.BodyReader) {
	src := &chunkSource{chunks: store.Chunks(body)}
	return src, store.NewBodyReader(context.Background(), int64(len(body)), src.fetch)
}

// TestBodyReaderFetches checks the two-chunk cache against the reads it is
// for: a sequential read fetches each chunk once, and the xlsx reader's
// look at the end before it reads from the start costs one fetch more.
func TestBodyReaderFetches(t *testing.T) {
	t.Parallel()
	const c = store.ChunkSize
	body := make([]byte, 4*c+5)
	for i := range body {
		body[i] = byte(i % 251)
	}

	src, r := newSource(body)
	got, err := io.ReadAll(iotest.HalfReader(r))
	require.NoError(t, err)
	require.True(t, bytes.Equal(body, got))
	require.Equal(t, []int64{0, c, 2 * c, 3 * c, 4 * c}, src.fetched, "each chunk once, in order")

	src, r = newSource(body)
	tail := make([]byte, 22)
	_, err = r.ReadAt(tail, int64(len(body)-22))
	require.NoError(t, err)
	_, err = io.Copy(io.Discard, io.NewSectionReader(r, 0, r.Size()))
	require.NoError(t, err)
	require.Equal(t, []int64{3 * c, 4 * c, 0, c, 2 * c, 3 * c, 4 * c}, src.fetched,
		"the end (22 bytes over the last two chunks), then every chunk once from the start")

	src, r = newSource(body)
	for _, off := range []int64{c - 1, c, c - 1, 0, c + 7} {
		_, err := r.ReadAt(make([]byte, 1), off)
		require.NoError(t, err)
	}
	require.Equal(t, []int64{0, c}, src.fetched, "reads back and forth over one boundary are served from the cache")
}

// TestBodyReaderErrors checks that a failed fetch, and a store that hands
// back a chunk not holding the offset asked for, are errors, not short
// reads.
func TestBodyReaderErrors(t *testing.T) {
	t.Parallel()
	body := []byte("SKU,Price\nA-1,9.50\n")
	src, r := newSource(body)
	src.err = errors.New("connection refused")
	_, err := r.ReadAt(make([]byte, 4), 0)
	require.ErrorIs(t, err, src.err)

	short := store.NewBodyReader(context.Background(), 100, func(context.Context, int64) (store.Chunk, error) {
		return store.Chunk{Pos: 0, Data: []byte("only ten b")}, nil
	})
	n, err := short.ReadAt(make([]byte, 20), 0)
	require.Equal(t, 10, n)
	require.ErrorContains(t, err, "no stored chunk holds it")

	var none store.Body
	_, err = store.BodyBytes(none)
	require.Error(t, err, "a body that was never opened")
}

// TestChunker checks that a body cut while it is read comes out in chunks
// of ChunkSize at consecutive offsets, with its size and SHA-256, however
// the reader hands it out; and that a reader's error names the offset.
func TestChunker(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, store.ChunkSize, 2*store.ChunkSize + 3} {
		body := bytes.Repeat([]byte{'x'}, n)
		ch := store.NewChunker(iotest.OneByteReader(bytes.NewReader(body)))
		if n > 4096 {
			ch = store.NewChunker(iotest.HalfReader(bytes.NewReader(body)))
		}
		var got []byte
		var sizes []int
		for c, ok := ch.Next(); ok; c, ok = ch.Next() {
			require.Equal(t, int64(len(got)), c.Pos, "size %d", n)
			got = append(got, c.Data...)
			sizes = append(sizes, len(c.Data))
		}
		require.NoError(t, ch.Err())
		require.Equal(t, body, append([]byte{}, got...))
		require.Equal(t, int64(n), ch.Size())
		sum := sha256.Sum256(body)
		require.Equal(t, hex.EncodeToString(sum[:]), ch.SHA256())
		var want []int
		for _, c := range store.Chunks(body) {
			want = append(want, len(c.Data))
		}
		require.Equal(t, want, sizes, "streamed and whole bodies are cut alike (size %d)", n)
	}

	cut := errors.New("unexpected EOF from the client")
	ch := store.NewChunker(io.MultiReader(bytes.NewReader(make([]byte, store.ChunkSize+10)), iotest.ErrReader(cut)))
	_, ok := ch.Next()
	require.True(t, ok)
	_, ok = ch.Next()
	require.False(t, ok)
	require.ErrorIs(t, ch.Err(), cut)
	require.ErrorContains(t, ch.Err(), "offset 1048586")
}
