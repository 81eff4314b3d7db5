package hub

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/store"
)

// Decoded is one canonical document (as decoded JSON) that a decoder found in
// a raw message.
type Decoded struct {
	Doc map[string]any
	// Doctype is the document's type when it is not the message's (an
	// EDI interchange may hold an order and a ship notice).
	Doctype string
	// Pointer prefixes the JSON pointers of this document's errors ("/3" for
	// the fourth element of an array); Location says where it sits in the
	// partner's file ("sheet 价格 row 12"), when that means more.
	Pointer  string
	Location string
	// validated: the decoder checked the document against its schema
	// already (with its final sender and receiver).
	validated bool
}

// doctype is the decoded document's type: its own, else the message's.
func (d Decoded) doctype(msg store.Message) string {
	if d.Doctype != "" {
		return d.Doctype
	}
	return msg.Doctype
}

// DataErrors is a decoder's report of what is wrong with a message's
// content. It is permanent: the message fails with every error listed.
type DataErrors []store.DataError

func (e DataErrors) Error() string {
	if len(e) == 0 {
		return "no errors"
	}
	s := e[0].Reason
	if e[0].Pointer != "" {
		s = e[0].Pointer + ": " + s
	}
	if len(e) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(e)-1)
	}
	return s
}

// Decoder turns a raw message of one format into canonical documents.
// Later formats (xlsx, csv, x12, edifact) plug in here. The hub opens the
// message's bytes as msg.Body before it calls a decoder: a decoder reads
// them through io.NewSectionReader (or ReadAt), and reads them whole only
// when its messages are small.
type Decoder interface {
	Decode(ctx context.Context, msg store.Message) ([]Decoded, error)
}

// jsonDecoder reads one JSON object or an array of them. Its messages
// come through the API, within its body limit, so it reads them whole.
type jsonDecoder struct{}

func (jsonDecoder) Decode(_ context.Context, msg store.Message) ([]Decoded, error) {
	body, err := store.BodyBytes(msg.Body)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, DataErrors{{Code: "decode", Reason: "not valid JSON: " + err.Error()}}
	}
	if dec.More() {
		return nil, DataErrors{{Code: "decode", Reason: "not valid JSON: data after the document"}}
	}
	switch t := v.(type) {
	case map[string]any:
		return []Decoded{{Doc: t}}, nil
	case []any:
		out := make([]Decoded, 0, len(t))
		var errs DataErrors
		for i, e := range t {
			m, ok := e.(map[string]any)
			if !ok {
				errs = append(errs, store.DataError{Code: "decode", Pointer: "/" + strconv.Itoa(i), Reason: "not a JSON object"})
				continue
			}
			out = append(out, Decoded{Doc: m, Pointer: "/" + strconv.Itoa(i)})
		}
		if len(errs) > 0 {
			return nil, errs
		}
		if len(out) == 0 {
			return nil, DataErrors{{Code: "decode", Reason: "empty array: no documents"}}
		}
		return out, nil
	default:
		return nil, DataErrors{{Code: "decode", Reason: "expected a JSON object or an array of objects"}}
	}
}

