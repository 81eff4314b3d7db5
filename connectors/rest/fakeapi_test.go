package rest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// stockAPI is an httptest server that behaves like a paginated stock API:
// GET /stock filters its items by updated_since (strictly after) and pages
// them the way mode says; POST /token is an OAuth2 token endpoint.
type stockAPI struct {
	srv  *httptest.Server
	mode string // page, offset, cursor, link, none
	size int    // page size used by cursor and link modes

	mu       sync.Mutex
	items    []map[string]any
	requests []loggedRequest // every /stock request, in order
	tokenReq []url.Values    // every /token form, in order
	tokenHdr []http.Header
	issued   int
	valid    map[string]bool
	expires  int // expires_in of issued tokens; 0 omits it
	needAuth func(r *http.Request) bool
	// before runs first for the n-th /stock request (from 1); when it
	// returns true it has answered.
	before func(w http.ResponseWriter, r *http.Request, n int) bool
	// wrap, when set, wraps the records array: "data", "result.items",
	// "$" (top level).
	wrap string
}

type loggedRequest struct {
	Method string
	Query  url.Values
	Header http.Header
	Body   string
}

func newStockAPI(t *testing.T, mode string, items int) *stockAPI {
	t.Helper()
	a := &stockAPI{mode: mode, size: 3, valid: map[string]bool{}, wrap: "data"}
	base := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range items {
		a.items = append(a.items, map[string]any{
			"sku":        fmt.Sprintf("SKU-%02d", i+1),
			"qty":        strconv.Itoa(10 * (i + 1)),
			"updated_at": base.Add(time.Duration(i) * time.Hour).Format(time.RFC3339),
		})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/stock", a.serveStock)
	mux.HandleFunc("POST /token", a.serveToken)
	a.srv = httptest.NewServer(mux)
	t.Cleanup(a.srv.Close)
	return a
}

func (a *stockAPI) url() string      { return a.srv.URL + "/stock" }
func (a *stockAPI) tokenURL() string { return a.srv.URL + "/token" }

func (a *stockAPI) log() []loggedRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]loggedRequest(nil), a.requests...)
}

func (a *stockAPI) tokenRequests() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.tokenReq)
}

// revokeAll makes every issued token invalid, as if they had expired.
func (a *stockAPI) revokeAll() {
	a.mu.Lock()
	defer a.mu.Unlock()
	clear(a.valid)
}

func (a *stockAPI) serveToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tokenReq = append(a.tokenReq, r.PostForm)
	a.tokenHdr = append(a.tokenHdr, r.Header.Clone())
	if r.PostForm.Get("grant_type") != "client_credentials" {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"unsupported_grant_type"}`))
		return
	}
	a.issued++
	tok := fmt.Sprintf("access-token-%d", a.issued)
	a.valid[tok] = true
	reply := map[string]any{"access_token": tok, "token_type": "Bearer"}
	if a.expires > 0 {
		reply["expires_in"] = a.expires
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(reply)
}

func (a *stockAPI) serveStock(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	body := ""
	if r.Body != nil {
		b := new(strings.Builder)
		_, _ = fmt.Fprint(b, readAll(r))
		body = b.String()
	}
	a.requests = append(a.requests, loggedRequest{Method: r.Method, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
	n := len(a.requests)
	before, needAuth := a.before, a.needAuth
	a.mu.Unlock()
	if before != nil && before(w, r, n) {
		return
	}
	if needAuth != nil && !needAuth(r) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, `{"error":"invalid_token"}`, http.StatusUnauthorized)
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	q := r.URL.Query()
	var items []map[string]any
	for _, it := range a.items {
		if s := q.Get("updated_since"); s != "" {
			since, err := time.Parse(time.RFC3339, s)
			if err != nil {
				http.Error(w, "bad updated_since", http.StatusBadRequest)
				return
			}
			at, _ := time.Parse(time.RFC3339, it["updated_at"].(string))
			if !at.After(since) {
				continue
			}
		}
		items = append(items, it)
	}
	atoi := func(name string, def int) int {
		if v := q.Get(name); v != "" {
			n, _ := strconv.Atoi(v)
			return n
		}
		return def
	}
	from, size := 0, len(items)
	switch a.mode {
	case "page":
		size = atoi("per_page", 0)
		from = (atoi("page", 1) - 1) * size
	case "offset":
		from, size = atoi("offset", 0), atoi("limit", 0)
	case "cursor":
		from, size = atoi("after", 0), a.size
	case "link":
		from, size = atoi("from", 0), a.size
	}
	from = min(from, len(items))
	to := min(from+size, len(items))
	page := items[from:to]
	meta := map[string]any{"total": len(items)}
	if to < len(items) {
		switch a.mode {
		case "cursor":
			meta["next_cursor"] = strconv.Itoa(to)
		case "link":
			next := *r.URL
			nq := next.Query()
			nq.Set("from", strconv.Itoa(to))
			next.RawQuery = nq.Encode()
			w.Header().Add("Link", fmt.Sprintf(`<%s>; rel="next", </stock>; rel="first"`, next.RequestURI()))
		}
	} else if a.mode == "cursor" {
		meta["next_cursor"] = nil
	}
	var reply any
	switch a.wrap {
	case "$":
		reply = page
	case "result.items":
		reply = map[string]any{"result": map[string]any{"items": page}, "meta": meta}
	default:
		reply = map[string]any{"data": page, "meta": meta}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(reply)
}

func readAll(r *http.Request) string {
	b := new(strings.Builder)
	buf := make([]byte, 512)
	for {
		n, err := r.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// sleeps records the waits asked of it instead of sleeping.
type sleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return ctx.Err()
}

func (s *sleeps) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// collect is a page callback that keeps every page; fail, when set, fails
// the page with that number.
type collect struct {
	mu    sync.Mutex
	pages []Page
	fail  int
	hook  func(p Page)
}

func (c *collect) page(_ context.Context, p Page) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hook != nil {
		c.hook(p)
	}
	if p.Number == c.fail {
		return fmt.Errorf("disk full while storing page %d", p.Number)
	}
	c.pages = append(c.pages, p)
	return nil
}

func (c *collect) skus(t *testing.T) []string {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, p := range c.pages {
		for _, r := range p.Records {
			var v struct{ SKU string }
			if err := json.Unmarshal(r, &v); err != nil {
				t.Fatalf("record %s: %v", r, err)
			}
			out = append(out, v.SKU)
		}
	}
	return out
}

func skuRange(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("SKU-%02d", i))
	}
	return out
}

// cursorConfig is the config of the stock API in cursor mode.
func cursorConfig(a *stockAPI) Config {
	return Config{
		URL:        a.url(),
		Records:    "data",
		Pagination: Pagination{Type: PageCursor, CursorPath: "meta.next_cursor", CursorParam: "after"},
		Doctype:    "stock_level",
		Backoff:    Duration(time.Second),
	}
}

// newTestSource builds a Source that records its sleeps and fails the test
// on config errors.
func newTestSource(t *testing.T, cfg Config, opts ...Option) (*Source, *sleeps) {
	t.Helper()
	sl := &sleeps{}
	s, err := New("acme", cfg, append([]Option{WithSleep(sl.Sleep)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, sl
}

func copyConn(dst, src net.Conn) (int64, error) { return io.Copy(dst, src) }
