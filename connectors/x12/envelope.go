package x12

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/connectors"
)

// builder assembles segments into interchanges, groups and sets, and
// collects what is wrong with the envelopes.
type builder struct {
	o        Options
	f        *File
	ic       *Interchange
	g        *Group
	s        *Set
	known    map[string]bool // tags of the open set's type, nil: unchecked
	controls map[string]bool // ST02 values seen in the open group
	// skipping drops segments after one that was out of place, until the
	// next envelope segment, so that a stray block is one error.
	skipping bool
	// segs holds the open set's segments from segs[setStart] on; closed
	// sets keep capped slices of it, so that sets share a few large
	// arrays instead of each growing its own.
	segs     []connectors.EDISegment
	setStart int
	// knownByType caches KnownSegments for this read.
	knownByType map[string]map[string]bool
}

// appendSeg adds a segment to the open set.
func (b *builder) appendSeg(seg connectors.EDISegment) {
	if len(b.segs) == cap(b.segs) {
		open := b.segs[b.setStart:]
		grown := make([]connectors.EDISegment, len(open), max(4096, 2*len(open)))
		copy(grown, open)
		b.segs, b.setStart = grown, 0
	}
	b.segs = append(b.segs, seg)
}

// takeSegs returns the open set's segments and starts the next set.
func (b *builder) takeSegs() []connectors.EDISegment {
	n := len(b.segs)
	out := b.segs[b.setStart:n:n]
	b.setStart = n
	return out
}

// knownFor returns the tags a set type may hold, asking KnownSegments
// once per type.
func (b *builder) knownFor(setType string) map[string]bool {
	if m, ok := b.knownByType[setType]; ok {
		return m
	}
	if b.knownByType == nil {
		b.knownByType = map[string]map[string]bool{}
	}
	m := b.o.KnownSegments(setType)
	b.knownByType[setType] = m
	return m
}

func (b *builder) add(seg connectors.EDISegment, t *Tokenizer) {
	switch seg.Tag {
	case "ISA":
		b.startInterchange(seg, t.Delimiters())
	case "IEA":
		b.endInterchange(seg)
	case "GS":
		b.startGroup(seg)
	case "GE":
		b.endGroup(seg)
	case "ST":
		b.startSet(seg)
	case "SE":
		b.endSet(seg)
	default:
		b.body(seg)
		return
	}
}

// finish closes whatever the end of the input left open.
func (b *builder) finish() {
	if b.ic != nil {
		b.cutInterchange(nil)
	}
}

func (b *builder) startInterchange(seg connectors.EDISegment, d Delimiters) {
	b.skipping = false
	if b.ic != nil {
		b.cutInterchange(&seg)
	}
	v := func(i int) string { return seg.Value(i) }
	b.ic = &Interchange{
		Sender:         connectors.EDIParty{Qualifier: strings.TrimSpace(v(5)), ID: strings.TrimSpace(v(6))},
		Receiver:       connectors.EDIParty{Qualifier: strings.TrimSpace(v(7)), ID: strings.TrimSpace(v(8))},
		Date:           v(9),
		Time:           v(10),
		Standards:      v(11),
		Version:        v(12),
		Control:        v(13),
		AckRequested:   v(14) == "1",
		Usage:          v(15),
		Delimiters:     d,
		DeclaredGroups: -1,
		Pos:            seg.Pos,
		Offset:         seg.Offset,
	}
	for _, c := range []struct {
		el    int
		ok    bool
		about string
	}{
		{9, digits(v(9), 6, 6), "the interchange date must be YYMMDD"},
		{10, digits(v(10), 4, 4), "the interchange time must be HHMM"},
		{12, digits(v(12), 5, 5), "the control version number must be 5 digits"},
		{13, digits(v(13), 9, 9), "the interchange control number must be 9 digits"},
		{14, v(14) == "0" || v(14) == "1", "acknowledgment requested must be 0 or 1"},
		{15, v(15) == "P" || v(15) == "T" || v(15) == "I", "the usage indicator must be P, T or I"},
	} {
		if !c.ok {
			b.ic.Errors = append(b.ic.Errors, errAt(seg, c.el, "bad_value",
				fmt.Sprintf("ISA%02d %q: %s", c.el, v(c.el), c.about)))
		}
	}
}

func (b *builder) endInterchange(seg connectors.EDISegment) {
	if b.ic == nil {
		if !b.skipping {
			b.f.Errors = append(b.f.Errors, errAt(seg, 0, "unexpected_segment", "IEA without an ISA before it"))
		}
		return
	}
	b.skipping = false
	if b.g != nil {
		b.cutGroup(&seg)
	}
	ic := b.ic
	ic.DeclaredGroups = b.checkCount(&ic.Errors, seg, "IEA01", len(ic.Groups), "functional groups")
	b.checkControl(&ic.Errors, seg, "IEA02", "ISA13", ic.Control)
	b.f.Interchanges = append(b.f.Interchanges, *ic)
	b.ic = nil
}