// handleInbound processes one raw message: decode → validate → persist
// (with deliveries and events in the same transaction). The bus message is
// acknowledged only after the commit.
func (h *Hub) handleInbound(ctx context.Context, m *bus.Msg) error {
	var p inboundPayload
	if err := json.Unmarshal(m.Data, &p); err != nil || p.MessageID == "" {
		h.log.Error("dropping malformed inbound bus message", "subject", m.Subject)
		return bus.Term(fmt.Errorf("malformed inbound payload"))
	}
	start := h.now()
	msg, started, err := h.st.StartProcessing(ctx, p.MessageID)
	if errors.Is(err, store.ErrNotFound) {
		return bus.Term(err)
	}
	if err != nil {
		return fmt.Errorf("starting message %s: %w", p.MessageID, err)
	}
	if !started {
		return nil // done, failed or dead already: a redelivery
	}
	if msg.Body, err = h.st.OpenBody(ctx, opScope, msg.ID); err != nil {
		return fmt.Errorf("opening the body of message %s: %w", msg.ID, err)
	}
	log := h.log.With("message_id", msg.ID, "partner", msg.Partner, "doctype", msg.Doctype)
	if msg.Doctype == "price_list" {
		return h.handlePriceList(ctx, m, msg, start, log)
	}
	if msg.Format == connectors.FormatStockSnapshot || isRESTStock(msg) {
		return h.handleStockSnapshot(ctx, m, msg, start, log)
	}
	docs, rejected, err := h.buildDocuments(ctx, msg)
	var derrs DataErrors
	if errors.As(err, &derrs) {
		if ferr := h.st.FailMessage(ctx, msg.ID, store.StatusFailed, CapErrors(derrs)); ferr != nil {
			return fmt.Errorf("recording failure of message %s: %w", msg.ID, ferr)
		}
		h.metrics.messagesProcessed.WithLabelValues(string(store.StatusFailed)).Inc()
		log.Info("message failed", "errors", len(derrs), "first", derrs.Error())
		return nil
	}
	if err != nil {
		log.Warn("processing message", "err", err, "attempt", m.NumDelivered)
		return err
	}
	results, err := h.st.CommitPartial(ctx, msg.ID, docs, CapErrors(rejected), func(rs []store.DocumentResult) []store.NewOutbox {
		return h.outboxFor(msg.ID, rs)
	})
	if errors.Is(err, store.ErrConflict) {
		return nil // another worker committed it
	}
	if err != nil {
		log.Warn("committing message", "err", err, "attempt", m.NumDelivered)
		return fmt.Errorf("committing message %s: %w", msg.ID, err)
	}
	h.wake()
	changed := 0
	for _, r := range results {
		if r.Changed {
			changed++
		}
	}
	h.metrics.messagesProcessed.WithLabelValues(string(store.StatusDone)).Inc()
	h.metrics.processingSeconds.Observe(h.now().Sub(start).Seconds())
	log.Debug("message done", "documents", len(results), "changed", changed, "rejected_rows", len(rejected))
	return nil
}

// handlePriceList publishes a price-list message and records its outcome.
func (h *Hub) handlePriceList(ctx context.Context, m *bus.Msg, msg store.Message, start time.Time, log *slog.Logger) error {
	res, err := h.processPriceList(ctx, msg)
	if derrs, ok := publishFailure(err); ok {
		if ferr := h.st.FailMessage(ctx, msg.ID, store.StatusFailed, CapErrors(derrs)); ferr != nil {
			return fmt.Errorf("recording failure of message %s: %w", msg.ID, ferr)
		}
		h.metrics.messagesProcessed.WithLabelValues(string(store.StatusFailed)).Inc()
		log.Info("message failed", "errors", len(derrs), "first", derrs.Error())
		return nil
	}
	if errors.Is(err, store.ErrConflict) {
		return nil // another worker committed it
	}
	if err != nil {
		log.Warn("publishing price list", "err", err, "attempt", m.NumDelivered)
		return fmt.Errorf("publishing price list of message %s: %w", msg.ID, err)
	}
	h.wake()
	h.metrics.messagesProcessed.WithLabelValues(string(store.StatusDone)).Inc()
	h.metrics.processingSeconds.Observe(h.now().Sub(start).Seconds())
	if !res.Document.Changed {
		log.Debug("price list unchanged", "document_id", res.Document.DocumentID)
		return nil
	}
	pl := res.PriceList
	log.Info("price list published", "price_list", pl.ID, "lines", pl.Lines, "status", pl.Status,
		"changes", pl.Diff.Changes(), "notified", len(pl.Notified))
	return nil
}

