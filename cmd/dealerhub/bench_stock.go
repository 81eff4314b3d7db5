package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/erp/tryton"
	"github.com/dealerhub/dealerhub/connectors/erp/tryton/trytonfake"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/store"
)

// benchStockReport is what `bench stock-sync` prints.
type benchStockReport struct {
	Rows   int               `json:"rows"` // products in the ERP stand-in, one warehouse
	Runs   int               `json:"runs"` // each figure is the median of this many runs
	Stages []benchStockStage `json:"stages"`
	Note   string            `json:"note"`
}

// benchStockStage is one sync on one store.
type benchStockStage struct {
	Stage    string `json:"stage"` // full, changed_1pct, unchanged
	Store    string `json:"store"`
	Read     int    `json:"rows_read,omitempty"`
	Expected int    `json:"expected_changed"` // levels the bench changed in the ERP
	Changed  int    `json:"changed"`          // documents the hub stored a new version of
	Events   int    `json:"events"`           // stock_level events received, quiet period included
	Rejected int    `json:"rejected"`
	// Seconds runs from the start of the read until the message is done
	// and Changed events have been received. Of it, ReadSeconds went to
	// reading the ERP (JSON-RPC calls) and DoneSeconds ran until
	// SyncStock saw the message done.
	Seconds       float64 `json:"seconds,omitempty"`
	ReadSeconds   float64 `json:"read_seconds,omitempty"`
	DoneSeconds   float64 `json:"done_seconds,omitempty"`
	RowsPerSecond float64 `json:"rows_per_second,omitempty"`
	Skipped       string  `json:"skipped,omitempty"`
}

// ok says whether the stage did what it must: one event per changed level,
// and exactly the levels the bench changed.
func (s benchStockStage) ok() bool {
	return s.Skipped != "" || (s.Events == s.Changed && s.Changed == s.Expected && s.Rejected == 0)
}

const (
	benchStockDealer    = "bench-dealer-1" // a dealer of startBenchHub's config, sharing stock with bench-supplier
	benchStockWarehouse = "WH"             // trytonfake's warehouse
	// benchStockQuiet is how long a stage keeps counting after its
	// events are all in, to catch extra ones; not part of its time.
	benchStockQuiet = 500 * time.Millisecond
)

func cmdBenchStockSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench stock-sync", stderr)
	rows := fs.Int("rows", 100000, "products (stock levels) in the Tryton stand-in's one warehouse")
	asJSON := fs.Bool("json", false, "print JSON")
	runs := fs.Int("runs", 1, "measure each stage this many times (a fresh store and ERP per run) and report the median")
	memLimit := fs.Int("memory-limit-mib", defaultMemoryLimitMiB, "soft limit of the Go heap in MiB, as serve sets it (0: none)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	dbURL := fs.String("database-url", os.Getenv("DEALERHUB_DATABASE_URL"), "PostgreSQL to measure too (a scratch schema is created and dropped)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *rows <= 0 {
		return usageErr("--rows must be positive")
	}
	if *runs <= 0 {
		return usageErr("--runs must be positive")
	}
	if *memLimit < 0 {
		return usageErr("--memory-limit-mib must be 0 (no limit) or positive")
	}
	// The hub runs in this process: measure it as serve runs.
	tuneMemory(*memLimit)
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	progress := terminalProgress(stderr, "bench stock-sync")
	rep := &benchStockReport{Rows: *rows, Runs: *runs}
	openers := benchOpeners(*dbURL)
	for _, name := range []string{"sqlite", "postgresql"} {
		open, ok := openers[name]
		if !ok {
			rep.Stages = append(rep.Stages, benchStockStage{Stage: "full", Store: name,
				Skipped: "give --database-url postgres://… (or DEALERHUB_DATABASE_URL) to measure PostgreSQL"})
			continue
		}
		var all [][]benchStockStage
		for run := range *runs {
			progress("run %d of %d on %s: %d levels", run+1, *runs, name, *rows)
			stages, err := benchStockRun(ctx, name, open, *rows, stderr, progress)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			for i, st := range stages {
				if i == len(all) {
					all = append(all, nil)
				}
				all[i] = append(all[i], st)
			}
		}
		for _, got := range all {
			// A run that emitted the wrong events fails the bench even when
			// another run is the median.
			if i := slices.IndexFunc(got, func(s benchStockStage) bool { return !s.ok() }); i >= 0 {
				rep.Stages = append(rep.Stages, got[i])
				continue
			}
			slices.SortFunc(got, func(a, b benchStockStage) int { return compareFloat(a.Seconds, b.Seconds) })
			rep.Stages = append(rep.Stages, got[len(got)/2])
		}
	}
	rep.Note = "Each stage runs hub.SyncStock against a trytonfake over JSON-RPC (products read in pages of 1000), " +
		"from the start of the read until the message is done (polled every 200 ms by SyncStock) and every event of " +
		"dealerhub.event.stock_level." + benchStockDealer + " is received (TIME; READ is the ERP read alone, DONE until the " +
		"message was seen done); full: every level new; changed_1pct: every " +
		"100th quantity changed; unchanged: the same quantities again."
	if *asJSON {
		err = printJSON(stdout, rep)
	} else {
		err = printBenchStock(stdout, rep)
	}
	if err != nil {
		return err
	}
	var bad []string
	for _, s := range rep.Stages {
		if !s.ok() {
			bad = append(bad, fmt.Sprintf("%s on %s: %d levels changed in the ERP, %d stored as changed, %d events, %d rejected",
				s.Stage, s.Store, s.Expected, s.Changed, s.Events, s.Rejected))
		}
	}
	if len(bad) > 0 {
		return &exitError{code: 1, err: fmt.Errorf("events do not match the changes: %s", strings.Join(bad, "; "))}
	}
	return nil
}

