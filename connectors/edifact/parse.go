package edifact

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/connectors"
)

// scan is the state of parsing one segment's bytes.
type scan struct {
	elem, comp int // element (0 is the tag) and 1-based component
	compStart  int // where the current component starts in out
	rawStart   int // where it starts in the raw bytes
	high       bool
	bad        *connectors.EDIError
}

// parse splits one segment's raw bytes (without terminator) into its tag
// and elements. It returns the first character the syntax level does not
// allow, located, as bad.
func (t *Tokenizer) parse(data []byte, off int64) (connectors.EDISegment, *connectors.EDIError) {
	t.out, t.ends, t.kinds = t.out[:0], t.ends[:0], t.kinds[:0]
	s := scan{comp: 1}
	for i := 0; i < len(data); i++ {
		switch t.class[data[i]] {
		case clData:
			j := i + 1
			for j < len(data) && t.class[data[j]] == clData {
				j++
			}
			t.out = append(t.out, data[i:j]...)
			i = j - 1
		case clOther:
			j := i + 1
			for j < len(data) && t.class[data[j]] == clOther {
				j++
			}
			t.text(&s, data, i, j, off)
			i = j - 1
		case clElem:
			t.endComponent(&s, data, i, off, endElem)
			s.elem, s.comp = s.elem+1, 1
		case clComp:
			t.endComponent(&s, data, i, off, endComp)
			s.comp++
		case clRep:
			t.endComponent(&s, data, i, off, endRep)
			s.comp = 1
		case clRelease:
			i++
			for i < len(data) && t.class[data[i]] == clSkip {
				i++
			}
			if i < len(data) {
				t.text(&s, data, i, i+1, off)
			}
		}
	}
	t.endComponent(&s, data, len(data), off, endElem)
	seg := t.build()
	seg.Offset = off
	return seg, s.bad
}

// text appends data[i:j], bytes that are not delimiters, to the current
// component, converting and checking them for the syntax level.
func (t *Tokenizer) text(s *scan, data []byte, i, j int, off int64) {
	cs := t.cs
	for k := i; k < j; k++ {
		c := data[k]
		switch {
		case c < 0x80:
			if !cs.ok[c] {
				t.refuse(s, off+int64(k), badByteMessage(c, cs))
			}
			t.out = append(t.out, c)
		case cs.utf8 || cs.guess:
			t.out = append(t.out, c)
			s.high = true
		default:
			if !cs.ok[c] {
				t.refuse(s, off+int64(k), badByteMessage(c, cs))
			}
			t.out = utf8.AppendRune(t.out, cs.decode[c-0x80])
		}
	}
}

func badByteMessage(c byte, cs *charset) string {
	level := cs.id
	if level == "" {
		level = "the interchange header"
	}
	switch {
	case c < 0x20 || c == 0x7f:
		return fmt.Sprintf("control character 0x%02X is not allowed in %s", c, level)
	case c < 0x80:
		return fmt.Sprintf("character %q is not allowed in syntax level %s", rune(c), level)
	case cs.id == "UNOA" || cs.id == "UNOB":
		return fmt.Sprintf("byte 0x%02X is not allowed in syntax level %s (ASCII only; UNOC carries ISO 8859-1, UNOY UTF-8)", c, level)
	}
	return fmt.Sprintf("byte 0x%02X is not a character of syntax level %s", c, level)
}

func (t *Tokenizer) refuse(s *scan, at int64, msg string) {
	if s.bad == nil {
		s.bad = &connectors.EDIError{Offset: at, Element: s.elem, Component: s.comp, Code: "bad_character", Message: msg}
	}
}

// endComponent closes the current component; UTF-8 levels check their
// multi-byte text here, and text read before UNB that is not UTF-8 is
// taken as ISO 8859-1.
func (t *Tokenizer) endComponent(s *scan, data []byte, i int, off int64, kind byte) {
	if s.high {
		t.checkHigh(s, off)
	}
	t.ends = append(t.ends, len(t.out))
	t.kinds = append(t.kinds, kind)
	s.compStart, s.rawStart, s.high = len(t.out), i+1, false
}

