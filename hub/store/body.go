package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"sync"
)

// ChunkSize is the size of the pieces a raw message body is stored in:
// every chunk but the last holds ChunkSize bytes. Readers do not depend on
// it: a chunk is found by the offset of its first byte, so a body stored
// with another chunk size reads the same.
const ChunkSize = 1 << 20

// MaxBodySize is the largest body a store keeps (sizes are 32-bit
// integers in the messages table).
const MaxBodySize = math.MaxInt32

// Body is a raw message's bytes, read in place rather than held whole: at
// any offset (the xlsx reader reads a zip's directory at the end first)
// and of a known size. *bytes.Reader, *io.SectionReader and the
// *BodyReader of Store.OpenBody are Bodies. Read a Body sequentially
// through io.NewSectionReader(b, 0, b.Size()), never through a read
// position it may share.
type Body interface {
	io.ReaderAt
	Size() int64
}

// BodyBytes reads a whole Body into memory: for bodies known to be small.
func BodyBytes(b Body) ([]byte, error) {
	if b == nil {
		return nil, errors.New("reading a message body: the body was not opened")
	}
	buf := make([]byte, b.Size())
	if _, err := b.ReadAt(buf, 0); err != nil && !(errors.Is(err, io.EOF) && len(buf) == 0) {
		return nil, fmt.Errorf("reading a message body: %w", err)
	}
	return buf, nil
}

// BodyOpener opens stored message bodies; every Store is one.
type BodyOpener interface {
	OpenBody(ctx context.Context, scope Scope, id string) (*BodyReader, error)
}

// ReadBody reads the whole body of a message the scope may see. It is for
// small bodies (JSON documents, a body shown inline); read a large one
// through OpenBody.
func ReadBody(ctx context.Context, o BodyOpener, scope Scope, id string) ([]byte, error) {
	r, err := o.OpenBody(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	b, err := BodyBytes(r)
	if err != nil {
		return nil, fmt.Errorf("message %s: %w", id, err)
	}
	return b, nil
}

// Chunk is one stored piece of a body: Data is the body from byte Pos on.
type Chunk struct {
	Pos  int64
	Data []byte
}

// FetchChunk returns the stored chunk that holds byte off of a body: the
// one with the greatest Pos <= off.
type FetchChunk func(ctx context.Context, off int64) (Chunk, error)

// BodyReader reads a stored body chunk by chunk, fetching each on demand
// and keeping the last two it fetched: a sequential read fetches every
// chunk once, and the xlsx reader's first look at the zip's end costs one
// more fetch. It is an io.Reader, io.Seeker and io.ReaderAt; ReadAt is safe
// for concurrent use (Read and Seek share one offset, like an os.File).
//
// Stored bodies never change, so chunks are read with no transaction
// around them. A BodyReader keeps the ctx it was opened with for its
// fetches: io.ReaderAt takes none, and the reader lives no longer than the
// call that opened it.
type BodyReader struct {
	ctx   context.Context
	size  int64
	fetch FetchChunk

	mu    sync.Mutex
	cache [2]Chunk // the last two chunks fetched, newest first
	off   int64    // Read's offset
}

// NewBodyReader returns a reader over a stored body of size bytes whose
// chunks fetch reads. Stores build it in OpenBody.
func NewBodyReader(ctx context.Context, size int64, fetch FetchChunk) *BodyReader {
	return &BodyReader{ctx: ctx, size: size, fetch: fetch}
}

// Size is the body's length in bytes.
func (r *BodyReader) Size() int64 { return r.size }

// ReadAt reads len(p) bytes from off; fewer only at the end of the body,
// with io.EOF.
func (r *BodyReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("reading a message body at offset %d: negative offset", off)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.readAt(p, off)
}

// readAt is ReadAt with r.mu held.
func (r *BodyReader) readAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) && off < r.size {
		c, err := r.chunk(off)
		if err != nil {
			return n, err
		}
		k := copy(p[n:], c.Data[off-c.Pos:])
		n += k
		off += int64(k)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// chunk returns the chunk holding byte off, from the cache or fetched.
func (r *BodyReader) chunk(off int64) (Chunk, error) {
	for i, c := range r.cache {
		if c.holds(off) {
			if i == 1 {
				r.cache[0], r.cache[1] = c, r.cache[0]
			}
			return c, nil
		}
	}
	c, err := r.fetch(r.ctx, off)
	if err != nil {
		return Chunk{}, fmt.Errorf("reading a message body at offset %d: %w", off, err)
	}
	if !c.holds(off) {
		return Chunk{}, fmt.Errorf("reading a message body at offset %d: no stored chunk holds it (the chunk found covers %d bytes from %d)",
			off, len(c.Data), c.Pos)
	}
	r.cache[1], r.cache[0] = r.cache[0], c
	return c, nil
}

// holds reports whether byte off lies in the chunk.
func (c Chunk) holds(off int64) bool {
	return c.Data != nil && off >= c.Pos && off < c.Pos+int64(len(c.Data))
}

// Read reads from the reader's offset and advances it.
func (r *BodyReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.off >= r.size {
		return 0, io.EOF
	}
	if rest := r.size - r.off; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := r.readAt(p, r.off)
	r.off += int64(n)
	if errors.Is(err, io.EOF) && n > 0 {
		err = nil
	}
	return n, err
}

// Seek sets the offset of the next Read (io.Seeker).
func (r *BodyReader) Seek(offset int64, whence int) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = r.off + offset
	case io.SeekEnd:
		abs = r.size + offset
	default:
		return 0, fmt.Errorf("seeking in a message body: invalid whence %d", whence)
	}
	if abs < 0 {
		return 0, fmt.Errorf("seeking in a message body: negative position %d", abs)
	}
	r.off = abs
	return abs, nil
}

