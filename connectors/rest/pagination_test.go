package rest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/stretchr/testify/require"
)

func TestPaginationThreePages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode       string
		pagination Pagination
		items      int
		pages      int // handed to the callback
		// queries are the paging parameters each request must carry.
		queries []map[string]string
	}{
		{"page", Pagination{Type: PageNumber, SizeParam: "per_page", Size: 3}, 7, 3,
			[]map[string]string{{"page": "1", "per_page": "3"}, {"page": "2"}, {"page": "3"}}},
		{"offset", Pagination{Type: PageOffset, Limit: 3}, 7, 3,
			[]map[string]string{{"offset": "0", "limit": "3"}, {"offset": "3"}, {"offset": "6"}}},
		{"cursor", Pagination{Type: PageCursor, CursorPath: "meta.next_cursor", CursorParam: "after"}, 7, 3,
			[]map[string]string{{"after": ""}, {"after": "3"}, {"after": "6"}}},
		{"link", Pagination{Type: PageLink}, 7, 3,
			[]map[string]string{{"from": "", "region": "north"}, {"from": "3", "region": "north"}, {"from": "6", "region": "north"}}},
		// A full last page: the run ends at the empty page after it, which
		// is not handed to the callback.
		{"page", Pagination{Type: PageNumber, SizeParam: "per_page", Size: 3}, 6, 2,
			[]map[string]string{{"page": "1"}, {"page": "2"}, {"page": "3"}}},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			t.Parallel()
			api := newStockAPI(t, tt.mode, tt.items)
			cfg := Config{URL: api.url(), Records: "data", Pagination: tt.pagination, Doctype: "stock_level",
				Query: map[string]string{"region": "north"}}
			src, _ := newTestSource(t, cfg)
			var c collect
			state := NewMemoryState()
			res, err := src.Run(context.Background(), state, c.page)
			require.NoError(t, err)
			require.Equal(t, skuRange(1, tt.items), c.skus(t))
			require.True(t, res.Done)
			require.Equal(t, tt.pages, res.Pages)
			require.Equal(t, tt.items, res.Records)
			log := api.log()
			require.Len(t, log, 3)
			require.Equal(t, 3, res.Requests)
			for i, want := range tt.queries {
				for k, v := range want {
					require.Equal(t, v, log[i].Query.Get(k), "request %d param %s", i+1, k)
				}
				require.Equal(t, "north", log[i].Query.Get("region"), "static query on request %d", i+1)
			}
			for i, p := range c.pages {
				require.Equal(t, i+1, p.Number)
				require.Equal(t, i == 2, p.Last, "page %d", i+1)
				require.Contains(t, p.URL, api.srv.URL+"/stock")
				require.NotEmpty(t, p.RawBody)
			}
			cp, err := state.Load(context.Background(), "acme")
			require.NoError(t, err)
			require.Nil(t, cp.Run, "a finished run leaves no position")
		})
	}
}

func TestPaginationNoneIsOneRequest(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "none", 5)
	src, _ := newTestSource(t, Config{URL: api.url(), Records: "data", Doctype: "stock_level"})
	var c collect
	res, err := src.Run(context.Background(), NewMemoryState(), c.page)
	require.NoError(t, err)
	require.Equal(t, skuRange(1, 5), c.skus(t))
	require.Equal(t, 1, res.Pages)
	require.Len(t, api.log(), 1)
}

func TestRecordsPathVariants(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ wrap, path string }{
		{"$", "$"},
		{"$", ""}, // default
		{"data", "data"},
		{"data", "$.data"},
		{"result.items", "result.items"},
		{"result.items", "$.result.items"},
	} {
		t.Run(tt.wrap+"="+tt.path, func(t *testing.T) {
			t.Parallel()
			api := newStockAPI(t, "offset", 5)
			api.wrap = tt.wrap
			src, _ := newTestSource(t, Config{URL: api.url(), Records: tt.path, Doctype: "stock_level",
				Pagination: Pagination{Type: PageOffset, Limit: 2}})
			var c collect
			res, err := src.Run(context.Background(), NewMemoryState(), c.page)
			require.NoError(t, err)
			require.Equal(t, skuRange(1, 5), c.skus(t))
			require.Equal(t, 3, res.Pages)
		})
	}
}

func TestRecordsPathErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ body, path, want string }{
		{`{"items":[]}`, "data", `records path "data" is not in the reply`},
		{`{"data":{"sku":"A"}}`, "data", `records path "data" holds an object, not an array`},
		{`<html>oops</html>`, "data", `the reply is not JSON: "<html>oops</html>"`},
	} {
		api := newStockAPI(t, "none", 1)
		api.before = func(w http.ResponseWriter, _ *http.Request, _ int) bool {
			_, _ = w.Write([]byte(tt.body))
			return true
		}
		src, _ := newTestSource(t, Config{URL: api.url(), Records: tt.path, Doctype: "stock_level"})
		_, err := src.Run(context.Background(), NewMemoryState(), (&collect{}).page)
		require.ErrorContains(t, err, tt.want)
		require.ErrorContains(t, err, "page 1 ("+api.url()+")")
		require.True(t, connectors.IsPermanent(err))
	}
	// A null records member is an empty page: the run ends.
	api := newStockAPI(t, "none", 1)
	api.before = func(w http.ResponseWriter, _ *http.Request, _ int) bool {
		_, _ = w.Write([]byte(`{"data":null}`))
		return true
	}
	src, _ := newTestSource(t, Config{URL: api.url(), Records: "data", Doctype: "stock_level"})
	res, err := src.Run(context.Background(), NewMemoryState(), (&collect{}).page)
	require.NoError(t, err)
	require.True(t, res.Done)
	require.Zero(t, res.Pages)
}