// inboundExhausted dead-letters a message whose processing kept failing.
func (h *Hub) inboundExhausted(ctx context.Context, m *bus.Msg, lastErr error) {
	var p inboundPayload
	if json.Unmarshal(m.Data, &p) != nil || p.MessageID == "" {
		return
	}
	reason := fmt.Sprintf("gave up after %d attempts: %v", m.NumDelivered, lastErr)
	if err := h.st.FailMessage(ctx, p.MessageID, store.StatusDead, []store.DataError{{Code: "exhausted", Reason: reason}}); err != nil {
		h.log.Error("dead-lettering message", "message_id", p.MessageID, "err", err)
		return
	}
	h.metrics.messagesProcessed.WithLabelValues(string(store.StatusDead)).Inc()
}

// checkDecoded fills a decoded document's sender (the message's partner
// when it names none), drops a source the partner set (the hub sets it),
// and checks the sender and the schema of the message's doctype.
func (h *Hub) checkDecoded(msg store.Message, d Decoded) DataErrors {
	doc := d.Doc
	dataErr := func(code, ptr, reason string) store.DataError {
		return store.DataError{Code: code, Pointer: d.Pointer + ptr, Location: d.Location, Reason: reason}
	}
	sender, _ := doc["sender"].(string)
	if sender == "" {
		sender = msg.Partner
		doc["sender"] = sender
	}
	if sender != msg.Partner {
		return DataErrors{dataErr("sender_mismatch", "/sender",
			fmt.Sprintf("document claims sender %q but the message came from %q", sender, msg.Partner))}
	}
	delete(doc, "source")
	if d.validated {
		return nil
	}
	var errs DataErrors
	for _, v := range h.schemas.Validate(d.doctype(msg), doc) {
		errs = append(errs, dataErr("schema", v.Pointer, v.Reason))
	}
	return errs
}