// cutInterchange closes an interchange that has no IEA: at is the segment
// that cut it short, nil at the end of the input.
func (b *builder) cutInterchange(at *connectors.EDISegment) {
	if b.g != nil {
		b.cutGroup(at)
	}
	ic := b.ic
	ic.Errors = append(ic.Errors, &connectors.EDIError{Pos: ic.Pos, Offset: ic.Offset, Tag: "ISA", Code: "truncated",
		Message: fmt.Sprintf("interchange %s has no IEA trailer: %s", ic.Control, cutBy(at))})
	b.f.Interchanges = append(b.f.Interchanges, *ic)
	b.ic = nil
}

func (b *builder) startGroup(seg connectors.EDISegment) {
	if b.ic == nil {
		if !b.skipping {
			b.f.Errors = append(b.f.Errors, errAt(seg, 0, "unexpected_segment", "GS outside an interchange (no ISA before it)"))
		}
		b.skipping = true
		return
	}
	b.skipping = false
	if b.g != nil {
		b.cutGroup(&seg)
	}
	b.g = &Group{
		FunctionalID: seg.Value(1), AppSender: seg.Value(2), AppReceiver: seg.Value(3),
		Date: seg.Value(4), Time: seg.Value(5), Control: seg.Value(6), Agency: seg.Value(7),
		Version: seg.Value(8), DeclaredSets: -1, Pos: seg.Pos, Offset: seg.Offset,
	}
	b.controls = map[string]bool{}
	if !digits(b.g.Control, 1, 9) {
		b.g.Errors = append(b.g.Errors, errAt(seg, 6, "bad_value",
			fmt.Sprintf("GS06 %q: the group control number must be 1 to 9 digits", b.g.Control)))
	}
	if b.g.Version == "" {
		b.g.Errors = append(b.g.Errors, errAt(seg, 8, "bad_value", "GS08 (version) is empty"))
	}
}

func (b *builder) endGroup(seg connectors.EDISegment) {
	if b.g == nil {
		if !b.skipping {
			b.misplaced(seg, "GE without a GS before it")
		}
		return
	}
	b.skipping = false
	if b.s != nil {
		b.cutSet(&seg)
	}
	g := b.g
	g.DeclaredSets = b.checkCount(&g.Errors, seg, "GE01", len(g.Sets), "transaction sets")
	b.checkControl(&g.Errors, seg, "GE02", "GS06", g.Control)
	b.ic.Groups = append(b.ic.Groups, *g)
	b.g = nil
}

// cutGroup closes a group that has no GE.
func (b *builder) cutGroup(at *connectors.EDISegment) {
	if b.s != nil {
		b.cutSet(at)
	}
	g := b.g
	g.Errors = append(g.Errors, &connectors.EDIError{Pos: g.Pos, Offset: g.Offset, Tag: "GS", Code: "truncated",
		Message: fmt.Sprintf("functional group %s has no GE trailer: %s", g.Control, cutBy(at))})
	b.ic.Groups = append(b.ic.Groups, *g)
	b.g = nil
}

func (b *builder) startSet(seg connectors.EDISegment) {
	if b.g == nil {
		if !b.skipping {
			b.misplaced(seg, "ST outside a functional group (no GS before it)")
		}
		b.skipping = true
		return
	}
	b.skipping = false
	if b.s != nil {
		b.cutSet(&seg)
	}
	ic, g := b.ic, b.g
	b.s = &Set{EDITransaction: connectors.EDITransaction{
		Standard: connectors.StandardX12, Type: seg.Value(1), Version: g.Version,
		ControlNumber: seg.Value(2), GroupType: g.FunctionalID, GroupControl: g.Control,
		InterchangeControl: ic.Control, Sender: ic.Sender, Receiver: ic.Receiver,
		GroupSender: g.AppSender, GroupReceiver: g.AppReceiver, Test: ic.Test(),
	}}
	b.appendSeg(seg)
	s := b.s
	switch {
	case s.Type == "":
		s.Errors = append(s.Errors, errAt(seg, 1, "bad_value", "ST01 (transaction set type) is empty"))
	case s.ControlNumber == "":
		s.Errors = append(s.Errors, errAt(seg, 2, "bad_value", "ST02 (transaction set control number) is empty"))
	case b.controls[s.ControlNumber]:
		s.Errors = append(s.Errors, errAt(seg, 2, "duplicate_control",
			fmt.Sprintf("ST02 %q is used by another set of this group", s.ControlNumber)))
	}
	b.controls[s.ControlNumber] = true
	b.known = nil
	if s.Type != "" {
		b.known = b.knownFor(s.Type)
	}
}

