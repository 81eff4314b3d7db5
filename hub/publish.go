package hub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"maps"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

// lineBatch is how many price-list lines go to the store at a time.
const lineBatch = 1000

// priceListEvent is the payload of the event a publication emits on
// dealerhub.event.price_list.<supplier>.
type priceListEvent struct {
	Kind string `json:"kind"` // changed
	store.PriceListRef
	ValidTo     string          `json:"valid_to,omitempty"`
	Status      string          `json:"status"`
	Lines       int             `json:"lines"`
	Predecessor string          `json:"predecessor,omitempty"`
	Diff        store.PriceDiff `json:"diff"`
	Notified    []string        `json:"notified"`
	Receivers   []string        `json:"receivers,omitempty"`
	MessageID   string          `json:"message_id"`
	At          time.Time       `json:"at"`
}

// processPriceList publishes a price-list message: every channel's price
// list (a file, the API, later EDI 832) goes through this one step. The
// lines stream from the decoder to the store inside the store's
// transaction, so a rejected file leaves nothing behind and a list of a
// million lines is never held in memory.
func (h *Hub) processPriceList(ctx context.Context, msg store.Message) (store.PriceListResult, error) {
	dec, ok := h.decoders[msg.Format]
	if !ok {
		return store.PriceListResult{}, DataErrors{{Code: "format", Reason: fmt.Sprintf("no decoder for format %q", msg.Format)}}
	}
	if ed, ok := dec.(ediDecoder); ok {
		// Reading an interchange writes (its record, its acknowledgment):
		// do it before the publication's transaction, which then only
		// takes the lines.
		var err error
		if dec, err = ed.buffered(ctx, msg); err != nil {
			return store.PriceListResult{}, err
		}
	}
	now := h.now()
	return h.st.PublishPriceList(ctx, store.PriceListPublish{
		MessageID: msg.ID,
		Supplier:  msg.Partner,
		Today:     store.Today(now),
		Write: func(ctx context.Context, put func([]store.PriceLine) error) (store.PriceListHeader, error) {
			w := &lineWriter{put: put, hash: sha256.New()}
			header, rep, err := h.decodePriceList(ctx, dec, msg, w)
			if err != nil {
				return store.PriceListHeader{}, err
			}
			if err := w.flush(); err != nil {
				return store.PriceListHeader{}, err
			}
			return h.priceListHeader(ctx, msg, header, rep, w, now)
		},
		Outbox: func(r store.PriceListResult) []store.NewOutbox {
			return h.priceListOutbox(msg.ID, r, now)
		},
	})
}

// decodePriceList hands the message's lines to w and returns the header
// (the document without lines) and, for streamed files, the report.
func (h *Hub) decodePriceList(ctx context.Context, dec Decoder, msg store.Message, w *lineWriter) (map[string]any, StreamReport, error) {
	if sd, ok := dec.(StreamDecoder); ok {
		rep, err := sd.Stream(ctx, msg, func(d Decoded) error { return w.add(d.Doc, d.Location) })
		if err != nil {
			return nil, rep, err
		}
		header := maps.Clone(rep.Header)
		if header == nil {
			header = map[string]any{}
		}
		if w.n == 0 {
			errs := CapErrors(rep.Rejected)
			if len(errs) == 0 {
				errs = DataErrors{{Code: "format", Reason: "the file has no price-list lines"}}
			}
			return nil, rep, DataErrors(errs)
		}
		return header, rep, nil
	}
	decoded, err := dec.Decode(ctx, msg)
	if err != nil {
		return nil, StreamReport{}, err
	}
	if len(decoded) != 1 {
		return nil, StreamReport{}, DataErrors{{Code: "decode", Reason: fmt.Sprintf(
			"a price_list message holds one price list, this one holds %d; send each list as its own message", len(decoded))}}
	}
	d := decoded[0]
	if derrs := h.checkWhole(msg, d); len(derrs) > 0 {
		return nil, StreamReport{}, derrs
	}
	lines, _ := d.Doc["lines"].([]any)
	seen := make(map[string]int, len(lines))
	for i, raw := range lines {
		line, _ := raw.(map[string]any)
		sku, _ := line["sku"].(string)
		if first, dup := seen[sku]; dup {
			return nil, StreamReport{}, DataErrors{{Code: "duplicate", Pointer: d.Pointer + fmt.Sprintf("/lines/%d/sku", i),
				Reason: fmt.Sprintf("SKU %q is also on /lines/%d; a price list has one line per SKU", sku, first)}}
		}
		seen[sku] = i
		if err := w.add(line, ""); err != nil {
			return nil, StreamReport{}, err
		}
	}
	header := maps.Clone(d.Doc)
	delete(header, "lines")
	return header, StreamReport{}, nil
}

