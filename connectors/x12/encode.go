package x12

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/connectors"
)

// encoder writes segments with one set of delimiters, refusing values
// that contain one.
type encoder struct {
	w          io.Writer
	d          Delimiters
	termChar   string // the terminator without its line break
	multiByte  bool   // termChar is more than one byte
	repeats    bool   // the version has a repetition separator
	delimiters [256]string
	pos        int
	buf        []byte
	err        error
}

func newEncoder(w io.Writer, env Envelope) *encoder {
	d := env.Delimiters
	_, n := utf8.DecodeRuneInString(d.Segment)
	e := &encoder{w: w, d: d, termChar: d.Segment[:n], multiByte: n > 1}
	e.delimiters[d.Element[0]] = "element separator"
	e.delimiters[d.Component[0]] = "component separator"
	if d.Repetition != "" && hasRepetition(isaVersion(env.Version)) {
		e.delimiters[d.Repetition[0]] = "repetition separator"
		e.repeats = true
	}
	if !e.multiByte {
		e.delimiters[d.Segment[0]] = "segment terminator"
	}
	for i := n; i < len(d.Segment); i++ {
		e.delimiters[d.Segment[i]] = "line break after the segment terminator"
	}
	return e
}

// raw writes the fixed-width ISA: its values are joined as they are.
func (e *encoder) raw(vals []string) error {
	e.pos++
	for i, v := range vals[1 : len(vals)-1] {
		if i == 10 { // ISA11 is the repetition separator itself
			continue
		}
		if err := e.checkValue("ISA", i+1, 0, v); err != nil {
			return err
		}
	}
	e.buf = append(e.buf[:0], strings.Join(vals, e.d.Element)...)
	e.buf = append(e.buf, e.d.Segment...)
	return e.flush()
}

// set writes ST, the body and SE of set number i (0-based).
func (e *encoder) set(i int, s OutSet) error {
	control := s.Control
	if control == "" {
		control = fmt.Sprintf("%04d", i+1)
	}
	switch {
	case !digits(s.Type, 3, 3):
		return fmt.Errorf("x12: set %d: type %q must be three digits (ST01)", i+1, s.Type)
	case len(control) < 4 || len(control) > 9:
		return fmt.Errorf("x12: set %d (%s): control number %q must be 4 to 9 characters (ST02)", i+1, s.Type, control)
	}
	if err := e.seg(connectors.Seg("ST", s.Type, control, s.Convention)); err != nil {
		return err
	}
	for _, seg := range s.Body {
		switch seg.Tag {
		case "ISA", "IEA", "GS", "GE", "ST", "SE":
			return &connectors.EDIError{Pos: e.pos + 1, Tag: seg.Tag, Code: "bad_value",
				Message: fmt.Sprintf("set %d (%s %s): the body must not hold the envelope segment %s; the writer adds it", i+1, s.Type, control, seg.Tag)}
		}
		if err := e.seg(seg); err != nil {
			return err
		}
	}
	return e.seg(connectors.Seg("SE", strconv.Itoa(len(s.Body)+2), control))
}

// seg writes one segment.
func (e *encoder) seg(s connectors.EDISegment) error {
	e.pos++
	if !validTag(s.Tag) {
		return &connectors.EDIError{Pos: e.pos, Tag: clip(s.Tag), Code: "bad_value",
			Message: fmt.Sprintf("segment tag %q is not valid: a tag is two or three capital letters or digits", clip(s.Tag))}
	}
	e.buf = append(e.buf[:0], s.Tag...)
	last := len(s.Elements)
	for last > 0 && emptyElement(s.Elements[last-1]) {
		last--
	}
	for i, el := range s.Elements[:last] {
		e.buf = append(e.buf, e.d.Element...)
		if emptyElement(el) {
			continue
		}
		if len(el) > 1 && !e.repeats {
			return &connectors.EDIError{Pos: e.pos, Tag: s.Tag, Element: i + 1, Code: "bad_value",
				Message: fmt.Sprintf("%s%02d has %d repetitions, but this version has no repetition separator (ISA12 00402 or later)", s.Tag, i+1, len(el))}
		}
		for r, rep := range el {
			if r > 0 {
				e.buf = append(e.buf, e.d.Repetition...)
			}
			n := len(rep)
			for n > 1 && rep[n-1] == "" {
				n--
			}
			for c, v := range rep[:n] {
				comp := 0
				if n > 1 {
					comp = c + 1
				}
				if err := e.checkValue(s.Tag, i+1, comp, v); err != nil {
					return err
				}
				if c > 0 {
					e.buf = append(e.buf, e.d.Component...)
				}
				e.buf = append(e.buf, v...)
			}
		}
	}
	e.buf = append(e.buf, e.d.Segment...)
	return e.flush()
}

// checkValue refuses a value holding a delimiter.
func (e *encoder) checkValue(tag string, el, comp int, v string) error {
	what, bad := "", ""
	for i := range len(v) {
		if name := e.delimiters[v[i]]; name != "" {
			what, bad = name, v[i:i+1]
			break
		}
	}
	if what == "" && e.multiByte && strings.Contains(v, e.termChar) {
		what, bad = "segment terminator", e.termChar
	}
	if what == "" {
		return nil
	}
	name := fmt.Sprintf("%s%02d", tag, el)
	if comp > 0 {
		name += fmt.Sprintf("-%d", comp)
	}
	return &connectors.EDIError{Pos: e.pos, Tag: tag, Element: el, Component: comp, Code: "bad_value",
		Message: fmt.Sprintf("%s %q contains the %s %q; X12 has no escape character, so the value cannot be sent", name, clip(v), what, bad)}
}

func (e *encoder) flush() error {
	if _, err := e.w.Write(e.buf); err != nil {
		e.err = fmt.Errorf("writing x12 interchange: %w", err)
		return e.err
	}
	return nil
}

// emptyElement reports whether an element has no data at all.
func emptyElement(el connectors.EDIElement) bool {
	for _, rep := range el {
		for _, v := range rep {
			if v != "" {
				return false
			}
		}
	}
	return true
}
