package storetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// bodyCases check raw message bodies stored in chunks: written whole
// (InsertMessage) or streamed (InsertMessageFrom), read back through
// OpenBody at any offset.
func bodyCases() []testCase {
	return []testCase{
		{"Sizes", checkBodySizes},
		{"ReadAt", checkBodyReadAt},
		{"ReadAndSeek", checkBodyReadSeek},
		{"ConcurrentReadAt", checkBodyConcurrentReadAt},
		{"StreamedFields", checkStreamedFields},
		{"StreamedDuplicates", checkStreamedDuplicates},
		{"FailingReaderStoresNothing", checkFailingReader},
		{"StreamRefusesBadMessages", checkStreamRefuses},
		{"OpenBodyScopes", checkOpenBodyScopes},
	}
}

// bodyOf returns n pseudo-random bytes, the same for the same seed.
func bodyOf(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// oddReader hands out its bytes in pieces of 7,777 bytes or fewer, as a
// network stream or a decompressor would, not in whole chunks.
type oddReader struct{ r io.Reader }

func (o oddReader) Read(p []byte) (int, error) { return o.r.Read(p[:min(len(p), 7777)]) }

// streamMessage is a csv message for InsertMessageFrom.
func streamMessage(partner, mapping string) store.NewMessage {
	return store.NewMessage{Partner: partner, Doctype: "price_list", Format: "csv", Source: "cli:big.csv",
		Filename: "big.csv", Mapping: mapping}
}

// hexSHA256 is the hex SHA-256 of b.
func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// checkBodySizes: bodies of every shape read back byte for byte, with
// their size and SHA-256, whether written whole or streamed.
func checkBodySizes(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	sizes := []struct {
		name string
		n    int
	}{
		{"empty", 0},
		{"one byte", 1},
		{"one byte short of a chunk", store.ChunkSize - 1},
		{"exactly one chunk", store.ChunkSize},
		{"one byte over a chunk", store.ChunkSize + 1},
		{"many chunks", 3*store.ChunkSize + 12345},
	}
	for i, sz := range sizes {
		body := bodyOf(sz.n, uint64(i))
		streamed, created, err := f.st.InsertMessageFrom(f.ctx, streamMessage("sup", sz.name), oddReader{bytes.NewReader(body)}, inbound)
		require.NoError(t, err, sz.name)
		require.True(t, created, sz.name)
		whole, created, err := f.st.InsertMessage(f.ctx, store.NewMessage{Partner: "sup", Doctype: "price_list",
			Format: "csv", Mapping: "whole " + sz.name, Body: body}, inbound)
		require.NoError(t, err, sz.name)
		require.True(t, created, sz.name)
		for _, m := range []store.Message{streamed, whole} {
			require.Equal(t, sz.n, m.Size, sz.name)
			require.Equal(t, hexSHA256(body), m.SHA256, sz.name)
			r, err := f.st.OpenBody(f.ctx, store.OperatorScope(), m.ID)
			require.NoError(t, err, sz.name)
			require.Equal(t, int64(sz.n), r.Size(), sz.name)
			got, err := io.ReadAll(r)
			require.NoError(t, err, sz.name)
			require.True(t, bytes.Equal(body, got), "%s: the body reads back as stored (%d bytes read)", sz.name, len(got))
			require.Equal(t, body, append([]byte{}, f.body(m.ID)...), sz.name)
		}
	}
}

// checkBodyReadAt: ReadAt within a chunk, across one and two chunk
// boundaries, at the end and past it.
func checkBodyReadAt(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	const c = store.ChunkSize
	size := 3*c + 100
	body := bodyOf(size, 42)
	m, _, err := f.st.InsertMessageFrom(f.ctx, streamMessage("sup", ""), bytes.NewReader(body), nil)
	require.NoError(t, err)
	r, err := f.st.OpenBody(f.ctx, store.OperatorScope(), m.ID)
	require.NoError(t, err)
	tests := []struct {
		name    string
		off, n  int
		wantN   int
		wantEOF bool
	}{
		{"the end first, as the zip reader does", size - 22, 22, 22, false},
		{"the first bytes", 0, 10, 10, false},
		{"inside the second chunk", c + 5, 100, 100, false},
		{"across one boundary", c - 10, 20, 20, false},
		{"the last byte of a chunk", c - 1, 1, 1, false},
		{"the first byte of a chunk", 2 * c, 1, 1, false},
		{"across two boundaries", c - 1, c + 2, c + 2, false},
		{"the whole body", 0, size, size, false},
		{"over the end", size - 5, 10, 5, true},
		{"at the end", size, 1, 0, true},
		{"past the end", size + 1000, 3, 0, true},
		{"nothing, at the end", size, 0, 0, false},
	}
	for _, tt := range tests {
		p := make([]byte, tt.n)
		n, err := r.ReadAt(p, int64(tt.off))
		require.Equal(t, tt.wantN, n, tt.name)
		if tt.wantEOF {
			require.ErrorIs(t, err, io.EOF, tt.name)
		} else {
			require.NoError(t, err, tt.name)
		}
		require.True(t, bytes.Equal(body[min(tt.off, size):min(tt.off, size)+n], p[:n]), "%s: the bytes at %d", tt.name, tt.off)
	}
	_, err = r.ReadAt(make([]byte, 1), -1)
	require.Error(t, err, "a negative offset")
}

// checkBodyReadSeek: Read and Seek share one offset, as an os.File's do.
func checkBodyReadSeek(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	size := 2*store.ChunkSize + 7
	body := bodyOf(size, 7)
	m, _, err := f.st.InsertMessageFrom(f.ctx, streamMessage("sup", ""), bytes.NewReader(body), nil)
	require.NoError(t, err)
	r, err := f.st.OpenBody(f.ctx, store.OperatorScope(), m.ID)
	require.NoError(t, err)

	pos, err := r.Seek(-10, io.SeekEnd)
	require.NoError(t, err)
	require.Equal(t, int64(size-10), pos)
	rest, err := io.ReadAll(r)
	require.NoError(t, err)
	require.Equal(t, body[size-10:], rest)
	n, err := r.Read(make([]byte, 1))
	require.Zero(t, n)
	require.ErrorIs(t, err, io.EOF, "a read at the end")

	pos, err = r.Seek(store.ChunkSize-3, io.SeekStart)
	require.NoError(t, err)
	require.Equal(t, int64(store.ChunkSize-3), pos)
	p := make([]byte, 6)
	_, err = io.ReadFull(r, p)
	require.NoError(t, err)
	require.Equal(t, body[store.ChunkSize-3:store.ChunkSize+3], p, "a read across a boundary")
	pos, err = r.Seek(-6, io.SeekCurrent)
	require.NoError(t, err)
	require.Equal(t, int64(store.ChunkSize-3), pos)

	_, err = r.Seek(-1, io.SeekStart)
	require.Error(t, err, "a negative position")
	_, err = r.Seek(0, 7)
	require.Error(t, err, "an unknown whence")
}

// checkBodyConcurrentReadAt: io.ReaderAt allows parallel calls on one
// reader; each gets its own bytes.
func checkBodyConcurrentReadAt(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	size := 4*store.ChunkSize + 1
	body := bodyOf(size, 9)
	m, _, err := f.st.InsertMessageFrom(f.ctx, streamMessage("sup", ""), bytes.NewReader(body), nil)
	require.NoError(t, err)
	r, err := f.st.OpenBody(f.ctx, store.OperatorScope(), m.ID)
	require.NoError(t, err)
	const readers = 6
	errs := make([]error, readers)
	var wg sync.WaitGroup
	for i := range readers {
		wg.Go(func() {
			off := (i * size) / readers
			p := make([]byte, size/readers)
			if _, err := r.ReadAt(p, int64(off)); err != nil {
				errs[i] = err
				return
			}
			if !bytes.Equal(body[off:off+len(p)], p) {
				errs[i] = errors.New("wrong bytes")
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "reader %d", i)
	}
}

// checkStreamedFields: a streamed message is stored like any other, with
// its outbox row, and goes through the lifecycle.
func checkStreamedFields(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	body := []byte("SKU,Price\nA-1,9.50\n")
	nm := streamMessage("sup", "strict")
	m, created, err := f.st.InsertMessageFrom(f.ctx, nm, bytes.NewReader(body), inbound)
	require.NoError(t, err)
	require.True(t, created)
	require.NotEmpty(t, m.ID)
	require.Equal(t, []string{"sup", "price_list", "csv", "cli:big.csv", "big.csv", "strict"},
		[]string{m.Partner, m.Doctype, m.Format, m.Source, m.Filename, m.Mapping})
	require.Equal(t, store.StatusReceived, m.Status)
	require.Equal(t, len(body), m.Size)
	require.Equal(t, hexSHA256(body), m.SHA256)
	require.Nil(t, m.Body)
	requireRecent(t, m.ReceivedAt, "received_at")
	out := f.drainOutbox()
	require.Len(t, out, 1)
	require.Equal(t, "in-"+m.ID, out[0].MsgID)

	started := f.start(m.ID)
	require.Equal(t, len(body), started.Size)
	require.Nil(t, started.Body, "StartProcessing does not load the body")
	got, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m.ID)
	require.NoError(t, err)
	require.Equal(t, m.SHA256, got.SHA256)
	require.Equal(t, body, f.body(m.ID))
}

// checkStreamedDuplicates: the same bytes with the same mapping are the
// stored message, whichever way either came in; another mapping is a new
// message. A duplicate adds no outbox row.
func checkStreamedDuplicates(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	body := bodyOf(store.ChunkSize+500, 3)
	first, created, err := f.st.InsertMessageFrom(f.ctx, streamMessage("sup", "lenient"), bytes.NewReader(body), inbound)
	require.NoError(t, err)
	require.True(t, created)
	f.start(first.ID)
	f.drainOutbox()

	again := streamMessage("sup", "lenient")
	again.Filename, again.Source = "again.csv", "api:import"
	dup, created, err := f.st.InsertMessageFrom(f.ctx, again, bytes.NewReader(body), inbound)
	require.NoError(t, err)
	require.False(t, created, "the same bytes and mapping are the same message")
	require.Equal(t, first.ID, dup.ID)
	require.Equal(t, "big.csv", dup.Filename, "the stored message is returned unchanged")
	require.Equal(t, store.StatusProcessing, dup.Status)

	whole := streamMessage("sup", "lenient")
	whole.Body = body
	dup, created, err = f.st.InsertMessage(f.ctx, whole, inbound)
	require.NoError(t, err)
	require.False(t, created, "a whole body finds the streamed message")
	require.Equal(t, first.ID, dup.ID)

	small := []byte("SKU,Price\nB-2,1.00\n")
	stored, created, err := f.st.InsertMessage(f.ctx, store.NewMessage{Partner: "sup", Doctype: "price_list",
		Format: "csv", Mapping: "lenient", Body: small}, inbound)
	require.NoError(t, err)
	require.True(t, created)
	dup, created, err = f.st.InsertMessageFrom(f.ctx, streamMessage("sup", "lenient"), bytes.NewReader(small), inbound)
	require.NoError(t, err)
	require.False(t, created, "a stream finds a message stored whole")
	require.Equal(t, stored.ID, dup.ID)

	other, created, err := f.st.InsertMessageFrom(f.ctx, streamMessage("sup", "strict"), bytes.NewReader(body), inbound)
	require.NoError(t, err)
	require.True(t, created, "another mapping is a new message")
	require.NotEqual(t, first.ID, other.ID)

	out := f.drainOutbox()
	require.Len(t, out, 2, "only the new messages are queued")
	require.Equal(t, []string{"in-" + stored.ID, "in-" + other.ID}, []string{out[0].MsgID, out[1].MsgID})
	require.Len(t, f.allMessages(), 3)
	for _, id := range []string{first.ID, other.ID} {
		require.True(t, bytes.Equal(body, f.body(id)), "the body of %s is whole after the duplicates", id)
	}
}

// failAfter reads n bytes of its body, then fails.
type failAfter struct {
	r   io.Reader
	n   int
	err error
}

func (fa *failAfter) Read(p []byte) (int, error) {
	if fa.n == 0 {
		return 0, fa.err
	}
	k, err := fa.r.Read(p[:min(len(p), fa.n)])
	fa.n -= k
	return k, err
}

// checkFailingReader: a reader that fails part way stores no message, no
// chunk and no outbox row, and the error says why; the same bytes then go
// in whole.
func checkFailingReader(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	body := bodyOf(3*store.ChunkSize, 5)
	cut := errors.New("connection reset by peer")
	for _, n := range []int{0, 100, 2*store.ChunkSize + 100} {
		_, _, err := f.st.InsertMessageFrom(f.ctx, streamMessage("sup", ""),
			&failAfter{r: bytes.NewReader(body), n: n, err: cut}, inbound)
		require.ErrorIs(t, err, cut, "after %d bytes", n)
		require.Empty(t, f.allMessages(), "after %d bytes nothing is stored", n)
		require.Empty(t, f.drainOutbox(), "after %d bytes nothing is queued", n)
	}
	m, created, err := f.st.InsertMessageFrom(f.ctx, streamMessage("sup", ""), bytes.NewReader(body), inbound)
	require.NoError(t, err)
	require.True(t, created)
	require.Equal(t, len(body), m.Size)
	require.True(t, bytes.Equal(body, f.body(m.ID)), "no chunk of a failed attempt is left in the body")
}

// checkStreamRefuses: a message without partner, doctype or format, or
// with a body of its own, is refused before anything is read.
func checkStreamRefuses(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	tests := []struct {
		name string
		edit func(*store.NewMessage)
	}{
		{"no partner", func(nm *store.NewMessage) { nm.Partner = "" }},
		{"no doctype", func(nm *store.NewMessage) { nm.Doctype = "" }},
		{"no format", func(nm *store.NewMessage) { nm.Format = "" }},
		{"a body besides the reader", func(nm *store.NewMessage) { nm.Body = []byte("x") }},
	}
	for _, tt := range tests {
		nm := streamMessage("sup", "")
		tt.edit(&nm)
		_, _, err := f.st.InsertMessageFrom(f.ctx, nm, bytes.NewReader([]byte("SKU\nA\n")), inbound)
		require.Error(t, err, tt.name)
	}
	require.Empty(t, f.allMessages())
}

// checkOpenBodyScopes: a partner opens its own messages' bodies only; any
// other is not found, like a message that does not exist.
func checkOpenBodyScopes(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	f.partner("dlr", "dealer")
	body := []byte("SKU,Price\nA-1,9.50\n")
	m, _, err := f.st.InsertMessageFrom(f.ctx, streamMessage("sup", ""), bytes.NewReader(body), nil)
	require.NoError(t, err)
	for _, scope := range []store.Scope{store.OperatorScope(), store.PartnerScope("sup")} {
		got, err := store.ReadBody(f.ctx, f.st, scope, m.ID)
		require.NoError(t, err, "%+v", scope)
		require.Equal(t, body, got)
	}
	for _, scope := range []store.Scope{store.PartnerScope("dlr"), {}} {
		_, err := f.st.OpenBody(f.ctx, scope, m.ID)
		errorsIsNotFound(t, err, "%+v", scope)
	}
	_, err = f.st.OpenBody(f.ctx, store.OperatorScope(), "0190a5b8-0000-7000-8000-000000000000")
	errorsIsNotFound(t, err)
}
