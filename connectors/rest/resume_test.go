package rest

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestResumeAfterAFailedPage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		mode       string
		pagination Pagination
		// page3 says whether a logged request asks for page 3 (or later).
		page3 func(r loggedRequest) bool
	}{
		{"cursor", Pagination{Type: PageCursor, CursorPath: "meta.next_cursor", CursorParam: "after"},
			func(r loggedRequest) bool { return r.Query.Get("after") == "6" }},
		{"link", Pagination{Type: PageLink}, func(r loggedRequest) bool { return r.Query.Get("from") == "6" }},
		{"page", Pagination{Type: PageNumber, SizeParam: "per_page", Size: 3},
			func(r loggedRequest) bool { return r.Query.Get("page") == "3" }},
		{"offset", Pagination{Type: PageOffset, Limit: 3}, func(r loggedRequest) bool { return r.Query.Get("offset") == "6" }},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			t.Parallel()
			api := newStockAPI(t, tt.mode, 8)
			cfg := Config{URL: api.url(), Records: "data", Pagination: tt.pagination, Doctype: "stock_level",
				Watermark: &Watermark{Param: "updated_since", Field: "updated_at", Initial: "2020-01-01T00:00:00Z"}}
			state := NewMemoryState()
			crash := &collect{fail: 3} // the hub could not store page 3
			src, _ := newTestSource(t, cfg)
			res, err := src.Run(context.Background(), state, crash.page)
			require.ErrorContains(t, err, "storing page 3")
			require.Equal(t, 2, res.Pages)
			require.Equal(t, skuRange(1, 6), crash.skus(t))
			cp, _ := state.Load(context.Background(), "acme")
			require.NotNil(t, cp.Run)
			require.Equal(t, 2, cp.Run.Pages)
			require.Equal(t, "2024-03-01T05:00:00Z", cp.Watermark, "the watermark of the stored pages only")
			require.Len(t, api.log(), 3)

			// A new process: a new Source, the same state.
			src2, _ := newTestSource(t, cfg)
			var again collect
			res, err = src2.Run(context.Background(), state, again.page)
			require.NoError(t, err)
			require.True(t, res.Resumed)
			require.Equal(t, 3, res.FirstPage)
			require.Equal(t, skuRange(7, 8), again.skus(t), "pages 1 and 2 are not handed again")
			require.Equal(t, 3, again.pages[0].Number)
			log := api.log()
			require.Len(t, log, 4, "one request for page 3, none for pages 1 and 2")
			require.True(t, tt.page3(log[3]), "the resumed run asks page 3 first: %v", log[3].Query)
			require.Equal(t, "2020-01-01T00:00:00Z", log[3].Query.Get("updated_since"), "a resumed run keeps its since")
			cp, _ = state.Load(context.Background(), "acme")
			require.Nil(t, cp.Run)
			require.Equal(t, "2024-03-01T07:00:00Z", cp.Watermark)
		})
	}
}

func TestWatermarkSentAndAdvancedAfterStoredPages(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "cursor", 7)
	cfg := cursorConfig(api)
	cfg.Watermark = &Watermark{Param: "updated_since", Field: "updated_at", Initial: "2020-01-01T00:00:00Z"}
	state := NewMemoryState()
	src, _ := newTestSource(t, cfg)

	// Every page sees the checkpoint of the page before it, never its own.
	var c collect
	var saved []string
	c.hook = func(p Page) {
		cp, _ := state.Load(context.Background(), "acme")
		saved = append(saved, cp.Watermark)
	}
	res, err := src.Run(context.Background(), state, c.page)
	require.NoError(t, err)
	require.Equal(t, []string{"", "2024-03-01T02:00:00Z", "2024-03-01T05:00:00Z"}, saved)
	require.Equal(t, []string{"2024-03-01T02:00:00Z", "2024-03-01T05:00:00Z", "2024-03-01T06:00:00Z"},
		[]string{c.pages[0].Watermark, c.pages[1].Watermark, c.pages[2].Watermark})
	require.Equal(t, "2024-03-01T06:00:00Z", res.Watermark)
	for _, r := range api.log() {
		require.Equal(t, "2020-01-01T00:00:00Z", r.Query.Get("updated_since"))
	}

	// Nothing new: one request with the stored watermark, nothing stored.
	res, err = src.Run(context.Background(), state, c.page)
	require.NoError(t, err)
	require.Zero(t, res.Pages)
	log := api.log()
	require.Len(t, log, 4)
	require.Equal(t, "2024-03-01T06:00:00Z", log[3].Query.Get("updated_since"))

	// Two records change upstream; the next run reads only them.
	api.mu.Lock()
	api.items[1]["updated_at"] = "2024-03-02T09:00:00+08:00" // 01:00Z
	api.items[4]["updated_at"] = "2024-03-02T02:00:00Z"
	api.mu.Unlock()
	c = collect{}
	res, err = src.Run(context.Background(), state, c.page)
	require.NoError(t, err)
	require.Equal(t, []string{"SKU-02", "SKU-05"}, c.skus(t))
	require.Equal(t, "2024-03-02T02:00:00Z", res.Watermark, "instants compare across offsets")
}

