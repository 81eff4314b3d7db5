package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/schemas"
)

var opScope = store.OperatorScope()

// inboundPayload is the bus message that asks a worker to process a message.
type inboundPayload struct {
	MessageID string `json:"message_id"`
}

// inboundOutbox is the bus message that queues message id for processing.
// attempt makes its Nats-Msg-Id unique per queuing ("0" when stored, a time
// for replays and recovery), so a later queuing is not dropped as a
// duplicate of an earlier one.
func inboundOutbox(names SubjectNamer, id, doctype, partner, attempt string) store.NewOutbox {
	b, _ := json.Marshal(inboundPayload{MessageID: id})
	return store.NewOutbox{
		Subject: names.InboundSubject(doctype, partner),
		MsgID:   "in-" + id + "-" + attempt,
		Payload: b,
	}
}

// queuedAt names a re-queuing by its time, for inboundOutbox.
func queuedAt(kind string, t time.Time) string {
	return kind + "-" + t.UTC().Format("20060102T150405.000000000")
}

// Ingest stores a raw message durably and queues it for processing. It
// returns once the message and its queue entry are committed; the same
// partner, doctype, format and bytes return the same message as a duplicate.
// Requests that can never be stored (unknown doctype or format, empty body,
// unknown or disabled partner) fail with a permanent error.
func (h *Hub) Ingest(ctx context.Context, req connectors.IngestRequest) (connectors.Receipt, error) {
	if err := h.checkContent(&req); err != nil {
		return connectors.Receipt{}, err
	}
	if err := h.checkSender(ctx, req.Partner); err != nil {
		return connectors.Receipt{}, fmt.Errorf("ingesting for partner %q: %w", req.Partner, err)
	}
	rs, err := h.storeMessages(ctx, []connectors.IngestRequest{req})
	if err != nil {
		return connectors.Receipt{}, err
	}
	return rs[0], nil
}

// checkContent checks what every message needs whoever sent it: a known
// doctype, a decoder for its format ("json" when empty) and a body. Its
// errors are permanent.
func (h *Hub) checkContent(req *connectors.IngestRequest) error {
	if err := h.checkKind(req); err != nil {
		return err
	}
	if len(bytes.TrimSpace(req.Body)) == 0 {
		return connectors.Permanent(fmt.Errorf("%w: empty body", ErrBadRequest))
	}
	return nil
}

// checkKind checks a message's doctype and that a decoder reads its
// format ("json" when empty). Its errors are permanent.
func (h *Hub) checkKind(req *connectors.IngestRequest) error {
	if req.Format == "" {
		req.Format = "json"
	}
	if !schemas.IsDocType(req.Doctype) {
		return connectors.Permanent(fmt.Errorf("%w: %q", ErrUnknownDoctype, req.Doctype))
	}
	if req.Format == connectors.FormatStockSnapshot {
		if req.Doctype != "stock_level" {
			return connectors.Permanent(fmt.Errorf("%w: a %s message holds stock_level, not %q", ErrBadRequest, req.Format, req.Doctype))
		}
		return nil
	}
	if _, ok := h.decoders[req.Format]; !ok {
		return connectors.Permanent(fmt.Errorf("%w: no decoder for format %q", ErrBadRequest, req.Format))
	}
	return nil
}

// ingestBody is Ingest for a body read in place (a spooled upload): it is
// streamed into the store a chunk at a time, never held whole. req.Body
// is not used.
func (h *Hub) ingestBody(ctx context.Context, req connectors.IngestRequest, body store.Body) (connectors.Receipt, error) {
	if err := h.checkKind(&req); err != nil {
		return connectors.Receipt{}, err
	}
	if err := checkBody(body); err != nil {
		return connectors.Receipt{}, connectors.Permanent(err)
	}
	if err := h.checkSender(ctx, req.Partner); err != nil {
		return connectors.Receipt{}, fmt.Errorf("ingesting for partner %q: %w", req.Partner, err)
	}
	rcpt, created, err := insertBody(ctx, h.st, h.bus, req, body)
	if err != nil {
		return connectors.Receipt{}, err
	}
	if created {
		h.metrics.messagesReceived.WithLabelValues(req.Doctype).Inc()
		h.wake()
	}
	return rcpt, nil
}

// refusedSender is why a partner may not send messages. It wraps
// ErrNotFound (no such partner) or ErrForbidden (disabled).
type refusedSender struct {
	reason string
	kind   error
}

func (e *refusedSender) Error() string { return e.reason }
func (e *refusedSender) Unwrap() error { return e.kind }

