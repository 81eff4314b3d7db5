package hub

import (
	"context"
	"errors"
	"fmt"
	"github.com/dealerhub/dealerhub/connectors"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

// ListDocuments lists current versions of the documents the principal may see.
func (h *Hub) ListDocuments(ctx context.Context, p Principal, f store.DocumentFilter) ([]store.Document, string, error) {
	return h.st.ListDocuments(ctx, p.Scope(), f)
}

// GetDocument returns the current version of one visible document; a price
// list comes whole, its lines (stored as rows) under "lines".
func (h *Hub) GetDocument(ctx context.Context, p Principal, id string) (store.Document, error) {
	doc, err := h.st.GetDocument(ctx, p.Scope(), id)
	if err != nil {
		return store.Document{}, err
	}
	return WithLines(ctx, h.st, p.Scope(), doc)
}

// Inbox lists the documents waiting for the principal's partner.
func (h *Hub) Inbox(ctx context.Context, p Principal, page store.Page) ([]store.InboxItem, string, error) {
	if p.Partner == "" {
		return nil, "", fmt.Errorf("%w: an operator key has no inbox; use a partner's key", ErrBadRequest)
	}
	items, next, err := h.st.ListInbox(ctx, p.Partner, page)
	if err != nil {
		return nil, "", err
	}
	// A price list waits as its header; the receiver gets the whole
	// canonical document, lines included.
	for i, it := range items {
		if it.Doctype != "price_list" {
			continue
		}
		doc, err := WithLines(ctx, h.st, store.OperatorScope(), store.Document{ID: it.DocumentID, Doctype: it.Doctype, Version: it.Version, Body: it.Body})
		if err != nil {
			return nil, "", err
		}
		items[i].Body = doc.Body
	}
	return items, next, nil
}

// InboxBody returns an inbox delivery of the principal's as its route's
// format writes it: canonical JSON, or the X12/EDIFACT interchange (with
// the control numbers given to this delivery, the same each time).
func (h *Hub) InboxBody(ctx context.Context, p Principal, deliveryID string) ([]byte, string, error) {
	if p.Partner == "" {
		return nil, "", fmt.Errorf("%w: an operator key has no inbox; use a partner's key", ErrBadRequest)
	}
	d, err := h.st.GetDelivery(ctx, p.Scope(), deliveryID)
	if err != nil {
		return nil, "", err
	}
	if d.Receiver != p.Partner || d.Channel != "inbox" {
		return nil, "", fmt.Errorf("inbox delivery %q: %w", deliveryID, store.ErrNotFound)
	}
	doc, err := h.st.GetDocumentVersion(ctx, opScope, d.DocumentID, d.Version)
	if err != nil {
		return nil, "", fmt.Errorf("loading document %s v%d: %w", d.DocumentID, d.Version, err)
	}
	if doc, err = WithLines(ctx, h.st, opScope, doc); err != nil {
		return nil, "", err
	}
	enc, ok := h.encoders[d.Format]
	if !ok {
		return nil, "", fmt.Errorf("no encoder for format %q", d.Format)
	}
	if de, ok := enc.(connectors.DeliveryEncoder); ok {
		return de.EncodeDelivery(ctx, connectors.EncodeRequest{
			DeliveryID: d.ID, Sender: d.Sender, Receiver: d.Receiver, Doctype: d.Doctype, DocumentID: d.DocumentID, Canonical: doc.Body,
		})
	}
	return enc.Encode(ctx, d.Doctype, doc.Body)
}

// AckInbox marks an inbox delivery as received by the principal's partner.
func (h *Hub) AckInbox(ctx context.Context, p Principal, deliveryID string) (store.Delivery, error) {
	if p.Partner == "" {
		return store.Delivery{}, fmt.Errorf("%w: an operator key has no inbox; use a partner's key", ErrBadRequest)
	}
	d, err := h.st.AckInbox(ctx, p.Partner, deliveryID)
	if err == nil {
		h.metrics.deliveries.WithLabelValues("inbox", "delivered").Inc()
	}
	return d, err
}

// ListDeliveries lists deliveries the principal sent or receives.
func (h *Hub) ListDeliveries(ctx context.Context, p Principal, f store.DeliveryFilter) ([]store.Delivery, string, error) {
	return h.st.ListDeliveries(ctx, p.Scope(), f)
}

// GetDelivery returns one visible delivery with the bytes last sent.
func (h *Hub) GetDelivery(ctx context.Context, p Principal, id string) (store.Delivery, error) {
	return h.st.GetDelivery(ctx, p.Scope(), id)
}

// ReplayDelivery sends a dead or failed delivery again from its first
// attempt. Only the sender or an operator may replay.
func (h *Hub) ReplayDelivery(ctx context.Context, p Principal, id string) (store.Delivery, error) {
	d, err := h.st.GetDelivery(ctx, p.Scope(), id)
	if err != nil {
		return store.Delivery{}, err
	}
	if !p.Operator && d.Sender != p.Partner {
		return store.Delivery{}, fmt.Errorf("%w: only the sender or an operator may replay a delivery", ErrForbidden)
	}
	if d.Channel == "inbox" {
		return store.Delivery{}, fmt.Errorf("%w: inbox deliveries wait for the receiver; nothing to replay", ErrConflict)
	}
	row := h.deliveryOutbox(d, 1, h.now())
	// A fresh message id: the first attempt's id may still be in the bus's
	// de-duplication window.
	row.MsgID += "-" + queuedAt("replay", h.now())
	d, err = h.st.ReplayDelivery(ctx, p.Scope(), id, row)
	if err != nil {
		return store.Delivery{}, err
	}
	h.wake()
	return d, nil
}

// ListDeadLetters lists what needs a person, for the principal.
func (h *Hub) ListDeadLetters(ctx context.Context, p Principal, f store.DeadLetterFilter) ([]store.DeadLetter, string, error) {
	return h.st.ListDeadLetters(ctx, p.Scope(), f)
}

// ListNotifications lists the principal's notifications.
func (h *Hub) ListNotifications(ctx context.Context, p Principal, f store.NotificationFilter) ([]store.Notification, string, error) {
	return h.st.ListNotifications(ctx, p.Scope(), f)
}

// ListMessages lists raw messages the principal's partner sent.
func (h *Hub) ListMessages(ctx context.Context, p Principal, f store.MessageFilter) ([]store.Message, string, error) {
	if !p.Operator {
		f.Partner = ""
	}
	return h.st.ListMessages(ctx, p.Scope(), f)
}

// GetMessage returns one visible raw message, without its bytes.
func (h *Hub) GetMessage(ctx context.Context, p Principal, id string) (store.Message, error) {
	return h.st.GetMessage(ctx, p.Scope(), id)
}

// OpenMessageBody opens the bytes of one visible raw message.
func (h *Hub) OpenMessageBody(ctx context.Context, p Principal, id string) (*store.BodyReader, error) {
	return h.st.OpenBody(ctx, p.Scope(), id)
}

// ReplayMessage re-runs a message from its stored bytes.
func (h *Hub) ReplayMessage(ctx context.Context, p Principal, id string) (store.Message, error) {
	m, err := ReplayMessage(ctx, h.st, h.bus, p.Scope(), id, h.now)
	if err == nil {
		h.wake()
	}
	return m, err
}

// SubjectNamer names bus subjects; *bus.Bus implements it. The CLI, which
// has no bus connection, uses bus.Names.
type SubjectNamer interface {
	InboundSubject(doctype, partner string) string
}

// ReplayMessage puts a message back in the queue from its stored bytes. It
// needs only the store: the running hub's relay publishes the queued row, so
// the CLI can replay while `serve` runs.
func ReplayMessage(ctx context.Context, st store.Store, names SubjectNamer, scope store.Scope, id string, now func() time.Time) (store.Message, error) {
	m, err := st.GetMessage(ctx, scope, id)
	if err != nil {
		return store.Message{}, err
	}
	m, err = st.ReplayMessage(ctx, scope, id, inboundOutbox(names, m.ID, m.Doctype, m.Partner, queuedAt("replay", now())))
	if errors.Is(err, store.ErrConflict) {
		return store.Message{}, fmt.Errorf("%w: message %s is being processed; replay it once it has finished", ErrConflict, id)
	}
	return m, err
}