// checkWhole checks the sender and the schema of a whole price-list
// document (the JSON path; streamed files are checked row by row by the
// mapping engine).
func (h *Hub) checkWhole(msg store.Message, d Decoded) DataErrors {
	sender, _ := d.Doc["sender"].(string)
	if sender == "" {
		d.Doc["sender"] = msg.Partner
	} else if sender != msg.Partner {
		return DataErrors{{Code: "sender_mismatch", Pointer: d.Pointer + "/sender", Location: d.Location,
			Reason: fmt.Sprintf("document claims sender %q but the message came from %q", sender, msg.Partner)}}
	}
	delete(d.Doc, "source")
	var errs DataErrors
	for _, v := range h.schemas.Validate("price_list", d.Doc) {
		errs = append(errs, store.DataError{Code: "schema", Pointer: d.Pointer + v.Pointer, Location: d.Location, Reason: v.Reason})
	}
	return DataErrors(CapErrors(errs))
}

// priceListHeader finishes the header once every line is stored: sender,
// schema of the header fields, content hash, routes.
func (h *Hub) priceListHeader(ctx context.Context, msg store.Message, header map[string]any, rep StreamReport, w *lineWriter, now time.Time) (store.PriceListHeader, error) {
	sender, _ := header["sender"].(string)
	if sender == "" {
		header["sender"] = msg.Partner
	} else if sender != msg.Partner {
		return store.PriceListHeader{}, DataErrors{{Code: "sender_mismatch", Pointer: "/sender",
			Reason: fmt.Sprintf("the price list claims sender %q but the message came from %q", sender, msg.Partner)}}
	}
	delete(header, "source")
	str := func(k string) string { s, _ := header[k].(string); return s }
	if str("currency") == "" || str("external_id") == "" || str("valid_from") == "" {
		return store.PriceListHeader{}, DataErrors{{Code: "header", Reason: fmt.Sprintf(
			"the price list needs currency, external_id and valid_from; it has currency %q, external_id %q, valid_from %q",
			str("currency"), str("external_id"), str("valid_from"))}}
	}
	hb, err := json.Marshal(header)
	if err != nil {
		return store.PriceListHeader{}, fmt.Errorf("encoding the price list header: %w", err)
	}
	// The hash covers the header and every line in order, so any change to
	// either makes a new version and an identical re-publish is a no-op.
	sum := sha256.New()
	sum.Write(hb)
	sum.Write(w.hash.Sum(nil))
	header["source"] = msg.ID
	body, err := json.Marshal(header)
	if err != nil {
		return store.PriceListHeader{}, fmt.Errorf("encoding the price list header: %w", err)
	}
	receivers, rerrs, err := h.receivers(ctx, "price_list", msg.Partner, header)
	if err != nil {
		return store.PriceListHeader{}, err
	}
	if len(rerrs) > 0 {
		var errs DataErrors
		for _, re := range rerrs {
			errs = append(errs, store.DataError{Code: "unknown_receiver", Pointer: re.pointer, Reason: re.reason})
		}
		return store.PriceListHeader{}, errs
	}
	return store.PriceListHeader{
		ExternalID:   str("external_id"),
		Currency:     str("currency"),
		ValidFrom:    str("valid_from"),
		ValidTo:      str("valid_to"),
		Body:         body,
		ContentHash:  hex.EncodeToString(sum.Sum(nil)),
		Deliveries:   h.deliveriesFor("price_list", receivers),
		Rejected:     CapErrors(rep.Rejected),
		RejectedSKUs: rep.RejectedKeys,
	}, nil
}

