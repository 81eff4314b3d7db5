package edifact

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/dealerhub/dealerhub/connectors"
)

// Options tune Read. The zero value is ready to use.
type Options struct {
	// MaxSegmentBytes bounds one segment (default
	// DefaultMaxSegmentBytes).
	MaxSegmentBytes int
	// ExtraSegments adds tags a partner uses to a message type's known
	// segments: {"ORDERS": {"ZZZ"}}; a type not listed otherwise becomes
	// checked with only the service segments and these.
	ExtraSegments map[string][]string
	// SkipSegmentCheck turns off the unknown_segment check of tags
	// against the message type (malformed tags are still reported).
	SkipSegmentCheck bool
}

// Read reads every interchange of an EDIFACT stream.
//
// Envelope and data problems (counts, references, missing UNT/UNE/UNZ,
// unknown segments, characters outside the syntax level, a release
// character at the end) are collected in the Errors of the interchange,
// group or message they belong to, so the caller can still answer with
// a CONTRL; File.Err joins them. Read returns an error only when the
// stream is not EDIFACT at all ("not_edi") or cannot be read.
func Read(r io.Reader, o Options) (*File, error) {
	t := NewTokenizer(r)
	t.SetMaxSegmentBytes(o.MaxSegmentBytes)
	rd := &reader{f: &File{}, o: o}
	if !o.SkipSegmentCheck {
		rd.table = newSegmentTable(o.ExtraSegments)
	}
	for {
		seg, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		ee, ok := asEDIError(err)
		if !ok {
			rd.end("the stream could not be read to its end")
			return rd.f, err
		}
		if seg.Pos == 0 {
			if ee.Code == "not_edi" {
				return rd.f, err
			}
			rd.attach(ee)
			break
		}
		rd.segment(seg, ee, t.Delimiters())
	}
	rd.end("the file ends")
	return rd.f, nil
}

// asEDIError returns err as a data error; ok is false for any other
// error. It keeps the target of errors.As off the heap on the path
// without errors.
func asEDIError(err error) (ee *connectors.EDIError, ok bool) {
	if err == nil {
		return nil, true
	}
	var target *connectors.EDIError
	if errors.As(err, &target) {
		return target, true
	}
	return nil, false
}

// reader follows the envelope structure; ic, grp and msg are the open
// interchange, group and message.
type reader struct {
	f     *File
	o     Options
	table segmentTable
	ic    *Interchange
	grp   *Group
	msg   *Message
	// explicit is set once the open interchange has a UNG; refs holds its
	// message references; stray is set after a segment outside any
	// message was reported, so a run of them gives one error.
	explicit bool
	refs     map[string]bool
	stray    bool
	// una is the UNA just read, until its UNB comes.
	una *connectors.EDISegment
	// tags are the segments the open message's type allows, if checked;
	// lastLen is the length of the last message closed.
	tags    map[string]bool
	checked bool
	lastLen int
}

func (rd *reader) segment(seg connectors.EDISegment, ee *connectors.EDIError, d Delimiters) {
	switch seg.Tag {
	case "UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ":
		rd.stray = false
	}
	if rd.una != nil && seg.Tag != "UNB" {
		rd.f.Errors = append(rd.f.Errors, segErr(*rd.una, 0, "missing_segment", "UNA is not followed by UNB"))
	}
	rd.una = nil
	switch {
	case seg.Tag == "UNA" && seg.Pos == 1:
		rd.closeInterchange(fmt.Sprintf("UNA at byte %d starts another interchange", seg.Offset))
		una := seg
		rd.una = &una
	case seg.Tag == "UNB":
		rd.openInterchange(seg, d)
		rd.attach(ee)
	case seg.Tag == "UNG":
		rd.openGroup(seg)
		rd.attach(ee)
	case seg.Tag == "UNH":
		rd.openMessage(seg)
		rd.attach(ee)
	case seg.Tag == "UNT":
		rd.attach(ee)
		rd.closeMessage(seg)
	case seg.Tag == "UNE":
		rd.attach(ee)
		rd.closeGroup(seg)
	case seg.Tag == "UNZ":
		rd.attach(ee)
		rd.closeInterchangeWith(seg)
	default:
		rd.body(seg)
		rd.attach(ee)
	}
}

