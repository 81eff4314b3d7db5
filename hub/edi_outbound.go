package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
	"github.com/dealerhub/dealerhub/connectors/x12"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/mappings/edifactmap"
	"github.com/dealerhub/dealerhub/mappings/x12map"
	"github.com/dealerhub/dealerhub/schemas"
)

// Content types of EDI deliveries.
const (
	contentTypeX12     = "application/edi-x12"
	contentTypeEDIFACT = "application/edifact"
)

// maxControl is the largest X12 and EDIFACT control number the hub
// writes (nine digits); the counters start again at 1 after it.
const maxControl = 999999999

// ediEncoder writes a delivery's document as one X12 or EDIFACT
// interchange for its receiver: the receiver's identity and settings, the
// sender's own identity when it has one (else the hub's), and the next
// control numbers of the partnership, given once per delivery so that a
// retry sends the same interchange again.
type ediEncoder struct {
	h      *Hub
	format string
}

// Encode cannot know the delivery; the hub calls EncodeDelivery.
func (e ediEncoder) Encode(context.Context, string, []byte) ([]byte, string, error) {
	return nil, "", connectors.Permanent(fmt.Errorf("%s needs the delivery to write its envelope", e.format))
}

// EncodeDelivery writes the interchange of one delivery.
func (e ediEncoder) EncodeDelivery(ctx context.Context, r connectors.EncodeRequest) ([]byte, string, error) {
	var body map[string]any
	if err := json.Unmarshal(r.Canonical, &body); err != nil {
		return nil, "", connectors.Permanent(fmt.Errorf("reading the canonical document: %w", err))
	}
	cfg := e.h.cfg.Load()
	numbers := func(level string) (int64, error) {
		return e.h.st.ControlNumber(ctx, e.format+":"+r.Receiver+":"+level, r.DeliveryID, maxControl)
	}
	if e.format == connectors.FormatX12 {
		return encodeX12(cfg, r, body, numbers, e.h.now())
	}
	return encodeEDIFACT(cfg, r, body, numbers, e.h.now())
}

// EDIOptions are the settings of a one-off interchange written outside a
// delivery (`dealerhub edi from-json`).
type EDIOptions struct {
	Format   string
	Sender   string
	Receiver string
	Doctype  string
	// Control numbers every level of the envelope.
	Control int64
	Now     time.Time
}

// EncodeEDI writes a canonical document as the interchange the hub would
// send partner Receiver, with the given control number at every level.
func EncodeEDI(cfg *config.Config, o EDIOptions, canonical []byte) ([]byte, error) {
	var body map[string]any
	if err := json.Unmarshal(canonical, &body); err != nil {
		return nil, fmt.Errorf("reading the canonical document: %w", err)
	}
	numbers := func(string) (int64, error) { return o.Control, nil }
	r := connectors.EncodeRequest{Sender: o.Sender, Receiver: o.Receiver, Doctype: o.Doctype, Canonical: canonical}
	var out []byte
	var err error
	if o.Format == connectors.FormatX12 {
		out, _, err = encodeX12(cfg, r, body, numbers, o.Now)
	} else {
		out, _, err = encodeEDIFACT(cfg, r, body, numbers, o.Now)
	}
	return out, err
}

func encodeX12(cfg *config.Config, r connectors.EncodeRequest, body map[string]any, numbers func(string) (int64, error), now time.Time) ([]byte, string, error) {
	recv := cfg.PartnerEDI(r.Receiver).X12
	if recv == nil {
		return nil, "", connectors.Permanent(fmt.Errorf("partner %q has no edi.x12 settings", r.Receiver))
	}
	env := x12.Envelope{
		Receiver: connectors.EDIParty{Qualifier: recv.Qualifier, ID: recv.ID}, AppReceiver: recv.App(),
		Version: recv.Version, Usage: recv.Usage, AckRequested: recv.AckRequested, Date: now.UTC(),
		Delimiters: x12Delimiters(recv),
	}
	switch own := cfg.PartnerEDI(r.Sender).X12; {
	case own != nil:
		env.Sender, env.AppSender = connectors.EDIParty{Qualifier: own.Qualifier, ID: own.ID}, own.App()
	case cfg.EDI.X12 != nil:
		env.Sender, env.AppSender = connectors.EDIParty{Qualifier: cfg.EDI.X12.Qualifier, ID: cfg.EDI.X12.ID}, cfg.EDI.X12.App()
	default:
		return nil, "", connectors.Permanent(fmt.Errorf("no X12 identity to send from: give partner %q edi.x12 or the hub a top-level edi.x12", r.Sender))
	}
	var sets []x12.OutSet
	if r.Doctype == "acknowledgment" {
		var ack schemas.Acknowledgment
		if err := remarshal(body, &ack); err != nil {
			return nil, "", connectors.Permanent(err)
		}
		// An acknowledgment answers from the id the partner addressed.
		env.Sender = connectors.EDIParty{Qualifier: ack.Interchange.Receiver.Qualifier, ID: ack.Interchange.Receiver.ID}
		env.AppSender = ""
		sets = x12AckSets(ack)
		// Envelope problems (a truncated interchange, a duplicate control
		// number, counts) are the TA1's business.
		if len(ack.Errors) > 0 {
			env.TA1s = []connectors.EDISegment{x12.TA1(x12AckInterchange(ack), x12.AckOptions{})}
		}
	} else {
		o, err := recv.MapOptions()
		if err != nil {
			return nil, "", connectors.Permanent(err)
		}
		out, err := x12map.FromCanonical(r.Doctype, body, o)
		if err != nil {
			return nil, "", connectors.Permanent(err)
		}
		sets = []x12.OutSet{{Type: out.Type, Body: out.Body}}
	}
	isa, err := numbers("isa")
	if err != nil {
		return nil, "", err
	}
	gs, err := numbers("gs")
	if err != nil {
		return nil, "", err
	}
	st, err := numbers("st")
	if err != nil {
		return nil, "", err
	}
	env.InterchangeControl = isa
	if len(sets) > 0 {
		env.GroupControl = gs
	}
	for i := range sets {
		sets[i].Control = fmt.Sprintf("%04d", st)
	}
	var buf bytes.Buffer
	if err := x12.Write(&buf, env, sets); err != nil {
		return nil, "", connectors.Permanent(err)
	}
	return buf.Bytes(), contentTypeX12, nil
}

