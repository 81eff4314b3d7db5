package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dealerhub/dealerhub/connectors/rest"
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
	// RESTOptions are given to every REST source's connector (tests pass
	// an HTTP client or a sleeper).
	RESTOptions []rest.Option
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

// SyncScheduler runs the scheduled sources of each enabled partner: its
// ERP (the erp block) and each of its REST sources (the rest list), each
// on its own schedule. A source's schedule runs only while this instance
// holds its lease in the bus's KV bucket ("erp-sync.PARTNER",
// "rest-sync.PARTNER.NAME"), so one hub instance at a time schedules a
// source; the others stand by. Each run, scheduled or manual (RunNow,
// Hub.SyncNow), is recorded as a store.SyncRun and holds the run lease
// ("erp-run.PARTNER", "rest-run.PARTNER.NAME") while it runs, so no two
// instances run the same source at once. After each run and every half
// interval (at most a minute), a source whose last successful run is
// older than StaleAfterIntervals intervals gets a stale_feed alert; a
// successful run resolves it.
type SyncScheduler struct {
	h       *Hub
	holder  string
	ttl     time.Duration
	minIntv time.Duration
	wait    time.Duration
	reader  ReaderFactory
	sync    SyncFunc
	restOpt []rest.Option
	log     *slog.Logger

	mu      sync.Mutex
	running map[string]*scheduleRun

	runMu sync.Mutex
	inRun map[string]bool // sources with a run in progress in this process

	clientMu sync.Mutex
	clients  map[string]restClient // REST connectors by job id
}

// scheduleRun is one source's running schedule.
type scheduleRun struct {
	job    syncJob
	cancel context.CancelFunc
	done   chan struct{}
}

// restClient is a REST source's connector and the config it was built
// from; it lives as long as the config does, keeping its OAuth2 token.
type restClient struct {
	cfg    config.RESTSource
	source *rest.Source
}

// syncJob is one scheduled source of a partner: its ERP or one of its
// REST sources.
type syncJob struct {
	partner string
	erp     *config.ERP
	rest    *config.RESTSource
}

// source names the job's source as runs do: "tryton", "rest:stock".
func (j syncJob) source() string {
	if j.rest != nil {
		return j.rest.SourceKind()
	}
	return j.erp.SourceKind()
}

// id identifies the job in this process: the partner for its ERP,
// "PARTNER/rest:NAME" for a REST source.
func (j syncJob) id() string {
	if j.rest != nil {
		return j.partner + "/" + j.source()
	}
	return j.partner
}

// lease is the KV key of the job's schedule ("sync") or run ("run") lease.
func (j syncJob) lease(kind string) string {
	if j.rest != nil {
		return "rest-" + kind + "." + j.partner + "." + j.rest.Name
	}
	return "erp-" + kind + "." + j.partner
}

func (j syncJob) schedule() config.Schedule {
	if j.rest != nil {
		return j.rest.Schedule
	}
	return j.erp.Schedule
}

// syncJobs lists the scheduled sources of cfg's enabled partners by id.
func syncJobs(cfg *config.Config) map[string]syncJob {
	out := map[string]syncJob{}
	for _, p := range cfg.Partners {
		for _, j := range jobsOf(p) {
			out[j.id()] = j
		}
	}
	return out
}

// partnerJobs returns partner's scheduled sources in cfg.
func partnerJobs(cfg *config.Config, partner string) []syncJob {
	for _, p := range cfg.Partners {
		if p.ID == partner {
			return jobsOf(p)
		}
	}
	return nil
}

// jobsOf returns an enabled partner's scheduled sources: its ERP first,
// then its REST sources in config order.
func jobsOf(p config.Partner) []syncJob {
	if !p.IsEnabled() {
		return nil
	}
	var out []syncJob
	if p.ERP != nil {
		e := *p.ERP
		out = append(out, syncJob{partner: p.ID, erp: &e})
	}
	for i := range p.REST {
		r := p.REST[i]
		out = append(out, syncJob{partner: p.ID, rest: &r})
	}
	return out
}

