package hub_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
)

// scriptedERP is a StockReader whose stock or error the test sets.
type scriptedERP struct {
	mu     sync.Mutex
	onHand string
	err    error
	reads  int
}

func (f *scriptedERP) ReadStock(_ context.Context, q connectors.StockQuery) (connectors.StockSnapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if f.err != nil {
		return connectors.StockSnapshot{}, f.err
	}
	return connectors.StockSnapshot{Source: "tryton", AsOf: time.Now().UTC(), SalesFrom: q.SalesFrom, SalesTo: q.SalesTo,
		Levels: []connectors.StockRow{{Location: "WH", Code: "D-1", OnHand: f.onHand, Unit: "EA"}}}, nil
}

func (f *scriptedERP) set(onHand string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.onHand, f.err = onHand, err
}

// erpConfig is a hub config in which dealer-a has a Tryton read every
// `every` (below the config's floor, set after parsing: the scheduler's
// MinInterval option lets tests go faster).
func erpConfig(t *testing.T, every time.Duration) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(`partners:
  - id: dealer-a
    name: Dealer A
    roles: [dealer]
    erp:
      tryton: {url: "http://127.0.0.1:1", database: north, user: u, password: pw}
      schedule: {every: 10s}
      sales_days: 7
`), "hub.yaml", nil)
	require.NoError(t, err)
	cfg.Partners[0].ERP.Schedule.Every = config.Duration(every)
	return cfg
}

// startScheduler starts a scheduler over env's hub for cfg, stopped when
// the test ends.
func startScheduler(t *testing.T, env *hubtest.Env, cfg *config.Config, holder string, o hub.SyncSchedulerOptions) *hub.SyncScheduler {
	t.Helper()
	o.Holder, o.Lease, o.MinInterval = holder, 3*time.Second, time.Millisecond
	if o.Wait == 0 {
		o.Wait = 20 * time.Second
	}
	s := hub.NewSyncScheduler(env.Hub, o)
	ctx, cancel := context.WithCancel(context.Background())
	require.NoError(t, s.Apply(ctx, cfg))
	t.Cleanup(func() {
		s.Stop()
		cancel()
	})
	return s
}

// readerOf returns a factory handing out r, checking it gets the block.
func readerOf(t *testing.T, r connectors.StockReader) hub.ReaderFactory {
	return func(partner string, e config.ERP) (connectors.StockReader, error) {
		if partner != "dealer-a" || e.TrytonConfig().Database != "north" {
			t.Errorf("reader asked for %q with %+v", partner, e.TrytonConfig())
		}
		return r, nil
	}
}

// runsOf lists dealer-a's runs, newest first.
func runsOf(t *testing.T, env *hubtest.Env, status store.SyncRunStatus) []store.SyncRun {
	t.Helper()
	runs, _, err := env.Store.ListSyncRuns(context.Background(), store.OperatorScope(), store.SyncRunFilter{Partner: "dealer-a", Status: status, Page: store.Page{Limit: 1000}})
	require.NoError(t, err)
	return runs
}

