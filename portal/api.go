package portal

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/hub"
)

// DefaultMaxBodyBytes is the request body limit when Options.MaxBodyBytes is
// zero.
const DefaultMaxBodyBytes int64 = 10 << 20

// readyTimeout bounds the readiness probe so that a hung store or bus shows
// as not ready instead of hanging the prober.
const readyTimeout = 5 * time.Second

// Options configure the REST API.
type Options struct {
	// MaxBodyBytes limits request bodies; larger bodies get 413. Zero means
	// DefaultMaxBodyBytes (10 MiB).
	MaxBodyBytes int64
	// Metrics is served at GET /metrics when non-nil (the Prometheus handler
	// built in cmd). It needs no API key.
	Metrics http.Handler
	// Logger receives one line per request (method, path, status, duration,
	// partner, request id) and internal errors. Nil discards.
	Logger *slog.Logger
}

// api holds what the handlers share. It is built once by NewAPI and never
// changed afterwards.
type api struct {
	svc     hub.Service
	maxBody int64
	log     *slog.Logger
	mux     *http.ServeMux
}

// NewAPI returns the REST API over svc. Every route under /api/v1 needs an
// API key (Authorization: Bearer <key>); /healthz, /readyz and /metrics do
// not. Responses are JSON; errors have the shape of Error.
func NewAPI(svc hub.Service, opts Options) http.Handler {
	a := &api{
		svc:     svc,
		maxBody: opts.MaxBodyBytes,
		log:     opts.Logger,
		mux:     http.NewServeMux(),
	}
	if a.maxBody <= 0 {
		a.maxBody = DefaultMaxBodyBytes
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}

	a.mux.HandleFunc("GET /healthz", a.healthz)
	a.mux.HandleFunc("GET /readyz", a.readyz)
	if opts.Metrics != nil {
		a.mux.Handle("GET /metrics", opts.Metrics)
	}
	a.mux.HandleFunc("GET "+OpenAPIPath, a.openAPI)

	a.handle("POST /api/v1/documents/{doctype}", a.submitDocuments)
	a.handle("GET /api/v1/documents/{doctype}", a.listDocuments)
	a.handle("GET /api/v1/documents/{doctype}/{id}", a.getDocument)

	a.handle("GET /api/v1/inbox", a.inbox)
	a.handle("POST /api/v1/inbox/{id}/ack", a.ackInbox)
	a.handle("GET /api/v1/inbox/{id}/body", a.inboxBody)

	a.handle("GET /api/v1/deliveries", a.listDeliveries)
	a.handle("GET /api/v1/deliveries/{id}", a.getDelivery)
	a.handle("POST /api/v1/deliveries/{id}/replay", a.replayDelivery)

	a.handle("GET /api/v1/dead-letters", a.listDeadLetters)
	a.handle("GET /api/v1/notifications", a.listNotifications)

	a.handle("GET /api/v1/messages", a.listMessages)
	a.handle("GET /api/v1/messages/{id}", a.getMessage)
	a.handle("POST /api/v1/messages/{id}/replay", a.replayMessage)
	a.handle("GET /api/v1/messages/{id}/body", a.messageBody)
	a.handle("GET /api/v1/messages/{id}/errors.xlsx", a.messageErrors)

	a.handle("POST /api/v1/imports", a.importFile)
	a.handle("POST /api/v1/inbound/{doctype}", a.inbound)

	a.handle("GET /api/v1/price-lists", a.listPriceLists)
	a.handle("GET /api/v1/price-lists/{id}", a.getPriceList)
	a.handle("GET /api/v1/price-lists/{id}/lines", a.listPriceListLines)
	a.handle("GET /api/v1/price-lists/{id}/changes", a.listPriceListChanges)

	a.handle("GET /api/v1/stock", a.listStock)
	a.handle("GET /api/v1/stock-policies", a.listStockPolicies)
	a.handle("PUT /api/v1/stock-policies", a.putStockPolicies)
	a.handle("GET /api/v1/cross-refs", a.listCrossRefs)
	a.handle("PUT /api/v1/cross-refs", a.putCrossRefs)

	a.handle("GET /api/v1/sync-runs", a.listSyncRuns)
	a.handle("POST /api/v1/sync-runs", a.startSyncRun)

	a.handle("GET /api/v1/orders", a.listOrders)
	a.handle("GET /api/v1/orders/{id}", a.getOrder)
	a.handle("POST /api/v1/orders/{id}/response", a.respondToOrder)
	a.handle("POST /api/v1/orders/{id}/receipt", a.recordReceipt)
	a.handle("POST /api/v1/shipments", a.createShipment)
	a.handle("POST /api/v1/tracking-events", a.postTrackingEvents)

	return a
}

// authedHandler is a handler that runs for an authenticated principal and
// returns its error instead of writing it.
type authedHandler func(w http.ResponseWriter, r *http.Request, p hub.Principal) error