// findJob finds the partner's source to run: the one named (source as
// runs name it: "tryton", "rest:stock"), or its only one.
func findJob(cfg *config.Config, partner, source string) (syncJob, error) {
	jobs := partnerJobs(cfg, partner)
	if len(jobs) == 0 {
		return syncJob{}, fmt.Errorf("partner %q has no scheduled source configured (an erp block or rest sources): %w", partner, ErrNotFound)
	}
	var names []string
	for _, j := range jobs {
		if j.source() == source || (source == "" && len(jobs) == 1) {
			return j, nil
		}
		names = append(names, j.source())
	}
	if source == "" {
		return syncJob{}, fmt.Errorf("%w: partner %q has %d sources (%s): say which one to run", ErrBadRequest, partner, len(jobs), strings.Join(names, ", "))
	}
	return syncJob{}, fmt.Errorf("partner %q has no source %q (its sources: %s): %w", partner, source, strings.Join(names, ", "), ErrNotFound)
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
		reader: o.NewReader, sync: o.Sync, restOpt: o.RESTOptions, log: o.Logger,
		running: map[string]*scheduleRun{}, inRun: map[string]bool{}, clients: map[string]restClient{},
	}
}

// Apply makes the running schedules match cfg: it stops those of
// sources gone, of partners disabled, and those whose block changed; it
// starts new ones. ctx is the parent of the schedules it starts; they stop
// when it ends or at Stop.
func (s *SyncScheduler) Apply(ctx context.Context, cfg *config.Config) error {
	want := syncJobs(cfg)
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, r := range s.running {
		if j, ok := want[id]; ok && reflect.DeepEqual(j, r.job) {
			continue
		}
		r.cancel()
		<-r.done
		delete(s.running, id)
		s.log.Info("sync schedule stopped", "partner", r.job.partner, "connector", r.job.source())
	}
	s.clientMu.Lock()
	for id, c := range s.clients {
		if j, ok := want[id]; !ok || j.rest == nil || !reflect.DeepEqual(*j.rest, c.cfg) {
			delete(s.clients, id)
		}
	}
	s.clientMu.Unlock()
	for id, j := range want {
		if _, ok := s.running[id]; ok {
			continue
		}
		rctx, cancel := context.WithCancel(ctx)
		r := &scheduleRun{job: j, cancel: cancel, done: make(chan struct{})}
		s.running[id] = r
		go func() {
			defer close(r.done)
			s.run(rctx, j)
		}()
	}
	return nil
}

// Running returns the sources whose schedules run (holding their lease or
// waiting for it), in order: a partner's id for its ERP,
// "PARTNER/rest:NAME" for a REST source.
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
	for id, r := range s.running {
		r.cancel()
		<-r.done
		delete(s.running, id)
	}
}

// RunNow runs one of partner's sources once, now, with trigger manual,
// and returns the finished run. source names it as runs do ("tryton",
// "rest:stock"); empty runs the partner's only source. ErrNotFound when
// the partner (enabled) has no such source in the hub's config;
// ErrBadRequest when it has several and source is empty; ErrConflict when a
// run of it is in progress in this process or on another instance.
func (s *SyncScheduler) RunNow(ctx context.Context, partner, source string) (store.SyncRun, error) {
	j, err := findJob(s.h.Config(), partner, source)
	if err != nil {
		return store.SyncRun{}, err
	}
	return s.runOnce(ctx, j, TriggerManual)
}

// restSource returns the REST connector of a job, built once per config.
func (s *SyncScheduler) restSource(j syncJob) (*rest.Source, error) {
	s.clientMu.Lock()
	defer s.clientMu.Unlock()
	if c, ok := s.clients[j.id()]; ok && reflect.DeepEqual(c.cfg, *j.rest) {
		return c.source, nil
	}
	opts := append([]rest.Option{rest.WithLogger(s.log)}, s.restOpt...)
	src, err := rest.New(j.partner, j.rest.Config, opts...)
	if err != nil {
		return nil, err
	}
	s.clients[j.id()] = restClient{cfg: *j.rest, source: src}
	return src, nil
}

// request is the recorded run of a job.
func (s *SyncScheduler) request(j syncJob, trigger string) SyncRunRequest {
	if j.rest != nil {
		rs := *j.rest
		return SyncRunRequest{
			Partner: j.partner, Source: rs.SourceKind(), Trigger: trigger, Now: s.h.now,
			Run: func(ctx context.Context, _ time.Time) (StockSyncOutcome, error) {
				src, err := s.restSource(j)
				if err != nil {
					return StockSyncOutcome{}, err
				}
				return SyncREST(ctx, s.h.st, s.h.bus, RESTSyncRequest{Partner: j.partner, Source: rs, Client: src, Wait: s.wait})
			},
		}
	}
	return SyncRunRequest{
		Partner: j.partner, ERP: *j.erp, Trigger: trigger, NewReader: s.reader, Sync: s.sync, Wait: s.wait, Now: s.h.now,
	}
}

