package edifact

import (
	"fmt"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/connectors"
)

// segment writes one segment, escaped and encoded.
func (e *segmentWriter) segment(s connectors.EDISegment) error {
	e.pos++
	e.buf = append(e.buf[:0], s.Tag...)
	elems := s.Elements
	for len(elems) > 0 && emptyElement(elems[len(elems)-1]) {
		elems = elems[:len(elems)-1]
	}
	for i, el := range elems {
		e.buf = append(e.buf, e.d.Element)
		if emptyElement(el) {
			continue
		}
		if len(el) > 1 && e.d.Repetition == 0 {
			return e.fail(s, i+1, 0, "bad_value", fmt.Sprintf("the element repeats %d times; repetitions need a repetition separator (syntax version 4)", len(el)))
		}
		for r, rep := range el {
			if r > 0 {
				e.buf = append(e.buf, e.d.Repetition)
			}
			for len(rep) > 0 && rep[len(rep)-1] == "" {
				rep = rep[:len(rep)-1]
			}
			for c, v := range rep {
				if c > 0 {
					e.buf = append(e.buf, e.d.Component)
				}
				if err := e.value(s, i+1, c+1, v); err != nil {
					return err
				}
			}
		}
	}
	e.buf = append(e.buf, e.d.Segment)
	if e.eol {
		e.buf = append(e.buf, '\n')
	}
	_, err := e.w.Write(e.buf)
	return err
}

func emptyElement(el connectors.EDIElement) bool {
	for _, rep := range el {
		for _, c := range rep {
			if c != "" {
				return false
			}
		}
	}
	return true
}

// value appends one component, releasing delimiters and encoding the
// text for the syntax level.
func (e *segmentWriter) value(s connectors.EDISegment, elem, comp int, v string) error {
	for i, r := range v {
		if r == utf8.RuneError && len(v[i:]) > 0 {
			if _, n := utf8.DecodeRuneInString(v[i:]); n == 1 {
				return e.fail(s, elem, comp, "bad_character", fmt.Sprintf("the value is not valid UTF-8 (byte %d)", i))
			}
		}
		if r < utf8.RuneSelf {
			c := byte(r)
			if c == e.d.Element || c == e.d.Component || c == e.d.Segment ||
				e.d.Release != 0 && c == e.d.Release || e.d.Repetition != 0 && c == e.d.Repetition {
				if e.d.Release == 0 {
					return e.fail(s, elem, comp, "bad_character", fmt.Sprintf("the value holds the delimiter %q and there is no release character", c))
				}
				e.buf = append(e.buf, e.d.Release, c)
				continue
			}
		}
		if msg := e.refuses(r); msg != "" {
			return e.fail(s, elem, comp, "bad_character", msg)
		}
		switch {
		case r < utf8.RuneSelf:
			e.buf = append(e.buf, byte(r))
		case e.cm != nil:
			b, _ := e.cm.EncodeRune(r)
			e.buf = append(e.buf, b)
		default:
			e.buf = utf8.AppendRune(e.buf, r)
		}
	}
	return nil
}

// refuses says why the syntax level cannot carry r, "" when it can.
func (e *segmentWriter) refuses(r rune) string {
	switch {
	case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
		return fmt.Sprintf("control character U+%04X cannot be written in EDIFACT", r)
	case r < utf8.RuneSelf:
		if e.syntax == "UNOA" && r >= 'a' && r <= 'z' {
			return fmt.Sprintf("character %q cannot be written in syntax level UNOA (upper case only; use UNOB or UNOC)", r)
		}
		return ""
	case e.syntax == "UNOW" || e.syntax == "UNOY":
		return ""
	case e.cm != nil:
		if b, ok := e.cm.EncodeRune(r); ok && b >= 0xa0 {
			return ""
		}
	}
	return fmt.Sprintf("character %q (U+%04X) cannot be written in syntax level %s; text outside its character set needs UNOY or UNOW", r, r, e.syntax)
}

func (e *segmentWriter) fail(s connectors.EDISegment, elem, comp int, code, msg string) error {
	return &connectors.EDIError{Pos: e.pos, Tag: s.Tag, Element: elem, Component: comp, Code: code, Message: msg}
}
