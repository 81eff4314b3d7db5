package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/webhook"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/tabular"
	"github.com/dealerhub/dealerhub/portal"
	"github.com/dealerhub/dealerhub/portal/web"
	"github.com/dealerhub/dealerhub/schemas"
)

type serveFlags struct {
	storeFlags
	addr       string
	natsURL    string
	configPath string
	demo       bool
	logLevel   string
	logFormat  string
	maxBody    int64
	ackWait    time.Duration
	workers    int
	memLimit   int
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f serveFlags
	fs := newFlagSet("serve", stderr)
	f.register(fs)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address the API listens on (env DEALERHUB_ADDR)")
	fs.StringVar(&f.natsURL, "nats-url", "", "external NATS server or cluster (nats://…); empty runs an embedded server with its store in the data dir (env DEALERHUB_NATS_URL)")
	fs.StringVar(&f.configPath, "config", "", "hub config file (YAML): partners, relationships, routes (env DEALERHUB_CONFIG)")
	fs.BoolVar(&f.demo, "demo", false, "seed demo partners, API keys and documents (env DEALERHUB_DEMO)")
	fs.StringVar(&f.logLevel, "log-level", "info", "debug, info, warn or error (env DEALERHUB_LOG_LEVEL)")
	fs.StringVar(&f.logFormat, "log-format", "text", "text or json (env DEALERHUB_LOG_FORMAT)")
	fs.Int64Var(&f.maxBody, "max-body", 10<<20, "largest API request body in bytes (env DEALERHUB_MAX_BODY)")
	fs.DurationVar(&f.ackWait, "ack-wait", 30*time.Second, "how long an unacknowledged bus message waits before it is redelivered, e.g. after a crash (env DEALERHUB_ACK_WAIT)")
	fs.IntVar(&f.workers, "workers", 4, "messages processed at once (env DEALERHUB_WORKERS)")
	fs.IntVar(&f.memLimit, "memory-limit-mib", defaultMemoryLimitMiB, "soft limit of the Go heap in MiB, 0 for none; GOMEMLIMIT and GOGC, when set, win (env DEALERHUB_MEMORY_LIMIT_MIB)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if f.memLimit < 0 {
		return usageErr("--memory-limit-mib must be 0 (no limit) or positive, got %d", f.memLimit)
	}
	tuneMemory(f.memLimit)
	log, err := newLogger(stderr, f.logLevel, f.logFormat)
	if err != nil {
		return usageErr("%v", err)
	}
	return serve(ctx, f, stdout, log)
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("--log-format must be text or json, not %q", format)
	}
}

func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		return &config.Config{}, nil
	}
	return config.Load(path, os.LookupEnv)
}