// checkSender checks that partner exists and is enabled. A refusal is a
// permanent error wrapping *refusedSender; any other error is a failure to
// look the partner up, which may pass.
func (h *Hub) checkSender(ctx context.Context, partner string) error {
	p, err := h.parties.partner(ctx, partner)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return connectors.Permanent(&refusedSender{fmt.Sprintf("no partner %q", partner), ErrNotFound})
	case err != nil:
		return fmt.Errorf("looking up partner %q: %w", partner, err)
	case !p.Enabled:
		return connectors.Permanent(&refusedSender{fmt.Sprintf("partner %q is disabled", partner), ErrForbidden})
	}
	return nil
}

// storeMessages stores checked requests as raw messages in one
// transaction (all or nothing), wakes the relay once if any is new and
// returns the receipts in the order of reqs.
func (h *Hub) storeMessages(ctx context.Context, reqs []connectors.IngestRequest) ([]connectors.Receipt, error) {
	out, created, err := insertRequests(ctx, h.st, h.bus, reqs)
	if err != nil {
		return nil, err
	}
	anyNew := false
	for i := range out {
		if created[i] {
			h.metrics.messagesReceived.WithLabelValues(reqs[i].Doctype).Inc()
			anyNew = true
		}
	}
	if anyNew {
		h.wake()
	}
	return out, nil
}

// Enqueue stores a raw message and queues it for processing from a process
// that runs no Hub, such as the CLI: the hub serving the same store
// publishes the queued row and processes the message. The format must be one
// that hub has a decoder for (json, csv, xlsx). A file goes in with
// EnqueueBody, which does not hold it whole.
func Enqueue(ctx context.Context, st store.Store, names SubjectNamer, req connectors.IngestRequest) (connectors.Receipt, error) {
	return EnqueueBody(ctx, st, names, req, bytes.NewReader(req.Body))
}

// EnqueueBody is Enqueue for a body read in place (an open file, as
// io.NewSectionReader(f, 0, size)): it is streamed into the store a chunk
// at a time. req.Body is not used.
func EnqueueBody(ctx context.Context, st store.Store, names SubjectNamer, req connectors.IngestRequest, body store.Body) (connectors.Receipt, error) {
	if req.Format == "" {
		req.Format = "json"
	}
	if !schemas.IsDocType(req.Doctype) {
		return connectors.Receipt{}, fmt.Errorf("%w: %q", ErrUnknownDoctype, req.Doctype)
	}
	if err := checkBody(body); err != nil {
		return connectors.Receipt{}, err
	}
	p, err := st.GetPartner(ctx, req.Partner)
	if err != nil {
		return connectors.Receipt{}, fmt.Errorf("partner %q: %w", req.Partner, err)
	}
	if !p.Enabled {
		return connectors.Receipt{}, fmt.Errorf("%w: partner %q is disabled", ErrForbidden, req.Partner)
	}
	rcpt, _, err := insertBody(ctx, st, names, req, body)
	return rcpt, err
}

// checkBody refuses a missing body, or one of blanks only.
func checkBody(body store.Body) error {
	empty, err := blankBody(body)
	if err != nil {
		return fmt.Errorf("reading the body: %w", err)
	}
	if empty {
		return fmt.Errorf("%w: empty body", ErrBadRequest)
	}
	return nil
}

// blankBody reports whether a body is missing, empty or white space only.
// It reads up to the first byte that is not.
func blankBody(body store.Body) (bool, error) {
	if body == nil {
		return true, nil
	}
	buf := make([]byte, 32<<10)
	for off := int64(0); off < body.Size(); off += int64(len(buf)) {
		n, err := body.ReadAt(buf, off)
		if len(bytes.TrimSpace(buf[:n])) > 0 {
			return false, nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return false, err
		}
		if n == 0 {
			break
		}
	}
	return true, nil
}

// insertBody stores a message whose body is streamed from a Body, with its
// queue row, and returns its receipt and whether it is new.
func insertBody(ctx context.Context, st store.Store, names SubjectNamer, req connectors.IngestRequest, body store.Body) (connectors.Receipt, bool, error) {
	nm := store.NewMessage{Partner: req.Partner, Doctype: req.Doctype, Format: req.Format, Source: req.Source,
		Filename: req.Filename, Mapping: req.Mapping}
	m, created, err := st.InsertMessageFrom(ctx, nm, io.NewSectionReader(body, 0, body.Size()), func(id string) store.NewOutbox {
		return inboundOutbox(names, id, req.Doctype, req.Partner, "0")
	})
	if err != nil {
		return connectors.Receipt{}, false, fmt.Errorf("storing a message of %d bytes: %w", body.Size(), err)
	}
	return connectors.Receipt{MessageID: m.ID, Status: string(m.Status), Duplicate: !created}, created, nil
}

