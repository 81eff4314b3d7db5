package hub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/schemas"
)

// Options wires a Hub. Store, Bus and Schemas are required.
type Options struct {
	Store   store.Store
	Bus     *bus.Bus
	Schemas *schemas.Registry
	// Config holds routes and the delivery policy; nil means every document
	// goes to its receiver's inbox with the default policy.
	Config *config.Config
	// Sinks deliver by channel name ("webhook", later "sftp", …). The inbox
	// channel needs none.
	Sinks map[string]connectors.Sink
	// Encoders turn canonical JSON into a route's format, by format name;
	// "json" is built in.
	Encoders map[string]connectors.Encoder
	// Decoders turn raw messages of a format into canonical documents, by
	// format name (later csv, xlsx, x12, edifact); "json" is built in.
	// Ingest refuses a format without a decoder.
	Decoders map[string]Decoder
	Logger   *slog.Logger
	// Metrics registers the hub's Prometheus collectors when non-nil.
	Metrics prometheus.Registerer
	// Workers is how many inbound messages are processed at once; default 4.
	Workers int
	// DeliveryWorkers is how many deliveries run at once; default 4.
	DeliveryWorkers int
	// AckWait is how long the bus waits for a handler before redelivering;
	// default 30s (handlers report progress while they run).
	AckWait time.Duration
	// MaxDeliver bounds the redelivery of one inbound message after transient
	// failures; then the message is dead. Default 5.
	MaxDeliver int
	// RecoveryAfter is how old a received or processing message must be for
	// the recovery sweep to queue it again; default 2m.
	RecoveryAfter time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Hub is the pipeline: it stores raw messages, turns them into canonical
// documents, publishes events and delivers documents to their receivers. It
// implements connectors.Ingester and Service.
type Hub struct {
	st       store.Store
	bus      *bus.Bus
	schemas  *schemas.Registry
	cfg      atomic.Pointer[config.Config]
	sinks    map[string]connectors.Sink
	encoders map[string]connectors.Encoder
	decoders map[string]Decoder
	log      *slog.Logger
	opts     Options
	now      func() time.Time
	metrics  *metrics
	parties  *partyCache
	// syncs runs the ERP syncs SyncNow starts (SetSyncScheduler).
	syncs atomic.Pointer[SyncScheduler]

	kick chan struct{} // wakes the outbox relay
}

var (
	_ connectors.Ingester = (*Hub)(nil)
	_ Service             = (*Hub)(nil)
)

// New checks the options and builds a Hub. Call Run to start its workers.
func New(opts Options) (*Hub, error) {
	if opts.Store == nil || opts.Bus == nil || opts.Schemas == nil {
		return nil, errors.New("hub: Store, Bus and Schemas are required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	if opts.DeliveryWorkers <= 0 {
		opts.DeliveryWorkers = 4
	}
	if opts.AckWait <= 0 {
		opts.AckWait = 30 * time.Second
	}
	if opts.MaxDeliver <= 0 {
		opts.MaxDeliver = 5
	}
	if opts.RecoveryAfter <= 0 {
		opts.RecoveryAfter = 2 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	h := &Hub{
		st:       opts.Store,
		bus:      opts.Bus,
		schemas:  opts.Schemas,
		sinks:    map[string]connectors.Sink{},
		encoders: map[string]connectors.Encoder{"json": jsonEncoder{}},
		decoders: map[string]Decoder{"json": jsonDecoder{}},
		log:      opts.Logger,
		opts:     opts,
		now:      opts.Now,
		kick:     make(chan struct{}, 1),
	}
	for k, v := range opts.Sinks {
		h.sinks[k] = v
	}
	// EDI is built in: reading and writing it needs the hub's config
	// (partner ids), store (duplicates, control numbers) and schemas.
	for _, f := range []string{connectors.FormatX12, connectors.FormatEDIFACT} {
		h.decoders[f] = ediDecoder{h: h, format: f}
		h.encoders[f] = ediEncoder{h: h, format: f}
	}
	for k, v := range opts.Encoders {
		h.encoders[k] = v
	}
	for k, v := range opts.Decoders {
		h.decoders[k] = v
	}
	h.parties = newPartyCache(opts.Store, 2*time.Second, opts.Now)
	cfg := opts.Config
	if cfg == nil {
		cfg = &config.Config{}
	}
	h.cfg.Store(cfg)
	m, err := newMetrics(opts.Metrics)
	if err != nil {
		return nil, err
	}
	h.metrics = m
	return h, nil
}

// SetConfig swaps the routes and delivery policy in use (config reload).
func (h *Hub) SetConfig(cfg *config.Config) {
	if cfg == nil {
		cfg = &config.Config{}
	}
	h.cfg.Store(cfg)
	h.parties.flush()
}

// Config returns the config in use.
func (h *Hub) Config() *config.Config { return h.cfg.Load() }

// Store returns the hub's store.
func (h *Hub) Store() store.Store { return h.st }

// Run starts the workers (outbox relay, inbound processing, deliveries,
// recovery sweep) and blocks until ctx is cancelled; then it stops fetching
// work, lets in-flight work finish and returns.
func (h *Hub) Run(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var wg sync.WaitGroup
	errc := make(chan error, 4)
	run := func(name string, f func(context.Context) error) {
		wg.Go(func() {
			if err := f(ctx); err != nil && ctx.Err() == nil {
				errc <- fmt.Errorf("%s: %w", name, err)
			}
		})
	}
	run("outbox relay", h.relay)
	run("inbound worker", func(ctx context.Context) error {
		return h.bus.Consume(ctx, bus.ConsumerConfig{
			Stream:      bus.StreamInbound,
			Durable:     "hub-inbound",
			MaxDeliver:  h.opts.MaxDeliver,
			AckWait:     h.opts.AckWait,
			Concurrency: h.opts.Workers,
		}, h.handleInbound, h.inboundExhausted)
	})
	run("delivery worker", func(ctx context.Context) error {
		return h.bus.Consume(ctx, bus.ConsumerConfig{
			Stream:      bus.StreamOutbound,
			Durable:     "hub-outbound",
			MaxDeliver:  h.opts.MaxDeliver,
			AckWait:     h.opts.AckWait,
			Concurrency: h.opts.DeliveryWorkers,
		}, h.handleOutbound, h.outboundExhausted)
	})
	run("recovery sweep", h.recoverySweep)
	var first error
	select {
	case <-ctx.Done():
	case first = <-errc:
		h.log.Error("hub worker stopped; shutting down", "err", first)
		cancel()
	}
	wg.Wait()
	return first
}

// Ready reports whether the store and the bus answer.
func (h *Hub) Ready(ctx context.Context) error {
	if err := h.st.Ping(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := h.bus.Ping(ctx); err != nil {
		return fmt.Errorf("bus: %w", err)
	}
	return nil
}

// wake tells the relay that new outbox rows are committed.
func (h *Hub) wake() {
	select {
	case h.kick <- struct{}{}:
	default:
	}
}
