package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Consumer defaults and timings.
const (
	defaultMaxDeliver = 5
	defaultAckWait    = 30 * time.Second
	backoffMin        = time.Second
	backoffMax        = time.Minute
	// fetchWait is how long one pull request waits for messages. Slots freed
	// while a pull is open are used by the next pull, so this bounds how long
	// a free slot can stay idle.
	fetchWait = 2 * time.Second
	// ackTimeout bounds the synchronous ack after a handler succeeded.
	ackTimeout = 10 * time.Second
	// retryPause is the pause after a failed fetch before the next one.
	retryPause = time.Second
)

// ConsumerConfig describes a durable pull consumer and how Consume runs it.
type ConsumerConfig struct {
	// Stream to read: StreamInbound, StreamEvents or StreamOutbound.
	Stream StreamKind
	// Durable is the consumer's name; every hub instance consuming with the
	// same name shares the work.
	Durable string
	// FilterSubject optionally narrows the stream, e.g.
	// b.InboundSubject("order", "*"). On work-queue streams the filters of
	// different consumers must not overlap.
	FilterSubject string
	// MaxDeliver is how many deliveries a message gets before Exhausted;
	// values below 1 mean 5.
	MaxDeliver int
	// AckWait is how long the server waits for an outcome before it
	// redelivers; a running handler extends it automatically. Zero means 30s.
	AckWait time.Duration
	// Backoff returns the delay before redelivery after the attempt-th
	// delivery failed (attempt is 1 after the first). Nil means
	// DefaultBackoff.
	Backoff func(attempt int) time.Duration
	// Concurrency is how many handlers run in parallel; values below 1
	// mean 1. Consume fetches only as many messages as it has free
	// handlers, so no message waits in a client buffer while its AckWait
	// runs.
	Concurrency int
}

// withDefaults validates cc and fills in defaults.
func (cc ConsumerConfig) withDefaults() (ConsumerConfig, error) {
	if !cc.Stream.valid() {
		return cc, fmt.Errorf("bus: ConsumerConfig.Stream %v is not one of StreamInbound, StreamEvents, StreamOutbound", cc.Stream)
	}
	if cc.Durable == "" {
		return cc, errors.New("bus: ConsumerConfig.Durable is required")
	}
	if cc.MaxDeliver < 1 {
		cc.MaxDeliver = defaultMaxDeliver
	}
	if cc.AckWait <= 0 {
		cc.AckWait = defaultAckWait
	}
	if cc.Backoff == nil {
		cc.Backoff = DefaultBackoff
	}
	if cc.Concurrency < 1 {
		cc.Concurrency = 1
	}
	return cc, nil
}

// DefaultBackoff doubles from 1s after the first failed delivery up to 60s.
func DefaultBackoff(attempt int) time.Duration {
	d := backoffMin
	for i := 1; i < attempt && d < backoffMax; i++ {
		d *= 2
	}
	return min(d, backoffMax)
}

// Msg is a delivered message.
type Msg struct {
	// Subject the message was published to.
	Subject string
	// ID is the publisher's Nats-Msg-Id, empty if it set none.
	ID string
	// Data is the payload.
	Data []byte
	// NumDelivered counts deliveries of this message, 1 on the first.
	NumDelivered uint64
}

// Handler processes one message. Returning nil acknowledges it (after the
// handler's own commit); Term(err) ends it for good; any other error asks
// for a redelivery after the configured backoff.
type Handler func(ctx context.Context, m *Msg) error

// Exhausted is called once when a message failed on its last allowed
// delivery, before it is terminated: the place to record a dead letter.
type Exhausted func(ctx context.Context, m *Msg, lastErr error)

