package portal

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
)

// restStockConfig is dealer-a's REST source, written in YAML only: a
// cursor-paginated stock API behind OAuth2 client credentials, pulled
// incrementally by updated_at.
const restStockConfig = `version: 1
partners:
  - id: dealer-a
    name: Dealer A
    roles: [dealer]
    mappings:
      - {name: api-stock, file: api-stock.yaml}
    rest:
      - name: stock
        schedule: {every: 24h}
        url: %s/api/v2/stock
        doctype: stock_level
        mapping: api-stock
        query: {warehouse: WH1}
        auth:
          type: oauth2
          token_url: %s/oauth/token
          client_id: dealerhub
          client_secret: ${REST_TEST_CLIENT_SECRET}
          scopes: [stock.read]
        pagination:
          type: cursor
          cursor_path: meta.next_cursor
          cursor_param: cursor
        records: data
        required: [item.code, qty]
        watermark:
          param: updated_since
          field: updated_at
          initial: "2026-01-01T00:00:00Z"
        retries: 1
        backoff: 10ms
        timeout: 10s
`

// restStockMapping maps the API's own record shape to stock levels.
const restStockMapping = `version: 1
doctype: stock_level
on_error: import_valid
fields:
  sku: {column: item.code}
  location: {column: wh}
  on_hand: {column: qty}
  unit: {column: uom}
  as_of: {column: updated_at}
`

// stockAPI behaves like a partner's stock API: OAuth2 client credentials
// (basic auth at the token endpoint, bearer tokens checked on every call),
// pages of two records chained by meta.next_cursor, records filtered by
// updated_since (inclusive), and a page that fails with 503 while
// failPage3 is set.
type stockAPI struct {
	srv *httptest.Server

	mu        sync.Mutex
	records   []map[string]any
	tokens    map[string]bool
	fetches   int
	calls     []string // "cursor=…&updated_since=…" of each stock request
	failPage3 bool
	noBearer  int
}