func TestSyncSchedulerRunsOnScheduleAndOnDemand(t *testing.T) {
	eachStore(t, func(t *testing.T, pg bool) {
		cfg := erpConfig(t, 300*time.Millisecond)
		env := hubtest.New(t, hubtest.Options{Postgres: pg, Config: cfg})
		ctx := context.Background()
		_, err := env.Hub.PutCrossRefs(ctx, env.Principal("dealer-a"), "", []store.CrossRef{{Code: "D-1", Supplier: "supplier-a", SupplierSKU: "S-1"}})
		require.NoError(t, err)
		erp := &scriptedERP{onHand: "40"}
		start := time.Now()
		s := startScheduler(t, env, cfg, "test-"+t.Name(), hub.SyncSchedulerOptions{NewReader: readerOf(t, erp)})
		env.Hub.SetSyncScheduler(s)
		require.Equal(t, []string{"dealer-a"}, s.Running())

		// The first run is at start; the next ones every interval.
		require.Eventually(t, func() bool { return len(runsOf(t, env, store.SyncSucceeded)) >= 3 }, 30*time.Second, 10*time.Millisecond)
		t.Logf("three scheduled runs after %s", time.Since(start).Round(time.Millisecond))
		runs := runsOf(t, env, "")
		first := runs[len(runs)-1]
		require.Equal(t, store.SyncSucceeded, first.Status, "error: %s", first.Error)
		require.Equal(t, "tryton", first.Source)
		require.Equal(t, hub.TriggerSchedule, first.Trigger)
		require.Equal(t, 1, first.Read)
		require.Equal(t, 1, first.Changed, "the level is new")
		require.NotEmpty(t, first.MessageID)
		require.NotNil(t, first.FinishedAt)
		require.Less(t, first.StartedAt.Sub(start), 5*time.Second, "the first run does not wait an interval")
		m, err := env.Store.GetMessage(ctx, store.OperatorScope(), first.MessageID)
		require.NoError(t, err)
		require.Equal(t, "erp:tryton", m.Source)
		second := runs[len(runs)-2]
		require.Equal(t, 0, second.Changed, "the same stock again changes nothing")
		gap := second.StartedAt.Sub(first.StartedAt)
		require.GreaterOrEqual(t, gap, 300*time.Millisecond, "runs are an interval apart")
		t.Logf("gap between the first two runs: %s", gap.Round(time.Millisecond))

		// A reload to an hourly schedule restarts the schedule; the last
		// run is recent, so it waits. Manual runs: the dealer itself or an
		// operator.
		slow := erpConfig(t, time.Hour)
		env.Hub.SetConfig(slow)
		require.NoError(t, s.Apply(ctx, slow))
		before := len(runsOf(t, env, ""))
		erp.set("38", nil)
		run, err := env.Hub.SyncNow(ctx, env.Principal("dealer-a"), "dealer-a", "")
		require.NoError(t, err)
		require.Equal(t, store.SyncSucceeded, run.Status, "error: %s", run.Error)
		require.Equal(t, hub.TriggerManual, run.Trigger)
		require.Equal(t, 1, run.Changed, "the level changed")
		run, err = env.Hub.SyncNow(ctx, env.Principal(""), "dealer-a", "")
		require.NoError(t, err)
		require.Equal(t, hub.TriggerManual, run.Trigger)
		require.Equal(t, 0, run.Changed)
		require.Len(t, runsOf(t, env, ""), before+2, "no scheduled run after the reload")

		// Another partner's source is not found, nor a partner without one.
		_, err = env.Hub.SyncNow(ctx, env.Principal("dealer-b"), "dealer-a", "")
		require.ErrorIs(t, err, hub.ErrNotFound)
		_, err = env.Hub.SyncNow(ctx, env.Principal(""), "dealer-b", "")
		require.ErrorIs(t, err, hub.ErrNotFound)

		// Each partner lists its own runs.
		mine, _, err := env.Hub.ListSyncRuns(ctx, env.Principal("dealer-a"), store.SyncRunFilter{Page: store.Page{Limit: 1000}})
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(mine), 5)
		others, _, err := env.Hub.ListSyncRuns(ctx, env.Principal("dealer-b"), store.SyncRunFilter{})
		require.NoError(t, err)
		require.Empty(t, others)
	})
}

func TestSyncSchedulerStaleFeedAlert(t *testing.T) {
	eachStore(t, func(t *testing.T, pg bool) {
		const every = 200 * time.Millisecond
		cfg := erpConfig(t, every)
		env := hubtest.New(t, hubtest.Options{Postgres: pg, Config: cfg})
		ctx := context.Background()
		_, err := env.Hub.PutCrossRefs(ctx, env.Principal("dealer-a"), "", []store.CrossRef{{Code: "D-1", Supplier: "supplier-a", SupplierSKU: "S-1"}})
		require.NoError(t, err)
		erp := &scriptedERP{}
		erp.set("", errors.New(`connection refused: dial tcp 127.0.0.1:8000`))
		start := time.Now()
		startScheduler(t, env, cfg, "test-"+t.Name(), hub.SyncSchedulerOptions{NewReader: readerOf(t, erp)})

		// Failed runs carry the ERP's message; after three intervals
		// without success the dealer gets one stale_feed alert.
		alerts := func(open bool) []store.Notification {
			ns, _, err := env.Store.ListNotifications(ctx, store.PartnerScope("dealer-a"), store.NotificationFilter{Type: store.NotificationStaleFeed, Open: open})
			require.NoError(t, err)
			return ns
		}
		require.Eventually(t, func() bool { return len(alerts(true)) == 1 }, 30*time.Second, 10*time.Millisecond)
		raisedAfter := time.Since(start)
		t.Logf("stale_feed raised %s after start (interval %s)", raisedAfter.Round(time.Millisecond), every)
		require.GreaterOrEqual(t, raisedAfter, hub.StaleAfterIntervals*every)
		n := alerts(true)[0]
		require.Equal(t, hub.StaleFeedKey("tryton"), n.Key)
		require.Equal(t, "stale_feed:tryton", n.Key)
		require.Contains(t, n.Title, "dealer-a")
		require.Contains(t, n.Title, "since never")
		require.Contains(t, n.Title, "connection refused: dial tcp 127.0.0.1:8000")
		require.Equal(t, "/api/v1/sync-runs?partner=dealer-a", n.Link)
		failed := runsOf(t, env, store.SyncFailed)
		require.GreaterOrEqual(t, len(failed), 3)
		require.Contains(t, failed[0].Error, "connection refused: dial tcp 127.0.0.1:8000")
		require.Empty(t, failed[0].MessageID, "nothing stored when the ERP cannot be read")
		time.Sleep(3 * every)
		require.Len(t, alerts(false), 1, "one alert per episode")

		// The ERP is back: the next run succeeds and resolves the alert.
		erp.set("12", nil)
		require.Eventually(t, func() bool { return len(alerts(true)) == 0 }, 30*time.Second, 10*time.Millisecond)
		all := alerts(false)
		require.Len(t, all, 1)
		require.NotNil(t, all[0].ResolvedAt)
		require.NotEmpty(t, runsOf(t, env, store.SyncSucceeded))
	})
}

