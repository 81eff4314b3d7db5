package x12

import (
	"fmt"
	"strconv"

	"github.com/dealerhub/dealerhub/connectors"
)

// Ack997Result is what an inbound 997 (or 999) says about a group we
// sent: match it by GroupControl, and each set by Control.
type Ack997Result struct {
	// FunctionalID, GroupControl and Version are AK101–AK103: the
	// acknowledged group's GS01, GS06 and GS08.
	FunctionalID string
	GroupControl string
	Version      string
	// Sets are the AK2 loops in order.
	Sets []AckSet
	// Status is AK901: A accepted, E accepted with errors, P partially
	// accepted, R rejected.
	Status string
	// Included, Received and Accepted are AK902–AK904.
	Included, Received, Accepted int
	// Codes are AK905–AK909, the group's syntax error codes.
	Codes []string
}

// AckSet is one AK2 loop: the answer about one transaction set.
type AckSet struct {
	// Type and Control are AK201 and AK202 (ST01, ST02 of the set);
	// Convention is AK203.
	Type, Control, Convention string
	// Status is AK501 (IK501 in a 999): A, E, M, R, W or X.
	Status string
	// Codes are AK502–AK506.
	Codes []string
	// Segments are the AK3 (IK3) loops.
	Segments []AckSegment
}

// Accepted reports whether the set was accepted, with or without noted
// errors.
func (s AckSet) Accepted() bool { return s.Status == "A" || s.Status == "E" }

// AckSegment is one AK3 (IK3): a segment in error.
type AckSegment struct {
	// Tag is AK301, Pos AK302 (position in the set, ST is 1), Loop AK303,
	// Code AK304.
	Tag  string
	Pos  int
	Loop string
	Code string
	// Elements are its AK4 (IK4) segments.
	Elements []AckElement
}

// AckElement is one AK4 (IK4): an element in error.
type AckElement struct {
	// Pos, Component and Repeat are AK401's element, component and
	// repetition positions (0 when absent).
	Pos, Component, Repeat int
	// Ref is AK402 (the data element reference number), Code AK403, Data
	// AK404 (a copy of the bad data).
	Ref, Code, Data string
}

// Set returns the answer about the set whose ST02 is control.
func (r Ack997Result) Set(control string) (AckSet, bool) {
	for _, s := range r.Sets {
		if sameControl(s.Control, control) {
			return s, true
		}
	}
	return AckSet{}, false
}

// ParseAck interprets an inbound 997 or 999 transaction set. A set of
// another type, or one without AK1 or AK9, or with a count that is not a
// number, is a *connectors.EDIError.
func ParseAck(t connectors.EDITransaction) (Ack997Result, error) {
	var r Ack997Result
	if t.Type != "997" && t.Type != "999" {
		return r, &connectors.EDIError{Code: "unsupported_set",
			Message: fmt.Sprintf("transaction set %s %s is not a 997 or 999 acknowledgment", t.Type, t.ControlNumber)}
	}
	p := ackParser{r: &r}
	for _, seg := range t.Segments {
		if err := p.segment(seg); err != nil {
			return r, err
		}
	}
	for _, need := range []struct {
		seen bool
		tag  string
	}{{p.ak1, "AK1"}, {p.ak9, "AK9"}} {
		if !need.seen {
			return r, &connectors.EDIError{Tag: need.tag, Code: "missing_segment",
				Message: fmt.Sprintf("acknowledgment %s has no %s segment", t.ControlNumber, need.tag)}
		}
	}
	return r, nil
}

type ackParser struct {
	r        *Ack997Result
	ak1, ak9 bool
}

func (p *ackParser) segment(seg connectors.EDISegment) error {
	r := p.r
	switch seg.Tag {
	case "AK1":
		p.ak1 = true
		r.FunctionalID, r.GroupControl, r.Version = seg.Value(1), seg.Value(2), seg.Value(3)
	case "AK2":
		r.Sets = append(r.Sets, AckSet{Type: seg.Value(1), Control: seg.Value(2), Convention: seg.Value(3)})
	case "AK3", "IK3":
		set, err := p.openSet(seg)
		if err != nil {
			return err
		}
		pos, err := number(seg, 2, false)
		if err != nil {
			return err
		}
		set.Segments = append(set.Segments, AckSegment{Tag: seg.Value(1), Pos: pos, Loop: seg.Value(3), Code: seg.Value(4)})
	case "AK4", "IK4":
		set, err := p.openSet(seg)
		if err != nil {
			return err
		}
		if len(set.Segments) == 0 {
			return errAt(seg, 0, "unexpected_segment", seg.Tag+" without an AK3 before it")
		}
		el := AckElement{Ref: seg.Value(2), Code: seg.Value(3), Data: seg.Value(4)}
		for i, dst := range []*int{&el.Pos, &el.Component, &el.Repeat} {
			if v := seg.Component(1, i+1); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					return errAt(seg, 1, "bad_value", fmt.Sprintf("%s01 %q is not a position", seg.Tag, v))
				}
				*dst = n
			}
		}
		last := &set.Segments[len(set.Segments)-1]
		last.Elements = append(last.Elements, el)
	case "AK5", "IK5":
		set, err := p.openSet(seg)
		if err != nil {
			return err
		}
		set.Status = seg.Value(1)
		set.Codes = values(seg, 2, 6)
	case "AK9":
		p.ak9 = true
		r.Status = seg.Value(1)
		var err error
		for i, dst := range []*int{&r.Included, &r.Received, &r.Accepted} {
			if *dst, err = number(seg, i+2, true); err != nil {
				return err
			}
		}
		r.Codes = values(seg, 5, 9)
	}
	return nil
}

// openSet returns the AK2 loop a segment belongs to.
func (p *ackParser) openSet(seg connectors.EDISegment) (*AckSet, error) {
	if len(p.r.Sets) == 0 {
		return nil, errAt(seg, 0, "unexpected_segment", seg.Tag+" without an AK2 before it")
	}
	return &p.r.Sets[len(p.r.Sets)-1], nil
}

// number reads element i as a count; an empty one is 0 when optional.
func number(seg connectors.EDISegment, i int, optional bool) (int, error) {
	v := seg.Value(i)
	if v == "" && optional {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errAt(seg, i, "bad_value", fmt.Sprintf("%s%02d %q is not a number", seg.Tag, i, v))
	}
	return n, nil
}

// values returns the non-empty values of elements from..to.
func values(seg connectors.EDISegment, from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		if v := seg.Value(i); v != "" {
			out = append(out, v)
		}
	}
	return out
}