// buildDocuments decodes and validates a message and works out where each
// document goes. Content problems come back as DataErrors (every one of
// them); anything else is transient.
func (h *Hub) buildDocuments(ctx context.Context, msg store.Message) ([]store.DocumentInput, DataErrors, error) {
	decoded, rejected, err := h.decodeMessage(ctx, msg)
	if err != nil {
		return nil, nil, err
	}
	var errs DataErrors
	docs := make([]store.DocumentInput, 0, len(decoded))
	for _, d := range decoded {
		in, derrs, err := h.buildDocument(ctx, msg, d)
		if err != nil {
			return nil, nil, err
		}
		if len(derrs) > 0 {
			errs = append(errs, derrs...)
			continue
		}
		docs = append(docs, in)
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	if len(docs) == 0 {
		if len(rejected) == 0 {
			return nil, nil, DataErrors{{Code: "decode", Reason: "the message holds no documents"}}
		}
		return nil, nil, rejected // every row was left out
	}
	return docs, rejected, nil
}

// decodeMessage decodes a message with the decoder of its format.
func (h *Hub) decodeMessage(ctx context.Context, msg store.Message) ([]Decoded, DataErrors, error) {
	dec, ok := h.decoders[msg.Format]
	if !ok {
		return nil, nil, DataErrors{{Code: "format", Reason: fmt.Sprintf("no decoder for format %q", msg.Format)}}
	}
	return decodeAll(ctx, dec, msg)
}

// decodeAll decodes a message; a streaming decoder's rows left out under
// import_valid come back as rejected.
func decodeAll(ctx context.Context, dec Decoder, msg store.Message) ([]Decoded, DataErrors, error) {
	sd, ok := dec.(StreamDecoder)
	if !ok {
		decoded, err := dec.Decode(ctx, msg)
		return decoded, nil, err
	}
	var out []Decoded
	rep, err := sd.Stream(ctx, msg, func(d Decoded) error {
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if len(out) == 0 && len(rep.Rejected) == 0 {
		return nil, nil, DataErrors{{Code: "format", Reason: "the file has a header row but no data rows under it"}}
	}
	return out, rep.Rejected, nil
}

func (h *Hub) buildDocument(ctx context.Context, msg store.Message, d Decoded) (store.DocumentInput, DataErrors, error) {
	doc := d.Doc
	dataErr := func(code, ptr, reason string) store.DataError {
		return store.DataError{Code: code, Pointer: d.Pointer + ptr, Location: d.Location, Reason: reason}
	}
	if errs := h.checkDecoded(msg, d); len(errs) > 0 {
		return store.DocumentInput{}, errs, nil
	}
	sender := msg.Partner
	var errs DataErrors
	hash, err := contentHash(doc)
	if err != nil {
		return store.DocumentInput{}, nil, err
	}
	doc["source"] = msg.ID
	body, err := json.Marshal(doc)
	if err != nil {
		return store.DocumentInput{}, nil, fmt.Errorf("encoding document: %w", err)
	}
	receiver, _ := doc["receiver"].(string)
	doctype := d.doctype(msg)
	receivers, rerrs, err := h.receivers(ctx, doctype, sender, doc)
	if err != nil {
		return store.DocumentInput{}, nil, err
	}
	for _, re := range rerrs {
		errs = append(errs, dataErr("unknown_receiver", re.pointer, re.reason))
	}
	if len(errs) > 0 {
		return store.DocumentInput{}, errs, nil
	}
	status, _ := doc["status"].(string)
	externalID, _ := doc["external_id"].(string)
	return store.DocumentInput{
		Doctype:     doctype,
		Sender:      sender,
		Receiver:    receiver,
		ExternalID:  externalID,
		Status:      status,
		Body:        body,
		ContentHash: hash,
		Deliveries:  append(h.deliveriesFor(doctype, receivers), h.erpDeliveries(doctype, sender, status)...),
	}, nil, nil
}

// contentHash is the SHA-256 of the document's canonical JSON (keys sorted,
// as encoding/json writes maps) without the hub-added source.
func contentHash(doc map[string]any) (string, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("hashing document: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// event is the payload of a document event on dealerhub.event.<doctype>.<sender>.
type event struct {
	Kind       string    `json:"kind"` // created or updated
	DocumentID string    `json:"document_id"`
	Doctype    string    `json:"doctype"`
	Sender     string    `json:"sender"`
	Receiver   string    `json:"receiver,omitempty"`
	ExternalID string    `json:"external_id"`
	Version    int       `json:"version"`
	MessageID  string    `json:"message_id"`
	Receivers  []string  `json:"receivers,omitempty"`
	At         time.Time `json:"at"`
}

// outboxFor builds, inside the commit transaction, one event per new
// document version and one delivery job per delivery that a worker sends.
func (h *Hub) outboxFor(messageID string, results []store.DocumentResult) []store.NewOutbox {
	var out []store.NewOutbox
	now := h.now().UTC()
	for _, r := range results {
		if !r.Changed {
			continue
		}
		kind := "updated"
		if r.Previous == 0 {
			kind = "created"
		}
		ev := event{
			Kind: kind, DocumentID: r.DocumentID, Doctype: r.Input.Doctype, Sender: r.Input.Sender,
			Receiver: r.Input.Receiver, ExternalID: r.Input.ExternalID, Version: r.Version,
			MessageID: messageID, At: now,
		}
		for _, d := range r.Deliveries {
			ev.Receivers = append(ev.Receivers, d.Receiver)
			if d.Channel == "inbox" {
				continue
			}
			out = append(out, h.deliveryOutbox(d, 1, time.Time{}))
		}
		b, _ := json.Marshal(ev)
		out = append(out, store.NewOutbox{
			Subject: h.bus.EventSubject(r.Input.Doctype, r.Input.Sender),
			MsgID:   fmt.Sprintf("evt-%s-v%d", r.DocumentID, r.Version),
			Payload: b,
		})
	}
	return out
}
