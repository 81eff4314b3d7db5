package hub

import (
	"context"
	"time"

	"github.com/dealerhub/dealerhub/hub/bus"
)

const (
	relayBatch    = 500
	relayLease    = 30 * time.Second
	relayInterval = 250 * time.Millisecond
)

// relay publishes committed outbox rows to the bus and deletes them once
// JetStream acknowledged them. A crash between publish and delete publishes
// the row again after its lease; Nats-Msg-Id de-duplication and idempotent
// consumers make that harmless.
func (h *Hub) relay(ctx context.Context) error {
	t := time.NewTicker(relayInterval)
	defer t.Stop()
	for {
		for {
			n, err := h.relayOnce(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				h.log.Warn("outbox relay", "err", err)
				break
			}
			if n < relayBatch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-h.kick:
		case <-t.C:
		}
	}
}

func (h *Hub) relayOnce(ctx context.Context) (int, error) {
	items, err := h.st.ClaimOutbox(ctx, h.now(), relayBatch, relayLease)
	if err != nil || len(items) == 0 {
		return 0, err
	}
	msgs := make([]bus.Message, len(items))
	ids := make([]int64, len(items))
	for i, it := range items {
		msgs[i] = bus.Message{Subject: it.Subject, ID: it.MsgID, Data: it.Payload}
		ids[i] = it.ID
	}
	if err := h.bus.PublishBatch(ctx, msgs); err != nil {
		return 0, err
	}
	h.metrics.outboxPublished.Add(float64(len(items)))
	if err := h.st.CompleteOutbox(ctx, ids); err != nil {
		return 0, err
	}
	return len(items), nil
}

// recoverySweep queues again messages that have sat in received or
// processing for longer than RecoveryAfter: their bus message was lost or
// their worker died. Processing is idempotent, so a message that is merely
// slow costs one extra no-op.
func (h *Hub) recoverySweep(ctx context.Context) error {
	interval := h.opts.RecoveryAfter / 2
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		ids, err := h.st.PendingMessages(ctx, h.now().Add(-h.opts.RecoveryAfter), 1000)
		if err != nil {
			h.log.Warn("recovery sweep", "err", err)
			continue
		}
		for _, id := range ids {
			m, err := h.st.GetMessage(ctx, opScope, id)
			if err != nil {
				continue
			}
			msg := inboundOutbox(h.bus, m.ID, m.Doctype, m.Partner, queuedAt("sweep", h.now()))
			if err := h.bus.Publish(ctx, bus.Message{Subject: msg.Subject, ID: msg.MsgID, Data: msg.Payload}); err != nil {
				h.log.Warn("recovery sweep publish", "message_id", id, "err", err)
			}
		}
		if len(ids) > 0 {
			h.log.Info("recovery sweep queued stale messages again", "count", len(ids))
		}
	}
}
