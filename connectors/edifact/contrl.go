package edifact

import (
	"slices"
	"strconv"

	"github.com/dealerhub/dealerhub/connectors"
)

// Action codes (0083) of a CONTRL report.
const (
	// ActionRejected: this level and all lower levels are rejected.
	ActionRejected = "4"
	// ActionAcknowledged: this level is acknowledged, and lower levels
	// too unless the report rejects them.
	ActionAcknowledged = "7"
	// ActionReceived: the interchange was received; nothing was checked.
	ActionReceived = "8"
)

// syntaxErrorCodes maps the codes of Read's errors to syntax error codes
// (0085).
var syntaxErrorCodes = map[string]string{
	"bad_syntax":         "2",  // syntax version or level not supported
	"bad_value":          "12", // invalid value
	"missing_value":      "13", // missing
	"missing_segment":    "13",
	"truncated":          "13",
	"unknown_segment":    "15", // not supported in this position
	"too_many_elements":  "16", // too many constituents
	"bad_una":            "20", // character invalid as service character
	"bad_character":      "21", // invalid character(s)
	"release_at_end":     "22", // invalid service character(s)
	"duplicate_control":  "26", // duplicate detected
	"control_mismatch":   "28", // references do not match
	"count_mismatch":     "29", // control count does not match
	"mixed_groups":       "30", // functional groups and messages mixed
	"empty":              "32", // lower level empty
	"unexpected_segment": "33", // invalid occurrence outside message or group
}

// SyntaxErrorCode returns the CONTRL syntax error code (0085) for an
// EDIError code: "count_mismatch" → "29". A code that is already a
// number ("26", "23") is returned as it is; anything else is "18",
// unspecified error.
func SyntaxErrorCode(code string) string {
	if c, ok := syntaxErrorCodes[code]; ok {
		return c
	}
	if code != "" && digits(code) && len(code) <= 3 {
		return code
	}
	return "18"
}

// ContrlOptions tune Contrl. The zero value acknowledges an interchange
// the way it was read.
type ContrlOptions struct {
	// Control is the CONTRL message's own reference (default "1").
	Control string
	// SyntaxVersion picks CONTRL D:3:UN or D:4:UN (default: "4" when the
	// interchange is syntax 4, else "3").
	SyntaxVersion string
	// Received answers only "received" (action 8), without reporting
	// groups or messages.
	Received bool
	// OnlyErrors reports only rejected groups and messages; by default
	// every one is reported, accepted or not.
	OnlyErrors bool
	// InterchangeError is a syntax error code the caller found about the
	// whole interchange ("23" unknown sender, "26" duplicate, or an
	// EDIError code); it rejects the interchange.
	InterchangeError string
}

// Contrl builds the CONTRL message answering ic: UCI for the
// interchange, UCF per functional group, UCM per message, and UCS (the
// segment's position in its message, UNH = 1) and UCD (element and
// component) for the errors Read found in message bodies. Write it with
// ic.Reply as the envelope.
func Contrl(ic Interchange, o ContrlOptions) OutMessage {
	if o.Control == "" {
		o.Control = "1"
	}
	if o.SyntaxVersion == "" {
		o.SyntaxVersion = "3"
		if ic.SyntaxVersion == "4" {
			o.SyntaxVersion = "4"
		}
	}
	out := OutMessage{Type: "CONTRL", Version: "D", Release: o.SyntaxVersion, Agency: "UN", Control: o.Control}
	errs := ic.Errors
	if o.InterchangeError != "" {
		errs = append([]*connectors.EDIError{{Tag: "UNB", Code: o.InterchangeError}}, errs...)
	}
	action := ActionAcknowledged
	switch {
	case len(errs) > 0:
		action = ActionRejected
	case o.Received:
		action = ActionReceived
	}
	uci := connectors.Seg("UCI", ic.Control, party(ic.Sender), party(ic.Receiver), action)
	out.Body = append(out.Body, withError(uci, first(errs), "UNB", "UNZ"))
	if action == ActionReceived {
		return out
	}
	all := action == ActionAcknowledged && !o.OnlyErrors
	for _, g := range ic.Groups {
		rejected := len(g.Errors) > 0 || slices.ContainsFunc(g.Messages, func(m Message) bool { return len(m.Errors) > 0 })
		if !g.Implicit && (all || rejected) {
			act := ActionAcknowledged
			if len(g.Errors) > 0 {
				act = ActionRejected
			}
			ucf := connectors.Seg("UCF", g.Control, party(g.AppSender), party(g.AppReceiver), act)
			out.Body = append(out.Body, withError(ucf, first(g.Errors), "UNG", "UNE"))
		}
		for _, m := range g.Messages {
			if all || len(m.Errors) > 0 {
				out.Body = append(out.Body, messageReport(m)...)
			}
		}
	}
	return out
}

