package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/schemas"
)

// ediDecoder reads X12 or EDIFACT messages. For each interchange it
// finds the partner that sent it (by its interchange id, which must be
// the partner the message came from) and the one it is addressed to,
// refuses a duplicate (the same control number from the same sender
// again), maps every transaction set with the built-in mappings (the
// partner's overrides applied) and writes the acknowledgment the partner
// wants. A set that does not read, map or validate cleanly is rejected
// whole, with its located errors; so is every set of an interchange or
// group whose envelope is broken. Nothing of a rejected set is imported.
type ediDecoder struct {
	h      *Hub
	format string
}

// Decode returns the documents of the accepted sets; when no set was
// accepted, the errors of the rejected ones.
func (d ediDecoder) Decode(ctx context.Context, msg store.Message) ([]Decoded, error) {
	var out []Decoded
	rep, err := d.Stream(ctx, msg, func(x Decoded) error { out = append(out, x); return nil })
	if err != nil {
		return nil, err
	}
	if len(out) == 0 && len(rep.Rejected) > 0 {
		return nil, rep.Rejected
	}
	return out, nil
}

// Stream hands over the documents of the accepted sets and reports the
// rejected ones. For a price_list message it hands over the price list's
// lines and returns its header, as a spreadsheet decoder does.
func (d ediDecoder) Stream(ctx context.Context, msg store.Message, put func(Decoded) error) (StreamReport, error) {
	if msg.Body == nil {
		return StreamReport{}, errors.New("the message's bytes were not opened")
	}
	file, err := readEDI(d.format, io.NewSectionReader(msg.Body, 0, msg.Body.Size()))
	if err != nil {
		return StreamReport{}, DataErrors{ediDataError(err, "")}
	}
	var rep StreamReport
	for _, e := range file.errors {
		rep.Rejected = append(rep.Rejected, ediDataError(e, ""))
	}
	var docs []Decoded
	for _, ic := range file.interchanges {
		got, rejected, err := d.interchange(ctx, msg, ic)
		if err != nil {
			return StreamReport{}, err
		}
		docs = append(docs, got...)
		rep.Rejected = append(rep.Rejected, rejected...)
	}
	if len(file.interchanges) == 0 && len(rep.Rejected) == 0 {
		return StreamReport{}, DataErrors{{Code: "not_edi", Reason: "the file holds no interchange"}}
	}
	if msg.Doctype == "price_list" {
		return d.priceList(docs, rep, put)
	}
	for _, doc := range docs {
		if err := put(doc); err != nil {
			return StreamReport{}, err
		}
	}
	return rep, nil
}

// buffered reads the message now and returns a decoder that replays
// what it read, with no further I/O.
func (d ediDecoder) buffered(ctx context.Context, msg store.Message) (Decoder, error) {
	var b bufferedDecoder
	rep, err := d.Stream(ctx, msg, func(x Decoded) error { b.docs = append(b.docs, x); return nil })
	if err != nil {
		return nil, err
	}
	b.rep = rep
	return b, nil
}

// bufferedDecoder replays what a decoder streamed.
type bufferedDecoder struct {
	docs []Decoded
	rep  StreamReport
}

// Decode returns the documents read.
func (b bufferedDecoder) Decode(context.Context, store.Message) ([]Decoded, error) {
	return b.docs, nil
}

// Stream hands over the documents read and returns the report.
func (b bufferedDecoder) Stream(_ context.Context, _ store.Message, put func(Decoded) error) (StreamReport, error) {
	for _, d := range b.docs {
		if err := put(d); err != nil {
			return StreamReport{}, err
		}
	}
	return b.rep, nil
}

