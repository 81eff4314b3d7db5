package bus

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"
)

// fastRetry keeps redelivery tests quick.
func fastRetry(int) time.Duration { return 10 * time.Millisecond }

// recorder collects what a handler and an Exhausted callback saw.
type recorder struct {
	mu        sync.Mutex
	seen      []Msg
	exhausted []Msg
	lastErrs  []error
}

func (r *recorder) record(m *Msg) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, *m)
}

func (r *recorder) exhaust(_ context.Context, m *Msg, lastErr error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exhausted = append(r.exhausted, *m)
	r.lastErrs = append(r.lastErrs, lastErr)
}

func (r *recorder) counts() (seen, exhausted int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen), len(r.exhausted)
}

func (r *recorder) deliveries() []uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]uint64, len(r.seen))
	for i, m := range r.seen {
		out[i] = m.NumDelivered
	}
	return out
}

func publishInbound(t *testing.T, b *Bus, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		ids[i] = fmt.Sprintf("in-%d", i)
		require.NoError(t, b.Publish(t.Context(), Message{
			Subject: b.InboundSubject("order", "acme"),
			ID:      ids[i],
			Data:    []byte(fmt.Sprintf(`{"n":%d}`, i)),
		}))
	}
	return ids
}

func TestConsumeAckedIsNotRedelivered(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, b *Bus) {
		publishInbound(t, b, 3)
		var rec recorder
		stop := runConsume(t, b, ConsumerConfig{Stream: StreamInbound, Durable: "work", Concurrency: 2},
			func(_ context.Context, m *Msg) error { rec.record(m); return nil }, rec.exhaust)

		require.Eventually(t, func() bool { return settled(t, b, StreamInbound, "work") }, waitFor, 10*time.Millisecond)
		require.NoError(t, stop())

		require.Equal(t, []uint64{1, 1, 1}, rec.deliveries())
		info := consumerInfo(t, b, StreamInbound, "work")
		require.Equal(t, uint64(3), info.AckFloor.Consumer)
		require.Zero(t, info.NumRedelivered)
		require.Zero(t, streamMsgs(t, b, StreamInbound), "work queue keeps no acked message")
		_, ex := rec.counts()
		require.Zero(t, ex)

		rec.mu.Lock()
		defer rec.mu.Unlock()
		ids := []string{rec.seen[0].ID, rec.seen[1].ID, rec.seen[2].ID}
		require.ElementsMatch(t, []string{"in-0", "in-1", "in-2"}, ids)
		require.Equal(t, b.InboundSubject("order", "acme"), rec.seen[0].Subject)
	})
}

func TestConsumeNilHandlerAcks(t *testing.T) {
	t.Parallel()
	b := openEmbedded(t)
	publishInbound(t, b, 2)
	runConsume(t, b, ConsumerConfig{Stream: StreamInbound, Durable: "work"}, nil, nil)
	require.Eventually(t, func() bool { return settled(t, b, StreamInbound, "work") }, waitFor, 10*time.Millisecond)
	require.Zero(t, streamMsgs(t, b, StreamInbound))
}

func TestConsumeRetriesThenExhausts(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, b *Bus) {
		publishInbound(t, b, 1)
		errBoom := errors.New("database is down")
		var rec recorder
		stop := runConsume(t, b,
			ConsumerConfig{Stream: StreamInbound, Durable: "work", MaxDeliver: 3, Backoff: fastRetry},
			func(_ context.Context, m *Msg) error { rec.record(m); return errBoom }, rec.exhaust)

		require.Eventually(t, func() bool { _, ex := rec.counts(); return ex == 1 }, waitFor, 10*time.Millisecond)
		require.Eventually(t, func() bool { return settled(t, b, StreamInbound, "work") }, waitFor, 10*time.Millisecond)
		require.NoError(t, stop())

		require.Equal(t, []uint64{1, 2, 3}, rec.deliveries())
		rec.mu.Lock()
		defer rec.mu.Unlock()
		require.Len(t, rec.exhausted, 1)
		require.Equal(t, "in-0", rec.exhausted[0].ID)
		require.Equal(t, uint64(3), rec.exhausted[0].NumDelivered)
		require.ErrorIs(t, rec.lastErrs[0], errBoom)
	})
}

