package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/sqlitestore"
	"github.com/dealerhub/dealerhub/hub/tabular"
	"github.com/dealerhub/dealerhub/schemas"
)

// benchPersistConfig is the hub config of the persist stages: a supplier
// whose price lists import their valid rows (the generated file has planted
// bad rows), and two dealers that buy from it.
const benchPersistConfig = `version: 1
partners:
  - id: bench-supplier
    name: Bench Supplier
    roles: [supplier]
    mappings:
      - name: prices
        file: prices.yaml
        default: true
  - id: bench-dealer-1
    name: Bench Dealer 1
    roles: [dealer]
  - id: bench-dealer-2
    name: Bench Dealer 2
    roles: [dealer]
relationships:
  - {dealer: bench-dealer-1, supplier: bench-supplier, shares_stock: true}
  - {dealer: bench-dealer-2, supplier: bench-supplier, shares_stock: true}
`

// benchPersistMapping is the supplier's mapping file: the built-in
// synonyms, valid rows imported.
const benchPersistMapping = `version: 1
doctype: price_list
on_error: import_valid
`

// benchStoreOpener opens an empty store in dir and returns its cleanup.
type benchStoreOpener func(ctx context.Context, dir string) (store.Store, func(), error)

// benchOpeners are the stores the persist stages measure: the embedded one
// always, PostgreSQL when a URL is given.
func benchOpeners(dbURL string) map[string]benchStoreOpener {
	out := map[string]benchStoreOpener{
		"sqlite": func(ctx context.Context, dir string) (store.Store, func(), error) {
			st, err := sqlitestore.Open(ctx, filepath.Join(dir, "dealerhub.db"))
			return st, func() {}, err
		},
	}
	if dbURL != "" {
		out["postgresql"] = func(ctx context.Context, _ string) (store.Store, func(), error) {
			return scratchPostgres(ctx, dbURL)
		}
	}
	return out
}

// benchPersist measures the whole import through a running hub on one
// store, twice: the first list (nothing to compare with) and the same
// list with every tenth price raised (a diff with 10% of the SKUs changed,
// notifications for the dealers that stock them). Each stage runs from
// Ingest until the message is done and the changed event has arrived.
func benchPersist(ctx context.Context, storeName string, open benchStoreOpener, format, first, changed string, rows int, logw io.Writer) ([]benchStage, error) {
	dir, err := os.MkdirTemp("", "dealerhub-bench-persist-")
	if err != nil {
		return nil, fmt.Errorf("creating a temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	st, cleanup, err := open(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", storeName, err)
	}
	defer cleanup()
	defer st.Close()
	env, err := startBenchHub(ctx, dir, st, logw)
	if err != nil {
		return nil, err
	}
	defer env.stop()
	// Dealer 1 carries every 50th SKU (a cross-reference from its own item
	// code), so its notification lists the changed ones among them.
	var refs []store.CrossRef
	g := newBenchGenerator(1, 0)
	for range rows {
		l := g.next()
		if l.No%50 == 0 {
			refs = append(refs, store.CrossRef{Partner: "bench-dealer-1", Code: "D1-" + l.SKU, Supplier: "bench-supplier", SupplierSKU: l.SKU})
		}
	}
	if len(refs) > 0 {
		if err := st.PutCrossRefs(ctx, "bench-dealer-1", refs); err != nil {
			return nil, fmt.Errorf("storing cross-references: %w", err)
		}
	}
	var out []benchStage
	for i, f := range []struct{ stage, path string }{{"persist", first}, {"persist_changed", changed}} {
		s, err := env.importOnce(ctx, format, f.path)
		if err != nil {
			return nil, fmt.Errorf("%s on %s: %w", f.stage, storeName, err)
		}
		s.Stage, s.Store = f.stage, storeName
		if i == 0 {
			s.What = "full import through the hub: raw message stored, read + map + validate, lines stored (COPY on PostgreSQL), commit, changed event received"
		} else {
			s.What = "the same list with every 10th price up 5%: as persist, plus the diff against the first list and dealer notifications"
		}
		out = append(out, s)
	}
	return out, nil
}