// blockingSync is a SyncFunc that waits for release, counting its calls.
type blockingSync struct {
	calls   atomic.Int64
	started chan struct{}
	release chan struct{}
}

func (b *blockingSync) sync(ctx context.Context, _ store.Store, _ hub.SubjectNamer, r hub.StockSyncRequest) (hub.StockSyncOutcome, error) {
	b.calls.Add(1)
	if _, err := r.Reader.ReadStock(ctx, connectors.StockQuery{}); err != nil {
		return hub.StockSyncOutcome{}, err
	}
	b.started <- struct{}{}
	select {
	case <-b.release:
		return hub.StockSyncOutcome{MessageID: "m-fake", Status: store.StatusDone, Read: 1}, nil
	case <-ctx.Done():
		return hub.StockSyncOutcome{}, ctx.Err()
	}
}

func TestSyncNowRefusesASecondRun(t *testing.T) {
	eachStore(t, func(t *testing.T, pg bool) {
		cfg := erpConfig(t, time.Hour)
		env := hubtest.New(t, hubtest.Options{Postgres: pg, Config: cfg})
		ctx := context.Background()
		b := &blockingSync{started: make(chan struct{}, 1), release: make(chan struct{})}
		opts := hub.SyncSchedulerOptions{NewReader: readerOf(t, &scriptedERP{onHand: "1"}), Sync: b.sync}
		// Two instances, neither scheduling (no Apply): manual runs only.
		here := hub.NewSyncScheduler(env.Hub, withTestLease(opts, "here"))
		there := hub.NewSyncScheduler(env.Hub, withTestLease(opts, "there"))
		env.Hub.SetSyncScheduler(here)

		done := make(chan store.SyncRun, 1)
		go func() {
			run, err := env.Hub.SyncNow(ctx, env.Principal("dealer-a"), "dealer-a", "")
			if err != nil {
				t.Errorf("first run: %v", err)
			}
			done <- run
		}()
		<-b.started
		_, err := env.Hub.SyncNow(ctx, env.Principal(""), "dealer-a", "")
		require.ErrorIs(t, err, hub.ErrConflict, "a run is in progress in this process")
		_, err = there.RunNow(ctx, "dealer-a", "")
		require.ErrorIs(t, err, hub.ErrConflict, "a run is in progress on another instance")
		running := runsOf(t, env, store.SyncRunning)
		require.Len(t, running, 1, "the run in progress is recorded")
		require.Equal(t, hub.TriggerManual, running[0].Trigger)

		close(b.release)
		run := <-done
		require.Equal(t, store.SyncSucceeded, run.Status)
		require.Equal(t, "m-fake", run.MessageID)
		require.EqualValues(t, 1, b.calls.Load(), "the refused runs never reached the ERP")

		// Once it is over, the other instance may run it.
		b.release = make(chan struct{})
		close(b.release)
		run, err = there.RunNow(ctx, "dealer-a", "")
		require.NoError(t, err)
		<-b.started
		require.Equal(t, store.SyncSucceeded, run.Status)
		require.Len(t, runsOf(t, env, ""), 2, "refused runs are not recorded")
	})
}

func withTestLease(o hub.SyncSchedulerOptions, holder string) hub.SyncSchedulerOptions {
	o.Holder, o.Lease, o.MinInterval = holder, 3*time.Second, time.Millisecond
	return o
}

// countingSync is a SyncFunc that succeeds at once, counting its calls.
type countingSync struct{ calls atomic.Int64 }