// Consume creates or updates the durable pull consumer cc describes and runs
// h on its messages until ctx is cancelled; then it stops fetching, waits
// for in-flight handlers, and returns nil. It returns an error only if the
// consumer cannot be set up or the connection is closed under it.
//
// Outcomes: h nil or returning nil → synchronous ack (the server has
// confirmed it when Consume moves on); an error wrapped with Term →
// terminated, never redelivered, ex not called; any other error or a panic →
// if NumDelivered >= MaxDeliver, ex is called and the message terminated,
// else it is redelivered after cc.Backoff(NumDelivered). While a handler
// runs, the message's AckWait is extended every AckWait/2.
//
// Handlers and ex run with a context that carries ctx's values but is not
// cancelled with it, so a handler that has started can finish its commit
// during shutdown; bound slow work with your own timeouts. A message fetched
// just as ctx ends is handed back unprocessed.
func (b *Bus) Consume(ctx context.Context, cc ConsumerConfig, h Handler, ex Exhausted) error {
	cc, err := cc.withDefaults()
	if err != nil {
		return err
	}
	stream := b.names.Stream(cc.Stream)
	cons, err := b.js.CreateOrUpdateConsumer(ctx, stream, jetstream.ConsumerConfig{
		Durable:       cc.Durable,
		Description:   "dealerhub " + cc.Durable,
		FilterSubject: cc.FilterSubject,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       cc.AckWait,
		// One more than allowed, so a last delivery that vanished comes back
		// once more and reaches Exhausted with ErrNoOutcome.
		MaxDeliver: cc.MaxDeliver + 1,
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("creating consumer %s on stream %s: %w", cc.Durable, stream, err)
	}
	w := &worker{
		bus:  b,
		cc:   cc,
		cons: cons,
		h:    h,
		ex:   ex,
		log:  b.log.With("stream", stream, "consumer", cc.Durable),
	}
	return w.run(ctx)
}

// worker runs one Consume call.
type worker struct {
	bus  *Bus
	cc   ConsumerConfig
	cons jetstream.Consumer
	h    Handler
	ex   Exhausted
	log  *slog.Logger
}

func (w *worker) run(ctx context.Context) error {
	hctx := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait() // handlers and the watcher below; runs after cancelPull
	// pullCtx also ends when the bus closes, so an open pull does not keep
	// Consume waiting on a dead connection.
	pullCtx, cancelPull := context.WithCancel(ctx)
	defer cancelPull()
	wg.Go(func() {
		select {
		case <-w.bus.closed:
			cancelPull()
		case <-pullCtx.Done():
		}
	})
	slots := make(chan struct{}, w.cc.Concurrency)
	for {
		n := acquireSlots(ctx, slots)
		if n == 0 {
			return nil
		}
		started, err := w.fetch(ctx, pullCtx, hctx, n, slots, &wg)
		for range n - started {
			<-slots
		}
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			return nil
		}
		if w.bus.nc.IsClosed() || w.bus.nc.IsDraining() {
			return fmt.Errorf("fetching from consumer %s: %w", w.cc.Durable, nats.ErrConnectionClosed)
		}
		if errors.Is(err, jetstream.ErrConsumerDeleted) || errors.Is(err, jetstream.ErrConsumerNotFound) {
			return fmt.Errorf("fetching from consumer %s: %w", w.cc.Durable, err)
		}
		w.log.Warn("fetching messages failed; retrying", "error", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(retryPause):
		}
	}
}

// acquireSlots blocks until at least one handler slot is free and takes
// every free one; it returns 0 once ctx is done.
func acquireSlots(ctx context.Context, slots chan struct{}) int {
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return 0
	}
	// Both cases may have been ready; never fetch after cancellation.
	if ctx.Err() != nil {
		<-slots
		return 0
	}
	n := 1
	for n < cap(slots) {
		select {
		case slots <- struct{}{}:
			n++
		default:
			return n
		}
	}
	return n
}