func newStockAPI(t *testing.T) *stockAPI {
	a := &stockAPI{tokens: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		if !ok || id != "dealerhub" || secret != "client-s3cret" || r.FormValue("grant_type") != "client_credentials" || r.FormValue("scope") != "stock.read" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_client"}`)
			return
		}
		a.mu.Lock()
		a.fetches++
		tok := fmt.Sprintf("tok-%d", a.fetches)
		a.tokens[tok] = true
		a.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600}`, tok)
	})
	mux.HandleFunc("GET /api/v2/stock", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		defer a.mu.Unlock()
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); !ok || !a.tokens[tok] {
			a.noBearer++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		q := r.URL.Query()
		cursor, since := q.Get("cursor"), q.Get("updated_since")
		a.calls = append(a.calls, "cursor="+cursor+"&updated_since="+since)
		if q.Get("warehouse") != "WH1" {
			http.Error(w, "warehouse is required", http.StatusBadRequest)
			return
		}
		if cursor == "c3" && a.failPage3 {
			http.Error(w, "upstream timeout", http.StatusServiceUnavailable)
			return
		}
		var recs []map[string]any
		for _, rec := range a.records {
			if since == "" || rec["updated_at"].(string) >= since {
				recs = append(recs, rec)
			}
		}
		start := 0
		switch cursor {
		case "":
		case "c2":
			start = 2
		case "c3":
			start = 4
		default:
			http.Error(w, `{"error":"unknown cursor"}`, http.StatusBadRequest)
			return
		}
		end := min(start+2, len(recs))
		page := map[string]any{"data": recs[min(start, len(recs)):end], "meta": map[string]any{"next_cursor": nil}}
		if end < len(recs) {
			page["meta"] = map[string]any{"next_cursor": fmt.Sprintf("c%d", end/2+1)}
		}
		w.Header().Set("Content-Type", "application/json")
		require.NoError(t, json.NewEncoder(w).Encode(page))
	})
	a.srv = httptest.NewServer(mux)
	t.Cleanup(a.srv.Close)
	return a
}

func (a *stockAPI) set(f func(a *stockAPI)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f(a)
}

// takeCalls returns the stock requests since the last call and forgets them.
func (a *stockAPI) takeCalls() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := a.calls
	a.calls = nil
	return c
}

func rec(code, qty, at string) map[string]any {
	r := map[string]any{"item": map[string]any{"code": code}, "wh": "WH1", "uom": "PCS", "updated_at": at}
	if qty != "" {
		r["qty"] = qty
	}
	return r
}

// TestRESTSourceStockSync: a REST source written only in YAML pulls a
// 3-page cursor-paginated stock API behind OAuth2 under the scheduler;
// when page 3 fails, pages 1-2 stay stored, and a restarted hub resumes
// at page 3 without asking for pages 1-2 again; the next run asks only
// for what changed since the watermark. Records lacking a required field
// or not mapping are rejected one by one, named in the run.
func TestRESTSourceStockSync(t *testing.T) {
	api := newStockAPI(t)
	api.records = []map[string]any{
		rec("SKU-A", "40", "2026-11-20T08:00:00Z"),
		rec("SKU-B", "15", "2026-11-20T09:00:00Z"),
		rec("SKU-C", "3", "2026-11-20T10:00:00Z"),
		rec("SKU-X", "", "2026-11-20T11:00:00Z"),     // no qty: rejected by the source
		rec("SKU-D", "lots", "2026-11-20T12:00:00Z"), // not a number: rejected by the mapping
		rec("SKU-E", "7", "2026-11-20T13:00:00Z"),
	}
	api.failPage3 = true

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "api-stock.yaml"), []byte(restStockMapping), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "hub.yaml"), fmt.Appendf(nil, restStockConfig, api.srv.URL, api.srv.URL), 0o600))
	t.Setenv("REST_TEST_CLIENT_SECRET", "client-s3cret")
	cfg, err := config.Load(filepath.Join(dir, "hub.yaml"), os.LookupEnv)
	require.NoError(t, err)
	require.Equal(t, "client-s3cret", cfg.RESTSources()["dealer-a"][0].Auth.ClientSecret, "the secret comes from the environment")

	env := newSpreadsheetEnv(t, hubtest.Options{Config: cfg}, Options{}, cfg)
	env.run(t, []scenario{
		{name: "cross-references", method: http.MethodPut, url: "/api/v1/cross-refs", who: "dealer-a",
			body: `[{"code":"SKU-A","supplier":"supplier-a","supplier_sku":"S-A"},{"code":"SKU-B","supplier":"supplier-a","supplier_sku":"S-B"},` +
				`{"code":"SKU-C","supplier":"supplier-a","supplier_sku":"S-C"},{"code":"SKU-D","supplier":"supplier-a","supplier_sku":"S-D"},` +
				`{"code":"SKU-E","supplier":"supplier-a","supplier_sku":"S-E"}]`, status: http.StatusOK},
	})

	// The scheduler runs the source at once (no run recorded yet). Page 3
	// fails twice (one retry): the run fails, pages 1-2 are stored.
	sched := hub.NewSyncScheduler(env.Hub, hub.SyncSchedulerOptions{Holder: "first"})
	env.Hub.SetSyncScheduler(sched)
	require.NoError(t, sched.Apply(t.Context(), cfg))
	require.Equal(t, []string{"dealer-a/rest:stock"}, sched.Running())
	first := waitFinishedRun(t, env.Store, "rest:stock")
	sched.Stop()
	require.Equal(t, store.SyncFailed, first.Status, "run: %+v", first)
	require.Equal(t, hub.TriggerSchedule, first.Trigger)
	require.Contains(t, first.Error, "page 3")
	require.Contains(t, first.Error, "503")
	require.Equal(t, 4, first.Read, "two pages of two records were read")
	require.Equal(t, 3, first.Changed, "SKU-A, SKU-B and SKU-C stored")
	require.Equal(t, 1, first.Rejected, "SKU-X has no qty")
	require.Len(t, first.Errors, 1)
	require.Equal(t, "/qty", first.Errors[0].Pointer)
	require.Equal(t, "page 2, record 1", first.Errors[0].Location)
	require.Equal(t, []string{
		"cursor=&updated_since=2026-01-01T00:00:00Z",
		"cursor=c2&updated_since=2026-01-01T00:00:00Z",
		"cursor=c3&updated_since=2026-01-01T00:00:00Z",
		"cursor=c3&updated_since=2026-01-01T00:00:00Z",
	}, api.takeCalls(), "page 3 was tried twice")
	env.run(t, []scenario{
		{name: "the stored pages are in the stock view", url: "/api/v1/stock", who: "dealer-a", status: http.StatusOK,
			fields: map[string]string{"items.#": "3", "items.0.sku": "SKU-A", "items.0.on_hand": "40", "items.1.on_hand": "15", "items.2.sku": "SKU-C",
				"items.0.supplier": "supplier-a", "items.0.supplier_sku": "S-A"}},
		{name: "the supplier sees its products at the dealer", url: "/api/v1/stock?dealer=dealer-a", who: "supplier-a", status: http.StatusOK,
			fields: map[string]string{"items.#": "3"}},
	})

	// A restart: a new hub process on the same database, a new scheduler
	// and REST client (no token, nothing in memory).
	api.set(func(a *stockAPI) { a.failPage3 = false })
	env2 := newSpreadsheetEnv(t, hubtest.Options{Config: cfg, Store: env.Store}, Options{}, cfg)
	sched2 := hub.NewSyncScheduler(env2.Hub, hub.SyncSchedulerOptions{Holder: "second"})
	env2.Hub.SetSyncScheduler(sched2)
	require.NoError(t, sched2.Apply(t.Context(), cfg))
	t.Cleanup(sched2.Stop)
	env2.run(t, []scenario{
		{name: "resumed at page 3", method: http.MethodPost, url: "/api/v1/sync-runs", who: "dealer-a", body: `{"source":"rest:stock"}`,
			status: http.StatusCreated, fields: map[string]string{"status": "succeeded", "source": "rest:stock", "trigger": "manual",
				"read": "2", "changed": "1", "rejected": "1", "errors.#": "1", "errors.0.pointer": "/0/qty", "errors.0.value": "lots"}},
	})
	require.Equal(t, []string{"cursor=c3&updated_since=2026-01-01T00:00:00Z"}, api.takeCalls(),
		"only page 3 is asked for, with the watermark the run started with")
	env2.run(t, []scenario{
		{name: "all valid levels stored", url: "/api/v1/stock", who: "dealer-a", status: http.StatusOK,
			fields: map[string]string{"items.#": "4", "items.3.sku": "SKU-E", "items.3.on_hand": "7"}},
	})

	// The next run asks only for records since the watermark: SKU-E again
	// (inclusive, unchanged) and SKU-A, changed since.
	api.set(func(a *stockAPI) { a.records[0] = rec("SKU-A", "35", "2026-11-21T08:00:00Z") })
	env2.run(t, []scenario{
		{name: "incremental run", method: http.MethodPost, url: "/api/v1/sync-runs", who: "dealer-a", body: `{"source":"rest:stock"}`,
			status: http.StatusCreated, fields: map[string]string{"status": "succeeded", "read": "2", "changed": "1", "rejected": "0"}},
		{name: "the changed level", url: "/api/v1/stock", who: "dealer-a", status: http.StatusOK,
			fields: map[string]string{"items.#": "4", "items.0.sku": "SKU-A", "items.0.on_hand": "35"}},
		{name: "three runs recorded", url: "/api/v1/sync-runs?source=rest:stock", who: "dealer-a", status: http.StatusOK,
			fields: map[string]string{"items.#": "3", "items.0.status": "succeeded", "items.2.status": "failed"}},
		{name: "a partner without the source", method: http.MethodPost, url: "/api/v1/sync-runs", who: "dealer-b", body: `{"source":"rest:stock"}`,
			status: http.StatusNotFound},
	})
	require.Equal(t, []string{"cursor=&updated_since=2026-11-20T13:00:00Z"}, api.takeCalls())
	api.set(func(a *stockAPI) {
		require.Zero(t, a.noBearer, "every API call carried a valid token")
		require.Equal(t, 2, a.fetches, "one token per process, kept between its runs")
	})

	// Every page is a raw message kept as pulled, named by the source.
	msgs, _, err := env.Store.ListMessages(t.Context(), store.OperatorScope(), store.MessageFilter{Partner: "dealer-a"})
	require.NoError(t, err)
	var pages []string
	for _, m := range msgs {
		if m.Source == "rest:stock" {
			pages = append(pages, m.Filename[strings.LastIndex(m.Filename, "-page-"):])
		}
	}
	slices.Sort(pages)
	require.Equal(t, []string{"-page-1.json", "-page-1.json", "-page-2.json", "-page-3.json"}, pages)
}

// waitFinishedRun waits for the first finished run of a source.
func waitFinishedRun(t *testing.T, st store.Store, source string) store.SyncRun {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		runs, _, err := st.ListSyncRuns(t.Context(), store.OperatorScope(), store.SyncRunFilter{Source: source})
		require.NoError(t, err)
		for _, r := range runs {
			if r.Status != store.SyncRunning {
				return r
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no %s run finished within 60s", source)
	return store.SyncRun{}
}

// restProductConfig is supplier-a's product API: page/size pagination,
// an API key header, records at the top level, the built-in synonyms as
// the mapping. Its inbound.records path is for what it posts, not for
// what the hub pulls.
const restProductConfig = `version: 1
partners:
  - id: supplier-a
    name: Supplier A
    roles: [supplier]
    inbound:
      records: data.items
    rest:
      - name: catalog
        schedule: {cron: "0 3 * * *"}
        url: %s/products
        doctype: product
        auth: {type: api_key, header: X-Api-Key, key: "${REST_TEST_API_KEY}"}
        pagination: {type: page, page_param: p, size_param: n, size: 2}
