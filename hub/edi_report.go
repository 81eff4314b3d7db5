package hub

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
	"github.com/dealerhub/dealerhub/connectors/x12"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/schemas"
)

// EDIReport is what an EDI file reads and maps to, without storing
// anything: `dealerhub edi to-json` prints it.
type EDIReport struct {
	Format       string                 `json:"format"`
	Interchanges []EDIInterchangeReport `json:"interchanges"`
	// Errors are problems outside any interchange, or why the file could
	// not be read at all.
	Errors []*connectors.EDIError `json:"errors,omitempty"`
}

// EDIInterchangeReport is one interchange: its envelope, the partners its
// ids name in the config (when they do), and its groups.
type EDIInterchangeReport struct {
	Standard        string                 `json:"standard"`
	Control         string                 `json:"control"`
	Sender          connectors.EDIParty    `json:"sender"`
	Receiver        connectors.EDIParty    `json:"receiver"`
	Date            string                 `json:"date,omitempty"`
	Time            string                 `json:"time,omitempty"`
	Version         string                 `json:"version,omitempty"`
	SenderPartner   string                 `json:"sender_partner,omitempty"`
	ReceiverPartner string                 `json:"receiver_partner,omitempty"`
	Errors          []*connectors.EDIError `json:"errors,omitempty"`
	Groups          []EDIGroupReport       `json:"groups"`

	ic      ediInterchange
	parties ediParties
	outcome []setOutcome
}

// EDIGroupReport is one functional group.
type EDIGroupReport struct {
	FunctionalID string                 `json:"functional_id,omitempty"`
	Control      string                 `json:"control"`
	Version      string                 `json:"version,omitempty"`
	Errors       []*connectors.EDIError `json:"errors,omitempty"`
	Sets         []EDISetReport         `json:"sets"`
}

// EDISetReport is one transaction set: the documents it maps to, or the
// errors that reject it.
type EDISetReport struct {
	Type      string                 `json:"type"`
	Control   string                 `json:"control"`
	Version   string                 `json:"version,omitempty"`
	Documents []EDIDocument          `json:"documents,omitempty"`
	Errors    []*connectors.EDIError `json:"errors,omitempty"`
}

// EDIDocument is a canonical document mapped from a set.
type EDIDocument struct {
	Doctype  string         `json:"doctype"`
	Document map[string]any `json:"document"`
}

// Err joins every error of the report; nil when the file is clean and
// every set mapped.
func (r EDIReport) Err() error {
	var errs []error
	for _, e := range r.Errors {
		errs = append(errs, e)
	}
	for _, ic := range r.Interchanges {
		for _, e := range ic.Errors {
			errs = append(errs, fmt.Errorf("interchange %s: %w", ic.Control, e))
		}
		for _, g := range ic.Groups {
			for _, e := range g.Errors {
				errs = append(errs, fmt.Errorf("interchange %s, group %s: %w", ic.Control, g.Control, e))
			}
			for _, s := range g.Sets {
				for _, e := range s.Errors {
					errs = append(errs, fmt.Errorf("interchange %s, group %s, %s %s: %w", ic.Control, g.Control, s.Type, s.Control, e))
				}
			}
		}
	}
	return errors.Join(errs...)
}

// ReadEDI reads an X12 or EDIFACT file (format "" sniffs it) and maps
// every set as the pipeline would, without storing anything. cfg (may be
// nil) names the partners by their ids and gives their mapping
// overrides; documents of an interchange whose ids no partner has carry
// the ids as sender and receiver. reg validates the documents.
func ReadEDI(cfg *config.Config, reg *schemas.Registry, format string, r io.Reader) (EDIReport, error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return EDIReport{}, err
	}
	if format == "" {
		if format = SniffEDI(body); format == "" {
			return EDIReport{}, &connectors.EDIError{Code: "not_edi", Message: "the file is neither X12 (ISA) nor EDIFACT (UNA, UNB)"}
		}
	}
	if cfg == nil {
		cfg = &config.Config{}
	}
	rep := EDIReport{Format: format}
	file, err := readEDI(format, bytes.NewReader(body))
	if err != nil {
		var e *connectors.EDIError
		if !errors.As(err, &e) {
			e = &connectors.EDIError{Code: "not_edi", Message: err.Error()}
		}
		rep.Errors = append(rep.Errors, e)
		return rep, nil
	}
	rep.Errors = append(rep.Errors, file.errors...)
	d := ediDecoder{format: format}
	for _, ic := range file.interchanges {
		p := reportParties(d, cfg, ic)
		x := EDIInterchangeReport{
			Standard: ic.standard, Control: ic.control, Sender: ic.sender, Receiver: ic.receiver,
			Date: ic.date, Time: ic.time, Version: ic.version, SenderPartner: p.known(p.sender, ic.sender),
			ReceiverPartner: p.known(p.receiver, ic.receiver), Errors: ic.errors, ic: ic, parties: p,
		}
		if len(ic.errors) == 0 {
			x.outcome = mapInterchange(format, ic, p, previewValidate(reg))
		}
		for gi, g := range ic.groups {
			gr := EDIGroupReport{FunctionalID: g.functionalID, Control: g.control, Version: g.version, Errors: g.errors}
			for si, s := range g.sets {
				sr := EDISetReport{Type: s.tx.Type, Control: s.tx.ControlNumber, Version: setVersion(s.tx)}
				for _, o := range x.outcome {
					if o.group == gi && o.set == si {
						sr.Errors = o.errs
						for _, doc := range o.docs {
							sr.Documents = append(sr.Documents, EDIDocument{Doctype: doc.Doctype, Document: doc.Doc})
						}
					}
				}
				gr.Sets = append(gr.Sets, sr)
			}
			x.Groups = append(x.Groups, gr)
		}
		rep.Interchanges = append(rep.Interchanges, x)
	}
	return rep, nil
}