// fetch pulls up to n messages and starts a handler for each; it returns
// how many handlers it started (each frees its own slot). ctx is Consume's,
// pullCtx bounds the pull, hctx is for handlers.
func (w *worker) fetch(ctx, pullCtx, hctx context.Context, n int, slots chan struct{}, wg *sync.WaitGroup) (int, error) {
	fctx, cancel := context.WithTimeout(pullCtx, fetchWait)
	defer cancel()
	batch, err := w.cons.Fetch(n, jetstream.FetchContext(fctx))
	if err != nil {
		return 0, err
	}
	started := 0
	for jm := range batch.Messages() {
		if ctx.Err() != nil {
			if err := jm.Nak(); err != nil {
				w.log.Warn("handing back message fetched during shutdown", "subject", jm.Subject(), "error", err)
			}
			continue
		}
		started++
		wg.Go(func() {
			defer func() { <-slots }()
			w.handle(hctx, jm)
		})
	}
	err = batch.Error()
	if err != nil && pullCtx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		err = nil // the pull just ran its course
	}
	return started, err
}

// handle runs the handler on one message and settles it.
func (w *worker) handle(ctx context.Context, jm jetstream.Msg) {
	m := &Msg{Subject: jm.Subject(), ID: jm.Headers().Get(jetstream.MsgIDHeader), Data: jm.Data()}
	log := w.log.With("subject", m.Subject, "message_id", m.ID)
	meta, err := jm.Metadata()
	if err != nil {
		log.Error("reading message metadata", "error", err)
		w.settle(log, "nak", jm.Nak())
		return
	}
	m.NumDelivered = meta.NumDelivered
	delivered := meta.NumDelivered
	log = log.With("num_delivered", delivered)
	if delivered > uint64(w.cc.MaxDeliver) {
		log.Error("message returned after its last allowed delivery ended without an outcome")
		w.exhaust(ctx, log, m, ErrNoOutcome)
		w.settle(log, "term", jm.Term())
		return
	}

	stop := w.keepAlive(log, jm)
	err = w.call(ctx, log, m)
	stop()

	switch {
	case err == nil:
		actx, cancel := context.WithTimeout(ctx, ackTimeout)
		w.settle(log, "ack", jm.DoubleAck(actx))
		cancel()
	case IsTerm(err):
		log.Warn("message failed permanently", "error", err)
		w.settle(log, "term", jm.Term())
	case delivered >= uint64(w.cc.MaxDeliver):
		log.Error("message failed on its last allowed delivery", "error", err)
		w.exhaust(ctx, log, m, err)
		w.settle(log, "term", jm.Term())
	default:
		delay := w.cc.Backoff(int(delivered))
		log.Warn("message failed; will be redelivered", "error", err, "retry_in", delay)
		w.settle(log, "nak", jm.NakWithDelay(delay))
	}
}

// settle logs a failed ack/nak/term: the server redelivers after AckWait,
// which every handler must tolerate anyway.
func (w *worker) settle(log *slog.Logger, what string, err error) {
	if err != nil {
		log.Warn("settling message failed; it will be redelivered", "action", what, "error", err)
	}
}

// call runs the handler, turning a panic into an error.
func (w *worker) call(ctx context.Context, log *slog.Logger, m *Msg) (err error) {
	if w.h == nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			log.Error("handler panicked", "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("handler panicked: %v", r)
		}
	}()
	return w.h(ctx, m)
}

// exhaust calls the Exhausted callback, if any, surviving its panic.
func (w *worker) exhaust(ctx context.Context, log *slog.Logger, m *Msg, lastErr error) {
	if w.ex == nil {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			log.Error("exhausted callback panicked", "panic", r, "stack", string(debug.Stack()))
		}
	}()
	w.ex(ctx, m, lastErr)
}

// keepAlive tells the server every AckWait/2 that the message is still being
// worked on, until stop is called.
func (w *worker) keepAlive(log *slog.Logger, jm jetstream.Msg) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(w.cc.AckWait / 2)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if err := jm.InProgress(); err != nil {
					log.Warn("extending ack wait", "error", err)
				}
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}
