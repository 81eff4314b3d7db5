package sftp

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
)

// fakeHub is an idempotent Ingester (the same bytes are the same message)
// and the Outcomes of its messages.
type fakeHub struct {
	mu      sync.Mutex
	ids     map[[32]byte]string
	calls   []connectors.IngestRequest
	verdict func(id string) (string, []string, error)
}

func newFakeHub() *fakeHub {
	return &fakeHub{ids: map[[32]byte]string{}, verdict: func(string) (string, []string, error) { return StatusDone, nil, nil }}
}

func (h *fakeHub) Ingest(_ context.Context, req connectors.IngestRequest) (connectors.Receipt, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, req)
	key := sha256.Sum256([]byte(req.Partner + "\x00" + req.Doctype + "\x00" + req.Format + "\x00" + req.Mapping + "\x00" + string(req.Body)))
	if id, ok := h.ids[key]; ok {
		return connectors.Receipt{MessageID: id, Status: "received", Duplicate: true}, nil
	}
	id := fmt.Sprintf("msg-%d", len(h.ids)+1)
	h.ids[key] = id
	return connectors.Receipt{MessageID: id, Status: "received"}, nil
}

func (h *fakeHub) WaitFinal(_ context.Context, id string) (string, []string, error) {
	h.mu.Lock()
	v := h.verdict
	h.mu.Unlock()
	return v(id)
}

func (h *fakeHub) messages() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.ids)
}

func (h *fakeHub) requests() []connectors.IngestRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]connectors.IngestRequest(nil), h.calls...)
}

var testNow = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func newTestPoller(t *testing.T, srv *testServer, hub *fakeHub, poll Poll) *Poller {
	t.Helper()
	if poll.Dir == "" {
		poll.Dir = "/outbox"
	}
	if poll.Doctype == "" {
		poll.Doctype = "price_list"
	}
	p, err := NewPoller("acme", Config{Connection: srv.conn(), Poll: &poll}, hub, nil)
	require.NoError(t, err)
	p.now = func() time.Time { return testNow }
	t.Cleanup(p.Close)
	return p
}

func pollOnce(t *testing.T, p *Poller, hub *fakeHub) Report {
	t.Helper()
	rep, err := p.PollOnce(context.Background(), hub)
	require.NoError(t, err)
	return rep
}

func TestPollerTakesAFileOnlyOnceItIsStable(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	hub := newFakeHub()
	p := newTestPoller(t, srv, hub, Poll{Mapping: "prices"})
	srv.write("/outbox/prices.csv", "sku,price\n")
	srv.write("/outbox/.hidden.csv", "x")
	srv.write("/outbox/notes.md", "x")

	require.Equal(t, Report{Listed: 2, Waiting: 2}, pollOnce(t, p, hub), "first sight: nothing is complete")
	srv.write("/outbox/prices.csv", "sku,price\nA-1,12.50\n") // still being written
	require.Equal(t, Report{Listed: 2, Waiting: 1, Failed: 1}, pollOnce(t, p, hub), "grown file waits; notes.md has no known format")
	require.Empty(t, hub.requests())

	mtime := time.Now().Add(time.Minute)
	require.NoError(t, os.Chtimes(srv.path("/outbox/prices.csv"), mtime, mtime)) // same size, touched
	require.Equal(t, Report{Listed: 1, Waiting: 1}, pollOnce(t, p, hub))

	require.Equal(t, Report{Listed: 1, Imported: 1}, pollOnce(t, p, hub))
	reqs := hub.requests()
	require.Len(t, reqs, 1)
	require.Equal(t, connectors.IngestRequest{
		Partner: "acme", Doctype: "price_list", Format: "csv", Mapping: "prices", Filename: "prices.csv",
		Source: "sftp:acme/outbox/prices.csv", Body: []byte("sku,price\nA-1,12.50\n"),
	}, reqs[0])
	body, ok := srv.read("/outbox/archive/prices.csv")
	require.True(t, ok)
	require.Equal(t, "sku,price\nA-1,12.50\n", body)
	require.ElementsMatch(t, []string{".hidden.csv", "archive", "error"}, srv.names("/outbox"))
	txt, _ := srv.read("/outbox/error/notes.md.error.txt")
	require.Contains(t, txt, "cannot tell the file's format")
}

