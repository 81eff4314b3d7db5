package portal

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
)

// gatedSync is a stock sync that succeeds when the test lets it, or fails
// when the reader fails.
type gatedSync struct {
	started chan struct{}
	mu      sync.Mutex
	gate    chan struct{}
	readErr error
}

// hold makes the next runs wait until the returned func is called.
func (g *gatedSync) hold() (release func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.gate = make(chan struct{})
	return func() { close(g.gate) }
}

func (g *gatedSync) failReads(err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.readErr = err
}

func (g *gatedSync) ReadStock(context.Context, connectors.StockQuery) (connectors.StockSnapshot, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return connectors.StockSnapshot{}, g.readErr
}

func (g *gatedSync) sync(ctx context.Context, _ store.Store, _ hub.SubjectNamer, r hub.StockSyncRequest) (hub.StockSyncOutcome, error) {
	if _, err := r.Reader.ReadStock(ctx, connectors.StockQuery{}); err != nil {
		return hub.StockSyncOutcome{}, err
	}
	g.mu.Lock()
	gate := g.gate
	g.mu.Unlock()
	select {
	case g.started <- struct{}{}:
	default:
	}
	<-gate
	return hub.StockSyncOutcome{MessageID: "m-1", Status: store.StatusDone, Read: 3, Changed: 2, Rejected: 1,
		Errors: []store.DataError{{Pointer: "/levels/2/code", Reason: "no cross-reference"}}}, nil
}

