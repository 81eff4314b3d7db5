package portal

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

// DeliveryDetail is a delivery with the bytes of its last attempt: as text
// in SentBody when they are UTF-8, else base64 in SentBodyBase64.
type DeliveryDetail struct {
	store.Delivery
	SentBody       *string `json:"sent_body,omitempty"`
	SentBodyBase64 string  `json:"sent_body_base64,omitempty"`
}

func newDeliveryDetail(d store.Delivery) DeliveryDetail {
	out := DeliveryDetail{Delivery: d}
	switch {
	case len(d.SentBody) == 0:
	case utf8.Valid(d.SentBody):
		s := string(d.SentBody)
		out.SentBody = &s
	default:
		out.SentBodyBase64 = base64.StdEncoding.EncodeToString(d.SentBody)
	}
	return out
}

// inbox handles GET /api/v1/inbox: the documents waiting for the caller.
func (a *api) inbox(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	q := newQuery(r.URL)
	page := q.page()
	if q.err != nil {
		return q.err
	}
	items, next, err := a.svc.Inbox(r.Context(), p, page)
	if err != nil {
		return fmt.Errorf("reading the inbox: %w", err)
	}
	writeList(w, items, next)
	return nil
}

// ackInbox handles POST /api/v1/inbox/{id}/ack; the delivery becomes
// delivered.
func (a *api) ackInbox(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	id := r.PathValue("id")
	d, err := a.svc.AckInbox(r.Context(), p, id)
	if err != nil {
		return fmt.Errorf("acknowledging inbox delivery %q: %w", id, err)
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// inboxBody handles GET /api/v1/inbox/{id}/body: the delivery as its
// route's format writes it (an X12 850 for a partner whose route for
// orders says x12).
func (a *api) inboxBody(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	id := r.PathValue("id")
	body, ctype, err := a.svc.InboxBody(r.Context(), p, id)
	if err != nil {
		return fmt.Errorf("reading inbox delivery %q: %w", id, err)
	}
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(body)
	return err
}

// listDeliveries handles GET /api/v1/deliveries.
func (a *api) listDeliveries(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	q := newQuery(r.URL)
	f := store.DeliveryFilter{
		Status:     store.DeliveryStatus(q.oneOf("status", deliveryStatuses()...)),
		Channel:    q.str("channel"),
		Receiver:   q.str("receiver"),
		DocumentID: q.str("document_id"),
		MessageID:  q.str("message_id"),
		Page:       q.page(),
	}
	if q.err != nil {
		return q.err
	}
	ds, next, err := a.svc.ListDeliveries(r.Context(), p, f)
	if err != nil {
		return fmt.Errorf("listing deliveries: %w", err)
	}
	writeList(w, ds, next)
	return nil
}

// getDelivery handles GET /api/v1/deliveries/{id}, with the bytes sent.
func (a *api) getDelivery(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	id := r.PathValue("id")
	d, err := a.svc.GetDelivery(r.Context(), p, id)
	if err != nil {
		return fmt.Errorf("getting delivery %q: %w", id, err)
	}
	writeJSON(w, http.StatusOK, newDeliveryDetail(d))
	return nil
}

// replayDelivery handles POST /api/v1/deliveries/{id}/replay: the delivery
// is scheduled again; 202 with its new state.
func (a *api) replayDelivery(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	id := r.PathValue("id")
	d, err := a.svc.ReplayDelivery(r.Context(), p, id)
	if err != nil {
		return fmt.Errorf("replaying delivery %q: %w", id, err)
	}
	writeJSON(w, http.StatusAccepted, d)
	return nil
}

// listDeadLetters handles GET /api/v1/dead-letters.
func (a *api) listDeadLetters(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	q := newQuery(r.URL)
	f := store.DeadLetterFilter{
		Kind:            q.oneOf("kind", deadLetterKinds()...),
		IncludeResolved: q.boolean("include_resolved"),
		Page:            q.page(),
	}
	if q.err != nil {
		return q.err
	}
	dls, next, err := a.svc.ListDeadLetters(r.Context(), p, f)
	if err != nil {
		return fmt.Errorf("listing dead letters: %w", err)
	}
	writeList(w, dls, next)
	return nil
}

// listNotifications handles GET /api/v1/notifications (open=true: alerts
// not yet resolved, and plain records).
func (a *api) listNotifications(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	q := newQuery(r.URL)
	f := store.NotificationFilter{Type: q.str("type"), Open: q.boolean("open"), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	ns, next, err := a.svc.ListNotifications(r.Context(), p, f)
	if err != nil {
		return fmt.Errorf("listing notifications: %w", err)
	}
	writeList(w, ns, next)
	return nil
}
