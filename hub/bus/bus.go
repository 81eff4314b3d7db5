package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Stream and connection settings shared by every stream.
const (
	// duplicateWindow is how long JetStream remembers a Nats-Msg-Id.
	duplicateWindow = 2 * time.Minute
	// eventsMaxAge bounds the EVENTS history (it is a view; the database is
	// the source of truth).
	eventsMaxAge = 30 * 24 * time.Hour
	// leaseBucketTTL bounds how long an unrenewed lease record survives; it
	// is also the longest lease AcquireLease grants.
	leaseBucketTTL = 24 * time.Hour
	// publishWindow is how many async publishes PublishBatch keeps in flight.
	publishWindow = 512
	// publishAckTimeout fails a PublishBatch ack that never arrives.
	publishAckTimeout = 30 * time.Second
	// drainTimeout bounds Close's drain of the connection.
	drainTimeout = 10 * time.Second
	// connectTimeout bounds dialing an external server.
	connectTimeout = 5 * time.Second
)

// Config says where the bus lives.
type Config struct {
	// URL of an external NATS server or cluster, e.g. nats://127.0.0.1:4222.
	// Empty starts an embedded in-process server (no TCP listener) on
	// DataDir.
	URL string
	// DataDir is the embedded JetStream store directory; required when URL
	// is empty, created if missing, locked while the bus is open.
	DataDir string
	// Namespace is an optional prefix so several hubs or tests share one
	// server; see Names.
	Namespace string
	// Name is the client connection name shown by the server.
	Name string
	// Logger receives connection events and, at debug, the embedded server's
	// log. Nil discards.
	Logger *slog.Logger
}

// Validate checks cross-field rules; messages name the field.
func (c Config) Validate() error {
	if c.URL == "" && c.DataDir == "" {
		return errors.New("bus: DataDir is required when URL is empty (embedded server)")
	}
	return Names{Namespace: c.Namespace}.Validate()
}

// Bus is a connection to NATS JetStream with the hub's streams in place. It
// is safe for concurrent use.
type Bus struct {
	names  Names
	log    *slog.Logger
	nc     *nats.Conn
	js     jetstream.JetStream
	leases jetstream.KeyValue
	emb    *embedded // nil with an external server
	closed chan struct{}

	closeOnce sync.Once
	closeErr  error
}

// Open connects to cfg.URL, or starts the embedded server on cfg.DataDir,
// and creates or updates the three streams and the lease bucket.
func Open(ctx context.Context, cfg Config) (*Bus, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := &Bus{names: Names{Namespace: cfg.Namespace}, log: log, closed: make(chan struct{})}

	opts := []nats.Option{
		nats.Name(cfg.Name),
		nats.MaxReconnects(-1),
		nats.DrainTimeout(drainTimeout),
		nats.Timeout(connectTimeout),
		nats.ClosedHandler(func(*nats.Conn) { close(b.closed) }),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", "error", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("nats reconnected", "url", nc.ConnectedUrlRedacted())
		}),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subject := ""
			if sub != nil {
				subject = sub.Subject
			}
			log.Warn("nats async error", "subject", subject, "error", err)
		}),
	}
	url := cfg.URL
	if url == "" {
		emb, err := startEmbedded(ctx, cfg.DataDir, log)
		if err != nil {
			return nil, err
		}
		b.emb = emb
		url = emb.srv.ClientURL()
		opts = append(opts, nats.InProcessServer(emb.srv))
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		b.shutdownEmbedded()
		if cfg.URL == "" {
			return nil, fmt.Errorf("connecting to embedded nats server in %q: %w", cfg.DataDir, err)
		}
		return nil, fmt.Errorf("connecting to nats at %s: %w", cfg.URL, err)
	}
	b.nc = nc
	b.js, err = jetstream.New(nc,
		jetstream.WithPublishAsyncMaxPending(4*publishWindow),
		jetstream.WithPublishAsyncTimeout(publishAckTimeout))
	if err == nil {
		err = b.setup(ctx)
	}
	if err != nil {
		nc.Close()
		b.shutdownEmbedded()
		return nil, err
	}
	return b, nil
}

// setup creates or updates the streams and the lease bucket.
func (b *Bus) setup(ctx context.Context) error {
	for _, kind := range []StreamKind{StreamInbound, StreamEvents, StreamOutbound} {
		cfg := jetstream.StreamConfig{
			Name:       b.names.Stream(kind),
			Subjects:   []string{b.names.StreamSubjects(kind)},
			Retention:  jetstream.WorkQueuePolicy,
			Storage:    jetstream.FileStorage,
			Duplicates: duplicateWindow,
		}
		switch kind {
		case StreamInbound:
			cfg.Description = "dealerhub raw-message work queue"
		case StreamEvents:
			cfg.Description = "dealerhub canonical document events"
			cfg.Retention = jetstream.LimitsPolicy
			cfg.MaxAge = eventsMaxAge
		case StreamOutbound:
			cfg.Description = "dealerhub delivery work queue"
		}
		if _, err := b.js.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("creating or updating stream %s: %w", cfg.Name, err)
		}
	}
	kv, err := b.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      b.names.LeaseBucket(),
		Description: "dealerhub poller leases",
		History:     1,
		TTL:         leaseBucketTTL,
		Storage:     jetstream.FileStorage,
	})
	if err != nil {
		return fmt.Errorf("creating or updating kv bucket %s: %w", b.names.LeaseBucket(), err)
	}
	b.leases = kv
	return nil
}

// Close drains the connection (in-flight acks and publishes finish), then
// shuts down the embedded server and waits for it. Calling Close again
// returns the first result.
func (b *Bus) Close() error {
	b.closeOnce.Do(func() {
		if err := b.nc.Drain(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
			b.closeErr = fmt.Errorf("draining nats connection: %w", err)
			b.nc.Close()
		}
		// Drain closes the connection when done or after drainTimeout.
		select {
		case <-b.closed:
		case <-time.After(drainTimeout + time.Second):
			b.nc.Close()
			<-b.closed
		}
		b.shutdownEmbedded()
	})
	return b.closeErr
}

func (b *Bus) shutdownEmbedded() {
	if b.emb != nil {
		b.emb.shutdown()
	}
}

// Ping checks that the server is reachable and JetStream answers.
func (b *Bus) Ping(ctx context.Context) error {
	if !b.nc.IsConnected() {
		return fmt.Errorf("pinging nats: connection is %s", b.nc.Status())
	}
	if _, err := b.js.AccountInfo(ctx); err != nil {
		return fmt.Errorf("pinging jetstream: %w", err)
	}
	return nil
}

// Names returns the naming scheme of this bus's namespace.
func (b *Bus) Names() Names { return b.names }

// InboundSubject is "dealerhub.inbound.<doctype>.<partner>" in this bus's
// namespace.
func (b *Bus) InboundSubject(doctype, partner string) string {
	return b.names.InboundSubject(doctype, partner)
}

// EventSubject is "dealerhub.event.<doctype>.<partner>" in this bus's
// namespace.
func (b *Bus) EventSubject(doctype, partner string) string {
	return b.names.EventSubject(doctype, partner)
}

// OutboundSubject is "dealerhub.outbound.<channel>.<partner>" in this bus's
// namespace.
func (b *Bus) OutboundSubject(channel, partner string) string {
	return b.names.OutboundSubject(channel, partner)
}

// Stream returns the actual name of the stream of kind in this bus's
// namespace.
func (b *Bus) Stream(kind StreamKind) string { return b.names.Stream(kind) }