func x12Delimiters(p *config.X12Partner) x12.Delimiters {
	d := x12.DefaultDelimiters(p.Version)
	if p.Element != "" {
		d.Element = p.Element
	}
	if p.Component != "" {
		d.Component = p.Component
	}
	if p.Repetition != "" {
		d.Repetition = p.Repetition
	}
	if p.Segment != "" {
		d.Segment = p.Segment
	}
	if p.LineBreaks {
		d.Segment += "\n"
	}
	return d
}

// x12AckInterchange is the interchange an acknowledgment answers, with
// its envelope errors, as the x12 package's acknowledgments take it.
func x12AckInterchange(a schemas.Acknowledgment) x12.Interchange {
	ic := x12.Interchange{
		Sender:   connectors.EDIParty{Qualifier: a.Interchange.Sender.Qualifier, ID: a.Interchange.Sender.ID},
		Receiver: connectors.EDIParty{Qualifier: a.Interchange.Receiver.Qualifier, ID: a.Interchange.Receiver.ID},
		Date:     a.Interchange.Date, Time: a.Interchange.Time, Control: a.Interchange.Control, Version: a.Interchange.Version,
	}
	for _, e := range a.Errors {
		ic.Errors = append(ic.Errors, fromAckError(e))
	}
	return ic
}

// x12AckSets builds the 997 of each group an acknowledgment answers.
func x12AckSets(a schemas.Acknowledgment) []x12.OutSet {
	ic := x12AckInterchange(a)
	var out []x12.OutSet
	for _, ag := range a.Groups {
		g := x12.Group{FunctionalID: ag.FunctionalID, Control: ag.Control, Version: ag.Version, DeclaredSets: ag.SetsReceived}
		for _, e := range ag.Errors {
			g.Errors = append(g.Errors, fromAckError(e))
		}
		for _, as := range ag.Sets {
			s := x12.Set{EDITransaction: connectors.EDITransaction{Standard: connectors.StandardX12, Type: as.Type, ControlNumber: as.Control,
				Segments: []connectors.EDISegment{{Tag: "ST", Pos: 1}}}}
			for _, e := range as.Errors {
				s.Errors = append(s.Errors, fromAckError(e))
			}
			if as.Status == ackRejected && len(s.Errors) == 0 {
				s.Errors = append(s.Errors, &connectors.EDIError{Pos: 1, Tag: "ST", Code: "rejected", Message: "rejected with its interchange"})
			}
			g.Sets = append(g.Sets, s)
		}
		out = append(out, x12.Ack997(ic, g, x12.AckOptions{}))
	}
	return out
}

// fromAckError is an acknowledgment's error as the EDI writers take it:
// positions within the set (the set starts at 1).
func fromAckError(e schemas.AckError) *connectors.EDIError {
	return &connectors.EDIError{Pos: e.Position, Tag: e.Tag, Element: e.Element, Component: e.Component, Code: e.Code, Message: e.Message}
}