// attach files a data error with the innermost open envelope.
func (rd *reader) attach(ee *connectors.EDIError) {
	switch {
	case ee == nil:
	case rd.msg != nil:
		rd.msg.Errors = append(rd.msg.Errors, ee)
	case rd.grp != nil && !rd.grp.Implicit:
		rd.grp.Errors = append(rd.grp.Errors, ee)
	case rd.ic != nil:
		rd.ic.Errors = append(rd.ic.Errors, ee)
	default:
		rd.f.Errors = append(rd.f.Errors, ee)
	}
}

func segErr(seg connectors.EDISegment, element int, code, format string, args ...any) *connectors.EDIError {
	return &connectors.EDIError{Pos: seg.Pos, Offset: seg.Offset, Tag: seg.Tag, Element: element, Code: code,
		Message: fmt.Sprintf(format, args...)}
}

func (rd *reader) openInterchange(seg connectors.EDISegment, d Delimiters) {
	rd.closeInterchange(fmt.Sprintf("another UNB starts at segment %d", seg.Pos))
	party := func(i int) connectors.EDIParty {
		return connectors.EDIParty{ID: seg.Component(i, 1), Qualifier: seg.Component(i, 2)}
	}
	rd.ic = &Interchange{
		Syntax: seg.Component(1, 1), SyntaxVersion: seg.Component(1, 2),
		Sender: party(2), Receiver: party(3),
		Date: seg.Component(4, 1), Time: seg.Component(4, 2),
		Control: seg.Value(5), ApplicationRef: seg.Value(7),
		AckRequested: seg.Value(9) == "1", Agreement: seg.Value(10), Test: seg.Value(11) == "1",
		Delimiters: d, Pos: seg.Pos, Offset: seg.Offset,
	}
	rd.explicit, rd.refs = false, map[string]bool{}
	ic := rd.ic
	ic.Errors = append(ic.Errors, required(seg, []valueAt{
		{1, 1, "syntax identifier"}, {1, 2, "syntax version"}, {2, 1, "interchange sender"},
		{3, 1, "interchange recipient"}, {4, 1, "preparation date"}, {4, 2, "preparation time"},
		{5, 1, "interchange control reference"},
	})...)
	if v := ic.SyntaxVersion; v != "" && (len(v) != 1 || v < "1" || v > "4") {
		ic.Errors = append(ic.Errors, segErr(seg, 1, "bad_value", "syntax version %q is not 1 to 4", v))
	}
	ic.Errors = append(ic.Errors, tooMany(seg, 11)...)
}

type valueAt struct {
	element, component int
	name               string
}

// required reports the values a service segment must carry.
func required(seg connectors.EDISegment, values []valueAt) []*connectors.EDIError {
	var errs []*connectors.EDIError
	for _, v := range values {
		if seg.Component(v.element, v.component) == "" {
			e := segErr(seg, v.element, "missing_value", "the %s is missing", v.name)
			e.Component = v.component
			errs = append(errs, e)
		}
	}
	return errs
}

func tooMany(seg connectors.EDISegment, n int) []*connectors.EDIError {
	if len(seg.Elements) <= n {
		return nil
	}
	return []*connectors.EDIError{segErr(seg, n+1, "too_many_elements",
		"%s has %d data elements; it has at most %d", seg.Tag, len(seg.Elements), n)}
}

// needInterchange opens a stand-in interchange for envelope segments
// that come without UNB, so their messages are not lost.
func (rd *reader) needInterchange(seg connectors.EDISegment) {
	if rd.ic != nil {
		return
	}
	rd.ic = &Interchange{Pos: seg.Pos, Offset: seg.Offset}
	rd.explicit, rd.refs = false, map[string]bool{}
	rd.ic.Errors = append(rd.ic.Errors, segErr(seg, 0, "missing_segment", "%s comes before any UNB", seg.Tag))
}

