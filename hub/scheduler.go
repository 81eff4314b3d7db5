package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/store"
)

// StaleAfterIntervals is how many schedule intervals may pass without a
// successful run before a partner's feed is stale.
const StaleAfterIntervals = 3

// maxStaleCheck bounds the time between two stale checks of a partner.
const maxStaleCheck = time.Minute

// SyncSchedulerOptions changes how a SyncScheduler runs.
type SyncSchedulerOptions struct {
	// NewReader builds a partner's ERP reader from its erp block;
	// required for runs to succeed.
	NewReader ReaderFactory
	// Sync runs one sync; default SyncStock.
	Sync SyncFunc
	// Holder names this instance in the leases; default host, pid and a
	// random suffix.
	Holder string
	// Lease is the time to live of the schedule lease ("erp-sync.PARTNER")
	// and of the run lease ("erp-run.PARTNER"), renewed every third of it;
	// default DefaultPollLease.
	Lease time.Duration
	// MinInterval is the shortest time between two scheduled runs of a
	// partner; default config.MinScheduleEvery. Tests lower it to run
	// schedules faster than the config allows.
	MinInterval time.Duration
	// Wait bounds how long a run waits for its snapshot to be processed;
	// default SyncStock's.
	Wait   time.Duration
	Logger *slog.Logger
}

// SyncScheduler runs the ERP sync of each enabled partner with an erp
// block on the block's schedule. A partner's schedule runs only while this
// instance holds its lease in the bus's KV bucket (key "erp-sync.PARTNER"),
// so one hub instance at a time schedules a partner; the others stand by.
// Each run, scheduled or manual (RunNow, Hub.SyncNow), is recorded as a
// store.SyncRun and holds the run lease "erp-run.PARTNER" while it runs,
// so no two instances run the same partner's sync at once. After each run
// and every half interval (at most a minute), a partner whose last
// successful run is older than StaleAfterIntervals intervals gets a
// stale_feed alert; a successful run resolves it.
type SyncScheduler struct {
	h       *Hub
	holder  string
	ttl     time.Duration
	minIntv time.Duration
	wait    time.Duration
	reader  ReaderFactory
	sync    SyncFunc
	log     *slog.Logger

	mu      sync.Mutex
	running map[string]*scheduleRun

	runMu sync.Mutex
	inRun map[string]bool // partners with a run in progress in this process
}

// scheduleRun is one partner's running schedule.
type scheduleRun struct {
	erp    config.ERP
	cancel context.CancelFunc
	done   chan struct{}
}

// NewSyncScheduler returns a scheduler with nothing running; Apply starts
// the schedules. Give it to the hub with h.SetSyncScheduler so that
// SyncNow runs through it.
func NewSyncScheduler(h *Hub, o SyncSchedulerOptions) *SyncScheduler {
	if o.Holder == "" {
		o.Holder = defaultHolder()
	}
	if o.Lease <= 0 {
		o.Lease = DefaultPollLease
	}
	if o.MinInterval <= 0 {
		o.MinInterval = config.MinScheduleEvery
	}
	if o.Sync == nil {
		o.Sync = SyncStock
	}
	if o.Logger == nil {
		o.Logger = h.log
	}
	return &SyncScheduler{
		h: h, holder: o.Holder, ttl: o.Lease, minIntv: o.MinInterval, wait: o.Wait,
		reader: o.NewReader, sync: o.Sync, log: o.Logger,
		running: map[string]*scheduleRun{}, inRun: map[string]bool{},
	}
}

// Apply makes the running schedules match cfg: it stops those of partners
// gone, disabled or without an erp block, restarts those whose erp block
// changed and starts new ones. ctx is the parent of the schedules it
// starts; they stop when it ends or at Stop.
func (s *SyncScheduler) Apply(ctx context.Context, cfg *config.Config) error {
	want := cfg.ERPSources()
	s.mu.Lock()
	defer s.mu.Unlock()
	for partner, r := range s.running {
		if e, ok := want[partner]; ok && reflect.DeepEqual(e, r.erp) {
			continue
		}
		r.cancel()
		<-r.done
		delete(s.running, partner)
		s.log.Info("erp sync schedule stopped", "partner", partner, "connector", r.erp.SourceKind())
	}
	for partner, e := range want {
		if _, ok := s.running[partner]; ok {
			continue
		}
		rctx, cancel := context.WithCancel(ctx)
		r := &scheduleRun{erp: e, cancel: cancel, done: make(chan struct{})}
		s.running[partner] = r
		go func() {
			defer close(r.done)
			s.run(rctx, partner, e)
		}()
	}
	return nil
}