// checkHigh checks and fixes the current component's text outside ASCII.
func (t *Tokenizer) checkHigh(s *scan, off int64) {
	text := t.out[s.compStart:]
	if !utf8.Valid(text) {
		var fixed string
		if t.cs.guess {
			fixed = latin1String(text)
		} else {
			t.refuse(s, off+int64(s.rawStart), fmt.Sprintf("the text is not valid UTF-8, which syntax level %s requires", t.cs.id))
			fixed = strings.ToValidUTF8(string(text), "\uFFFD")
		}
		t.out = append(t.out[:s.compStart], fixed...)
	}
	if r := c1Control(t.out[s.compStart:]); r >= 0 {
		t.refuse(s, off+int64(s.rawStart), fmt.Sprintf("control character U+%04X is not allowed in %s", r, t.levelName()))
	}
}

// c1Control returns the first C1 control character (U+0080–U+009F) in
// UTF-8 text, -1 if there is none.
func c1Control(text []byte) rune {
	for _, r := range string(text) {
		if r >= 0x80 && r < 0xa0 {
			return r
		}
	}
	return -1
}

func (t *Tokenizer) levelName() string {
	if t.cs.id == "" {
		return "the interchange header"
	}
	return "syntax level " + t.cs.id
}

func latin1String(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// build turns the scanned components into a segment with few
// allocations: one string holds the segment's text, and the slices of
// components, repetitions and elements are carved from slabs shared by
// consecutive segments.
func (t *Tokenizer) build() connectors.EDISegment {
	text := string(t.out)
	comps := t.slabs.strings(len(t.ends))
	start := 0
	nElem, nRep := 0, 0
	for i, e := range t.ends {
		comps[i] = text[start:e]
		start = e
		switch t.kinds[i] {
		case endElem:
			nElem++
			nRep++
		case endRep:
			nRep++
		}
	}
	reps := t.slabs.reps(nRep)
	seg := connectors.EDISegment{}
	if nElem > 1 {
		seg.Elements = t.slabs.elements(nElem - 1)
	}
	ri, ei, repStart, compStart := 0, 0, 0, 0
	for i, k := range t.kinds {
		if k == endComp {
			continue
		}
		reps[ri] = comps[compStart : i+1 : i+1]
		compStart = i + 1
		ri++
		if k != endElem {
			continue
		}
		el := reps[repStart:ri:ri]
		switch {
		case ei == 0:
			seg.Tag = el[0][0]
		case len(el) == 1 && len(el[0]) == 1 && el[0][0] == "":
			// an empty element stays nil
		default:
			seg.Elements[ei-1] = connectors.EDIElement(el)
		}
		ei++
		repStart = ri
	}
	return seg
}

// slabs hand out slices carved from larger allocations. A slice handed
// out is never handed out again; its capacity ends where it ends, so a
// caller's append cannot reach the next segment's data.
type slabs struct {
	str  []string
	rep  [][]string
	elem []connectors.EDIElement
}

const slabSize = 1024

func (s *slabs) strings(n int) []string {
	if len(s.str) < n {
		s.str = make([]string, max(n, slabSize))
	}
	out := s.str[:n:n]
	s.str = s.str[n:]
	return out
}

func (s *slabs) reps(n int) [][]string {
	if len(s.rep) < n {
		s.rep = make([][]string, max(n, slabSize))
	}
	out := s.rep[:n:n]
	s.rep = s.rep[n:]
	return out
}

func (s *slabs) elements(n int) []connectors.EDIElement {
	if len(s.elem) < n {
		s.elem = make([]connectors.EDIElement, max(n, slabSize))
	}
	out := s.elem[:n:n]
	s.elem = s.elem[n:]
	return out
}