func (rd *reader) openGroup(seg connectors.EDISegment) {
	rd.needInterchange(seg)
	rd.closeMessage(connectors.EDISegment{})
	if rd.grp != nil && !rd.grp.Implicit {
		rd.grp.Errors = append(rd.grp.Errors, segErr(seg, 0, "missing_segment",
			"group %q has no UNE: UNG at segment %d starts another", rd.grp.Control, seg.Pos))
	}
	rd.closeGroup(connectors.EDISegment{})
	if !rd.explicit && len(rd.ic.Groups) > 0 {
		rd.ic.Errors = append(rd.ic.Errors, segErr(seg, 0, "mixed_groups",
			"UNG follows messages outside any group: an interchange holds either groups or messages"))
	}
	rd.explicit = true
	party := func(i int) connectors.EDIParty {
		return connectors.EDIParty{ID: seg.Component(i, 1), Qualifier: seg.Component(i, 2)}
	}
	rd.grp = &Group{
		MessageGroupID: seg.Value(1), AppSender: party(2), AppReceiver: party(3),
		Control: seg.Value(5), Agency: seg.Value(6), Version: seg.Component(7, 1) + seg.Component(7, 2),
	}
	rd.grp.Errors = append(rd.grp.Errors, required(seg, []valueAt{{5, 1, "group reference number"}})...)
	rd.grp.Errors = append(rd.grp.Errors, tooMany(seg, 8)...)
}

func (rd *reader) openMessage(seg connectors.EDISegment) {
	rd.needInterchange(seg)
	if rd.msg != nil {
		rd.msg.Errors = append(rd.msg.Errors, segErr(seg, 0, "missing_segment",
			"message %q has no UNT: UNH at segment %d starts another", rd.msg.ControlNumber, seg.Pos))
		rd.closeMessage(connectors.EDISegment{})
	}
	if rd.grp == nil {
		rd.grp = &Group{Implicit: !rd.explicit}
		if rd.explicit {
			rd.ic.Errors = append(rd.ic.Errors, segErr(seg, 0, "mixed_groups",
				"UNH outside a group in an interchange that has groups"))
		}
	}
	ic, g := rd.ic, rd.grp
	rd.msg = &Message{EDITransaction: connectors.EDITransaction{
		Standard: connectors.StandardEDIFACT, Type: seg.Component(2, 1),
		Version: seg.Component(2, 2) + seg.Component(2, 3), Association: seg.Component(2, 5),
		ControlNumber: seg.Value(1), GroupType: g.MessageGroupID, GroupControl: g.Control,
		InterchangeControl: ic.Control, Sender: ic.Sender, Receiver: ic.Receiver,
		GroupSender: g.AppSender.ID, GroupReceiver: g.AppReceiver.ID, Test: ic.Test,
		// Messages of one interchange tend to be alike: start with room
		// for as many segments as the last one had.
		Segments: append(make([]connectors.EDISegment, 0, rd.lastLen), seg),
	}, Agency: seg.Component(2, 4)}
	m := rd.msg
	rd.tags, rd.checked = nil, false
	if rd.table != nil {
		rd.tags, rd.checked = rd.table[m.Type]
	}
	m.Errors = append(m.Errors, required(seg, []valueAt{
		{1, 1, "message reference number"}, {2, 1, "message type"}, {2, 2, "message version number"},
		{2, 3, "message release number"}, {2, 4, "controlling agency"},
	})...)
	max := 4
	if ic.SyntaxVersion == "4" {
		max = 7
	}
	m.Errors = append(m.Errors, tooMany(seg, max)...)
	if ref := m.ControlNumber; ref != "" {
		if rd.refs[ref] {
			m.Errors = append(m.Errors, segErr(seg, 1, "duplicate_control",
				"message reference %q is used twice in the interchange", ref))
		}
		rd.refs[ref] = true
	}
}

