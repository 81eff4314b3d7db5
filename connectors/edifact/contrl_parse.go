package edifact

import (
	"fmt"
	"strconv"

	"github.com/dealerhub/dealerhub/connectors"
)

// ContrlStatus is what a CONTRL says about one level: its action
// (ActionRejected, ActionAcknowledged, ActionReceived), syntax error code
// (0085, "" if none), and where: a service segment tag (0013) and the
// element and component positions (S011).
type ContrlStatus struct {
	// Action is 0083: ActionRejected, ActionAcknowledged or
	// ActionReceived.
	Action string
	// Error is the syntax error code (0085), "" when none.
	Error string
	// Tag is the service segment the error is about (0013: "UNB").
	Tag string
	// Element and Component are S011's positions, 0 when not given.
	Element   int
	Component int
}

// Rejected reports action 4.
func (s ContrlStatus) Rejected() bool { return s.Action == ActionRejected }

// ContrlResult is an inbound CONTRL read by ParseContrl.
type ContrlResult struct {
	// InterchangeControl, Sender and Receiver name the interchange
	// acknowledged (UCI: our own interchange's reference and parties).
	InterchangeControl string
	Sender, Receiver   connectors.EDIParty
	ContrlStatus
	// Groups are the UCF reports; Messages the UCM reports outside any
	// group.
	Groups   []ContrlGroup
	Messages []ContrlMessage
}

// ContrlGroup is a UCF report with its messages.
type ContrlGroup struct {
	// Control is the group reference (0048); AppSender and AppReceiver
	// UCF's S006 and S007.
	Control                string
	AppSender, AppReceiver connectors.EDIParty
	ContrlStatus
	// Messages are the group's UCM reports.
	Messages []ContrlMessage
}

// ContrlMessage is a UCM report with its segment errors.
type ContrlMessage struct {
	// Control is the message reference (0062); Type, Version, Release,
	// Agency and Association its S009.
	Control                                     string
	Type, Version, Release, Agency, Association string
	ContrlStatus
	// Segments are the UCS reports, in order.
	Segments []ContrlSegment
}

// ContrlSegment is a UCS report: the segment's position in its message
// (UNH = 1), its error code, and the element errors (UCD).
type ContrlSegment struct {
	// Position is 0096, the segment's position in its message.
	Position int
	// Error is the segment's syntax error code, "" when only its
	// elements are reported.
	Error string
	// Elements are the UCD reports.
	Elements []ContrlElement
}

// ContrlElement is a UCD report.
type ContrlElement struct {
	// Element and Component are S011's positions.
	Element, Component int
	// Error is the syntax error code (0085).
	Error string
}

// ParseContrl reads a CONTRL message (pass a Message's EDITransaction).
// It returns a *connectors.EDIError for a message that is not a CONTRL
// or whose report segments are out of order or malformed.
func ParseContrl(msg connectors.EDITransaction) (ContrlResult, error) {
	var r ContrlResult
	if msg.Type != "CONTRL" {
		return r, &connectors.EDIError{Tag: "UNH", Element: 2, Code: "unsupported_set",
			Message: fmt.Sprintf("message type %q is not CONTRL", msg.Type)}
	}
	var group *ContrlGroup
	var message *ContrlMessage
	seenUCI := false
	for _, s := range msg.Body() {
		if s.Tag != "UCI" && !seenUCI {
			return r, segErr(s, 0, "missing_segment", "%s before UCI", s.Tag)
		}
		var err error
		switch s.Tag {
		case "UCI":
			if seenUCI {
				return r, segErr(s, 0, "unexpected_segment", "a second UCI")
			}
			seenUCI = true
			r.InterchangeControl, r.Sender, r.Receiver = s.Value(1), parsedParty(s, 2), parsedParty(s, 3)
			r.ContrlStatus, err = parseStatus(s, 4)
		case "UCF":
			r.Groups = append(r.Groups, ContrlGroup{Control: s.Value(1), AppSender: parsedParty(s, 2), AppReceiver: parsedParty(s, 3)})
			group, message = &r.Groups[len(r.Groups)-1], nil
			group.ContrlStatus, err = parseStatus(s, 4)
		case "UCM":
			m := ContrlMessage{Control: s.Value(1), Type: s.Component(2, 1), Version: s.Component(2, 2),
				Release: s.Component(2, 3), Agency: s.Component(2, 4), Association: s.Component(2, 5)}
			m.ContrlStatus, err = parseStatus(s, 3)
			if group != nil {
				group.Messages = append(group.Messages, m)
				message = &group.Messages[len(group.Messages)-1]
			} else {
				r.Messages = append(r.Messages, m)
				message = &r.Messages[len(r.Messages)-1]
			}
		case "UCS":
			if message == nil {
				return r, segErr(s, 0, "unexpected_segment", "UCS outside a UCM report")
			}
			pos, perr := strconv.Atoi(s.Value(1))
			if perr != nil || pos < 1 {
				return r, segErr(s, 1, "bad_value", "segment position %q is not a positive number", s.Value(1))
			}
			message.Segments = append(message.Segments, ContrlSegment{Position: pos, Error: s.Value(2)})
		case "UCD":
			if message == nil || len(message.Segments) == 0 {
				return r, segErr(s, 0, "unexpected_segment", "UCD outside a UCS report")
			}
			el := ContrlElement{Error: s.Value(1)}
			el.Element, el.Component, err = parsePosition(s, 2)
			seg := &message.Segments[len(message.Segments)-1]
			seg.Elements = append(seg.Elements, el)
		default:
			return r, segErr(s, 0, "unknown_segment", "segment %s is not part of a CONTRL message", s.Tag)
		}
		if err != nil {
			return r, err
		}
	}
	if !seenUCI {
		return r, &connectors.EDIError{Tag: "UCI", Code: "missing_segment", Message: "the CONTRL has no UCI"}
	}
	return r, nil
}

func parsedParty(s connectors.EDISegment, i int) connectors.EDIParty {
	return connectors.EDIParty{ID: s.Component(i, 1), Qualifier: s.Component(i, 2)}
}

// parseStatus reads action, error code, tag and S011 from element i on.
func parseStatus(s connectors.EDISegment, i int) (ContrlStatus, error) {
	st := ContrlStatus{Action: s.Value(i), Error: s.Value(i + 1), Tag: s.Value(i + 2)}
	switch st.Action {
	case ActionRejected, ActionAcknowledged, ActionReceived:
	default:
		return st, segErr(s, i, "bad_value", "action %q is not 4 (rejected), 7 (acknowledged) or 8 (received)", st.Action)
	}
	var err error
	st.Element, st.Component, err = parsePosition(s, i+3)
	return st, err
}

// parsePosition reads S011 (element, component) from element i.
func parsePosition(s connectors.EDISegment, i int) (int, int, error) {
	num := func(j int) (int, error) {
		v := s.Component(i, j)
		if v == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, segErr(s, i, "bad_value", "position %q is not a number", v)
		}
		return n, nil
	}
	el, err := num(1)
	if err != nil {
		return 0, 0, err
	}
	comp, err := num(2)
	return el, comp, err
}