// benchStockRun runs the three stages on a fresh store, hub and ERP
// stand-in.
func benchStockRun(ctx context.Context, storeName string, open benchStoreOpener, rows int, logw io.Writer, progress func(string, ...any)) ([]benchStockStage, error) {
	dir, err := os.MkdirTemp("", "dealerhub-bench-stock-")
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

	erp := trytonfake.New()
	defer erp.Close()
	products := make([]trytonfake.Product, rows)
	refs := make([]store.CrossRef, rows)
	for i := range rows {
		code := benchStockCode(i)
		products[i] = trytonfake.Product{Code: code, Name: "Bench product " + strconv.Itoa(i+1)}
		refs[i] = store.CrossRef{Partner: benchStockDealer, Code: code, Supplier: "bench-supplier", SupplierSKU: "S-" + code}
	}
	erp.SetProducts(products...)
	for i := range rows {
		erp.SetQuantity(benchStockCode(i), benchStockWarehouse, benchStockQuantity(i))
	}
	if err := st.PutCrossRefs(ctx, benchStockDealer, refs); err != nil {
		return nil, fmt.Errorf("storing %d cross-references: %w", rows, err)
	}
	client, err := tryton.New(erp.Config())
	if err != nil {
		return nil, err
	}

	var out []benchStockStage
	for _, stage := range []string{"full", "changed_1pct", "unchanged"} {
		expected := 0
		switch stage {
		case "full":
			expected = rows
		case "changed_1pct":
			for i := 0; i < rows; i += 100 {
				erp.SetQuantity(benchStockCode(i), benchStockWarehouse, benchStockQuantity(i)+1)
				expected++
			}
		}
		progress("%s: %s sync", storeName, stage)
		s, err := env.stockSyncOnce(ctx, client)
		if err != nil {
			return nil, fmt.Errorf("%s sync: %w", stage, err)
		}
		s.Stage, s.Store, s.Expected = stage, storeName, expected
		out = append(out, s)
	}
	return out, nil
}

// benchStockCode is the ERP item code of product i (from 0).
func benchStockCode(i int) string { return fmt.Sprintf("BENCH-%06d", i+1) }

// benchStockQuantity varies the quantities: zeros, halves, up to 997.
func benchStockQuantity(i int) float64 {
	q := float64((i * 7919) % 998)
	if i%7 == 3 {
		q += 0.5
	}
	return q
}

