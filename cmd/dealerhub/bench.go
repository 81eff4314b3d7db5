package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/pgstore"
	"github.com/dealerhub/dealerhub/hub/store/sqlitestore"
	"github.com/dealerhub/dealerhub/schemas"
)

// benchResult is one store's figures.
type benchResult struct {
	Store         string  `json:"store"`
	Docs          int     `json:"docs"`
	IngestSeconds float64 `json:"ingest_seconds"` // until every receipt
	TotalSeconds  float64 `json:"total_seconds"`  // until every document is stored and its delivery created
	DocsPerSecond float64 `json:"docs_per_second"`
	Skipped       string  `json:"skipped,omitempty"`
}

func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "import" {
		return cmdBenchImport(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "stock-sync" {
		return cmdBenchStockSync(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "edi" {
		return cmdBenchEDI(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "ingest" {
		return usageErr("bench: \"bench ingest\", \"bench import\", \"bench stock-sync\" or \"bench edi\"")
	}
	fs := newFlagSet("bench ingest", stderr)
	docs := fs.Int("docs", 10000, "canonical stock_level documents to push through the pipeline")
	conc := fs.Int("concurrency", 8, "goroutines calling Ingest")
	workers := fs.Int("workers", 4, "messages processed at once")
	dbURL := fs.String("database-url", "", "PostgreSQL to measure too (a scratch schema is created and dropped); empty measures only the embedded store (env DEALERHUB_DATABASE_URL)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *docs <= 0 {
		return usageErr("--docs must be positive")
	}
	var results []benchResult
	emb, err := benchIngest(ctx, "sqlite (embedded)", *docs, *conc, *workers, func(dir string) (store.Store, func(), error) {
		st, err := sqlitestore.Open(ctx, filepath.Join(dir, "dealerhub.db"))
		return st, func() {}, err
	}, stderr)
	if err != nil {
		return fmt.Errorf("embedded: %w", err)
	}
	results = append(results, emb)
	if *dbURL == "" {
		results = append(results, benchResult{Store: "postgresql", Skipped: "give --database-url postgres://… to measure PostgreSQL"})
	} else {
		pg, err := benchIngest(ctx, "postgresql", *docs, *conc, *workers, func(string) (store.Store, func(), error) {
			return scratchPostgres(ctx, *dbURL)
		}, stderr)
		if err != nil {
			return fmt.Errorf("postgresql: %w", err)
		}
		results = append(results, pg)
	}
	if *asJSON {
		return printJSON(stdout, results)
	}
	rows := make([][]string, len(results))
	for i, r := range results {
		if r.Skipped != "" {
			rows[i] = []string{r.Store, "-", "-", "-", "skipped: " + r.Skipped}
			continue
		}
		rows[i] = []string{r.Store, fmt.Sprint(r.Docs), fmt.Sprintf("%.2f s", r.IngestSeconds), fmt.Sprintf("%.2f s", r.TotalSeconds), fmt.Sprintf("%.0f docs/s", r.DocsPerSecond)}
	}
	return table(stdout, []string{"STORE", "DOCS", "INGESTED", "DONE", "THROUGHPUT"}, rows)
}

// scratchPostgres opens the store in a new schema that is dropped afterwards.
func scratchPostgres(ctx context.Context, base string) (store.Store, func(), error) {
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return nil, nil, fmt.Errorf("connecting: %w", err)
	}
	b := make([]byte, 4)
	rand.Read(b)
	schema := "dealerhub_bench_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		conn.Close(ctx)
		return nil, nil, fmt.Errorf("creating scratch schema: %w", err)
	}
	drop := func() {
		conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		conn.Close(context.Background())
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return nil, nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	st, err := pgstore.Open(ctx, u.String())
	if err != nil {
		drop()
		return nil, nil, err
	}
	return st, drop, nil
}

func benchIngest(ctx context.Context, name string, n, conc, workers int, open func(dir string) (store.Store, func(), error), stderr io.Writer) (benchResult, error) {
	dir, err := os.MkdirTemp("", "dealerhub-bench-")
	if err != nil {
		return benchResult{}, err
	}
	defer os.RemoveAll(dir)
	st, cleanup, err := open(dir)
	if err != nil {
		return benchResult{}, err
	}
	defer cleanup()
	defer st.Close()
	b, err := bus.Open(ctx, bus.Config{DataDir: filepath.Join(dir, "nats"), Name: "dealerhub-bench"})
	if err != nil {
		return benchResult{}, err
	}
	defer b.Close()
	reg, err := schemas.New()
	if err != nil {
		return benchResult{}, err
	}
	for _, p := range []store.Partner{
		{ID: "bench-dealer", Name: "Bench Dealer", Roles: []string{"dealer"}, Enabled: true},
		{ID: "bench-supplier", Name: "Bench Supplier", Roles: []string{"supplier"}, Enabled: true},
	} {
		if _, err := st.UpsertPartner(ctx, p); err != nil {
			return benchResult{}, err
		}
	}
	if err := st.UpsertRelationship(ctx, store.Relationship{Dealer: "bench-dealer", Supplier: "bench-supplier", SharesStock: true}); err != nil {
		return benchResult{}, err
	}
	h, err := hub.New(hub.Options{Store: st, Bus: b, Schemas: reg, Workers: workers,
		Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return benchResult{}, err
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	hubDone := make(chan error, 1)
	go func() { hubDone <- h.Run(runCtx) }()

	var created atomic.Int64
	all := make(chan struct{})
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go b.WatchEvents(watchCtx, b.EventSubject("stock_level", "bench-dealer"), func(*bus.Msg) {
		if created.Add(1) == int64(n) {
			close(all)
		}
	})

	start := time.Now()
	var wg sync.WaitGroup
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	for range conc {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				body := fmt.Sprintf(`{"external_id":"WH1/SKU-%07d","location":"WH1","sku":"SKU-%07d","supplier":"bench-supplier","supplier_sku":"S-%07d","on_hand":"%d","available":"%d","unit":"EA","as_of":"2026-11-25T08:00:00Z"}`, i, i, i, i%500, i%400)
				if _, err := h.Ingest(ctx, connectors.IngestRequest{Partner: "bench-dealer", Doctype: "stock_level", Format: "json", Source: "bench", Body: []byte(body)}); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
			}
		})
	}
	wg.Wait()
	ingested := time.Since(start)
	if firstErr != nil {
		return benchResult{}, firstErr
	}
	timeout := time.Duration(n)*5*time.Millisecond + time.Minute
	select {
	case <-all:
	case <-time.After(timeout):
		return benchResult{}, fmt.Errorf("only %d of %d documents done after %s", created.Load(), n, timeout)
	case err := <-hubDone:
		return benchResult{}, fmt.Errorf("hub stopped: %v", err)
	case <-ctx.Done():
		return benchResult{}, ctx.Err()
	}
	total := time.Since(start)
	stop()
	if err := <-hubDone; err != nil && !errors.Is(err, context.Canceled) {
		return benchResult{}, err
	}
	return benchResult{Store: name, Docs: n, IngestSeconds: ingested.Seconds(), TotalSeconds: total.Seconds(), DocsPerSecond: float64(n) / total.Seconds()}, nil
}

// startCPUProfile writes a CPU profile to path until stop is called; an
// empty path profiles nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	pf, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating the CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(pf); err != nil {
		pf.Close()
		return nil, fmt.Errorf("starting the CPU profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		pf.Close()
	}, nil
}