func TestPollerMarkerMode(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		poll      Poll
		marker    string
		remaining []string // in /outbox
		archived  []string
	}{
		{"archive", Poll{Complete: CompleteMarker, Format: "xlsx"}, ".ok", []string{"archive"}, []string{"b.xlsx", "b.xlsx.ok"}},
		{"own suffix", Poll{Complete: CompleteMarker, MarkerSuffix: ".done"}, ".done", []string{"archive"}, []string{"b.xlsx", "b.xlsx.done"}},
		{"delete", Poll{Complete: CompleteMarker, OnDone: OnDoneDelete}, ".ok", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t)
			hub := newFakeHub()
			p := newTestPoller(t, srv, hub, tc.poll)
			srv.write("/outbox/b.xlsx", "PK…")
			require.Equal(t, Report{Listed: 1, Waiting: 1}, pollOnce(t, p, hub))
			require.Equal(t, Report{Listed: 1, Waiting: 1}, pollOnce(t, p, hub), "stable but no marker")
			srv.write("/outbox/b.xlsx"+tc.marker, "")
			require.Equal(t, Report{Listed: 1, Imported: 1}, pollOnce(t, p, hub))
			require.Equal(t, "xlsx", hub.requests()[0].Format)
			require.ElementsMatch(t, tc.remaining, srv.names("/outbox"))
			require.ElementsMatch(t, tc.archived, srv.names("/outbox/archive"))
		})
	}
}

func TestPollerMovesFailedFilesWithTheirReasons(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	hub := newFakeHub()
	hub.verdict = func(id string) (string, []string, error) {
		return StatusFailed, []string{"sheet 价格 row 3 column C: price \"abc\" is not a number"}, nil
	}
	p := newTestPoller(t, srv, hub, Poll{ErrorDir: "/rejected"})
	srv.write("/outbox/prices.csv", "bad")
	pollOnce(t, p, hub)
	require.Equal(t, Report{Listed: 1, Failed: 1}, pollOnce(t, p, hub))
	require.ElementsMatch(t, []string{"prices.csv", "prices.csv.error.txt"}, srv.names("/rejected"))
	txt, _ := srv.read("/rejected/prices.csv.error.txt")
	require.Equal(t, "prices.csv was not imported (message msg-1 ended failed).\n\n- sheet 价格 row 3 column C: price \"abc\" is not a number\n", txt)
	require.Empty(t, srv.names("/outbox"))
}

func TestPollerNeverOverwritesInTheArchive(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	hub := newFakeHub()
	p := newTestPoller(t, srv, hub, Poll{})
	srv.write("/outbox/archive/a.csv", "old")
	for i, want := range []string{"a.20260304T050607Z.csv", "a.20260304T050607Z-2.csv"} {
		srv.write("/outbox/a.csv", fmt.Sprintf("v%d", i))
		pollOnce(t, p, hub)
		require.Equal(t, Report{Listed: 1, Imported: 1}, pollOnce(t, p, hub))
		body, ok := srv.read("/outbox/archive/" + want)
		require.True(t, ok, "%s in %v", want, srv.names("/outbox/archive"))
		require.Equal(t, fmt.Sprintf("v%d", i), body)
	}
	old, _ := srv.read("/outbox/archive/a.csv")
	require.Equal(t, "old", old)
}

func TestPollerSkipsAFileDeletedBeforeDownload(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	hub := newFakeHub()
	p := newTestPoller(t, srv, hub, Poll{})
	srv.write("/outbox/gone.csv", "x")
	pollOnce(t, p, hub)
	srv.hook(func() { srv.beforeRead = func(p string) { os.Remove(srv.path(p)) } })
	require.Equal(t, Report{Listed: 1, Vanished: 1}, pollOnce(t, p, hub))
	require.Empty(t, hub.requests())
}