// stockSyncOnce runs one sync through the hub and counts the stock_level
// events it emits: the stage ends when the message is done and as many
// events as changed levels are in; a quiet period then catches extra ones.
func (e *benchHub) stockSyncOnce(ctx context.Context, r connectors.StockReader) (benchStockStage, error) {
	var events atomic.Int64
	arrived := make(chan struct{}, 1)
	watchCtx, stopWatch := context.WithCancel(ctx)
	watchDone := make(chan error, 1)
	defer func() {
		stopWatch()
		<-watchDone
	}()
	start := time.Now()
	go func() {
		watchDone <- e.bus.WatchEvents(watchCtx, e.bus.EventSubject("stock_level", benchStockDealer), func(*bus.Msg) {
			events.Add(1)
			select {
			case arrived <- struct{}{}:
			default:
			}
		}, bus.WatchSince(start))
	}()
	tr := &timedStockReader{r: r}
	out, err := hub.SyncStock(ctx, e.st, e.bus, hub.StockSyncRequest{Dealer: benchStockDealer, Source: tryton.Source,
		Reader: tr, Wait: 30 * time.Minute})
	if err != nil {
		return benchStockStage{}, err
	}
	done := time.Since(start)
	want := int64(out.Changed)
	timeout := time.NewTimer(time.Minute + time.Duration(out.Changed)*2*time.Millisecond)
	defer timeout.Stop()
wait:
	for events.Load() < want {
		select {
		case <-arrived:
		case <-timeout.C:
			break wait // reported as a mismatch, not an error
		case err := <-watchDone:
			watchDone <- err
			return benchStockStage{}, fmt.Errorf("watching stock_level events: %v", err)
		case <-ctx.Done():
			return benchStockStage{}, ctx.Err()
		}
	}
	elapsed := time.Since(start)
	select {
	case <-time.After(benchStockQuiet):
	case <-ctx.Done():
		return benchStockStage{}, ctx.Err()
	}
	s := benchStockStage{Read: out.Read, Changed: out.Changed, Events: int(events.Load()), Rejected: out.Rejected,
		Seconds: elapsed.Seconds(), ReadSeconds: tr.took.Seconds(), DoneSeconds: done.Seconds()}
	s.RowsPerSecond = float64(s.Read) / s.Seconds
	return s, nil
}

// timedStockReader times the read of the stock.
type timedStockReader struct {
	r    connectors.StockReader
	took time.Duration
}

// ReadStock implements connectors.StockReader.
func (t *timedStockReader) ReadStock(ctx context.Context, q connectors.StockQuery) (connectors.StockSnapshot, error) {
	start := time.Now()
	defer func() { t.took = time.Since(start) }()
	return t.r.ReadStock(ctx, q)
}

// printBenchStock prints the report for people, in the style of bench
// import.
func printBenchStock(w io.Writer, rep *benchStockReport) error {
	fmt.Fprintf(w, "stock sync: %d levels in one warehouse of a Tryton stand-in (JSON-RPC)", rep.Rows)
	if rep.Runs > 1 {
		fmt.Fprintf(w, ", median of %d runs", rep.Runs)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
	rows := make([][]string, len(rep.Stages))
	for i, s := range rep.Stages {
		if s.Skipped != "" {
			rows[i] = []string{s.Store, "-", "-", "-", "-", "-", "-", "-", "-", "skipped: " + s.Skipped}
			continue
		}
		check := "ok"
		if !s.ok() {
			check = fmt.Sprintf("MISMATCH: %d changed in the ERP", s.Expected)
		}
		rows[i] = []string{s.Store, strings.ReplaceAll(s.Stage, "_", " "), strconv.Itoa(s.Read), strconv.Itoa(s.Changed),
			strconv.Itoa(s.Events), fmt.Sprintf("%.3f s", s.ReadSeconds), fmt.Sprintf("%.3f s", s.DoneSeconds),
			fmt.Sprintf("%.3f s", s.Seconds), fmt.Sprintf("%.0f rows/s", s.RowsPerSecond), check}
	}
	if err := table(w, []string{"STORE", "STAGE", "ROWS READ", "CHANGED", "EVENTS", "READ", "DONE", "TIME", "THROUGHPUT", "CHECK"}, rows); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%s\n", rep.Note)
	return err
}
