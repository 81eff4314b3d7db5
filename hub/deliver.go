package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/erp/tryton"
	"github.com/dealerhub/dealerhub/connectors/sftp"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/store"
)

// leaseMargin is added to a channel's own timeout for the lease of one
// attempt: after that, another worker may take the delivery over (the first
// one died mid-attempt), woken by the watchdog row stored with the claim.
const leaseMargin = 15 * time.Second

type outboundPayload struct {
	DeliveryID string `json:"delivery_id"`
	Receiver   string `json:"receiver"`
	Attempt    int    `json:"attempt"`
}

func (h *Hub) deliveryOutbox(d store.Delivery, attempt int, at time.Time) store.NewOutbox {
	b, _ := json.Marshal(outboundPayload{DeliveryID: d.ID, Receiver: d.Receiver, Attempt: attempt})
	return store.NewOutbox{
		Subject:     h.bus.OutboundSubject(d.Channel, d.Receiver),
		MsgID:       fmt.Sprintf("dlv-%s-%d", d.ID, attempt),
		Payload:     b,
		AvailableAt: at,
	}
}

// handleOutbound makes one delivery attempt. Retries are scheduled through
// the outbox (a row available at the next attempt time), so they survive a
// restart; the bus message itself is always acknowledged once the outcome is
// recorded.
func (h *Hub) handleOutbound(ctx context.Context, m *bus.Msg) error {
	var p outboundPayload
	if err := json.Unmarshal(m.Data, &p); err != nil || p.DeliveryID == "" {
		return bus.Term(fmt.Errorf("malformed outbound payload"))
	}
	now := h.now()
	lease := h.attemptTimeout(p.Receiver) + leaseMargin
	watchdog := store.NewOutbox{Subject: m.Subject, Payload: m.Data, AvailableAt: now.Add(lease),
		MsgID: fmt.Sprintf("dlv-%s-watchdog-%d", p.DeliveryID, now.UnixNano())}
	d, claimed, err := h.st.ClaimDelivery(ctx, p.DeliveryID, now, lease, &watchdog)
	if errors.Is(err, store.ErrNotFound) {
		return bus.Term(err)
	}
	if err != nil {
		return fmt.Errorf("claiming delivery %s: %w", p.DeliveryID, err)
	}
	if !claimed {
		return nil // delivered, dead, not due yet, or another worker has it
	}
	log := h.log.With("delivery_id", d.ID, "partner", d.Receiver, "connector", d.Channel)
	attempt := d.Attempts + 1
	// The attempt ends before its lease does, so no other worker can take
	// the delivery up while this one is still writing (an sftp upload's
	// temporary file, a webhook's request).
	attemptCtx, cancel := context.WithTimeout(ctx, lease-leaseMargin)
	body, ctype, derr := h.attempt(attemptCtx, d, attempt)
	cancel()
	maxAttempts, initial, maxBackoff := h.cfg.Load().Delivery.Policy()
	a := store.DeliveryAttempt{DeliveryID: d.ID, SentBody: body, ContentType: ctype}
	switch {
	case derr == nil:
		a.Delivered = true
	case connectors.IsPermanent(derr) || attempt >= maxAttempts:
		a.Dead = true
		a.Error = derr.Error()
		if !connectors.IsPermanent(derr) {
			a.Error = fmt.Sprintf("gave up after %d attempts: %v", attempt, derr)
		}
	default:
		a.Error = derr.Error()
		wait := backoff(attempt, initial, maxBackoff)
		if ra, ok := connectors.RetryDelay(derr); ok && ra > wait {
			wait = ra
		}
		a.NextAttemptAt = h.now().Add(wait)
		retry := h.deliveryOutbox(d, attempt+1, a.NextAttemptAt)
		a.Retry = &retry
	}
	if _, err := h.st.RecordDeliveryAttempt(ctx, a); err != nil {
		return fmt.Errorf("recording delivery attempt %s: %w", d.ID, err)
	}
	switch {
	case a.Delivered:
		h.metrics.deliveries.WithLabelValues(d.Channel, "delivered").Inc()
		log.Debug("delivered", "attempt", attempt)
	case a.Dead:
		h.metrics.deliveries.WithLabelValues(d.Channel, "dead").Inc()
		log.Warn("delivery dead", "attempt", attempt, "err", a.Error)
	default:
		h.metrics.deliveries.WithLabelValues(d.Channel, "failed").Inc()
		log.Info("delivery failed; will retry", "attempt", attempt, "next_attempt_at", a.NextAttemptAt, "err", a.Error)
		h.wake()
	}
	return nil
}

