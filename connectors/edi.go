package connectors

import (
	"fmt"
	"strings"
)

// Formats of EDI messages: the raw message's format and a route's format.
const (
	FormatX12     = "x12"
	FormatEDIFACT = "edifact"
)

// EDI standards, as EDITransaction.Standard names them.
const (
	StandardX12     = "x12"
	StandardEDIFACT = "edifact"
)

// EDIElement is one data element as read: its repetitions, each a list
// of components, release characters already removed. A simple element
// is one repetition of one component; an empty element is nil.
type EDIElement [][]string

// EDISegment is one segment of an X12 or EDIFACT interchange: the
// neutral record the x12 and edifact readers produce and the EDI
// mappings consume and produce.
type EDISegment struct {
	// Tag is the segment identifier: "BEG", "PO1", "UNH", "LIN".
	Tag string
	// Elements[i] is data element i+1 (X12 BEG01 is Elements[0];
	// EDIFACT BGM's first element C002 is Elements[0]).
	Elements []EDIElement
	// Pos is the segment's 1-based position in its interchange (ISA or
	// UNA/UNB is 1); Offset is the byte offset of its first byte in the
	// file. Zero for a segment built in memory.
	Pos    int
	Offset int64
}

// Seg builds a segment of simple elements; a value containing the
// component separator written as "\x1f" (Unit Separator) is split into
// components ("CB\x1f123" is the composite CB:123). Writers use it.
func Seg(tag string, values ...string) EDISegment {
	s := EDISegment{Tag: tag, Elements: make([]EDIElement, len(values))}
	for i, v := range values {
		if v == "" {
			continue
		}
		s.Elements[i] = EDIElement{strings.Split(v, "\x1f")}
	}
	return s
}

// Comp joins components for Seg: Comp("137", "20260105", "102").
func Comp(components ...string) string { return strings.Join(components, "\x1f") }

// Value returns element i (1-based): its first repetition's first
// component, "" when absent.
func (s EDISegment) Value(i int) string { return s.Component(i, 1) }

// Component returns component j (1-based) of element i's first
// repetition, "" when absent.
func (s EDISegment) Component(i, j int) string {
	if i < 1 || i > len(s.Elements) || len(s.Elements[i-1]) == 0 {
		return ""
	}
	rep := s.Elements[i-1][0]
	if j < 1 || j > len(rep) {
		return ""
	}
	return rep[j-1]
}

// Repeats returns every repetition of element i (1-based).
func (s EDISegment) Repeats(i int) [][]string {
	if i < 1 || i > len(s.Elements) {
		return nil
	}
	return s.Elements[i-1]
}

// Where names the segment for an error: "segment 12 (PO1)".
func (s EDISegment) Where() string {
	if s.Pos == 0 {
		return s.Tag
	}
	return fmt.Sprintf("segment %d (%s)", s.Pos, s.Tag)
}

// EDIParty is an interchange or group party: an identifier and its
// qualifier (X12 ISA05/ISA06 "ZZ", "SENDER"; EDIFACT UNB S002 "14",
// "5400110000009").
type EDIParty struct {
	Qualifier string `json:"qualifier,omitempty"`
	ID        string `json:"id"`
}

// EDITransaction is one X12 transaction set (ST…SE) or EDIFACT message
// (UNH…UNT) with the envelope it came in.
type EDITransaction struct {
	// Standard is StandardX12 or StandardEDIFACT.
	Standard string `json:"standard"`
	// Type is the set or message type: "850", "856", "ORDERS", "DESADV".
	Type string `json:"type"`
	// Version is X12's GS08 ("004010", "005010") or EDIFACT's
	// directory ("D96A", "D01B": UNH S009 version and release).
	Version string `json:"version"`
	// Association is EDIFACT's association code ("EAN008"), if any.
	Association string `json:"association,omitempty"`
	// ControlNumber is ST02 or UNH 0062.
	ControlNumber string `json:"control_number"`
	// GroupType and GroupControl are GS01 and GS06 (EDIFACT: UNG's
	// message group id and 0048, empty without UNG).
	GroupType    string `json:"group_type,omitempty"`
	GroupControl string `json:"group_control,omitempty"`
	// InterchangeControl is ISA13 or UNB 0020.
	InterchangeControl string `json:"interchange_control"`
	// Sender and Receiver are the interchange's (ISA05/06, ISA07/08; UNB
	// S002, S003); GroupSender and GroupReceiver GS02/GS03 (UNG).
	Sender        EDIParty `json:"sender"`
	Receiver      EDIParty `json:"receiver"`
	GroupSender   string   `json:"group_sender,omitempty"`
	GroupReceiver string   `json:"group_receiver,omitempty"`
	// Test reports a test interchange (ISA15 "T"; UNB 0035 "1").
	Test bool `json:"test,omitempty"`
	// Segments are the set's segments from ST to SE (UNH to UNT)
	// inclusive.
	Segments []EDISegment `json:"-"`
}

// Body returns the segments between ST and SE (UNH and UNT).
func (t EDITransaction) Body() []EDISegment {
	if len(t.Segments) < 2 {
		return nil
	}
	return t.Segments[1 : len(t.Segments)-1]
}

// EDIError is a data error in an interchange, located to the segment and
// element.
type EDIError struct {
	// Pos and Offset locate the segment (see EDISegment); Tag is its
	// tag; Element and Component (1-based, 0 when not about one) the
	// element within it.
	Pos       int    `json:"pos,omitempty"`
	Offset    int64  `json:"offset,omitempty"`
	Tag       string `json:"tag,omitempty"`
	Element   int    `json:"element,omitempty"`
	Component int    `json:"component,omitempty"`
	// Code is a short machine code ("count_mismatch", "control_mismatch",
	// "truncated", "bad_isa", "unknown_segment", "release_at_end",
	// "not_edi", "bad_value", "missing_segment", "unsupported_set").
	Code string `json:"code"`
	// Message says what is wrong, for people.
	Message string `json:"message"`
}

// Where locates the problem without saying what it is: "segment 12 (SE)
// element 1 at byte 340"; "" when it has no location.
func (e *EDIError) Where() string {
	var b strings.Builder
	switch {
	case e.Pos > 0 && e.Tag != "":
		fmt.Fprintf(&b, "segment %d (%s)", e.Pos, e.Tag)
	case e.Pos > 0:
		fmt.Fprintf(&b, "segment %d", e.Pos)
	case e.Tag != "":
		b.WriteString(e.Tag)
	}
	if e.Element > 0 {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "element %d", e.Element)
		if e.Component > 0 {
			fmt.Fprintf(&b, " component %d", e.Component)
		}
	}
	if e.Offset > 0 {
		fmt.Fprintf(&b, " at byte %d", e.Offset)
	}
	return strings.TrimSpace(b.String())
}

// Error locates the problem: "segment 12 (SE) element 1: …".
func (e *EDIError) Error() string {
	if w := e.Where(); w != "" {
		return w + ": " + e.Message
	}
	return e.Message
}