// handle registers an authenticated route.
func (a *api) handle(pattern string, h authedHandler) {
	a.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		p, err := a.authenticate(r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		if info := reqInfoFrom(r.Context()); info != nil {
			info.partner = p.Partner
			if p.Operator {
				info.partner = "operator"
			}
		}
		if err := h(w, r, p); err != nil {
			a.writeError(w, r, err)
		}
	})
}

// authenticate resolves the bearer key of r.
func (a *api) authenticate(r *http.Request) (hub.Principal, error) {
	h := r.Header.Get("Authorization")
	scheme, key, ok := strings.Cut(h, " ")
	key = strings.TrimSpace(key)
	if !ok || !strings.EqualFold(scheme, "Bearer") || key == "" {
		return hub.Principal{}, hub.ErrUnauthorized
	}
	p, err := a.svc.Authenticate(r.Context(), key)
	if err != nil {
		return hub.Principal{}, err
	}
	return p, nil
}

// ServeHTTP adds the request id, the body limit and the access log around
// the mux, and turns the mux's own 404 and 405 answers into JSON errors.
func (a *api) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	info := &reqInfo{id: incomingRequestID(r.Header.Get("X-Request-Id"))}
	ctx := context.WithValue(r.Context(), reqInfoKey{}, info)
	r = r.WithContext(ctx)
	w.Header().Set("X-Request-Id", info.id)
	if r.Body != nil {
		// The server's own writer: it closes the connection after a body
		// over the limit.
		r.Body = http.MaxBytesReader(w, r.Body, a.maxBody)
	}
	sw := &statusWriter{ResponseWriter: w}

	if _, pattern := a.mux.Handler(r); pattern == "" {
		a.noRoute(sw, r)
	} else {
		a.mux.ServeHTTP(sw, r)
	}

	status := sw.status
	if status == 0 {
		status = http.StatusOK
	}
	level := slog.LevelInfo
	if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" {
		level = slog.LevelDebug
	}
	a.log.LogAttrs(ctx, level, "http request",
		slog.String("request_id", info.id),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.Duration("duration", time.Since(start)),
		slog.String("partner", info.partner),
	)
}

// noRoute answers a request no pattern matched: 405 with Allow when the path
// exists for other methods, else 404.
func (a *api) noRoute(w http.ResponseWriter, r *http.Request) {
	h, _ := a.mux.Handler(r)
	probe := &headerProbe{header: http.Header{}}
	h.ServeHTTP(probe, r)
	if probe.status >= 300 && probe.status < 400 {
		// A redirect to the cleaned path: let the mux send it.
		h.ServeHTTP(w, r)
		return
	}
	if probe.status == http.StatusMethodNotAllowed {
		if allow := probe.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		a.writeError(w, r, &Error{
			Status:  http.StatusMethodNotAllowed,
			Code:    CodeMethodNotAllowed,
			Message: "method " + r.Method + " is not allowed here",
		})
		return
	}
	a.writeError(w, r, &Error{Status: http.StatusNotFound, Code: CodeNotFound, Message: "no such endpoint"})
}

// headerProbe records what the mux's fallback handler would answer, without
// sending it.
type headerProbe struct {
	header http.Header
	status int
}

func (p *headerProbe) Header() http.Header         { return p.header }
func (p *headerProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *headerProbe) WriteHeader(status int)      { p.status = status }

// statusWriter remembers the status for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// reqInfo is per-request state shared between the middleware and the
// handlers.
type reqInfo struct {
	id      string
	partner string
}

type reqInfoKey struct{}

func reqInfoFrom(ctx context.Context) *reqInfo {
	info, _ := ctx.Value(reqInfoKey{}).(*reqInfo)
	return info
}

// requestID returns the request id of ctx, or "" outside a request.
func requestID(ctx context.Context) string {
	if info := reqInfoFrom(ctx); info != nil {
		return info.id
	}
	return ""
}

// incomingRequestID keeps a caller's X-Request-Id when it is short and
// printable (it ends up in logs and headers), else makes a new one.
func incomingRequestID(v string) string {
	if v != "" && len(v) <= 128 {
		ok := true
		for i := 0; i < len(v); i++ {
			if c := v[i]; c < 0x21 || c > 0x7e {
				ok = false
				break
			}
		}
		if ok {
			return v
		}
	}
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the status is sent; a write error means the client left
}

// healthz answers while the process serves.
func (a *api) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when the store and the bus answer, else 503 with the
// reason.
func (a *api) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := a.svc.Ready(ctx); err != nil {
		a.log.LogAttrs(r.Context(), slog.LevelWarn, "not ready",
			slog.String("request_id", requestID(r.Context())),
			slog.String("error", err.Error()))
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{
			"status": CodeUnavailable,
			"reason": err.Error(),
		})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