// attempt encodes the document version and hands it to the channel's sink.
func (h *Hub) attempt(ctx context.Context, d store.Delivery, attempt int) ([]byte, string, error) {
	doc, err := h.st.GetDocumentVersion(ctx, opScope, d.DocumentID, d.Version)
	if err != nil {
		return nil, "", fmt.Errorf("loading document %s v%d: %w", d.DocumentID, d.Version, err)
	}
	if doc, err = WithLines(ctx, h.st, opScope, doc); err != nil {
		return nil, "", err
	}
	if d.Channel == ChannelERP {
		return h.attemptERP(ctx, d, doc, attempt)
	}
	enc, ok := h.encoders[d.Format]
	if !ok {
		return nil, "", connectors.Permanent(fmt.Errorf("no encoder for format %q", d.Format))
	}
	var body []byte
	var ctype string
	if de, ok := enc.(connectors.DeliveryEncoder); ok {
		// Its errors say themselves whether they are permanent (a document
		// the format cannot carry) or not (the store, for control numbers).
		body, ctype, err = de.EncodeDelivery(ctx, connectors.EncodeRequest{
			DeliveryID: d.ID, Sender: d.Sender, Receiver: d.Receiver, Doctype: d.Doctype, DocumentID: d.DocumentID, Canonical: doc.Body,
		})
		if err != nil {
			return nil, "", fmt.Errorf("encoding %s as %s: %w", d.Doctype, d.Format, err)
		}
	} else if body, ctype, err = enc.Encode(ctx, d.Doctype, doc.Body); err != nil {
		return nil, "", connectors.Permanent(fmt.Errorf("encoding %s as %s: %w", d.Doctype, d.Format, err))
	}
	sink, ok := h.sinks[d.Channel]
	if !ok {
		return body, ctype, connectors.Permanent(fmt.Errorf("no sink for channel %q", d.Channel))
	}
	route := h.cfg.Load().Route(d.Receiver, d.Doctype)
	if route.Channel != d.Channel {
		return body, ctype, connectors.Permanent(fmt.Errorf("partner %q no longer routes %s over %s (now %s): replay the message to route it again", d.Receiver, d.Doctype, d.Channel, route.Channel))
	}
	rc, err := channelConfig(route)
	if err != nil {
		return body, ctype, connectors.Permanent(err)
	}
	err = sink.Deliver(ctx, connectors.Outbound{
		DeliveryID:  d.ID,
		Attempt:     attempt,
		Sender:      d.Sender,
		Receiver:    d.Receiver,
		Doctype:     d.Doctype,
		DocumentID:  d.DocumentID,
		Version:     d.Version,
		ExternalID:  doc.ExternalID,
		Format:      d.Format,
		ContentType: ctype,
		Body:        body,
		Config:      rc,
	})
	return body, ctype, err
}

// attemptTimeout is the longest one attempt to receiver may take: the
// longest webhook timeout of its routes (the doctype is not known before the
// claim), or the default.
func (h *Hub) attemptTimeout(receiver string) time.Duration {
	cfg := h.cfg.Load()
	longest := config.DefaultWebhookTimeout
	for _, p := range cfg.Partners {
		if p.ID != receiver {
			continue
		}
		for _, r := range p.Routes {
			if r.Webhook != nil && time.Duration(r.Webhook.Timeout) > longest {
				longest = time.Duration(r.Webhook.Timeout)
			}
			if r.Channel == "sftp" {
				longest = max(longest, sftpAttemptTimeout(cfg, receiver, r))
			}
		}
	}
	if erp, ok := cfg.ERP(receiver); ok && erp.PushOrders {
		longest = max(longest, erpAttemptTimeout(erp.TrytonConfig()))
	}
	return longest
}

// erpAttemptTimeout bounds one push of a purchase to an ERP: a dozen
// JSON-RPC calls (login, lookups, create, quote, confirm), each with its
// own timeout.
func erpAttemptTimeout(c tryton.Config) time.Duration {
	t := c.Timeout
	if t <= 0 {
		t = tryton.DefaultTimeout
	}
	return 4 * t
}

// sftpAttemptTimeout bounds one sftp upload: the connection's timeout
// covers each step (dial, folder, write, rename), so four of them.
func sftpAttemptTimeout(cfg *config.Config, receiver string, r config.Route) time.Duration {
	conn := receiver
	if r.SFTP != nil && r.SFTP.Connection != "" {
		conn = r.SFTP.Connection
	}
	t := sftp.DefaultTimeout
	if c, ok := cfg.SFTPConnection(conn); ok && c.Timeout > 0 {
		t = time.Duration(c.Timeout)
	}
	return 4 * t
}

// channelConfig is the live route settings handed to a sink, secrets
// included; they are never stored.
func channelConfig(r config.Route) ([]byte, error) {
	switch {
	case r.Webhook != nil:
		b, err := json.Marshal(r.Webhook)
		if err != nil {
			return nil, fmt.Errorf("encoding webhook settings: %w", err)
		}
		return b, nil
	default:
		return nil, nil
	}
}

func (h *Hub) outboundExhausted(ctx context.Context, m *bus.Msg, lastErr error) {
	var p outboundPayload
	if json.Unmarshal(m.Data, &p) != nil || p.DeliveryID == "" {
		return
	}
	h.log.Error("delivery job kept failing before an attempt could be recorded", "delivery_id", p.DeliveryID, "err", lastErr)
}

// backoff doubles from initial for each failed attempt, capped at max.
func backoff(attempt int, initial, max time.Duration) time.Duration {
	d := initial
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}

// jsonEncoder sends canonical JSON as it is stored.
type jsonEncoder struct{}

func (jsonEncoder) Encode(_ context.Context, _ string, canonical []byte) ([]byte, string, error) {
	return canonical, "application/json", nil
}
