package rest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/stretchr/testify/require"
)

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	for _, tt := range []struct {
		name, header string
		want         time.Duration
	}{
		{"seconds", "7", 7 * time.Second},
		{"http date", clock.Now().Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"date in the past", clock.Now().Add(-time.Hour).Format(http.TimeFormat), time.Second}, // falls back to backoff
		{"beyond max_backoff", "86400", 5 * time.Minute},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newStockAPI(t, "cursor", 9)
			api.before = func(w http.ResponseWriter, _ *http.Request, n int) bool {
				if n != 2 {
					return false
				}
				w.Header().Set("Retry-After", tt.header)
				http.Error(w, `{"error":"slow down"}`, http.StatusTooManyRequests)
				return true
			}
			src, sl := newTestSource(t, cursorConfig(api), WithClock(clock.Now))
			var c collect
			res, err := src.Run(context.Background(), NewMemoryState(), c.page)
			require.NoError(t, err)
			require.Equal(t, skuRange(1, 9), c.skus(t))
			require.Equal(t, []time.Duration{tt.want}, sl.Waits())
			require.Equal(t, 4, res.Requests)
			log := api.log()
			require.Equal(t, log[1].Query.Encode(), log[2].Query.Encode(), "the refused page is asked again")
		})
	}
}

func TestServerErrorsBackOffExponentially(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "cursor", 9)
	api.before = func(w http.ResponseWriter, _ *http.Request, n int) bool {
		if n == 2 || n == 3 || n == 4 {
			http.Error(w, "upstream timeout", http.StatusBadGateway)
			return true
		}
		return false
	}
	cfg := cursorConfig(api)
	cfg.Backoff = Duration(10 * time.Millisecond)
	src, sl := newTestSource(t, cfg)
	var c collect
	_, err := src.Run(context.Background(), NewMemoryState(), c.page)
	require.NoError(t, err)
	require.Equal(t, skuRange(1, 9), c.skus(t))
	require.Equal(t, []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond}, sl.Waits())
}

func TestRetriesExhausted(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "cursor", 9)
	api.before = func(w http.ResponseWriter, _ *http.Request, n int) bool {
		if n == 1 {
			return false
		}
		http.Error(w, "maintenance until 14:00", http.StatusServiceUnavailable)
		return true
	}
	src, sl := newTestSource(t, cursorConfig(api))
	state := NewMemoryState()
	res, err := src.Run(context.Background(), state, (&collect{}).page)
	var he *HTTPError
	require.ErrorAs(t, err, &he)
	require.Equal(t, http.StatusServiceUnavailable, he.Status)
	require.Equal(t, 5, he.Attempts, "the first try and 4 retries")
	require.Equal(t, "maintenance until 14:00", he.Body)
	require.EqualError(t, err, `acme: fetching page 2: GET `+api.url()+`?after=3: HTTP 503 Service Unavailable after 5 attempts: "maintenance until 14:00"`)
	require.False(t, connectors.IsPermanent(err), "the hub may try the run again later")
	require.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}, sl.Waits())
	require.Equal(t, 1, res.Pages)
	require.Equal(t, 6, res.Requests)
	cp, _ := state.Load(context.Background(), "acme")
	require.NotNil(t, cp.Run)
	require.Equal(t, "3", cp.Run.Cursor, "page 1 stays stored; the next run asks page 2")
}

func TestRetriesNone(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "none", 1)
	api.before = func(w http.ResponseWriter, _ *http.Request, _ int) bool {
		http.Error(w, "boom", http.StatusInternalServerError)
		return true
	}
	cfg := Config{URL: api.url(), Records: "data", Doctype: "stock_level", Retries: -1}
	src, sl := newTestSource(t, cfg)
	_, err := src.Run(context.Background(), NewMemoryState(), (&collect{}).page)
	require.ErrorContains(t, err, "HTTP 500")
	require.Empty(t, sl.Waits())
	require.Len(t, api.log(), 1)
}

func TestLongErrorBodyIsCut(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "none", 1)
	long := make([]byte, 1000)
	for i := range long {
		long[i] = 'x'
	}
	api.before = func(w http.ResponseWriter, _ *http.Request, _ int) bool {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(long)
		return true
	}
	src, _ := newTestSource(t, Config{URL: api.url(), Records: "data", Doctype: "stock_level"})
	_, err := src.Run(context.Background(), NewMemoryState(), (&collect{}).page)
	var he *HTTPError
	require.ErrorAs(t, err, &he)
	require.Equal(t, string(long[:200])+"…", he.Body)
}

func TestNetworkErrorsAreRetried(t *testing.T) {
	t.Parallel()
	// A listener that drops the first two connections, then serves.
	api := newStockAPI(t, "none", 2)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	var conns atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if conns.Add(1) <= 2 {
				_ = c.Close()
				continue
			}
			go func() {
				defer c.Close()
				up, err := net.Dial("tcp", api.srv.Listener.Addr().String())
				if err != nil {
					return
				}
				defer up.Close()
				go func() { _, _ = copyConn(up, c) }()
				_, _ = copyConn(c, up)
			}()
		}
	}()
	src, sl := newTestSource(t, Config{URL: "http://" + ln.Addr().String() + "/stock", Records: "data", Doctype: "stock_level"})
	var c collect
	_, err = src.Run(context.Background(), NewMemoryState(), c.page)
	require.NoError(t, err)
	require.Equal(t, skuRange(1, 2), c.skus(t))
	require.Len(t, sl.Waits(), 2)
}

func TestNetworkErrorsExhausted(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens: connection refused
	src, sl := newTestSource(t, Config{URL: "http://" + addr + "/stock?since=1", Records: "data", Doctype: "stock_level", Retries: 2})
	_, err = src.Run(context.Background(), NewMemoryState(), (&collect{}).page)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	require.Equal(t, 3, te.Attempts)
	require.ErrorContains(t, err, "GET http://"+addr+"/stock?since=1: after 3 attempts: ")
	require.Len(t, sl.Waits(), 2)
}

func TestCancelStopsTheWait(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "none", 1)
	api.before = func(w http.ResponseWriter, _ *http.Request, _ int) bool {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	src, err := New("acme", Config{URL: api.url(), Records: "data", Doctype: "stock_level"}) // real sleep
	require.NoError(t, err)
	start := time.Now()
	_, err = src.Run(ctx, NewMemoryState(), (&collect{}).page)
	require.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)
	require.Less(t, time.Since(start), 10*time.Second)
}