func first(errs []*connectors.EDIError) *connectors.EDIError {
	if len(errs) == 0 {
		return nil
	}
	return errs[0]
}

// withError adds a syntax error code, the service segment tag (when it
// is one of tags) and the element position to a UCI, UCF or UCM.
func withError(s connectors.EDISegment, e *connectors.EDIError, tags ...string) connectors.EDISegment {
	if e == nil {
		return s
	}
	tag, pos := "", ""
	if slices.Contains(tags, e.Tag) {
		tag = e.Tag
		pos = position(e)
	}
	more := connectors.Seg("", SyntaxErrorCode(e.Code), tag, pos)
	s.Elements = append(s.Elements, more.Elements...)
	return s
}

// position is S011: the element position and component position.
func position(e *connectors.EDIError) string {
	if e.Element == 0 {
		return ""
	}
	if e.Component == 0 {
		return strconv.Itoa(e.Element)
	}
	return connectors.Comp(strconv.Itoa(e.Element), strconv.Itoa(e.Component))
}

// Bounds of CONTRL's segment groups: UCS per UCM, UCD per UCS.
const (
	maxUCS = 999
	maxUCD = 99
)

// messageReport is a UCM and, for errors in segments, UCS and UCD.
func messageReport(m Message) []connectors.EDISegment {
	unh := m.Segments[0]
	s009 := connectors.Comp(unh.Component(2, 1), unh.Component(2, 2), unh.Component(2, 3), unh.Component(2, 4), unh.Component(2, 5))
	act := ActionAcknowledged
	if len(m.Errors) > 0 {
		act = ActionRejected
	}
	var envelope *connectors.EDIError
	type segErrors struct {
		pos  int
		errs []*connectors.EDIError
	}
	var segs []*segErrors
	for _, e := range m.Errors {
		if e.Tag == "UNH" || e.Tag == "UNT" || e.Pos < unh.Pos || e.Code == "missing_segment" || e.Code == "truncated" {
			if envelope == nil {
				envelope = e
			}
			continue
		}
		pos := e.Pos - unh.Pos + 1
		i := slices.IndexFunc(segs, func(s *segErrors) bool { return s.pos == pos })
		if i < 0 {
			segs = append(segs, &segErrors{pos: pos})
			i = len(segs) - 1
		}
		segs[i].errs = append(segs[i].errs, e)
	}
	ucm := connectors.Seg("UCM", m.ControlNumber, s009, act)
	out := []connectors.EDISegment{withError(ucm, envelope, "UNH", "UNT")}
	slices.SortStableFunc(segs, func(a, b *segErrors) int { return a.pos - b.pos })
	for _, s := range segs[:min(len(segs), maxUCS)] {
		code := ""
		if s.errs[0].Element == 0 {
			code = SyntaxErrorCode(s.errs[0].Code)
		}
		out = append(out, connectors.Seg("UCS", strconv.Itoa(s.pos), code))
		n := 0
		for _, e := range s.errs {
			if e.Element == 0 || n == maxUCD {
				continue
			}
			n++
			out = append(out, connectors.Seg("UCD", SyntaxErrorCode(e.Code), position(e)))
		}
	}
	return out
}
