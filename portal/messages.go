package portal

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/schemas"
)

// MessageDetail is a raw message with its bytes: as text in Body when they
// are UTF-8, else base64 in BodyBase64.
type MessageDetail struct {
	store.Message
	Body       *string `json:"body,omitempty"`
	BodyBase64 string  `json:"body_base64,omitempty"`
}

func newMessageDetail(m store.Message) MessageDetail {
	out := MessageDetail{Message: m}
	if utf8.Valid(m.Body) {
		s := string(m.Body)
		out.Body = &s
	} else {
		out.BodyBase64 = base64.StdEncoding.EncodeToString(m.Body)
	}
	return out
}

// listMessages handles GET /api/v1/messages. Only operators may filter by
// partner; a partner only ever sees its own messages anyway.
func (a *api) listMessages(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	q := newQuery(r.URL)
	f := store.MessageFilter{
		Partner: q.str("partner"),
		Doctype: q.str("doctype"),
		Status:  store.MessageStatus(q.oneOf("status", messageStatuses()...)),
		Page:    q.page(),
	}
	f.Since, f.Until = q.timeRange()
	if q.err != nil {
		return q.err
	}
	if f.Doctype != "" && !schemas.IsDocType(f.Doctype) {
		return badParam("doctype", fmt.Sprintf("%q is not a document type", f.Doctype))
	}
	if f.Partner != "" && !p.Operator && f.Partner != p.Partner {
		return &Error{Status: http.StatusForbidden, Code: CodeForbidden, Message: "only operators may filter messages by partner"}
	}
	ms, next, err := a.svc.ListMessages(r.Context(), p, f)
	if err != nil {
		return fmt.Errorf("listing messages: %w", err)
	}
	writeList(w, ms, next)
	return nil
}

// getMessage handles GET /api/v1/messages/{id}, with the raw bytes.
func (a *api) getMessage(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	id := r.PathValue("id")
	m, err := a.svc.GetMessage(r.Context(), p, id)
	if err != nil {
		return fmt.Errorf("getting message %q: %w", id, err)
	}
	writeJSON(w, http.StatusOK, newMessageDetail(m))
	return nil
}

// replayMessage handles POST /api/v1/messages/{id}/replay: the message runs
// again from its stored bytes; 202 with its new state.
func (a *api) replayMessage(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	id := r.PathValue("id")
	m, err := a.svc.ReplayMessage(r.Context(), p, id)
	if err != nil {
		return fmt.Errorf("replaying message %q: %w", id, err)
	}
	writeJSON(w, http.StatusAccepted, m)
	return nil
}