`

// TestRESTSourceProducts: any doctype other than stock goes the plain
// way, one document per record through the mapping; a record the schema
// refuses is rejected alone, by its pointer in its page.
func TestRESTSourceProducts(t *testing.T) {
	products := []map[string]any{
		{"sku": "P-1", "name": "扳手", "unit": "个"},
		{"sku": "P-2", "name": "钳子", "unit": "PCE"},
		{"sku": "P-3", "name": "", "unit": "PCE"},
	}
	var calls []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls = append(calls, r.URL.RawQuery)
		mu.Unlock()
		if r.Header.Get("X-Api-Key") != "k-123" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var page, size int
		fmt.Sscan(r.URL.Query().Get("p"), &page)
		fmt.Sscan(r.URL.Query().Get("n"), &size)
		start := min((page-1)*size, len(products))
		w.Header().Set("Content-Type", "application/json")
		require.NoError(t, json.NewEncoder(w).Encode(products[start:min(start+size, len(products))]))
	}))
	t.Cleanup(srv.Close)
	t.Setenv("REST_TEST_API_KEY", "k-123")
	cfg, err := config.Parse(fmt.Appendf(nil, restProductConfig, srv.URL), "hub.yaml", os.LookupEnv)
	require.NoError(t, err)
	env := newSpreadsheetEnv(t, hubtest.Options{Config: cfg}, Options{}, cfg)
	env.Hub.SetSyncScheduler(hub.NewSyncScheduler(env.Hub, hub.SyncSchedulerOptions{}))
	env.run(t, []scenario{
		{name: "pulled", method: http.MethodPost, url: "/api/v1/sync-runs", who: "supplier-a", body: `{}`,
			status: http.StatusCreated, fields: map[string]string{"status": "succeeded", "source": "rest:catalog",
				"read": "3", "changed": "2", "rejected": "1", "errors.0.pointer": "/0/name"}},
		{name: "the products", url: "/api/v1/documents/product", who: "supplier-a", status: http.StatusOK,
			fields: map[string]string{"items.#": "2"}},
	})
	require.Equal(t, []string{"n=2&p=1", "n=2&p=2"}, calls, "page 2 is short: the last")
	run := waitFinishedRun(t, env.Store, "rest:catalog")
	require.Contains(t, run.Errors[0].Location, "page 2")
}