func encodeEDIFACT(cfg *config.Config, r connectors.EncodeRequest, body map[string]any, numbers func(string) (int64, error), now time.Time) ([]byte, string, error) {
	recv := cfg.PartnerEDI(r.Receiver).EDIFACT
	if recv == nil {
		return nil, "", connectors.Permanent(fmt.Errorf("partner %q has no edi.edifact settings", r.Receiver))
	}
	env := edifact.Envelope{
		Syntax: recv.Syntax, SyntaxVersion: recv.SyntaxVersion,
		Receiver: connectors.EDIParty{Qualifier: recv.Qualifier, ID: recv.ID},
		Date:     now.UTC(), AckRequested: recv.AckRequested, Test: recv.Test, LineBreaks: recv.LineBreaks,
	}
	switch own := cfg.PartnerEDI(r.Sender).EDIFACT; {
	case own != nil:
		env.Sender = connectors.EDIParty{Qualifier: own.Qualifier, ID: own.ID}
	case cfg.EDI.EDIFACT != nil:
		env.Sender = connectors.EDIParty{Qualifier: cfg.EDI.EDIFACT.Qualifier, ID: cfg.EDI.EDIFACT.ID}
	default:
		return nil, "", connectors.Permanent(fmt.Errorf("no EDIFACT identity to send from: give partner %q edi.edifact or the hub a top-level edi.edifact", r.Sender))
	}
	var msgs []edifact.OutMessage
	if r.Doctype == "acknowledgment" {
		var ack schemas.Acknowledgment
		if err := remarshal(body, &ack); err != nil {
			return nil, "", connectors.Permanent(err)
		}
		env.Sender = connectors.EDIParty{Qualifier: ack.Interchange.Receiver.Qualifier, ID: ack.Interchange.Receiver.ID}
		msgs = []edifact.OutMessage{edifactContrl(ack)}
	} else {
		o, err := recv.MapOptions()
		if err != nil {
			return nil, "", connectors.Permanent(err)
		}
		out, err := edifactmap.FromCanonical(r.Doctype, body, o)
		if err != nil {
			return nil, "", connectors.Permanent(err)
		}
		msgs = []edifact.OutMessage{{Type: out.Type, Version: out.Version, Release: out.Release, Agency: out.Agency,
			Association: out.Association, Body: out.Body}}
	}
	unb, err := numbers("unb")
	if err != nil {
		return nil, "", err
	}
	unh, err := numbers("unh")
	if err != nil {
		return nil, "", err
	}
	env.Control = strconv.FormatInt(unb, 10)
	msgs[0].Control = strconv.FormatInt(unh, 10)
	var buf bytes.Buffer
	if err := edifact.Write(&buf, env, msgs); err != nil {
		return nil, "", connectors.Permanent(err)
	}
	return buf.Bytes(), contentTypeEDIFACT, nil
}

// remarshal converts a decoded JSON object into a struct.
func remarshal(from map[string]any, into any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, into); err != nil {
		return fmt.Errorf("reading the document: %w", err)
	}
	return nil
}

// edifactContrl builds the CONTRL answering an acknowledgment's
// interchange, from what the acknowledgment recorded.
func edifactContrl(a schemas.Acknowledgment) edifact.OutMessage {
	ic := edifact.Interchange{
		Sender:   connectors.EDIParty{Qualifier: a.Interchange.Sender.Qualifier, ID: a.Interchange.Sender.ID},
		Receiver: connectors.EDIParty{Qualifier: a.Interchange.Receiver.Qualifier, ID: a.Interchange.Receiver.ID},
		Control:  a.Interchange.Control, Date: a.Interchange.Date, Time: a.Interchange.Time,
	}
	if syntax, version, ok := strings.Cut(a.Interchange.Version, ":"); ok {
		ic.Syntax, ic.SyntaxVersion = syntax, version
	}
	for _, e := range a.Errors {
		ic.Errors = append(ic.Errors, fromAckError(e))
	}
	for _, ag := range a.Groups {
		g := edifact.Group{MessageGroupID: ag.FunctionalID, Control: ag.Control, Implicit: ag.FunctionalID == ""}
		for _, e := range ag.Errors {
			g.Errors = append(g.Errors, fromAckError(e))
		}
		for _, as := range ag.Sets {
			version, release := "D", strings.TrimPrefix(as.Version, "D")
			unh := connectors.Seg("UNH", as.Control, connectors.Comp(as.Type, version, release, "UN"))
			unh.Pos = 1
			m := edifact.Message{EDITransaction: connectors.EDITransaction{Standard: connectors.StandardEDIFACT, Type: as.Type,
				ControlNumber: as.Control, Version: as.Version, Segments: []connectors.EDISegment{unh}}}
			for _, e := range as.Errors {
				m.Errors = append(m.Errors, fromAckError(e))
			}
			if as.Status == ackRejected && len(m.Errors) == 0 {
				m.Errors = append(m.Errors, &connectors.EDIError{Pos: 1, Tag: "UNH", Code: "rejected", Message: "rejected with its interchange"})
			}
			g.Messages = append(g.Messages, m)
		}
		ic.Groups = append(ic.Groups, g)
	}
	return edifact.Contrl(ic, edifact.ContrlOptions{})
}
