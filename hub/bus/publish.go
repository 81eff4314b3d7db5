package bus

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Message is one message to publish.
type Message struct {
	// Subject, built with InboundSubject, EventSubject or OutboundSubject.
	Subject string
	// ID becomes the Nats-Msg-Id header: JetStream drops a second message
	// with the same ID on the same stream within two minutes. Empty means no
	// de-duplication.
	ID string
	// Data is the payload.
	Data []byte
}

func (m Message) natsMsg() (*nats.Msg, error) {
	if m.Subject == "" {
		return nil, errors.New("message has no subject")
	}
	nm := nats.NewMsg(m.Subject)
	nm.Data = m.Data
	if m.ID != "" {
		nm.Header.Set(jetstream.MsgIDHeader, m.ID)
	}
	return nm, nil
}

// Publish stores m in its stream and waits for the server's acknowledgement.
// A duplicate (same ID within the window) is a success.
func (b *Bus) Publish(ctx context.Context, m Message) error {
	nm, err := m.natsMsg()
	if err != nil {
		return fmt.Errorf("publishing %s (id %q): %w", m.Subject, m.ID, err)
	}
	if _, err := b.js.PublishMsg(ctx, nm); err != nil {
		return fmt.Errorf("publishing %s (id %q): %w", m.Subject, m.ID, err)
	}
	return nil
}

// inflight is a published message waiting for its ack.
type inflight struct {
	m   Message
	ack jetstream.PubAckFuture
}

// PublishBatch publishes ms asynchronously with at most 512 unacknowledged
// at a time and waits for every acknowledgement. Failures do not stop the
// batch: the result joins one error per failed message, each naming its
// subject and ID. If ctx ends, publishing stops and the result also reports
// how many messages were not confirmed (they may or may not be stored;
// publishing them again with the same IDs is safe).
func (b *Bus) PublishBatch(ctx context.Context, ms []Message) error {
	var errs []error
	fail := func(m Message, err error) {
		errs = append(errs, fmt.Errorf("publishing %s (id %q): %w", m.Subject, m.ID, err))
	}
	// window is a ring of in-flight publishes. Acks mostly arrive in order,
	// so waiting on the oldest keeps the window full.
	var window [publishWindow]inflight
	head, n := 0, 0
	await := func() bool {
		f := window[head]
		select {
		case <-f.ack.Ok():
		case err := <-f.ack.Err():
			fail(f.m, err)
		case <-ctx.Done():
			return false
		}
		window[head] = inflight{}
		head = (head + 1) % publishWindow
		n--
		return true
	}
	sent := 0
	for _, m := range ms {
		if ctx.Err() != nil || (n == publishWindow && !await()) {
			break
		}
		sent++
		nm, err := m.natsMsg()
		if err != nil {
			fail(m, err)
			continue
		}
		f, err := b.js.PublishMsgAsync(nm)
		if err != nil {
			fail(m, err)
			continue
		}
		window[(head+n)%publishWindow] = inflight{m: m, ack: f}
		n++
	}
	for n > 0 && await() {
	}
	if err := ctx.Err(); err != nil {
		if unconfirmed := n + len(ms) - sent; unconfirmed > 0 {
			errs = append(errs, fmt.Errorf("publishing batch: %d of %d messages not confirmed: %w", unconfirmed, len(ms), err))
		}
	}
	return errors.Join(errs...)
}