// benchHub is a hub running for the persist stages.
type benchHub struct {
	hub    *hub.Hub
	bus    *bus.Bus
	st     store.Store
	events chan []byte
	stop   func()
}

func startBenchHub(ctx context.Context, dir string, st store.Store, logw io.Writer) (*benchHub, error) {
	if err := os.WriteFile(filepath.Join(dir, "prices.yaml"), []byte(benchPersistMapping), 0o600); err != nil {
		return nil, fmt.Errorf("writing the bench mapping: %w", err)
	}
	cfgPath := filepath.Join(dir, "dealerhub.yaml")
	if err := os.WriteFile(cfgPath, []byte(benchPersistConfig), 0o600); err != nil {
		return nil, fmt.Errorf("writing the bench config: %w", err)
	}
	cfg, err := config.Load(cfgPath, os.LookupEnv)
	if err != nil {
		return nil, fmt.Errorf("loading the bench config: %w", err)
	}
	if err := applyConfig(ctx, st, cfg); err != nil {
		return nil, err
	}
	reg, err := schemas.New()
	if err != nil {
		return nil, fmt.Errorf("loading schemas: %w", err)
	}
	b, err := bus.Open(ctx, bus.Config{DataDir: filepath.Join(dir, "nats"), Name: "dealerhub-bench-persist"})
	if err != nil {
		return nil, fmt.Errorf("starting the bus: %w", err)
	}
	var h *hub.Hub
	h, err = hub.New(hub.Options{Store: st, Bus: b, Schemas: reg, Config: cfg,
		Decoders: tabular.Decoders(reg, func() *config.Config { return cfg }),
		Logger:   slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("starting the hub: %w", err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- h.Run(runCtx) }()
	env := &benchHub{hub: h, bus: b, st: st, events: make(chan []byte, 16)}
	go b.WatchEvents(runCtx, b.EventSubject("price_list", "bench-supplier"), func(m *bus.Msg) {
		select {
		case env.events <- m.Data:
		case <-runCtx.Done():
		}
	})
	env.stop = func() {
		cancel()
		<-done
		b.Close()
	}
	return env, nil
}

// importOnce ingests one file and waits for its message and its event.
func (e *benchHub) importOnce(ctx context.Context, format, path string) (benchStage, error) {
	body, err := os.ReadFile(path)
	if err != nil {
		return benchStage{}, fmt.Errorf("reading %s: %w", path, err)
	}
	start := time.Now()
	rcpt, err := e.hub.Ingest(ctx, connectors.IngestRequest{Partner: "bench-supplier", Doctype: "price_list",
		Format: format, Source: "bench", Filename: filepath.Base(path), Body: body})
	if err != nil {
		return benchStage{}, fmt.Errorf("ingesting %s: %w", path, err)
	}
	// Poll often: the stage ends when the message is done, and a coarse
	// poll would add its interval to every figure.
	m, err := hub.AwaitMessage(ctx, e.st, rcpt.MessageID, time.Now().Add(10*time.Minute), 5*time.Millisecond)
	if err != nil {
		return benchStage{}, err
	}
	if m.Status != store.StatusDone {
		return benchStage{}, fmt.Errorf("message %s ended %s: %v", m.ID, m.Status, m.Errors)
	}
	var ev struct {
		Lines int             `json:"lines"`
		Diff  store.PriceDiff `json:"diff"`
	}
	select {
	case data := <-e.events:
		if err := json.Unmarshal(data, &ev); err != nil {
			return benchStage{}, fmt.Errorf("decoding the changed event: %w", err)
		}
	case <-time.After(time.Minute):
		return benchStage{}, fmt.Errorf("no changed event within a minute of message %s", m.ID)
	}
	s := benchStage{Format: format, Seconds: time.Since(start).Seconds()}
	valid, rejected := ev.Lines, 0
	for _, de := range m.Errors {
		if de.Row > 0 {
			rejected++
		}
	}
	s.Rows, s.Valid, s.Errors = ev.Lines+rejected, &valid, &rejected
	changes := ev.Diff.Changes()
	s.Changes = &changes
	return s, nil
}