func (b *builder) endSet(seg connectors.EDISegment) {
	if b.s == nil {
		if !b.skipping {
			b.misplaced(seg, "SE without an ST before it")
		}
		b.skipping = false
		return
	}
	s := b.s
	b.appendSeg(seg)
	s.Segments = b.takeSegs()
	b.checkCount(&s.Errors, seg, "SE01", len(s.Segments), "segments (ST through SE)")
	b.checkControl(&s.Errors, seg, "SE02", "ST02", s.ControlNumber)
	b.g.Sets = append(b.g.Sets, *s)
	b.s = nil
}

// cutSet closes a set that has no SE.
func (b *builder) cutSet(at *connectors.EDISegment) {
	s := b.s
	s.Segments = b.takeSegs()
	st := s.Segments[0]
	s.Errors = append(s.Errors, &connectors.EDIError{Pos: st.Pos, Offset: st.Offset, Tag: "ST", Code: "truncated",
		Message: fmt.Sprintf("transaction set %s %s has no SE trailer: %s", s.Type, s.ControlNumber, cutBy(at))})
	b.g.Sets = append(b.g.Sets, *s)
	b.s = nil
}

// body takes a segment that is not an envelope segment.
func (b *builder) body(seg connectors.EDISegment) {
	switch {
	case b.s != nil:
		b.appendSeg(seg)
		switch {
		case !validTag(seg.Tag):
			b.s.Errors = append(b.s.Errors, errAt(seg, 0, "unknown_segment",
				fmt.Sprintf("segment tag %q is not valid: a tag is two or three capital letters or digits", clip(seg.Tag))))
		case b.known != nil && !b.known[seg.Tag]:
			b.s.Errors = append(b.s.Errors, errAt(seg, 0, "unknown_segment",
				fmt.Sprintf("%s is not a segment of the %s transaction set", seg.Tag, b.s.Type)))
		}
	case seg.Tag == "TA1" && b.ic != nil && b.g == nil:
		b.ic.Acks = append(b.ic.Acks, seg)
	case b.skipping:
	default:
		b.misplaced(seg, fmt.Sprintf("%s is outside a transaction set", clip(seg.Tag)))
		b.skipping = true
	}
}

// misplaced records a segment that has no place where it is, on the
// innermost open envelope.
func (b *builder) misplaced(seg connectors.EDISegment, msg string) {
	e := errAt(seg, 0, "unexpected_segment", msg)
	switch {
	case b.g != nil:
		b.g.Errors = append(b.g.Errors, e)
	case b.ic != nil:
		b.ic.Errors = append(b.ic.Errors, e)
	default:
		b.f.Errors = append(b.f.Errors, e)
	}
}

// checkCount compares a trailer's count (element 1) with the actual one
// and returns the declared count (-1 when it is not a number).
func (b *builder) checkCount(errs *[]*connectors.EDIError, seg connectors.EDISegment, name string, actual int, what string) int {
	v := seg.Value(1)
	n, err := strconv.Atoi(strings.TrimSpace(v))
	switch {
	case err != nil || n < 0:
		*errs = append(*errs, errAt(seg, 1, "count_mismatch",
			fmt.Sprintf("%s %q is not a count; there are %d %s", name, v, actual, what)))
		return -1
	case n != actual:
		*errs = append(*errs, errAt(seg, 1, "count_mismatch",
			fmt.Sprintf("%s says %d %s but there are %d", name, n, what, actual)))
	}
	return n
}

// checkControl compares a trailer's control number (element 2) with the
// header's.
func (b *builder) checkControl(errs *[]*connectors.EDIError, seg connectors.EDISegment, name, header, want string) {
	if got := seg.Value(2); !sameControl(got, want) {
		*errs = append(*errs, errAt(seg, 2, "control_mismatch",
			fmt.Sprintf("%s %q does not match %s %q", name, got, header, want)))
	}
}

// sameControl compares control numbers, forgiving a difference in
// leading zeros ("000001" and "1").
func sameControl(a, b string) bool {
	if a == b {
		return true
	}
	x, errA := strconv.ParseUint(a, 10, 64)
	y, errB := strconv.ParseUint(b, 10, 64)
	return errA == nil && errB == nil && x == y
}

func errAt(seg connectors.EDISegment, el int, code, msg string) *connectors.EDIError {
	return &connectors.EDIError{Pos: seg.Pos, Offset: seg.Offset, Tag: clip(seg.Tag), Element: el, Code: code, Message: msg}
}

// cutBy says what ended a construct before its trailer.
func cutBy(at *connectors.EDISegment) string {
	if at == nil {
		return "the input ends first"
	}
	return fmt.Sprintf("%s at segment %d comes first", at.Tag, at.Pos)
}

// digits reports whether s is between min and max ASCII digits.
func digits(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// clip shortens a tag-like value for a message: a broken delimiter can
// make a whole segment look like its tag.
func clip(s string) string {
	if len(s) <= 20 {
		return s
	}
	cut := 20
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