func TestRepeatingCursorStopsTheRun(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "cursor", 9)
	// Page 3 answers with page 2's cursor again (a real bug seen in APIs
	// whose cursor ignores deleted rows).
	api.before = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n != 3 {
			return false
		}
		_, _ = w.Write([]byte(`{"data":[{"sku":"SKU-07"}],"meta":{"next_cursor":"3"}}`))
		return true
	}
	src, _ := newTestSource(t, cursorConfig(api))
	var c collect
	state := NewMemoryState()
	_, err := src.Run(context.Background(), state, c.page)
	require.ErrorIs(t, err, ErrLoop)
	require.ErrorContains(t, err, "page 3 ("+api.url()+"?after=6)")
	require.ErrorContains(t, err, `next cursor "3" repeats the one of page 1`)
	require.True(t, connectors.IsPermanent(err))
	require.Equal(t, skuRange(1, 6), c.skus(t), "the looping page is not handed on")
	require.Len(t, api.log(), 3)
}

func TestRepeatingPageStopsTheRun(t *testing.T) {
	t.Parallel()
	// An API that ignores the page parameter serves page 1 forever.
	api := newStockAPI(t, "none", 3)
	src, _ := newTestSource(t, Config{URL: api.url(), Records: "data", Doctype: "stock_level",
		Pagination: Pagination{Type: PageNumber, Size: 3}})
	var c collect
	_, err := src.Run(context.Background(), NewMemoryState(), c.page)
	require.ErrorIs(t, err, ErrLoop)
	require.ErrorContains(t, err, "page 2 (")
	require.ErrorContains(t, err, "page=2")
	require.ErrorContains(t, err, "repeats page 1")
	require.Len(t, c.pages, 1)
}

func TestMaxPages(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "cursor", 30)
	cfg := cursorConfig(api)
	cfg.MaxPages = 4
	src, _ := newTestSource(t, cfg)
	var c collect
	res, err := src.Run(context.Background(), NewMemoryState(), c.page)
	require.ErrorIs(t, err, ErrTooManyPages)
	require.ErrorContains(t, err, "page 5")
	require.Equal(t, 4, res.Pages)
	require.Len(t, api.log(), 4)
}

func TestRequiredFieldsRejectOneByOne(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "none", 0)
	api.before = func(w http.ResponseWriter, _ *http.Request, _ int) bool {
		_, _ = w.Write([]byte(`{"data":[
			{"sku":"A","qty":"1","loc":{"id":"WH"}},
			{"qty":"2","loc":{"id":"WH"}},
			{"sku":"C","qty":null,"loc":{"id":"WH"}},
			{"sku":"D","qty":"4","loc":{}},
			"not an object",
			{"sku":"F","qty":"6","loc":{"id":"WH"}}]}`))
		return true
	}
	src, _ := newTestSource(t, Config{URL: api.url(), Records: "data", Doctype: "stock_level",
		Required: []string{"sku", "qty", "loc.id"}})
	var c collect
	res, err := src.Run(context.Background(), NewMemoryState(), c.page)
	require.NoError(t, err)
	require.Equal(t, []string{"A", "F"}, c.skus(t))
	require.Equal(t, 2, res.Records)
	require.Equal(t, 4, res.Rejected)
	rej := c.pages[0].Rejected
	require.Len(t, rej, 4)
	got := make([]string, len(rej))
	for i, e := range rej {
		got[i] = e.Error()
	}
	require.Equal(t, []string{
		"page 1, record 1: sku: is missing",
		"page 1, record 2: qty: is null",
		"page 1, record 3: loc.id: is missing",
		"page 1, record 4: $: the record is a string, not an object",
	}, got)
	require.JSONEq(t, `{"qty":"2","loc":{"id":"WH"}}`, string(rej[0].Record))
}

func TestPostSendsBody(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "none", 2)
	src, _ := newTestSource(t, Config{URL: api.url(), Method: "post", Records: "data", Doctype: "stock_level",
		Body: []byte(`{"warehouse":"WH"}`), Headers: map[string]string{"X-Tenant": "t1"}})
	_, err := src.Run(context.Background(), NewMemoryState(), (&collect{}).page)
	require.NoError(t, err)
	log := api.log()
	require.Equal(t, "POST", log[0].Method)
	require.JSONEq(t, `{"warehouse":"WH"}`, log[0].Body)
	require.Equal(t, "t1", log[0].Header.Get("X-Tenant"))
}

func TestPageCallbackErrorIsReturned(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "cursor", 9)
	src, _ := newTestSource(t, cursorConfig(api))
	_, err := src.Run(context.Background(), NewMemoryState(), (&collect{fail: 2}).page)
	require.ErrorContains(t, err, "acme: storing page 2 ("+api.url()+"?after=3): disk full while storing page 2")
	require.False(t, errors.Is(err, ErrLoop))
	require.False(t, strings.Contains(err.Error(), "page 3"))
}