// priceList hands over the lines of the message's one price list.
func (d ediDecoder) priceList(docs []Decoded, rep StreamReport, put func(Decoded) error) (StreamReport, error) {
	var lists []Decoded
	for _, doc := range docs {
		if doc.Doctype == "price_list" {
			lists = append(lists, doc)
		} else {
			rep.Rejected = append(rep.Rejected, store.DataError{Code: "unsupported_set", Location: doc.Location,
				Reason: fmt.Sprintf("a price-list interchange carries price lists only; this %s is not imported: send it in its own interchange", doc.Doctype)})
		}
	}
	if len(lists) == 0 {
		return rep, nil
	}
	for _, extra := range lists[1:] {
		rep.Rejected = append(rep.Rejected, store.DataError{Code: "unsupported_set", Location: extra.Location,
			Reason: "an interchange is published as one price list; this second one is not imported: send it in its own interchange"})
	}
	header := lists[0].Doc
	lines, _ := header["lines"].([]any)
	delete(header, "lines")
	rep.Header = header
	for i, l := range lines {
		line, ok := l.(map[string]any)
		if !ok {
			continue
		}
		if err := put(Decoded{Doc: line, Location: fmt.Sprintf("%s, line %d", lists[0].Location, i+1)}); err != nil {
			return StreamReport{}, err
		}
		rep.RowsRead++
	}
	return rep, nil
}

// ediParties are the partners of an interchange.
type ediParties struct {
	sender, receiver string
	ack              bool
	// The sender's settings, for its mapping overrides.
	x12     config.X12Partner
	edifact config.EDIFACTPartner
}

// interchange checks and maps one interchange, and sends its
// acknowledgment when the partner wants one. Who sent it and to whom
// must be known: otherwise the whole message is held (failed, replayable
// once the config names them) with the identifiers found.
func (d ediDecoder) interchange(ctx context.Context, msg store.Message, ic ediInterchange) ([]Decoded, []store.DataError, error) {
	parties, err := d.parties(msg, ic)
	if err != nil {
		return nil, nil, err
	}
	ack := newAck(ic, msg.ID, parties)
	where := fmt.Sprintf("interchange %s from %s", ic.control, partyString(ic.sender))
	var docs []Decoded
	var rejected []store.DataError
	if len(ic.errors) > 0 {
		// A broken envelope: nothing of the interchange is imported.
		for _, e := range ic.errors {
			rejected = append(rejected, ediDataError(e, where))
		}
		rejectAllAck(&ack, ic.errors...)
		return nil, rejected, d.sendAck(ctx, parties, ack)
	}
	for _, g := range ic.groups {
		for _, e := range g.errors {
			rejected = append(rejected, ediDataError(e, fmt.Sprintf("%s, group %s", where, g.control)))
		}
	}
	for _, o := range mapInterchange(d.format, ic, parties, d.h.schemas.Validate) {
		s := ic.groups[o.group].sets[o.set]
		swhere := fmt.Sprintf("%s, group %s, %s %s", where, ic.groups[o.group].control, s.tx.Type, s.tx.ControlNumber)
		if len(o.errs) > 0 {
			for _, e := range o.errs {
				rejected = append(rejected, ediDataError(e, swhere))
			}
			rejectSetAck(&ack, o.group, o.set, firstPos(s.tx), o.errs)
			continue
		}
		for _, doc := range o.docs {
			doc.Location = swhere
			docs = append(docs, doc)
		}
	}
	if len(docs) > 0 {
		// Only an interchange that imports something counts for
		// duplicates: one rejected whole may be sent again, fixed, under
		// the same control number.
		first, dup, err := d.h.st.RecordInterchange(ctx, store.EDIInterchange{
			Partner: msg.Partner, Standard: ic.standard, Sender: partyString(ic.sender), Control: ic.control, MessageID: msg.ID,
		})
		if err != nil {
			return nil, nil, err
		}
		if dup {
			e := &connectors.EDIError{Pos: ic.pos, Code: "duplicate_interchange", Message: fmt.Sprintf(
				"%s was received before, in message %s on %s; it is not imported again",
				where, first.MessageID, first.ReceivedAt.UTC().Format("2006-01-02 15:04:05 UTC"))}
			ack = newAck(ic, msg.ID, parties)
			rejectAllAck(&ack, e)
			return nil, []store.DataError{ediDataError(e, where)}, d.sendAck(ctx, parties, ack)
		}
	}
	return docs, rejected, d.sendAck(ctx, parties, ack)
}

// setOutcome is what became of one transaction set: its documents, or
// the errors that reject it whole.
type setOutcome struct {
	group, set int
	docs       []Decoded
	errs       []*connectors.EDIError
}