// priceListOutbox is the publication's changed event and the jobs of its
// deliveries that a worker sends.
func (h *Hub) priceListOutbox(messageID string, r store.PriceListResult, now time.Time) []store.NewOutbox {
	var out []store.NewOutbox
	pl := r.PriceList
	ev := priceListEvent{
		Kind: "changed", PriceListRef: pl.Ref(),
		ValidTo: pl.ValidTo, Status: pl.Status, Lines: pl.Lines, Predecessor: pl.Predecessor, Diff: pl.Diff,
		Notified: pl.Notified, MessageID: messageID, At: now.UTC(),
	}
	if ev.Notified == nil {
		ev.Notified = []string{}
	}
	for _, d := range r.Document.Deliveries {
		ev.Receivers = append(ev.Receivers, d.Receiver)
		if d.Channel != "inbox" {
			out = append(out, h.deliveryOutbox(d, 1, time.Time{}))
		}
	}
	b, _ := json.Marshal(ev)
	return append(out, store.NewOutbox{
		Subject: h.bus.EventSubject("price_list", pl.Supplier),
		MsgID:   "evt-pl-" + pl.ID,
		Payload: b,
	})
}

// lineWriter turns line objects into stored rows, in batches, hashing
// each line's canonical JSON as it goes.
type lineWriter struct {
	put   func([]store.PriceLine) error
	hash  hash.Hash
	batch []store.PriceLine
	n     int
}

func (w *lineWriter) add(line map[string]any, location string) error {
	body, err := json.Marshal(line)
	if err != nil {
		return fmt.Errorf("encoding a price list line: %w", err)
	}
	w.hash.Write(body)
	w.hash.Write([]byte{'\n'})
	w.n++
	str := func(k string) string { s, _ := line[k].(string); return s }
	pl := store.PriceLine{
		LineNo: w.n, SKU: str("sku"), Unit: str("unit"), UnitPrice: str("unit_price"),
		MinQuantity: str("min_quantity"), Body: body,
	}
	if pl.SKU == "" {
		return DataErrors{{Code: "row", Location: location, Reason: "the line has no SKU"}}
	}
	tier := func(tm map[string]any) {
		q, _ := tm["min_quantity"].(string)
		p, _ := tm["unit_price"].(string)
		pl.Tiers = append(pl.Tiers, pricelist.Tier{MinQuantity: q, UnitPrice: p})
	}
	switch tiers := line["tiers"].(type) {
	case []any:
		for _, t := range tiers {
			tm, _ := t.(map[string]any)
			tier(tm)
		}
	case []map[string]any:
		for _, tm := range tiers {
			tier(tm)
		}
	}
	w.batch = append(w.batch, pl)
	if len(w.batch) >= lineBatch {
		return w.flush()
	}
	return nil
}

func (w *lineWriter) flush() error {
	if len(w.batch) == 0 {
		return nil
	}
	err := w.put(w.batch)
	w.batch = w.batch[:0:0]
	if err != nil {
		return err
	}
	return nil
}

// publishFailure sorts a failed publication: content problems (the
// decoder's, a SKU twice) fail the message; the rest is transient.
func publishFailure(err error) (DataErrors, bool) {
	var derrs DataErrors
	if errors.As(err, &derrs) {
		return derrs, true
	}
	if errors.Is(err, store.ErrDuplicateLine) {
		return DataErrors{{Code: "duplicate", Reason: err.Error()}}, true
	}
	return nil, false
}
