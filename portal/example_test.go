package portal_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/portal"
)

// ExampleNewAPI wires the API the way cmd/dealerhub does, and shows two
// answers that need no hub behind it: the liveness probe and a call without
// an API key.
func ExampleNewAPI() {
	var h hub.Service // in cmd: the *hub.Hub built from the store, the bus and the config
	api := portal.NewAPI(h, portal.Options{
		MaxBodyBytes: 10 << 20,
		Metrics:      nil, // promhttp.HandlerFor(registry, promhttp.HandlerOpts{}) in cmd
		Logger:       slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	// srv := &http.Server{Addr: ":8080", Handler: api, ReadHeaderTimeout: 10 * time.Second}

	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	fmt.Print(rec.Code, " ", rec.Body.String())

	rec = httptest.NewRecorder()
	api.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/inbox", nil))
	fmt.Print(rec.Code, " ", rec.Header().Get("WWW-Authenticate"), " ", rec.Body.String())
	// Output:
	// 200 {"status":"ok"}
	// 401 Bearer realm="dealerhub" {"error":{"code":"unauthorized","message":"a valid API key is required (Authorization: Bearer <key>)"}}
}