// runOnce runs one recorded sync unless one of the source is in progress:
// in this process (a mutex) or on another instance (the run lease).
func (s *SyncScheduler) runOnce(ctx context.Context, j syncJob, trigger string) (store.SyncRun, error) {
	partner, id := j.partner, j.id()
	s.runMu.Lock()
	if s.inRun[id] {
		s.runMu.Unlock()
		return store.SyncRun{}, fmt.Errorf("a %s sync of partner %q is already running: %w", j.source(), partner, ErrConflict)
	}
	s.inRun[id] = true
	s.runMu.Unlock()
	defer func() {
		s.runMu.Lock()
		delete(s.inRun, id)
		s.runMu.Unlock()
	}()

	key := j.lease("run")
	ok, err := s.h.bus.AcquireLease(ctx, key, s.holder, s.ttl)
	if err != nil {
		return store.SyncRun{}, fmt.Errorf("taking partner %q's run lease: %w", partner, err)
	}
	if !ok {
		return store.SyncRun{}, fmt.Errorf("a %s sync of partner %q is running on another instance: %w", j.source(), partner, ErrConflict)
	}
	log := s.log.With("partner", partner, "connector", j.source(), "trigger", trigger)
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := s.h.bus.ReleaseLease(rctx, key, s.holder); err != nil {
			log.Warn("releasing the run lease", "lease", key, "error", err)
		}
	}()
	var run store.SyncRun
	holdLease(ctx, s.h.bus, key, s.holder, s.ttl, log.With("lease", key), func(ctx context.Context) {
		run, err = RunSync(ctx, s.h.st, s.h.bus, s.request(j, trigger))
	})
	if err != nil {
		log.Error("sync run not recorded", "error", err)
		return run, err
	}
	var took time.Duration
	if run.FinishedAt != nil {
		took = run.FinishedAt.Sub(run.StartedAt)
	}
	attrs := []any{"run_id", run.ID, "status", run.Status, "read", run.Read, "changed", run.Changed,
		"rejected", run.Rejected, "message_id", run.MessageID, "duration", took.Round(time.Millisecond)}
	if run.Status == store.SyncFailed {
		log.Warn("sync run failed", append(attrs, "error", run.Error)...)
	} else {
		log.Info("sync run finished", attrs...)
	}
	return run, nil
}

// run schedules a source whenever this instance holds its lease, until
// ctx ends.
func (s *SyncScheduler) run(ctx context.Context, j syncJob) {
	key := j.lease("sync")
	log := s.log.With("partner", j.partner, "connector", j.source(), "lease", key)
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
			log.Info("scheduling sync: this instance holds the lease")
			waiting = false
			holdLease(ctx, s.h.bus, key, s.holder, s.ttl, log, func(ctx context.Context) { s.schedule(ctx, j, since, log) })
			continue
		case !waiting:
			log.Info("another instance schedules this source; standing by")
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
func (s *SyncScheduler) schedule(ctx context.Context, j syncJob, since time.Time, log *slog.Logger) {
	now := s.h.now()
	due := now
	sched := j.schedule()
	last, _, err := s.h.st.ListSyncRuns(ctx, store.OperatorScope(), store.SyncRunFilter{Partner: j.partner, Source: j.source(), Page: store.Page{Limit: 1}})
	if err != nil {
		log.Warn("reading the last sync run; running now", "error", err)
	} else if len(last) > 0 {
		if n := s.next(sched, last[0].StartedAt); n.After(now) {
			due = n
		}
	}
	checkEvery := min(s.interval(sched)/2, maxStaleCheck)
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
			if _, err := s.runOnce(ctx, j, TriggerSchedule); err != nil && ctx.Err() == nil {
				log.Warn("scheduled sync not run", "error", err)
			}
			if ctx.Err() != nil {
				return
			}
			ran, due = true, s.next(sched, now)
		}
		if now = s.h.now(); ran || !now.Before(nextCheck) {
			s.checkStale(ctx, j, since, log)
			nextCheck = now.Add(checkEvery)
		}
	}
}

// checkStale raises a source's stale_feed alert when its last successful
// run finished more than StaleAfterIntervals intervals ago (with none,
// counted from since).
func (s *SyncScheduler) checkStale(ctx context.Context, j syncJob, since time.Time, log *slog.Logger) {
	partner, source := j.partner, j.source()
	interval := s.interval(j.schedule())
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
	title := fmt.Sprintf("Stale feed: %s's %s sync has not succeeded since %s (scheduled every %s)", partner, source, lastOK, interval)
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
		log.Warn("feed is stale", "last_success", lastOK, "last_error", lastErr)
	}
}
