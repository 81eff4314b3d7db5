package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/erp/odoo"
	"github.com/dealerhub/dealerhub/connectors/erp/tryton"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/store"
)

// erpReader builds the stock reader of a partner's erp block: the one
// wiring of ERP clients, shared by serve's scheduler and `sync now`.
func erpReader(partner string, e config.ERP) (connectors.StockReader, error) {
	switch e.SourceKind() {
	case "tryton":
		c, err := tryton.New(e.TrytonConfig())
		if err != nil {
			return nil, fmt.Errorf("partner %q: %w", partner, err)
		}
		return c, nil
	case "odoo":
		c, err := odoo.New(e.OdooConfig())
		if err != nil {
			return nil, fmt.Errorf("partner %q: %w", partner, err)
		}
		return c, nil
	default:
		return nil, fmt.Errorf("partner %q: no ERP client for its erp block", partner)
	}
}

// erpSink delivers the erp channel (confirmed orders pushed as purchases)
// to the receiver's ERP of whichever kind its erp block names, with the
// config as it is at each delivery.
func erpSink(current func() *config.Config, log *slog.Logger) connectors.Sink {
	lookup := func(kind string) func(string) (config.ERP, bool) {
		return func(receiver string) (config.ERP, bool) {
			e, ok := current().ERP(receiver)
			return e, ok && e.SourceKind() == kind
		}
	}
	trytonSink := tryton.NewSink(func(receiver string) (tryton.Config, bool) {
		e, ok := lookup("tryton")(receiver)
		return e.TrytonConfig(), ok
	}, tryton.WithLogger(log))
	odooSink := odoo.NewSink(func(receiver string) (odoo.Config, bool) {
		e, ok := lookup("odoo")(receiver)
		return e.OdooConfig(), ok
	}, odoo.WithLogger(log))
	return connectors.SinkFunc(func(ctx context.Context, out connectors.Outbound) error {
		e, ok := current().ERP(out.Receiver)
		if !ok {
			return connectors.Permanent(fmt.Errorf("partner %q has no erp block to push orders to", out.Receiver))
		}
		switch e.SourceKind() {
		case "odoo":
			return odooSink.Deliver(ctx, out)
		default:
			return trytonSink.Deliver(ctx, out)
		}
	})
}