func TestWatermarkNotAdvancedByAFailedPage(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "cursor", 7)
	cfg := cursorConfig(api)
	cfg.Watermark = &Watermark{Param: "updated_since", Field: "updated_at"}
	state := NewMemoryState()
	src, _ := newTestSource(t, cfg)
	_, err := src.Run(context.Background(), state, (&collect{fail: 1}).page)
	require.Error(t, err)
	cp, _ := state.Load(context.Background(), "acme")
	require.Equal(t, Checkpoint{}, cp)
	require.Zero(t, state.Saves())
	require.Empty(t, api.log()[0].Query.Get("updated_since"), "no initial: the first run asks everything")
}

func TestLaterWatermark(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		a, b  string
		later bool
	}{
		{"2024-01-01T10:00:00+08:00", "2024-01-01T03:00:00Z", false}, // 02:00Z
		{"2024-01-01T10:00:00+08:00", "2024-01-01T01:00:00Z", true},
		{"2024-01-01T00:00:00.5Z", "2024-01-01T00:00:00Z", true},
		{"10", "9", true}, // numbers, not strings
		{"9.5", "10", false},
		{"b", "a", true},
		{"", "a", false},
		{"a", "", true},
		{"2024-01-02", "2024-01-01T23:00:00Z", true}, // not both instants: strings
	} {
		require.Equal(t, tt.later, laterWatermark(tt.a, tt.b), "%q later than %q", tt.a, tt.b)
	}
}

// countingLimiter counts Wait calls.
type countingLimiter struct{ n atomic.Int32 }

func (l *countingLimiter) Wait(ctx context.Context) error { l.n.Add(1); return ctx.Err() }

func TestRateLimiterGatesEveryAPIRequest(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "cursor", 9)
	api.needAuth = api.validToken
	api.before = func(w http.ResponseWriter, _ *http.Request, n int) bool {
		if n == 2 {
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		}
		return false
	}
	var lim countingLimiter
	src, _ := newTestSource(t, oauthConfig(api), WithLimiter(&lim))
	res, err := src.Run(context.Background(), NewMemoryState(), (&collect{}).page)
	require.NoError(t, err)
	require.Equal(t, 5, res.Requests, "a token and four API requests")
	require.Equal(t, int32(4), lim.n.Load(), "retries wait too; the token endpoint does not")
}

func TestRateLimitSpacesRequests(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "cursor", 12) // 4 pages
	cfg := cursorConfig(api)
	cfg.RateLimit = &RateLimit{RPS: 50} // burst 1: 20 ms apart
	src, _ := newTestSource(t, cfg)
	start := time.Now()
	_, err := src.Run(context.Background(), NewMemoryState(), (&collect{}).page)
	require.NoError(t, err)
	// Three gaps of 20 ms at least; only a lower bound, so a slow machine
	// cannot fail it.
	require.GreaterOrEqual(t, time.Since(start), 55*time.Millisecond)
	require.Len(t, api.log(), 4)
}