func TestConsumeTermIsNotRedelivered(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, b *Bus) {
		publishInbound(t, b, 1)
		var rec recorder
		stop := runConsume(t, b,
			ConsumerConfig{Stream: StreamInbound, Durable: "work", MaxDeliver: 3, Backoff: fastRetry},
			func(_ context.Context, m *Msg) error {
				rec.record(m)
				return fmt.Errorf("decoding: %w", Term(errors.New("not JSON")))
			}, rec.exhaust)

		require.Eventually(t, func() bool { return settled(t, b, StreamInbound, "work") }, waitFor, 10*time.Millisecond)
		require.NoError(t, stop())
		require.Equal(t, []uint64{1}, rec.deliveries())
		_, ex := rec.counts()
		require.Zero(t, ex, "Term is not exhaustion")
		require.Zero(t, consumerInfo(t, b, StreamInbound, "work").NumRedelivered)
	})
}

func TestConsumeRecoversPanic(t *testing.T) {
	t.Parallel()
	b := openEmbedded(t)
	publishInbound(t, b, 1)
	var rec recorder
	runConsume(t, b, ConsumerConfig{Stream: StreamInbound, Durable: "work", Backoff: fastRetry},
		func(_ context.Context, m *Msg) error {
			rec.record(m)
			if m.NumDelivered == 1 {
				panic("nil map")
			}
			return nil
		}, rec.exhaust)
	require.Eventually(t, func() bool { return settled(t, b, StreamInbound, "work") }, waitFor, 10*time.Millisecond)
	require.Equal(t, []uint64{1, 2}, rec.deliveries())
}

func TestConsumeCancelWaitsForInFlightHandler(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, b *Bus) {
		publishInbound(t, b, 1)
		started, release := make(chan struct{}), make(chan struct{})
		var handlerCtxErr atomic.Value
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() {
			done <- b.Consume(ctx, ConsumerConfig{Stream: StreamInbound, Durable: "work"},
				func(hctx context.Context, _ *Msg) error {
					close(started)
					<-release
					handlerCtxErr.Store(fmt.Sprint(hctx.Err()))
					return nil
				}, nil)
		}()
		select {
		case <-started:
		case <-time.After(waitFor):
			t.Fatal("handler never started")
		}
		cancel()
		select {
		case err := <-done:
			t.Fatalf("Consume returned %v while a handler was running", err)
		default:
		}
		close(release)
		select {
		case err := <-done:
			require.NoError(t, err)
		case <-time.After(waitFor):
			t.Fatal("Consume did not return after the handler finished")
		}
		require.Equal(t, "<nil>", handlerCtxErr.Load(), "handlers are not cancelled with Consume")
		// The handler's ack was confirmed before Consume returned.
		require.True(t, settled(t, b, StreamInbound, "work"))
		require.Zero(t, streamMsgs(t, b, StreamInbound))
	})
}

func TestConsumeExtendsAckWaitForSlowHandler(t *testing.T) {
	t.Parallel()
	b := openEmbedded(t)
	publishInbound(t, b, 1)
	const ackWait = 300 * time.Millisecond
	var rec recorder
	// Two slots, so a redelivery during the slow run would be picked up.
	runConsume(t, b, ConsumerConfig{Stream: StreamInbound, Durable: "work", AckWait: ackWait, Concurrency: 2},
		func(_ context.Context, m *Msg) error {
			rec.record(m)
			time.Sleep(4 * ackWait) // the slow work under test
			return nil
		}, nil)
	require.Eventually(t, func() bool { return settled(t, b, StreamInbound, "work") }, waitFor, 10*time.Millisecond)
	require.Equal(t, []uint64{1}, rec.deliveries())
	require.Zero(t, consumerInfo(t, b, StreamInbound, "work").NumRedelivered)
}