// insertRequests stores requests as raw messages with their queue rows in
// one transaction and returns the receipts and which messages are new.
func insertRequests(ctx context.Context, st store.Store, names SubjectNamer, reqs []connectors.IngestRequest) ([]connectors.Receipt, []bool, error) {
	ms := make([]store.NewMessage, len(reqs))
	for i, req := range reqs {
		ms[i] = store.NewMessage{
			Partner:  req.Partner,
			Doctype:  req.Doctype,
			Format:   req.Format,
			Source:   req.Source,
			Filename: req.Filename,
			Mapping:  req.Mapping,
			Body:     req.Body,
		}
	}
	msgs, created, err := st.InsertMessages(ctx, ms, func(i int, id string) store.NewOutbox {
		return inboundOutbox(names, id, reqs[i].Doctype, reqs[i].Partner, "0")
	})
	if err != nil {
		return nil, nil, fmt.Errorf("storing %d message(s): %w", len(reqs), err)
	}
	out := make([]connectors.Receipt, len(msgs))
	for i, m := range msgs {
		out[i] = connectors.Receipt{MessageID: m.ID, Status: string(m.Status), Duplicate: !created[i]}
	}
	return out, created, nil
}

// Submit validates documents posted through the API and stores each as its
// own message, all in one transaction: all or nothing. Receipts follow the
// order of docs; a document repeated in docs, or already stored, is a
// duplicate of the one message.
func (h *Hub) Submit(ctx context.Context, p Principal, doctype string, docs []json.RawMessage) ([]connectors.Receipt, error) {
	if !schemas.IsDocType(doctype) {
		return nil, fmt.Errorf("%w: %q", ErrUnknownDoctype, doctype)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w: no documents", ErrBadRequest)
	}
	// Pointers of an array submission start with the document's index.
	pointer := func(i int, rest string) string {
		if len(docs) > 1 {
			return "/" + strconv.Itoa(i) + rest
		}
		return rest
	}
	reqs := make([]connectors.IngestRequest, len(docs))
	var violations []schemas.Violation
	for i, raw := range docs {
		doc, err := decodeObject(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: document %d: %v", ErrBadRequest, i, err)
		}
		sender, _ := doc["sender"].(string)
		switch {
		case sender == "" && p.Operator:
			violations = append(violations, schemas.Violation{Pointer: pointer(i, "/sender"), Reason: "an operator must name the sender"})
			continue
		case sender == "":
			sender = p.Partner
			doc["sender"] = sender
		case !p.Operator && sender != p.Partner:
			return nil, fmt.Errorf("%w: document %d claims sender %q but the API key belongs to %q", ErrForbidden, i, sender, p.Partner)
		}
		reqs[i] = connectors.IngestRequest{Partner: sender, Doctype: doctype, Format: "json", Source: "api", Body: raw}
		if err := h.checkContent(&reqs[i]); err != nil {
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		for _, v := range h.schemas.Validate(doctype, doc) {
			v.Pointer = pointer(i, v.Pointer)
			violations = append(violations, v)
		}
	}
	if len(violations) > 0 {
		return nil, &ValidationError{Violations: violations}
	}
	// Each sender is looked up once. A sender an operator named that may not
	// send is a violation of each document naming it; a partner's own key
	// whose partner may not send is refused outright.
	refused := map[string]error{}
	for i, req := range reqs {
		err, seen := refused[req.Partner]
		if !seen {
			err = h.checkSender(ctx, req.Partner)
			refused[req.Partner] = err
		}
		var rs *refusedSender
		switch {
		case err == nil:
		case p.Operator && errors.As(err, &rs):
			violations = append(violations, schemas.Violation{Pointer: pointer(i, "/sender"), Reason: rs.reason})
		default:
			return nil, fmt.Errorf("submitting as %q: %w", req.Partner, err)
		}
	}
	if len(violations) > 0 {
		return nil, &ValidationError{Violations: violations}
	}
	return h.storeMessages(ctx, reqs)
}

// decodeObject decodes one JSON object, keeping numbers as json.Number so a
// float price is reported rather than rounded.
func decodeObject(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("not valid JSON: data after the document")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("not a JSON object")
	}
	return m, nil
}
