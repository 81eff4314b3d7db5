package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/schemas"
)

var opScope = store.OperatorScope()

// inboundPayload is the bus message that asks a worker to process a message.
type inboundPayload struct {
	MessageID string `json:"message_id"`
}

func (h *Hub) inboundOutbox(id, doctype, partner, attempt string) store.NewOutbox {
	b, _ := json.Marshal(inboundPayload{MessageID: id})
	return store.NewOutbox{
		Subject: h.bus.InboundSubject(doctype, partner),
		MsgID:   "in-" + id + "-" + attempt,
		Payload: b,
	}
}

// Ingest stores a raw message durably and queues it for processing. It
// returns once the message and its queue entry are committed; the same
// partner, doctype, format and bytes return the same message as a duplicate.
func (h *Hub) Ingest(ctx context.Context, req connectors.IngestRequest) (connectors.Receipt, error) {
	if req.Format == "" {
		req.Format = "json"
	}
	if !schemas.IsDocType(req.Doctype) {
		return connectors.Receipt{}, connectors.Permanent(fmt.Errorf("%w: %q", ErrUnknownDoctype, req.Doctype))
	}
	if _, ok := h.decoders()[req.Format]; !ok {
		return connectors.Receipt{}, connectors.Permanent(fmt.Errorf("%w: no decoder for format %q", ErrBadRequest, req.Format))
	}
	if len(bytes.TrimSpace(req.Body)) == 0 {
		return connectors.Receipt{}, connectors.Permanent(fmt.Errorf("%w: empty body", ErrBadRequest))
	}
	p, err := h.parties.partner(ctx, req.Partner)
	if err != nil {
		return connectors.Receipt{}, connectors.Permanent(fmt.Errorf("ingesting for partner %q: %w", req.Partner, err))
	}
	if !p.Enabled {
		return connectors.Receipt{}, connectors.Permanent(fmt.Errorf("partner %q is disabled", req.Partner))
	}
	msg, created, err := h.st.InsertMessage(ctx, store.NewMessage{
		Partner:  req.Partner,
		Doctype:  req.Doctype,
		Format:   req.Format,
		Source:   req.Source,
		Filename: req.Filename,
		Mapping:  req.Mapping,
		Body:     req.Body,
	}, func(id string) store.NewOutbox {
		return h.inboundOutbox(id, req.Doctype, req.Partner, "0")
	})
	if err != nil {
		return connectors.Receipt{}, fmt.Errorf("storing message: %w", err)
	}
	if created {
		h.metrics.messagesReceived.WithLabelValues(req.Doctype).Inc()
		h.wake()
	}
	return connectors.Receipt{MessageID: msg.ID, Status: string(msg.Status), Duplicate: !created}, nil
}

// Submit validates documents posted through the API and ingests each as its
// own message, all or nothing.
func (h *Hub) Submit(ctx context.Context, p Principal, doctype string, docs []json.RawMessage) ([]connectors.Receipt, error) {
	if !schemas.IsDocType(doctype) {
		return nil, fmt.Errorf("%w: %q", ErrUnknownDoctype, doctype)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w: no documents", ErrBadRequest)
	}
	senders := make([]string, len(docs))
	var violations []schemas.Violation
	for i, raw := range docs {
		prefix := ""
		if len(docs) > 1 {
			prefix = "/" + strconv.Itoa(i)
		}
		doc, err := decodeObject(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: document %d: %v", ErrBadRequest, i, err)
		}
		sender, _ := doc["sender"].(string)
		switch {
		case sender == "" && p.Operator:
			violations = append(violations, schemas.Violation{Pointer: prefix + "/sender", Reason: "an operator must name the sender"})
			continue
		case sender == "":
			sender = p.Partner
			doc["sender"] = sender
		case !p.Operator && sender != p.Partner:
			return nil, fmt.Errorf("%w: document %d claims sender %q but the API key belongs to %q", ErrForbidden, i, sender, p.Partner)
		}
		senders[i] = sender
		for _, v := range h.schemas.Validate(doctype, doc) {
			v.Pointer = prefix + v.Pointer
			violations = append(violations, v)
		}
	}
	if len(violations) > 0 {
		return nil, &ValidationError{Violations: violations}
	}
	if p.Operator {
		for i, s := range senders {
			if _, err := h.parties.partner(ctx, s); err != nil {
				return nil, &ValidationError{Violations: []schemas.Violation{{Pointer: fmt.Sprintf("/%d/sender", i), Reason: fmt.Sprintf("no partner %q", s)}}}
			}
		}
	}
	out := make([]connectors.Receipt, len(docs))
	for i, raw := range docs {
		r, err := h.Ingest(ctx, connectors.IngestRequest{
			Partner: senders[i],
			Doctype: doctype,
			Format:  "json",
			Source:  "api",
			Body:    raw,
		})
		if err != nil {
			return out[:i], fmt.Errorf("ingesting document %d: %w", i, err)
		}
		out[i] = r
	}
	return out, nil
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