func TestConsumeReportsDeliveryThatEndedWithoutOutcome(t *testing.T) {
	t.Parallel()
	b := openEmbedded(t)
	publishInbound(t, b, 1)
	const ackWait = 200 * time.Millisecond
	cc := ConsumerConfig{Stream: StreamInbound, Durable: "work", MaxDeliver: 1, AckWait: ackWait}

	// A hub instance takes the message on its only allowed delivery and dies.
	cons, err := b.js.CreateOrUpdateConsumer(t.Context(), b.Stream(StreamInbound), jetstream.ConsumerConfig{
		Durable: "work", AckPolicy: jetstream.AckExplicitPolicy, AckWait: ackWait, MaxDeliver: cc.MaxDeliver + 1,
	})
	require.NoError(t, err)
	lost, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
	require.NoError(t, err)
	require.Equal(t, b.InboundSubject("order", "acme"), lost.Subject())

	var rec recorder
	runConsume(t, b, cc, func(_ context.Context, m *Msg) error { rec.record(m); return nil }, rec.exhaust)
	require.Eventually(t, func() bool { _, ex := rec.counts(); return ex == 1 }, waitFor, 10*time.Millisecond)
	require.Eventually(t, func() bool { return settled(t, b, StreamInbound, "work") }, waitFor, 10*time.Millisecond)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	require.Empty(t, rec.seen, "the handler does not run past MaxDeliver")
	require.ErrorIs(t, rec.lastErrs[0], ErrNoOutcome)
	require.Equal(t, uint64(2), rec.exhausted[0].NumDelivered)
}

func TestConsumeResumesAfterReopen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cc := ConsumerConfig{Stream: StreamInbound, Durable: "work"}

	b1, err := Open(t.Context(), Config{DataDir: dir})
	require.NoError(t, err)
	ids := publishInbound(t, b1, 10)
	var first recorder
	ctx, cancel := context.WithCancel(t.Context())
	err = b1.Consume(ctx, cc, func(_ context.Context, m *Msg) error {
		first.record(m)
		if n, _ := first.counts(); n == 4 {
			cancel() // this handler still completes and is acked
		}
		return nil
	}, nil)
	require.NoError(t, err)
	require.NoError(t, b1.Close())

	b2 := openAt(t, Config{DataDir: dir})
	var second recorder
	runConsume(t, b2, cc, func(_ context.Context, m *Msg) error { second.record(m); return nil }, nil)
	require.Eventually(t, func() bool { return settled(t, b2, StreamInbound, "work") }, waitFor, 10*time.Millisecond)

	var got1, got2 []string
	for _, m := range first.seen {
		got1 = append(got1, m.ID)
	}
	second.mu.Lock()
	for _, m := range second.seen {
		got2 = append(got2, m.ID)
		require.Equal(t, uint64(1), m.NumDelivered, "nothing was left half-delivered")
	}
	second.mu.Unlock()
	require.Equal(t, ids[:4], got1)
	require.Equal(t, ids[4:], got2)
}

func TestConsumeRejectsBadConfig(t *testing.T) {
	t.Parallel()
	b := openEmbedded(t)
	err := b.Consume(t.Context(), ConsumerConfig{Durable: "x"}, nil, nil)
	require.ErrorContains(t, err, "Stream")
	err = b.Consume(t.Context(), ConsumerConfig{Stream: StreamInbound}, nil, nil)
	require.ErrorContains(t, err, "Durable")
}

func TestConsumeFailsWhenBusCloses(t *testing.T) {
	t.Parallel()
	b, err := Open(t.Context(), Config{DataDir: t.TempDir()})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		done <- b.Consume(t.Context(), ConsumerConfig{Stream: StreamInbound, Durable: "work"}, nil, nil)
	}()
	require.Eventually(t, func() bool {
		_, err := b.js.Consumer(t.Context(), b.Stream(StreamInbound), "work")
		return err == nil
	}, waitFor, 10*time.Millisecond)
	require.NoError(t, b.Close())
	select {
	case err := <-done:
		require.Error(t, err)
	case <-time.After(waitFor):
		t.Fatal("Consume kept running on a closed bus")
	}
}

func TestDefaultBackoff(t *testing.T) {
	t.Parallel()
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, time.Minute, time.Minute}
	for i, w := range want {
		require.Equal(t, w, DefaultBackoff(i+1), "attempt %d", i+1)
	}
	require.Equal(t, time.Minute, DefaultBackoff(1000))
	require.Equal(t, time.Second, DefaultBackoff(0))
}

func TestTerm(t *testing.T) {
	t.Parallel()
	base := errors.New("bad payload")
	require.Nil(t, Term(nil))
	require.True(t, IsTerm(Term(base)))
	require.True(t, IsTerm(fmt.Errorf("decoding: %w", Term(base))))
	require.ErrorIs(t, Term(base), base)
	require.Equal(t, "bad payload", Term(base).Error())
	require.False(t, IsTerm(base))
	require.False(t, IsTerm(nil))
}