// Chunker cuts a body read from an io.Reader into chunks of ChunkSize
// while computing its SHA-256, reusing one buffer: a chunk's Data is valid
// until the next call of Next. Stores use it to write a body they never
// hold whole.
type Chunker struct {
	r    io.Reader
	buf  []byte
	hash hash.Hash
	pos  int64
	done bool
	err  error
}

// NewChunker returns a Chunker over r.
func NewChunker(r io.Reader) *Chunker {
	return &Chunker{r: r, hash: sha256.New()}
}

// Next returns the next chunk; false at the end of the body or on an
// error (see Err). An empty body has no chunks.
func (c *Chunker) Next() (Chunk, bool) {
	if c.done {
		return Chunk{}, false
	}
	if c.buf == nil {
		c.buf = make([]byte, ChunkSize)
	}
	n, err := io.ReadFull(c.r, c.buf)
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		c.done = true
	case err != nil:
		c.done, c.err = true, fmt.Errorf("reading the message body at offset %d: %w", c.pos+int64(n), err)
		return Chunk{}, false
	}
	if n == 0 {
		return Chunk{}, false
	}
	if c.pos+int64(n) > MaxBodySize {
		c.done, c.err = true, fmt.Errorf("the message body is larger than %d bytes", int64(MaxBodySize))
		return Chunk{}, false
	}
	c.hash.Write(c.buf[:n])
	ch := Chunk{Pos: c.pos, Data: c.buf[:n]}
	c.pos += int64(n)
	return ch, true
}

// Err is the error that ended Next early, if any.
func (c *Chunker) Err() error { return c.err }

// Size is the number of bytes read so far: the body's size once Next has
// returned false without an error.
func (c *Chunker) Size() int64 { return c.pos }

// SHA256 is the hex SHA-256 of the bytes read so far.
func (c *Chunker) SHA256() string { return hex.EncodeToString(c.hash.Sum(nil)) }

// Chunks cuts a body held in memory into chunks of ChunkSize (none for an
// empty body), sharing its bytes: for the small bodies of InsertMessages.
func Chunks(body []byte) []Chunk {
	var out []Chunk
	for pos := 0; pos < len(body); pos += ChunkSize {
		out = append(out, Chunk{Pos: int64(pos), Data: body[pos:min(pos+ChunkSize, len(body))]})
	}
	return out
}