// mapInterchange maps every set of an interchange whose envelope is
// sound: a set with reader errors, in a group with envelope errors, or
// whose mapping or documents (validated with validate, sender and
// receiver filled from parties) have problems, is rejected whole.
func mapInterchange(format string, ic ediInterchange, parties ediParties, validate func(string, any) []schemas.Violation) []setOutcome {
	var out []setOutcome
	for gi, g := range ic.groups {
		for si := range g.sets {
			out = append(out, setOutcome{group: gi, set: si})
		}
	}
	// Sets map independently; validation dominates, so use every core.
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(out)) {
		wg.Go(func() {
			for i := range work {
				o := &out[i]
				g := ic.groups[o.group]
				s := g.sets[o.set]
				o.docs, o.errs = mapSet(format, parties, s, validate)
				if len(g.errors) > 0 && len(o.errs) == 0 {
					o.docs, o.errs = nil, []*connectors.EDIError{{Pos: firstPos(s.tx), Tag: s.tx.Type, Code: "group_rejected",
						Message: "the set's functional group has envelope errors, so none of its sets is imported"}}
				}
			}
		})
	}
	for i := range out {
		work <- i
	}
	close(work)
	wg.Wait()
	return out
}

// mapSet maps one transaction set and checks its documents; any problem
// rejects the whole set.
func mapSet(format string, parties ediParties, s ediSet, validate func(string, any) []schemas.Violation) ([]Decoded, []*connectors.EDIError) {
	if len(s.errors) > 0 {
		return nil, s.errors
	}
	mapped, err := mapEDI(format, s.tx, parties)
	if err != nil {
		return nil, ediErrors(err, s.tx)
	}
	var out []Decoded
	var errs []*connectors.EDIError
	for _, m := range mapped {
		body := m.Body
		body["sender"] = parties.sender
		if _, ok := body["receiver"]; !ok && hasReceiver(m.Doctype) {
			body["receiver"] = parties.receiver
		}
		delete(body, "source")
		for _, v := range validate(m.Doctype, body) {
			errs = append(errs, &connectors.EDIError{Pos: m.Pos, Code: "schema",
				Message: fmt.Sprintf("the %s it maps to is not valid at %s: %s", m.Doctype, pointerOrRoot(v.Pointer), v.Reason)})
		}
		out = append(out, Decoded{Doc: body, Doctype: m.Doctype, validated: true})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(out) == 0 {
		return nil, []*connectors.EDIError{{Pos: firstPos(s.tx), Tag: s.tx.Type, Code: "empty_set", Message: "the set maps to no document"}}
	}
	return out, nil
}

// parties finds who sent an interchange (it must be the partner the
// message came from) and whom it is addressed to: a partner by its own
// id, or the hub's id with the partner's application id in the group
// (X12 GS03, EDIFACT UNG S007).
func (d ediDecoder) parties(msg store.Message, ic ediInterchange) (ediParties, error) {
	cfg := d.h.cfg.Load()
	var p ediParties
	var ok bool
	var known []string
	switch d.format {
	case connectors.FormatX12:
		p.sender, p.x12, ok = cfg.X12Partner(ic.sender.Qualifier, ic.sender.ID)
		p.ack = p.x12.Ack
		known = cfg.KnownX12IDs()
	default:
		p.sender, p.edifact, ok = cfg.EDIFACTPartner(ic.sender.Qualifier, ic.sender.ID)
		p.ack = p.edifact.Ack
		known = cfg.KnownEDIFACTIDs()
	}
	held := func(code, format string, a ...any) (ediParties, error) {
		return ediParties{}, DataErrors{{Code: code, Location: fmt.Sprintf("interchange %s (segment %d)", ic.control, ic.pos),
			Reason: fmt.Sprintf(format, a...) + "; the message is held: fix the config and replay it"}}
	}
	if !ok {
		return held("unknown_partner", "interchange sender %s is no partner's %s id (known: %s)",
			partyString(ic.sender), strings.ToUpper(d.format), listOrNone(known))
	}
	if p.sender != msg.Partner {
		return held("sender_mismatch", "interchange sender %s is partner %q's id, but the message came from %q",
			partyString(ic.sender), p.sender, msg.Partner)
	}
	p.receiver, ok = d.receiver(cfg, ic)
	if !ok {
		var apps []string
		for _, g := range ic.groups {
			apps = append(apps, g.appReceiver)
		}
		return held("unknown_receiver", "interchange receiver %s (group receivers %s) is neither a partner's %s id nor the hub's with a partner's application id (known: %s)",
			partyString(ic.receiver), listOrNone(apps), strings.ToUpper(d.format), listOrNone(known))
	}
	return p, nil
}

// receiver is the partner an interchange is addressed to.
func (d ediDecoder) receiver(cfg *config.Config, ic ediInterchange) (string, bool) {
	if d.format == connectors.FormatX12 {
		if id, _, ok := cfg.X12Partner(ic.receiver.Qualifier, ic.receiver.ID); ok {
			return id, true
		}
		if cfg.IsHubX12(ic.receiver.Qualifier, ic.receiver.ID) && len(ic.groups) > 0 {
			id, _, ok := cfg.X12PartnerByApp(ic.groups[0].appReceiver)
			return id, ok
		}
		return "", false
	}
	if id, _, ok := cfg.EDIFACTPartner(ic.receiver.Qualifier, ic.receiver.ID); ok {
		return id, true
	}
	if cfg.IsHubEDIFACT(ic.receiver.Qualifier, ic.receiver.ID) && len(ic.groups) > 0 {
		id, _, ok := cfg.EDIFACTPartner("", ic.groups[0].appReceiver)
		return id, ok
	}
	return "", false
}

// sendAck stores the acknowledgment as a message from the partner the
// interchange was addressed to, when the sender wants one; the pipeline
// makes it a document and routes it back over the sender's route for
// acknowledgments (as a 997/TA1 or CONTRL when that route's format is
// EDI). The same interchange read again writes the same bytes, so a
// redelivery stores no second acknowledgment.
func (d ediDecoder) sendAck(ctx context.Context, parties ediParties, ack schemas.Acknowledgment) error {
	if !parties.ack || onlyAcks(ack) {
		return nil // an acknowledgment is never acknowledged
	}
	body, err := json.Marshal(ack)
	if err != nil {
		return fmt.Errorf("encoding the acknowledgment: %w", err)
	}
	_, err = EnqueueBody(ctx, d.h.st, d.h.bus, connectors.IngestRequest{
		Partner: parties.receiver, Doctype: "acknowledgment", Format: "json", Source: "edi:ack",
		Filename: fmt.Sprintf("ack-%s-%s.json", ack.Standard, ack.Interchange.Control),
	}, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("storing the acknowledgment of interchange %s: %w", ack.Interchange.Control, err)
	}
	return nil
}

// onlyAcks reports an interchange of acknowledgments only.
func onlyAcks(a schemas.Acknowledgment) bool {
	n := 0
	for _, g := range a.Groups {
		for _, s := range g.Sets {
			if !isAckSet(connectors.EDITransaction{Type: s.Type}) {
				return false
			}
			n++
		}
	}
	return n > 0
}

// hasReceiver reports doctypes whose documents name their receiver.
func hasReceiver(doctype string) bool {
	switch doctype {
	case "order", "order_response", "shipment", "acknowledgment", "tracking_event", "stock_level", "price_list", "product":
		return true
	}
	return false
}

func partyString(p connectors.EDIParty) string {
	if p.Qualifier == "" {
		return p.ID
	}
	return p.Qualifier + ":" + p.ID
}

func listOrNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

func pointerOrRoot(p string) string {
	if p == "" {
		return "the top"
	}
	return p
}

func firstPos(tx connectors.EDITransaction) int {
	if len(tx.Segments) > 0 {
		return tx.Segments[0].Pos
	}
	return 0
}

// ediErrors unpacks a mapping's error into its located EDI errors.
func ediErrors(err error, tx connectors.EDITransaction) []*connectors.EDIError {
	var out []*connectors.EDIError
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var e *connectors.EDIError
		if errors.As(err, &e) {
			out = append(out, e)
			return
		}
		out = append(out, &connectors.EDIError{Pos: firstPos(tx), Tag: tx.Type, Code: "bad_value", Message: err.Error()})
	}
	walk(err)
	return out
}

// ediDataError turns an EDI error into a message's data error.
func ediDataError(err error, where string) store.DataError {
	var e *connectors.EDIError
	if !errors.As(err, &e) {
		return store.DataError{Code: "decode", Location: where, Reason: err.Error()}
	}
	loc := where
	if seg := e.Where(); seg != "" {
		if loc != "" {
			loc += ", "
		}
		loc += seg
	}
	return store.DataError{Code: e.Code, Location: loc, Reason: e.Message}
}