// Running returns the partners whose schedules run (holding their lease
// or waiting for it), in order.
func (s *SyncScheduler) Running() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.running))
	for p := range s.running {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Stop stops every schedule and waits for them to return (a run in
// progress is interrupted and recorded as failed); their leases are
// released.
func (s *SyncScheduler) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for partner, r := range s.running {
		r.cancel()
		<-r.done
		delete(s.running, partner)
	}
}

// RunNow runs partner's sync once, now, with trigger manual, and returns
// the finished run. ErrNotFound when the partner (enabled) has no erp
// block in the hub's config; ErrConflict when a run of it is in progress
// in this process or on another instance.
func (s *SyncScheduler) RunNow(ctx context.Context, partner string) (store.SyncRun, error) {
	e, ok := s.h.Config().ERPSources()[partner]
	if !ok {
		return store.SyncRun{}, fmt.Errorf("partner %q has no erp source configured: %w", partner, ErrNotFound)
	}
	return s.runOnce(ctx, partner, e, TriggerManual)
}

// runOnce runs one recorded sync unless one of partner is in progress:
// in this process (a mutex) or on another instance (the run lease).
func (s *SyncScheduler) runOnce(ctx context.Context, partner string, e config.ERP, trigger string) (store.SyncRun, error) {
	s.runMu.Lock()
	if s.inRun[partner] {
		s.runMu.Unlock()
		return store.SyncRun{}, fmt.Errorf("a sync of partner %q is already running: %w", partner, ErrConflict)
	}
	s.inRun[partner] = true
	s.runMu.Unlock()
	defer func() {
		s.runMu.Lock()
		delete(s.inRun, partner)
		s.runMu.Unlock()
	}()

	key := "erp-run." + partner
	ok, err := s.h.bus.AcquireLease(ctx, key, s.holder, s.ttl)
	if err != nil {
		return store.SyncRun{}, fmt.Errorf("taking partner %q's run lease: %w", partner, err)
	}
	if !ok {
		return store.SyncRun{}, fmt.Errorf("a sync of partner %q is running on another instance: %w", partner, ErrConflict)
	}
	log := s.log.With("partner", partner, "connector", e.SourceKind(), "trigger", trigger)
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := s.h.bus.ReleaseLease(rctx, key, s.holder); err != nil {
			log.Warn("releasing the run lease", "lease", key, "error", err)
		}
	}()
	var run store.SyncRun
	holdLease(ctx, s.h.bus, key, s.holder, s.ttl, log.With("lease", key), func(ctx context.Context) {
		run, err = RunSync(ctx, s.h.st, s.h.bus, SyncRunRequest{
			Partner: partner, ERP: e, Trigger: trigger, NewReader: s.reader, Sync: s.sync, Wait: s.wait, Now: s.h.now,
		})
	})
	if err != nil {
		log.Error("erp sync run not recorded", "error", err)
		return run, err
	}
	var took time.Duration
	if run.FinishedAt != nil {
		took = run.FinishedAt.Sub(run.StartedAt)
	}
	attrs := []any{"run_id", run.ID, "status", run.Status, "read", run.Read, "changed", run.Changed,
		"rejected", run.Rejected, "message_id", run.MessageID, "duration", took.Round(time.Millisecond)}
	if run.Status == store.SyncFailed {
		log.Warn("erp sync run failed", append(attrs, "error", run.Error)...)
	} else {
		log.Info("erp sync run finished", attrs...)
	}
	return run, nil
}

// run schedules partner whenever this instance holds its lease, until
// ctx ends.
func (s *SyncScheduler) run(ctx context.Context, partner string, e config.ERP) {
	key := "erp-sync." + partner
	log := s.log.With("partner", partner, "connector", e.SourceKind(), "lease", key)
	since := s.h.now()
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := s.h.bus.ReleaseLease(rctx, key, s.holder); err != nil {
			log.Warn("releasing the schedule lease", "error", err)
		}
	}()
	waiting := false
	for ctx.Err() == nil {
		ok, err := s.h.bus.AcquireLease(ctx, key, s.holder, s.ttl)
		if ctx.Err() != nil {
			return
		}
		switch {
		case err != nil:
			log.Warn("taking the schedule lease", "error", err)
		case ok:
			log.Info("scheduling erp sync: this instance holds the lease")
			waiting = false
			holdLease(ctx, s.h.bus, key, s.holder, s.ttl, log, func(ctx context.Context) { s.schedule(ctx, partner, e, since, log) })
			continue
		case !waiting:
			log.Info("another instance schedules this partner's erp sync; standing by")
			waiting = true
		}
		if !sleep(ctx, s.ttl/3) {
			return
		}
	}
}

// interval is the schedule's period, at least the scheduler's floor.
func (s *SyncScheduler) interval(sc config.Schedule) time.Duration {
	return max(sc.Interval(), s.minIntv)
}