func (rd *reader) body(seg connectors.EDISegment) {
	if rd.msg == nil {
		if !rd.stray {
			rd.stray = true
			where := "outside any message"
			if rd.ic == nil {
				where = "outside any interchange"
			}
			rd.attach(segErr(seg, 0, "unexpected_segment", "segment %q is %s", seg.Tag, where))
		}
		return
	}
	m := rd.msg
	m.Segments = append(m.Segments, seg)
	switch {
	case !validTag(seg.Tag):
		m.Errors = append(m.Errors, segErr(seg, 0, "unknown_segment",
			"%q is not a segment tag (three upper-case letters or digits)", seg.Tag))
	case rd.checked && !rd.tags[seg.Tag]:
		m.Errors = append(m.Errors, segErr(seg, 0, "unknown_segment",
			"segment %s is not part of a %s message", seg.Tag, m.Type))
	}
}

// closeMessage ends the open message at its UNT; with a zero seg the UNT
// is missing and the caller has said why.
func (rd *reader) closeMessage(seg connectors.EDISegment) {
	if seg.Tag == "" {
		if rd.msg != nil {
			rd.lastLen = min(len(rd.msg.Segments)+1, 4096)
			rd.grp.Messages = append(rd.grp.Messages, *rd.msg)
			rd.msg = nil
		}
		return
	}
	if rd.msg == nil {
		rd.stray = true
		rd.attach(segErr(seg, 0, "unexpected_segment", "UNT without UNH"))
		return
	}
	m := rd.msg
	m.Segments = append(m.Segments, seg)
	m.Errors = append(m.Errors, required(seg, []valueAt{{1, 1, "number of segments"}, {2, 1, "message reference number"}})...)
	m.Errors = append(m.Errors, checkCount(seg, 1, len(m.Segments), "segments from UNH to UNT")...)
	if ref := seg.Value(2); ref != "" && ref != m.ControlNumber {
		m.Errors = append(m.Errors, segErr(seg, 2, "control_mismatch",
			"UNT message reference %q does not match UNH %q", ref, m.ControlNumber))
	}
	m.Errors = append(m.Errors, tooMany(seg, 2)...)
	rd.closeMessage(connectors.EDISegment{})
}

// checkCount compares a trailer's count (element i) with what was read.
func checkCount(seg connectors.EDISegment, i, got int, what string) []*connectors.EDIError {
	v := seg.Value(i)
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	switch {
	case err != nil || n < 0:
		return []*connectors.EDIError{segErr(seg, i, "bad_value", "count %q is not a number", v)}
	case n != got:
		return []*connectors.EDIError{segErr(seg, i, "count_mismatch", "%s says %d %s, the file has %d", seg.Tag, n, what, got)}
	}
	return nil
}

// closeGroup ends the open group at its UNE (a zero seg: without).
func (rd *reader) closeGroup(seg connectors.EDISegment) {
	if seg.Tag != "" {
		if rd.msg != nil {
			rd.msg.Errors = append(rd.msg.Errors, segErr(seg, 0, "missing_segment",
				"message %q has no UNT: UNE at segment %d ends its group", rd.msg.ControlNumber, seg.Pos))
		}
		if rd.grp == nil || rd.grp.Implicit {
			rd.closeMessage(connectors.EDISegment{})
			rd.stray = true
			rd.attach(segErr(seg, 0, "unexpected_segment", "UNE without UNG"))
			return
		}
	}
	rd.closeMessage(connectors.EDISegment{})
	g := rd.grp
	if g == nil {
		return
	}
	if seg.Tag != "" {
		g.Errors = append(g.Errors, required(seg, []valueAt{{1, 1, "number of messages"}, {2, 1, "group reference number"}})...)
		g.Errors = append(g.Errors, checkCount(seg, 1, len(g.Messages), "messages in the group")...)
		if ref := seg.Value(2); ref != "" && ref != g.Control {
			g.Errors = append(g.Errors, segErr(seg, 2, "control_mismatch",
				"UNE group reference %q does not match UNG %q", ref, g.Control))
		}
		g.Errors = append(g.Errors, tooMany(seg, 2)...)
		if len(g.Messages) == 0 {
			g.Errors = append(g.Errors, segErr(seg, 0, "empty", "group %q holds no message", g.Control))
		}
	}
	rd.ic.Groups = append(rd.ic.Groups, *g)
	rd.grp = nil
}

