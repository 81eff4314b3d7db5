package bus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// WatchOption changes where WatchEvents starts.
type WatchOption func(*jetstream.OrderedConsumerConfig)

// WatchSince starts at the first event stored at or after t instead of the
// oldest one; live views pass time.Now() to skip history.
func WatchSince(t time.Time) WatchOption {
	return func(c *jetstream.OrderedConsumerConfig) {
		c.DeliverPolicy = jetstream.DeliverByStartTimePolicy
		c.OptStartTime = &t
	}
}

// WatchEvents calls fn for every event matching filter, in stream order, one
// at a time, until ctx is done; then it returns nil. filter is a subject
// pattern such as b.EventSubject("order", "*"); empty means every event.
// By default it starts with the oldest event still stored (up to 30 days),
// so a test that watches after publishing still sees its events; see
// WatchSince. It uses an ephemeral ordered consumer: nothing is acked and
// nothing is left on the server afterwards.
func (b *Bus) WatchEvents(ctx context.Context, filter string, fn func(*Msg), opts ...WatchOption) error {
	if filter == "" {
		filter = b.names.StreamSubjects(StreamEvents)
	}
	cfg := jetstream.OrderedConsumerConfig{FilterSubjects: []string{filter}}
	for _, o := range opts {
		o(&cfg)
	}
	stream := b.names.Stream(StreamEvents)
	cons, err := b.js.OrderedConsumer(ctx, stream, cfg)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("watching %s on stream %s: %w", filter, stream, err)
	}
	it, err := cons.Messages()
	if err != nil {
		return fmt.Errorf("watching %s on stream %s: %w", filter, stream, err)
	}
	defer it.Stop()
	for {
		jm, err := it.Next(jetstream.NextContext(ctx))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, jetstream.ErrMsgIteratorClosed) || b.nc.IsClosed() {
				return fmt.Errorf("watching %s on stream %s: %w", filter, stream, err)
			}
			b.log.Warn("watching events", "filter", filter, "error", err)
			continue
		}
		m := &Msg{Subject: jm.Subject(), ID: jm.Headers().Get(jetstream.MsgIDHeader), Data: jm.Data()}
		if meta, err := jm.Metadata(); err == nil {
			m.NumDelivered = meta.NumDelivered
		}
		fn(m)
	}
}