// next is when a schedule fires after t, at least the floor later.
func (s *SyncScheduler) next(sc config.Schedule, t time.Time) time.Time {
	n := sc.Next(t)
	if n.IsZero() || n.Sub(t) < s.minIntv {
		return t.Add(s.minIntv)
	}
	return n
}

// schedule runs partner's syncs at the schedule's times and checks its
// feed between them, until ctx ends. The first run is now unless the last
// recorded run (by any instance) is more recent than the schedule allows.
func (s *SyncScheduler) schedule(ctx context.Context, partner string, e config.ERP, since time.Time, log *slog.Logger) {
	now := s.h.now()
	due := now
	last, _, err := s.h.st.ListSyncRuns(ctx, store.OperatorScope(), store.SyncRunFilter{Partner: partner, Source: e.SourceKind(), Page: store.Page{Limit: 1}})
	if err != nil {
		log.Warn("reading the last sync run; running now", "error", err)
	} else if len(last) > 0 {
		if n := s.next(e.Schedule, last[0].StartedAt); n.After(now) {
			due = n
		}
	}
	checkEvery := min(s.interval(e.Schedule)/2, maxStaleCheck)
	nextCheck := now.Add(checkEvery)
	for {
		wake := due
		if nextCheck.Before(wake) {
			wake = nextCheck
		}
		if !sleep(ctx, wake.Sub(s.h.now())) {
			return
		}
		ran := false
		if now = s.h.now(); !now.Before(due) {
			if _, err := s.runOnce(ctx, partner, e, TriggerSchedule); err != nil && ctx.Err() == nil {
				log.Warn("scheduled erp sync not run", "error", err)
			}
			if ctx.Err() != nil {
				return
			}
			ran, due = true, s.next(e.Schedule, now)
		}
		if now = s.h.now(); ran || !now.Before(nextCheck) {
			s.checkStale(ctx, partner, e, since, log)
			nextCheck = now.Add(checkEvery)
		}
	}
}

// checkStale raises partner's stale_feed alert when its last successful
// run finished more than StaleAfterIntervals intervals ago (with none,
// counted from since).
func (s *SyncScheduler) checkStale(ctx context.Context, partner string, e config.ERP, since time.Time, log *slog.Logger) {
	source := e.SourceKind()
	interval := s.interval(e.Schedule)
	ok, _, err := s.h.st.ListSyncRuns(ctx, store.OperatorScope(), store.SyncRunFilter{Partner: partner, Source: source, Status: store.SyncSucceeded, Page: store.Page{Limit: 1}})
	if err != nil {
		log.Warn("checking the feed: reading the last successful run", "error", err)
		return
	}
	lastOK := "never"
	var lastOKAt *time.Time
	if len(ok) > 0 && ok[0].FinishedAt != nil {
		since, lastOKAt = *ok[0].FinishedAt, ok[0].FinishedAt
		lastOK = since.UTC().Format(time.RFC3339)
	}
	now := s.h.now()
	if now.Sub(since) <= StaleAfterIntervals*interval {
		return
	}
	failed, _, err := s.h.st.ListSyncRuns(ctx, store.OperatorScope(), store.SyncRunFilter{Partner: partner, Source: source, Status: store.SyncFailed, Page: store.Page{Limit: 1}})
	if err != nil {
		log.Warn("checking the feed: reading the last failed run", "error", err)
		return
	}
	var lastErr, lastRun string
	if len(failed) > 0 && (lastOKAt == nil || failed[0].StartedAt.After(*lastOKAt)) {
		lastErr, lastRun = failed[0].Error, failed[0].ID
	}
	title := fmt.Sprintf("Stale feed: %s's %s stock sync has not succeeded since %s (scheduled every %s)", partner, source, lastOK, interval)
	if lastErr != "" {
		title += "; last error: " + lastErr
	}
	data, _ := json.Marshal(struct {
		Source      string     `json:"source"`
		LastSuccess *time.Time `json:"last_success"`
		Interval    string     `json:"interval"`
		LastError   string     `json:"last_error,omitempty"`
		LastRunID   string     `json:"last_failed_run_id,omitempty"`
	}{source, lastOKAt, interval.String(), lastErr, lastRun})
	_, raised, err := s.h.st.RaiseAlert(ctx, store.Notification{
		Partner: partner,
		Type:    store.NotificationStaleFeed,
		Key:     StaleFeedKey(source),
		Title:   title,
		Link:    "/api/v1/sync-runs?partner=" + partner,
		Data:    data,
	})
	if err != nil {
		log.Warn("raising the stale_feed alert", "error", err)
		return
	}
	if raised {
		log.Warn("erp feed is stale", "last_success", lastOK, "last_error", lastErr)
	}
}