func (c *countingSync) sync(context.Context, store.Store, hub.SubjectNamer, hub.StockSyncRequest) (hub.StockSyncOutcome, error) {
	c.calls.Add(1)
	return hub.StockSyncOutcome{MessageID: "m-fake", Status: store.StatusDone}, nil
}

// recordRun stores a succeeded scheduled run of dealer-a that started ago.
func recordRun(t *testing.T, env *hubtest.Env, ago time.Duration) {
	t.Helper()
	ctx := context.Background()
	at := time.Now().Add(-ago).UTC()
	r, err := env.Store.StartSyncRun(ctx, store.SyncRun{Partner: "dealer-a", Source: "tryton", Trigger: hub.TriggerSchedule, Status: store.SyncRunning, StartedAt: at})
	require.NoError(t, err)
	r.Status, r.FinishedAt = store.SyncSucceeded, &at
	_, err = env.Store.FinishSyncRun(ctx, r)
	require.NoError(t, err)
}

func TestSyncSchedulerFirstRunAfterARestart(t *testing.T) {
	t.Parallel()
	cfg := erpConfig(t, time.Hour)

	// The last run is ten minutes old, the interval an hour: no run now.
	env := hubtest.New(t, hubtest.Options{Config: cfg})
	recordRun(t, env, 10*time.Minute)
	c := &countingSync{}
	startScheduler(t, env, cfg, "recent", hub.SyncSchedulerOptions{NewReader: readerOf(t, &scriptedERP{}), Sync: c.sync})
	time.Sleep(500 * time.Millisecond)
	require.Zero(t, c.calls.Load(), "the last run is recent enough")

	// The last run is two hours old: the scheduler runs at once.
	old := hubtest.New(t, hubtest.Options{Config: cfg})
	recordRun(t, old, 2*time.Hour)
	c2 := &countingSync{}
	start := time.Now()
	startScheduler(t, old, cfg, "old", hub.SyncSchedulerOptions{NewReader: readerOf(t, &scriptedERP{}), Sync: c2.sync})
	require.Eventually(t, func() bool { return c2.calls.Load() == 1 }, 10*time.Second, 5*time.Millisecond)
	t.Logf("first run %s after start", time.Since(start).Round(time.Millisecond))
	// The run is recorded as finished just after the sync returns.
	require.Eventually(t, func() bool {
		runs, _, err := old.Store.ListSyncRuns(context.Background(), store.OperatorScope(), store.SyncRunFilter{})
		return err == nil && len(runs) == 2 && runs[0].Status == store.SyncSucceeded
	}, 10*time.Second, 10*time.Millisecond)
}

func TestSyncSchedulerLeaseHandOverAndReload(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := erpConfig(t, 100*time.Millisecond)
	env := hubtest.New(t, hubtest.Options{Config: cfg})
	a, b := &countingSync{}, &countingSync{}
	first := startScheduler(t, env, cfg, "instance-a", hub.SyncSchedulerOptions{NewReader: readerOf(t, &scriptedERP{}), Sync: a.sync})
	require.Eventually(t, func() bool { return a.calls.Load() >= 2 }, 10*time.Second, 5*time.Millisecond)
	standby := startScheduler(t, env, cfg, "instance-b", hub.SyncSchedulerOptions{NewReader: readerOf(t, &scriptedERP{}), Sync: b.sync})
	require.Equal(t, []string{"dealer-a"}, standby.Running(), "standing by counts as running")
	time.Sleep(500 * time.Millisecond)
	require.Zero(t, b.calls.Load(), "one instance schedules a partner")
	ok, err := env.Bus.AcquireLease(ctx, "erp-sync.dealer-a", "other", 3*time.Second)
	require.NoError(t, err)
	require.False(t, ok)

	// The holder stops: the standby takes over.
	first.Stop()
	require.Eventually(t, func() bool { return b.calls.Load() >= 2 }, 10*time.Second, 5*time.Millisecond)

	// A reload without the erp block stops it and releases the lease.
	none, err := config.Parse([]byte("partners: []\n"), "hub.yaml", nil)
	require.NoError(t, err)
	require.NoError(t, standby.Apply(ctx, none))
	require.Empty(t, standby.Running())
	ok, err = env.Bus.AcquireLease(ctx, "erp-sync.dealer-a", "other", 3*time.Second)
	require.NoError(t, err)
	require.True(t, ok, "the stopped schedule released its lease")
	calls := b.calls.Load()
	time.Sleep(300 * time.Millisecond)
	require.Equal(t, calls, b.calls.Load(), "no run after the reload")
}