// cmdSync handles `dealerhub sync runs` (the recorded runs, read from the
// store) and `dealerhub sync now` (one manual run from this process,
// recorded in the same store; the running hub processes the snapshot).
func cmdSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, args, err := newStoreCommand("sync", "runs or now", args, stderr)
	if err != nil {
		return err
	}
	sub, fs, asJSON := c.sub, c.fs, c.asJSON
	partner := fs.String("partner", "", "the partner (runs: only its runs; now: required)")
	source := fs.String("source", "", "the source: tryton, odoo or rest:NAME (runs: only its runs; now: required when the partner has several)")
	status := fs.String("status", "", "only runs with this status: running, succeeded, failed (runs)")
	limit := fs.Int("limit", 50, "how many runs, newest first (runs)")
	configPath := fs.String("config", "", "the hub config holding the partner's erp block or rest sources; the same file as serve's (now; env DEALERHUB_CONFIG)")
	wait := fs.Duration("wait", hub.DefaultStockSyncWait, "how long to wait for the running hub to process the snapshot (now)")
	natsNS := fs.String("nats-namespace", "", "bus namespace of the hub, if it uses one (now)")
	if sub != "runs" && sub != "now" {
		return usageErr("sync: unknown subcommand %q (runs, now)", sub)
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch *status {
	case "", string(store.SyncRunning), string(store.SyncSucceeded), string(store.SyncFailed):
	default:
		return usageErr("--status must be running, succeeded or failed, not %q", *status)
	}
	var cfg *config.Config
	if sub == "now" {
		if *partner == "" {
			return usageErr("sync now: give --partner ID")
		}
		if *configPath == "" {
			return usageErr("sync now: give the hub config with --config (or DEALERHUB_CONFIG): it holds the partner's erp block or rest sources")
		}
		if cfg, err = config.Load(*configPath, os.LookupEnv); err != nil {
			return usageErr("reading --config: %w", err)
		}
	}
	st, err := c.sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if sub == "runs" {
		runs, _, err := st.ListSyncRuns(ctx, store.OperatorScope(), store.SyncRunFilter{
			Partner: *partner, Source: *source, Status: store.SyncRunStatus(*status), Page: store.Page{Limit: *limit}})
		if err != nil {
			return fmt.Errorf("listing sync runs: %w", err)
		}
		if *asJSON {
			return printJSON(stdout, nonNil(runs))
		}
		return printSyncRuns(stdout, runs)
	}

	req, err := hub.SourceRunRequest(cfg, st, bus.Names{Namespace: *natsNS}, *partner, *source, erpReader, *wait)
	if err != nil {
		return fmt.Errorf("%s: %w", *configPath, err)
	}
	runSource := req.Source
	if runSource == "" {
		runSource = req.ERP.SourceKind()
	}
	// A run of the source that started recently and has not finished is
	// in progress (on a hub instance or another CLI): refuse a second.
	busy, _, err := st.ListSyncRuns(ctx, store.OperatorScope(), store.SyncRunFilter{
		Partner: *partner, Source: runSource, Status: store.SyncRunning, Page: store.Page{Limit: 1}})
	if err != nil {
		return fmt.Errorf("checking runs in progress: %w", err)
	}
	if len(busy) > 0 && time.Since(busy[0].StartedAt) < *wait+time.Minute {
		return &exitError{code: 1, err: fmt.Errorf("a sync of partner %q is in progress (run %s, started %s); try again when it ends",
			*partner, busy[0].ID, busy[0].StartedAt.Format(time.RFC3339))}
	}
	run, err := hub.RunSync(ctx, st, bus.Names{Namespace: *natsNS}, req)
	if err != nil {
		return err
	}
	if *asJSON {
		if err := printJSON(stdout, run); err != nil {
			return err
		}
	} else {
		printSyncRun(stdout, run)
	}
	if run.Status != store.SyncSucceeded {
		return &exitError{code: 1, err: fmt.Errorf("sync of partner %q %s: %s", *partner, run.Status, run.Error)}
	}
	return nil
}

// runDuration is how long a run took, "" while it runs.
func runDuration(r store.SyncRun) string {
	if r.FinishedAt == nil {
		return ""
	}
	return r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond).String()
}

// printSyncRuns prints runs as a table for people.
func printSyncRuns(w io.Writer, runs []store.SyncRun) error {
	rows := make([][]string, len(runs))
	for i, r := range runs {
		rows[i] = []string{r.ID, r.StartedAt.Format(time.RFC3339), r.Partner, r.Source, r.Trigger, string(r.Status),
			strconv.Itoa(r.Read), strconv.Itoa(r.Changed), strconv.Itoa(r.Rejected), runDuration(r), r.Error}
	}
	return table(w, []string{"ID", "STARTED", "PARTNER", "SOURCE", "TRIGGER", "STATUS", "READ", "CHANGED", "REJECTED", "DURATION", "ERROR"}, rows)
}

// maxShownRunErrors is how many rejected rows `sync now` prints.
const maxShownRunErrors = 20

// printSyncRun prints one run for people.
func printSyncRun(w io.Writer, r store.SyncRun) {
	fmt.Fprintf(w, "run:       %s\npartner:   %s\nsource:    %s\ntrigger:   %s\nstatus:    %s\n", r.ID, r.Partner, r.Source, r.Trigger, r.Status)
	fmt.Fprintf(w, "read:      %d\nchanged:   %d\nrejected:  %d\nduration:  %s\n", r.Read, r.Changed, r.Rejected, runDuration(r))
	if r.MessageID != "" {
		fmt.Fprintf(w, "message:   %s\n", r.MessageID)
	}
	if r.Error != "" {
		fmt.Fprintf(w, "error:     %s\n", r.Error)
	}
	for i, e := range r.Errors {
		if i == maxShownRunErrors {
			fmt.Fprintf(w, "… %d more: dealerhub messages show %s\n", len(r.Errors)-i, r.MessageID)
			break
		}
		fmt.Fprintf(w, "rejected:  %s\n", hub.DataErrorLine(e))
	}
}