// previewValidate validates a document whose sender or receiver may be
// interchange ids no partner has ("ZZ:NORTH"): they stand in for
// partners, so the rest of the document is checked.
func previewValidate(reg *schemas.Registry) func(string, any) []schemas.Violation {
	return func(doctype string, doc any) []schemas.Violation {
		m, ok := doc.(map[string]any)
		if !ok {
			return reg.Validate(doctype, doc)
		}
		c := make(map[string]any, len(m))
		for k, v := range m {
			c[k] = v
		}
		for _, k := range []string{"sender", "receiver"} {
			if id, _ := c[k].(string); id != "" && !IsPartnerID(id) {
				c[k] = "edi-party"
			}
		}
		return reg.Validate(doctype, c)
	}
}

// reportParties names an interchange's partners from the config; ids no
// partner has stand for themselves.
func reportParties(d ediDecoder, cfg *config.Config, ic ediInterchange) ediParties {
	p := ediParties{sender: partyString(ic.sender), receiver: partyString(ic.receiver)}
	if d.format == connectors.FormatX12 {
		if id, x, ok := cfg.X12Partner(ic.sender.Qualifier, ic.sender.ID); ok {
			p.sender, p.x12 = id, x
		}
	} else if id, e, ok := cfg.EDIFACTPartner(ic.sender.Qualifier, ic.sender.ID); ok {
		p.sender, p.edifact = id, e
	}
	if id, ok := d.receiver(cfg, ic); ok {
		p.receiver = id
	}
	return p
}

// known returns a partner id, or "" when it is only the party's ids.
func (p ediParties) known(id string, party connectors.EDIParty) string {
	if id == partyString(party) {
		return ""
	}
	return id
}

// EDIAck writes the acknowledgment each interchange of a report should
// get (997 per group, or CONTRL), as one EDI document per interchange.
func EDIAck(cfg *config.Config, rep EDIReport, now time.Time) ([]byte, error) {
	var out bytes.Buffer
	for i, x := range rep.Interchanges {
		ack := newAck(x.ic, "", x.parties)
		if len(x.ic.errors) > 0 {
			rejectAllAck(&ack, x.ic.errors...)
		}
		for _, o := range x.outcome {
			if len(o.errs) > 0 {
				rejectSetAck(&ack, o.group, o.set, firstPos(x.ic.groups[o.group].sets[o.set].tx), o.errs)
			}
		}
		if onlyAcks(ack) {
			continue // an acknowledgment is not acknowledged
		}
		ctl := int64(i + 1)
		var err error
		if x.Standard == connectors.StandardX12 {
			err = writeX12Ack(&out, cfg, x, ack, ctl, now)
		} else {
			err = writeEDIFACTAck(&out, x, ack, ctl, now)
		}
		if err != nil {
			return nil, err
		}
	}
	return out.Bytes(), nil
}

func writeX12Ack(w io.Writer, cfg *config.Config, x EDIInterchangeReport, ack schemas.Acknowledgment, ctl int64, now time.Time) error {
	env := x12.Envelope{Sender: x.Receiver, Receiver: x.Sender, InterchangeControl: ctl, GroupControl: ctl, Date: now.UTC()}
	if p := cfg.PartnerEDI(x.SenderPartner).X12; p != nil {
		env.Delimiters, env.Version = x12Delimiters(p), p.Version
	}
	sets := x12AckSets(ack)
	for i := range sets {
		sets[i].Control = fmt.Sprintf("%04d", i+1)
	}
	if len(ack.Errors) > 0 {
		env.TA1s = []connectors.EDISegment{x12.TA1(x12AckInterchange(ack), x12.AckOptions{})}
	}
	if len(sets) == 0 {
		env.GroupControl = 0
	}
	return x12.Write(w, env, sets)
}

func writeEDIFACTAck(w io.Writer, x EDIInterchangeReport, ack schemas.Acknowledgment, ctl int64, now time.Time) error {
	env := edifact.Envelope{Sender: x.Receiver, Receiver: x.Sender, Control: fmt.Sprint(ctl), Date: now.UTC()}
	if syntax, version, ok := cutVersion(x.Version); ok {
		env.Syntax, env.SyntaxVersion = syntax, version
	}
	return edifact.Write(w, env, []edifact.OutMessage{edifactContrl(ack)})
}

// cutVersion splits an EDIFACT "UNOC:3" into syntax and version.
func cutVersion(v string) (string, string, bool) { return strings.Cut(v, ":") }
