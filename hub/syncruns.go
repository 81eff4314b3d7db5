package hub

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/store"
)

// Sync run triggers (store.SyncRun.Trigger).
const (
	TriggerSchedule = "schedule"
	TriggerManual   = "manual"
)

// ReaderFactory builds the stock reader of a partner's ERP from its erp
// block (in production: tryton.New(e.TrytonConfig())).
type ReaderFactory func(partner string, e config.ERP) (connectors.StockReader, error)

// SyncFunc runs one stock sync; SyncStock in production, a fake in tests.
type SyncFunc func(ctx context.Context, st store.Store, names SubjectNamer, r StockSyncRequest) (StockSyncOutcome, error)

// SyncRunRequest is one recorded run of a partner's scheduled source: its
// ERP (ERP, NewReader, Sync) or any other (Source and Run).
type SyncRunRequest struct {
	Partner string
	ERP     config.ERP
	// Source names the run's source when it is not the ERP's
	// ("rest:stock"); Run then does the work.
	Source string
	Run    func(ctx context.Context, started time.Time) (StockSyncOutcome, error)
	// Trigger is TriggerSchedule or TriggerManual.
	Trigger   string
	NewReader ReaderFactory
	// Sync defaults to SyncStock.
	Sync SyncFunc
	// Wait bounds the wait for the snapshot to be processed (SyncStock's
	// default when zero).
	Wait time.Duration
	// Now is the clock of the run's times; default time.Now.
	Now func() time.Time
}

// RunSync runs one sync of r.Partner's ERP and records it: StartSyncRun
// (status running), the reader built from the erp block, the sync, then
// FinishSyncRun: succeeded with the counts, the message and the rejected
// rows' errors, or failed with the ERP's own message (or why the snapshot
// was not processed in time). A succeeded run resolves the partner's
// stale_feed alert. The returned error is about recording the run; a
// failed sync is a run with status failed. It needs only the store, so
// the CLI records runs against a running hub's store too.
func RunSync(ctx context.Context, st store.Store, names SubjectNamer, r SyncRunRequest) (store.SyncRun, error) {
	if r.Sync == nil {
		r.Sync = SyncStock
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	source := r.Source
	if source == "" {
		source = r.ERP.SourceKind()
	}
	if source == "" {
		return store.SyncRun{}, fmt.Errorf("partner %q: the erp block names no source: %w", r.Partner, ErrNotFound)
	}
	started := r.Now().UTC()
	run, err := st.StartSyncRun(ctx, store.SyncRun{
		Partner: r.Partner, Source: source, Trigger: r.Trigger, Status: store.SyncRunning, StartedAt: started,
	})
	if err != nil {
		return store.SyncRun{}, fmt.Errorf("recording the start of partner %q's %s sync: %w", r.Partner, source, err)
	}
	out, err := func() (StockSyncOutcome, error) {
		if r.Run != nil {
			return r.Run(ctx, started)
		}
		if r.NewReader == nil {
			return StockSyncOutcome{}, errors.New("no reader for the ERP: the hub was started without an ERP client")
		}
		reader, err := r.NewReader(r.Partner, r.ERP)
		if err != nil {
			return StockSyncOutcome{}, fmt.Errorf("connecting to %s: %w", source, err)
		}
		return r.Sync(ctx, st, names, StockSyncRequest{
			Dealer: r.Partner, Source: source, Reader: reader,
			SalesDays: r.ERP.SalesDaysOrDefault(), Now: started, Wait: r.Wait,
		})
	}()
	run.Read, run.Changed, run.Rejected = out.Read, out.Changed, out.Rejected
	run.MessageID, run.Errors = out.MessageID, out.Errors
	switch {
	case err != nil:
		run.Status, run.Error = store.SyncFailed, err.Error()
	case out.Status != store.StatusDone && out.Status != store.StatusFailed && out.Status != store.StatusDead:
		run.Status = store.SyncFailed
		run.Error = fmt.Sprintf("the snapshot was stored as message %s but not processed in time: is `dealerhub serve` running? It will be processed when the hub runs", out.MessageID)
	default:
		run.Status = store.SyncSucceeded
	}
	finished := r.Now().UTC()
	run.FinishedAt = &finished
	// The run is recorded even when ctx ended (a shutdown interrupts it).
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	done, ferr := st.FinishSyncRun(fctx, run)
	if ferr != nil {
		return run, fmt.Errorf("recording the end of partner %q's %s sync (run %s): %w", r.Partner, source, run.ID, ferr)
	}
	if done.Status == store.SyncSucceeded {
		if _, err := st.ResolveAlert(fctx, r.Partner, store.NotificationStaleFeed, StaleFeedKey(source), finished); err != nil {
			return done, fmt.Errorf("resolving partner %q's stale_feed alert: %w", r.Partner, err)
		}
	}
	return done, nil
}

// StaleFeedKey is the alert key of a source's stale_feed notification.
func StaleFeedKey(source string) string { return "stale_feed:" + source }

// SetSyncScheduler gives the hub the scheduler whose run function SyncNow
// uses (nil: none, SyncNow fails). cmd wires it after NewSyncScheduler.
func (h *Hub) SetSyncScheduler(s *SyncScheduler) { h.syncs.Store(s) }

// ListSyncRuns lists the runs of scheduled sources the principal may see
// (its own; operators all), newest first.
func (h *Hub) ListSyncRuns(ctx context.Context, p Principal, f store.SyncRunFilter) ([]store.SyncRun, string, error) {
	runs, next, err := h.st.ListSyncRuns(ctx, p.Scope(), f)
	if err != nil {
		return nil, "", fmt.Errorf("listing sync runs: %w", err)
	}
	return runs, next, nil
}

// SyncNow runs one of a partner's scheduled sources once, now, through
// the scheduler, and returns the finished run (succeeded or failed).
// source names it as runs do ("tryton", "rest:stock"); empty runs the
// partner's only source. A partner may run only its own sources
// (another's is ErrNotFound), an operator any. ErrNotFound when the
// partner has no such source (or is disabled); ErrBadRequest when it has
// several and source is empty; ErrConflict when a run of it is in
// progress, here or on another instance.
func (h *Hub) SyncNow(ctx context.Context, p Principal, partner, source string) (store.SyncRun, error) {
	if !p.Operator && p.Partner != partner {
		return store.SyncRun{}, fmt.Errorf("partner %q: %w", partner, ErrNotFound)
	}
	if _, err := findJob(h.Config(), partner, source); err != nil {
		return store.SyncRun{}, err
	}
	s := h.syncs.Load()
	if s == nil {
		return store.SyncRun{}, errors.New("this hub runs no sync scheduler")
	}
	return s.RunNow(ctx, partner, source)
}