func serve(ctx context.Context, f serveFlags, stdout io.Writer, log *slog.Logger) error {
	started := time.Now()
	cfg, err := loadConfig(f.configPath)
	if err != nil {
		return fmt.Errorf("refusing to start: %w", err)
	}
	if err := os.MkdirAll(f.dataDir, 0o750); err != nil {
		return fmt.Errorf("creating data dir: %w", err)
	}
	// The bus first: the embedded one locks the data dir, which keeps a
	// second serve off it before it touches the store.
	b, err := bus.Open(ctx, bus.Config{URL: f.natsURL, DataDir: filepath.Join(f.dataDir, "nats"), Name: "dealerhub", Logger: log.With("component", "bus")})
	if errors.Is(err, bus.ErrDataDirLocked) {
		return fmt.Errorf("another dealerhub serve is using data dir %s: stop it or use another --data-dir", f.dataDir)
	}
	if err != nil {
		return fmt.Errorf("opening bus: %w", err)
	}
	defer b.Close()
	st, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := applyConfig(ctx, st, cfg); err != nil {
		return fmt.Errorf("applying config: %w", err)
	}
	reg, err := schemas.New()
	if err != nil {
		return err
	}
	metricsReg := prometheus.NewRegistry()
	metricsReg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// The spreadsheet decoders and the sftp sink read the hub's current
	// config for each message or delivery (partner mappings by name, sftp
	// connections), so a SIGHUP reload is seen; h is set before Run starts
	// the workers that call them.
	var h *hub.Hub
	current := func() *config.Config { return h.Config() }
	h, err = hub.New(hub.Options{
		Store:   st,
		Bus:     b,
		Schemas: reg,
		Config:  cfg,
		Sinks: map[string]connectors.Sink{
			"webhook": webhook.New(nil),
			"sftp":    hub.NewSFTPSink(current, log),
			// Confirmed orders of dealers with erp.push_orders.
			hub.ChannelERP: erpSink(current, log),
		},
		Decoders: tabular.Decoders(reg, current),
		Logger:   log,
		Metrics:  metricsReg,
		Workers:  f.workers,
		AckWait:  f.ackWait,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", f.addr, err)
	}
	api := portal.NewAPI(h, portal.Options{
		MaxBodyBytes: f.maxBody,
		Metrics:      promhttp.HandlerFor(metricsReg, promhttp.HandlerOpts{}),
		Logger:       log,
	})
	// The pages (accounts, sign-in) beside the REST API.
	accounts, err := hub.NewAccounts(st, hub.AccountOptions{Logger: log})
	if err != nil {
		ln.Close()
		return err
	}
	pages, err := web.New(accounts, web.Options{Logger: log, Orders: h})
	if err != nil {
		ln.Close()
		return err
	}
	root := http.NewServeMux()
	for _, prefix := range []string{"/api/", "/healthz", "/readyz", "/metrics"} {
		root.Handle(prefix, api)
	}
	root.Handle("/", pages)
	srv := &http.Server{
		Handler:           root,
		ReadHeaderTimeout: 10 * time.Second,
	}
	url := "http://" + ln.Addr().String()
	if f.demo {
		// Before serving, so the keys are in place when /readyz answers.
		if err := seedDemo(ctx, st, h, f.dataDir, url, stdout); err != nil {
			ln.Close()
			return fmt.Errorf("seeding demo: %w", err)
		}
	}
	runCtx, stopRun := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRun()
	// One sftp poller per partner with an sftp.poll block, each while this
	// instance holds the partner's lease in the bus; restarted by a reload
	// that changes its settings, stopped before the workers at shutdown.
	pollers := hub.NewSFTPPollers(h, hub.SFTPPollerOptions{Logger: log})
	defer pollers.Stop()
	if err := pollers.Apply(runCtx, cfg); err != nil {
		ln.Close()
		return err
	}
	hubDone := make(chan error, 1)
	go func() { hubDone <- h.Run(runCtx) }()
	// The ERP sync of each dealer with an erp block, on its schedule, while
	// this instance holds the dealer's lease; POST /api/v1/sync-runs runs
	// one through it. Started after the hub, re-applied on reload, stopped
	// before the workers at shutdown.
	syncs := hub.NewSyncScheduler(h, hub.SyncSchedulerOptions{NewReader: erpReader, Logger: log})
	h.SetSyncScheduler(syncs)
	defer syncs.Stop()
	if err := syncs.Apply(runCtx, cfg); err != nil {
		ln.Close()
		return err
	}
	srvDone := make(chan error, 1)
	go func() { srvDone <- srv.Serve(ln) }()
	log.Info("dealerhub ready", "url", url, "store", storeKind(f.storeFlags), "bus", busKind(f.natsURL), "startup", time.Since(started).Round(time.Millisecond))
	fmt.Fprintf(stdout, "dealerhub listening on %s\n", url)

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	var runErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-hup:
			if err := reload(ctx, runCtx, st, h, pollers, syncs, f.configPath); err != nil {
				log.Error("config reload refused; keeping the old config", "err", err)
			} else {
				log.Info("config reloaded", "file", f.configPath)
			}
		case runErr = <-hubDone:
			break loop
		case err := <-srvDone:
			if !errors.Is(err, http.ErrServerClosed) {
				runErr = fmt.Errorf("http server: %w", err)
			}
			break loop
		}
	}
	log.Info("shutting down: finishing in-flight requests and work")
	shutCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		log.Warn("http shutdown", "err", err)
	}
	pollers.Stop()
	syncs.Stop()
	stopRun()
	select {
	case err := <-hubDone:
		if runErr == nil {
			runErr = err
		}
	case <-shutCtx.Done():
		log.Warn("workers did not finish in time; unacknowledged work will be redelivered at next start")
	}
	return runErr
}

// reload reads the config file again and applies it: partners upserted,
// routes and mappings swapped, sftp pollers and ERP sync schedules
// restarted where their settings changed (under runCtx).
func reload(ctx, runCtx context.Context, st store.Store, h *hub.Hub, pollers *hub.SFTPPollers, syncs *hub.SyncScheduler, path string) error {
	if path == "" {
		return errors.New("no --config file to reload")
	}
	cfg, err := loadConfig(path)
	if err != nil {
		return err
	}
	if err := applyConfig(ctx, st, cfg); err != nil {
		return err
	}
	h.SetConfig(cfg)
	if err := pollers.Apply(runCtx, cfg); err != nil {
		return err
	}
	return syncs.Apply(runCtx, cfg)
}

// applyConfig upserts the config's partners and relationships: the database
// is the source of truth, and the config file declares some of it.
func applyConfig(ctx context.Context, st store.Store, cfg *config.Config) error {
	for _, p := range cfg.Partners {
		if _, err := st.UpsertPartner(ctx, store.Partner{ID: p.ID, Name: p.Name, Roles: p.Roles, Enabled: p.IsEnabled()}); err != nil {
			return fmt.Errorf("partner %q: %w", p.ID, err)
		}
	}
	for _, r := range cfg.Relationships {
		err := st.UpsertRelationship(ctx, store.Relationship{Dealer: r.Dealer, Supplier: r.Supplier, SharesStock: r.SharesStock, SharesSales: r.SharesSales})
		if err != nil {
			return fmt.Errorf("relationship %s → %s: %w", r.Dealer, r.Supplier, err)
		}
	}
	return nil
}

func storeKind(s storeFlags) string {
	if s.isPostgres() {
		return "postgresql"
	}
	return "sqlite:" + filepath.Join(s.dataDir, "dealerhub.db")
}

func busKind(url string) string {
	if url == "" {
		return "embedded"
	}
	return url
}