func TestPollerLeavesAFileThatChangesDuringDownload(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	hub := newFakeHub()
	p := newTestPoller(t, srv, hub, Poll{})
	srv.write("/outbox/grow.csv", "a")
	pollOnce(t, p, hub)
	srv.hook(func() { srv.beforeRead = func(string) { srv.write("/outbox/grow.csv", "abc") } })
	rep, err := p.PollOnce(context.Background(), hub)
	var se *SizeError
	require.True(t, errors.As(err, &se), "%v", err)
	require.Equal(t, Report{Listed: 1, Left: 1}, rep)
	require.Empty(t, hub.requests())
	srv.hook(func() { srv.beforeRead = nil })
	pollOnce(t, p, hub) // first equal listing after the change
	require.Equal(t, Report{Listed: 1, Imported: 1}, pollOnce(t, p, hub))
	require.Equal(t, "abc", string(hub.requests()[0].Body))
}

func TestPollerReportsAMissingFolder(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	hub := newFakeHub()
	p := newTestPoller(t, srv, hub, Poll{Dir: "/drop"})
	_, err := p.PollOnce(context.Background(), hub)
	require.ErrorContains(t, err, `the remote folder /drop of partner "acme" does not exist`)
	require.False(t, connectors.IsPermanent(err))
	srv.write("/drop/a.csv", "x")
	require.Equal(t, Report{Listed: 1, Waiting: 1}, pollOnce(t, p, hub), "the next poll works")
}

// cutReader cuts the client's connection the first time a read reaches
// past the first MiB.
type cutReader struct {
	io.ReaderAt
	conn net.Conn
	once *sync.Once
}

func (r cutReader) ReadAt(b []byte, off int64) (int, error) {
	if off >= 1<<20 {
		cut := false
		r.once.Do(func() { cut = true })
		if cut {
			r.conn.Close()
			return 0, io.ErrUnexpectedEOF
		}
	}
	return r.ReaderAt.ReadAt(b, off)
}

func TestPollerRetriesADroppedDownloadAndImportsOnce(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	hub := newFakeHub()
	p := newTestPoller(t, srv, hub, Poll{})
	big := make([]byte, 3<<20)
	_, err := rand.Read(big)
	require.NoError(t, err)
	srv.write("/outbox/big.csv", string(big))
	pollOnce(t, p, hub)
	var once sync.Once
	srv.hook(func() {
		srv.wrapRead = func(_ string, r io.ReaderAt, c net.Conn) io.ReaderAt { return cutReader{r, c, &once} }
	})
	require.Equal(t, Report{Listed: 1, Imported: 1}, pollOnce(t, p, hub))
	reqs := hub.requests()
	require.Len(t, reqs, 1)
	require.True(t, bytes.Equal(big, reqs[0].Body))
	cutHappened := true
	once.Do(func() { cutHappened = false })
	require.True(t, cutHappened, "the connection was cut mid-download")
}

func TestPollerWaitsAgainForTheSameMessageAfterACrash(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	hub := newFakeHub()
	hub.verdict = func(string) (string, []string, error) { return "", nil, context.Canceled } // the hub stops before the verdict
	p := newTestPoller(t, srv, hub, Poll{})
	srv.write("/outbox/o.json", `{"a":1}`)
	pollOnce(t, p, hub)
	rep, err := p.PollOnce(context.Background(), hub)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, Report{Listed: 1, Left: 1}, rep)
	require.Equal(t, []string{"o.json"}, srv.names("/outbox"), "the file stays until the verdict")

	hub.mu.Lock()
	hub.verdict = func(id string) (string, []string, error) { return StatusDone, nil, nil }
	hub.mu.Unlock()
	restarted := newTestPoller(t, srv, hub, Poll{}) // a new process: no memory of the first
	pollOnce(t, restarted, hub)
	require.Equal(t, Report{Listed: 1, Imported: 1}, pollOnce(t, restarted, hub))
	require.Len(t, hub.requests(), 2, "handed over twice")
	require.Equal(t, 1, hub.messages(), "one message")
	require.Equal(t, []string{"o.json"}, srv.names("/outbox/archive"))
}