func TestSyncRunsAPI(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts hubtest.Options
	}{
		{"sqlite", hubtest.Options{}},
		{"postgres", hubtest.Options{Postgres: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Parse([]byte(`partners:
  - id: dealer-a
    name: Dealer A
    roles: [dealer]
    erp:
      tryton: {url: "http://127.0.0.1:1", database: d, user: u, password: pw}
      schedule: {every: 1h}
`), "hub.yaml", nil)
			require.NoError(t, err)
			tc.opts.Config = cfg
			e := newAPIEnv(t, tc.opts, Options{})
			g := &gatedSync{started: make(chan struct{}, 1)}
			g.hold()() // runs finish at once until the test holds them
			s := hub.NewSyncScheduler(e.Hub, hub.SyncSchedulerOptions{Holder: "api-test", Lease: 3 * time.Second, Sync: g.sync,
				NewReader: func(string, config.ERP) (connectors.StockReader, error) { return g, nil }})
			e.Hub.SetSyncScheduler(s)
			drain := func() {
				select {
				case <-g.started:
				default:
				}
			}

			e.run(t, []scenario{
				{name: "a dealer runs its own source", method: http.MethodPost, url: "/api/v1/sync-runs", who: "dealer-a", body: `{"partner":"dealer-a"}`,
					status: http.StatusCreated, fields: map[string]string{"partner": "dealer-a", "status": "succeeded", "trigger": "manual", "source": "tryton",
						"read": "3", "changed": "2", "rejected": "1", "message_id": "m-1", "errors.0.pointer": "/levels/2/code"}},
				{name: "a dealer may leave out its id", method: http.MethodPost, url: "/api/v1/sync-runs", who: "dealer-a", body: `{}`,
					status: http.StatusCreated, fields: map[string]string{"partner": "dealer-a", "status": "succeeded"}},
				{name: "an operator runs any", method: http.MethodPost, url: "/api/v1/sync-runs", who: "operator", body: `{"partner":"dealer-a"}`,
					status: http.StatusCreated, fields: map[string]string{"partner": "dealer-a"}},
				{name: "another dealer's source is not found", method: http.MethodPost, url: "/api/v1/sync-runs", who: "dealer-b", body: `{"partner":"dealer-a"}`,
					status: http.StatusNotFound, fields: map[string]string{"error.code": CodeNotFound}},
				{name: "a partner without a source", method: http.MethodPost, url: "/api/v1/sync-runs", who: "operator", body: `{"partner":"dealer-b"}`,
					status: http.StatusNotFound, fields: map[string]string{"error.code": CodeNotFound}},
				{name: "an operator names the partner", method: http.MethodPost, url: "/api/v1/sync-runs", who: "operator", body: `{}`,
					status: http.StatusBadRequest, contains: []string{"partner is required"}},
				{name: "unknown field", method: http.MethodPost, url: "/api/v1/sync-runs", who: "dealer-a", body: `{"partner":"dealer-a","now":true}`,
					status: http.StatusBadRequest, contains: []string{`unknown field \"now\"`}},
				{name: "not JSON", method: http.MethodPost, url: "/api/v1/sync-runs", who: "dealer-a", contentType: "text/plain", body: `dealer-a`,
					status: http.StatusUnsupportedMediaType},
				{name: "no key", method: http.MethodPost, url: "/api/v1/sync-runs", body: `{}`, status: http.StatusUnauthorized},
			})
			drain()

			// A failed run is a run: 201, with the ERP's message.
			g.failReads(connectors.Permanent(errTest("login refused by Tryton")))
			r := e.do(t, http.MethodPost, "/api/v1/sync-runs", "dealer-a", "", `{"partner":"dealer-a"}`, nil)
			require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)
			require.Equal(t, "failed", jsonField(t, r.body, "status"))
			require.Contains(t, jsonField(t, r.body, "error"), "login refused by Tryton")
			g.failReads(nil)

			e.run(t, []scenario{
				{name: "the dealer lists its runs", url: "/api/v1/sync-runs", who: "dealer-a", status: http.StatusOK,
					fields: map[string]string{"items.#": "4", "items.0.status": "failed", "items.3.status": "succeeded"}},
				{name: "filtered by status", url: "/api/v1/sync-runs?status=failed", who: "dealer-a", status: http.StatusOK,
					fields: map[string]string{"items.#": "1"}, contains: []string{"login refused by Tryton"}},
				{name: "another dealer sees none", url: "/api/v1/sync-runs", who: "dealer-b", status: http.StatusOK, fields: map[string]string{"items.#": "0"}},
				{name: "another dealer cannot name it", url: "/api/v1/sync-runs?partner=dealer-a", who: "dealer-b", status: http.StatusOK, fields: map[string]string{"items.#": "0"}},
				{name: "an operator sees all", url: "/api/v1/sync-runs?partner=dealer-a&status=succeeded", who: "operator", status: http.StatusOK,
					fields: map[string]string{"items.#": "3"}},
				{name: "bad status", url: "/api/v1/sync-runs?status=done", who: "operator", status: http.StatusBadRequest, contains: []string{"status"}},
				{name: "bad limit", url: "/api/v1/sync-runs?limit=0", who: "operator", status: http.StatusBadRequest, contains: []string{"limit"}},
			})
			require.Len(t, e.listAll(t, "/api/v1/sync-runs", "dealer-a", 1), 4, "pages of one")

			// A run in progress: a second one is a conflict.
			drain()
			release := g.hold()
			done := make(chan response, 1)
			go func() {
				r, err := e.post("/api/v1/sync-runs", "dealer-a", `{"partner":"dealer-a"}`)
				if err != nil {
					t.Errorf("first run: %v", err)
				}
				done <- r
			}()
			<-g.started
			e.run(t, []scenario{
				{name: "a run in progress", method: http.MethodPost, url: "/api/v1/sync-runs", who: "operator", body: `{"partner":"dealer-a"}`,
					status: http.StatusConflict, fields: map[string]string{"error.code": CodeConflict}},
				{name: "it is listed as running", url: "/api/v1/sync-runs?status=running", who: "dealer-a", status: http.StatusOK,
					fields: map[string]string{"items.#": "1", "items.0.trigger": "manual"}},
			})
			release()
			first := <-done
			require.Equal(t, http.StatusCreated, first.status, "body: %s", first.body)
		})
	}
}

type errTest string

func (e errTest) Error() string { return string(e) }
