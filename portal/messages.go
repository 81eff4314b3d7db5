package portal

import (
	"encoding/base64"
	"fmt"
	"mime"
	"net/http"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/schemas"
)

// MaxInlineBody is the largest body GET /api/v1/messages/{id} puts in
// its answer; a larger one is downloaded from body_url.
const MaxInlineBody = 1 << 20

// MessageDetail is a raw message with its bytes, when they are at most
// MaxInlineBody: as text in Body when they are UTF-8, else base64 in
// BodyBase64. BodyURL downloads them whatever their size.
type MessageDetail struct {
	store.Message
	Body       *string `json:"body,omitempty"`
	BodyBase64 string  `json:"body_base64,omitempty"`
	BodyURL    string  `json:"body_url"`
	// BodyOmitted says why Body is absent: the bytes are too many to
	// inline, and where to get them.
	BodyOmitted string `json:"body_omitted,omitempty"`
}

func newMessageDetail(m store.Message, body []byte) MessageDetail {
	out := MessageDetail{Message: m, BodyURL: "/api/v1/messages/" + m.ID + "/body"}
	switch {
	case body == nil:
		out.BodyOmitted = fmt.Sprintf("the body is %d bytes, more than the %d shown here; GET %s for the raw bytes",
			m.Size, MaxInlineBody, out.BodyURL)
	case utf8.Valid(body):
		s := string(body)
		out.Body = &s
	default:
		out.BodyBase64 = base64.StdEncoding.EncodeToString(body)
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

// getMessage handles GET /api/v1/messages/{id}, with the raw bytes when
// they are at most MaxInlineBody.
func (a *api) getMessage(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	id := r.PathValue("id")
	m, err := a.svc.GetMessage(r.Context(), p, id)
	if err != nil {
		return fmt.Errorf("getting message %q: %w", id, err)
	}
	var body []byte
	if m.Size <= MaxInlineBody {
		br, err := a.svc.OpenMessageBody(r.Context(), p, id)
		if err != nil {
			return fmt.Errorf("opening message %q: %w", id, err)
		}
		if body, err = store.BodyBytes(br); err != nil {
			return fmt.Errorf("reading message %q: %w", id, err)
		}
	}
	writeJSON(w, http.StatusOK, newMessageDetail(m, body))
	return nil
}

// messageBody handles GET /api/v1/messages/{id}/body: the raw bytes as an
// attachment named after the file, typed by the message's format, with
// its SHA-256 as the ETag. Range requests are answered.
func (a *api) messageBody(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	id := r.PathValue("id")
	m, err := a.svc.GetMessage(r.Context(), p, id)
	if err != nil {
		return fmt.Errorf("getting message %q: %w", id, err)
	}
	body, err := a.svc.OpenMessageBody(r.Context(), p, id)
	if err != nil {
		return fmt.Errorf("opening message %q: %w", id, err)
	}
	h := w.Header()
	h.Set("Content-Type", formatContentType(m.Format))
	h.Set("Content-Disposition", attachment(bodyFilename(m)))
	h.Set("ETag", `"`+m.SHA256+`"`)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", m.ReceivedAt, body)
	return nil
}

// formatContentType is the media type of a message format's bytes.
func formatContentType(format string) string {
	switch format {
	case "json":
		return "application/json"
	case "csv":
		// No charset: the hub detects it (UTF-8, GBK, …) as it reads.
		return "text/csv"
	case "xlsx":
		return XLSXContentType
	case "x12":
		return "application/edi-x12"
	case "edifact":
		return "application/edifact"
	default:
		return "application/octet-stream"
	}
}

// bodyFilename names a downloaded body: the file it came as, else the
// message id with the format as extension.
func bodyFilename(m store.Message) string {
	if m.Filename != "" {
		return m.Filename
	}
	return m.ID + "." + m.Format
}

// attachment is a Content-Disposition that names the file (RFC 6266,
// non-ASCII names encoded by mime).
func attachment(filename string) string {
	if d := mime.FormatMediaType("attachment", map[string]string{"filename": filename}); d != "" {
		return d
	}
	return "attachment"
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