// closeInterchangeWith ends the open interchange at its UNZ.
func (rd *reader) closeInterchangeWith(seg connectors.EDISegment) {
	if rd.ic == nil {
		rd.stray = true
		rd.attach(segErr(seg, 0, "unexpected_segment", "UNZ without UNB"))
		return
	}
	if rd.msg != nil {
		rd.msg.Errors = append(rd.msg.Errors, segErr(seg, 0, "missing_segment",
			"message %q has no UNT: UNZ at segment %d ends the interchange", rd.msg.ControlNumber, seg.Pos))
	}
	if rd.grp != nil && !rd.grp.Implicit {
		rd.grp.Errors = append(rd.grp.Errors, segErr(seg, 0, "missing_segment",
			"group %q has no UNE: UNZ at segment %d ends the interchange", rd.grp.Control, seg.Pos))
	}
	rd.closeGroup(connectors.EDISegment{})
	ic := rd.ic
	ic.Errors = append(ic.Errors, required(seg, []valueAt{{1, 1, "interchange control count"}, {2, 1, "interchange control reference"}})...)
	n, what := len(ic.Messages()), "messages"
	if rd.explicit {
		n, what = len(ic.Groups), "groups"
	}
	ic.Errors = append(ic.Errors, checkCount(seg, 1, n, what)...)
	if ref := seg.Value(2); ref != "" && ref != ic.Control {
		ic.Errors = append(ic.Errors, segErr(seg, 2, "control_mismatch",
			"UNZ interchange reference %q does not match UNB %q", ref, ic.Control))
	}
	ic.Errors = append(ic.Errors, tooMany(seg, 2)...)
	rd.finishInterchange(seg)
}

func (rd *reader) finishInterchange(seg connectors.EDISegment) {
	ic := rd.ic
	if len(ic.Groups) == 0 {
		ic.Errors = append(ic.Errors, segErr(seg, 0, "empty", "the interchange holds no message"))
	}
	rd.f.Interchanges = append(rd.f.Interchanges, *ic)
	rd.ic, rd.grp, rd.msg = nil, nil, nil
}

// closeInterchange ends an interchange that has no UNZ, saying why.
func (rd *reader) closeInterchange(why string) {
	if rd.ic == nil {
		return
	}
	code := "missing_segment"
	if why == "the file ends" || why == "the stream could not be read to its end" {
		code = "truncated"
	}
	if rd.msg != nil {
		m := rd.msg
		m.Errors = append(m.Errors, &connectors.EDIError{Pos: m.Segments[0].Pos, Offset: m.Segments[0].Offset, Tag: "UNH", Code: code,
			Message: fmt.Sprintf("message %q has no UNT: %s", m.ControlNumber, why)})
	}
	if g := rd.grp; g != nil && !g.Implicit {
		g.Errors = append(g.Errors, &connectors.EDIError{Code: code,
			Message: fmt.Sprintf("group %q has no UNE: %s", g.Control, why)})
	}
	rd.closeGroup(connectors.EDISegment{})
	rd.ic.Errors = append(rd.ic.Errors, &connectors.EDIError{Pos: rd.ic.Pos, Offset: rd.ic.Offset, Tag: "UNB", Code: code,
		Message: fmt.Sprintf("interchange %q has no UNZ: %s", rd.ic.Control, why)})
	rd.finishInterchange(connectors.EDISegment{Tag: "UNB", Pos: rd.ic.Pos, Offset: rd.ic.Offset})
}

// end closes whatever is open when the stream stops.
func (rd *reader) end(why string) {
	if rd.una != nil {
		rd.f.Errors = append(rd.f.Errors, segErr(*rd.una, 0, "missing_segment", "UNA is not followed by UNB"))
	}
	rd.closeInterchange(why)
}
