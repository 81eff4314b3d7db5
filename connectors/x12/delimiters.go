package x12

import (
	"fmt"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/connectors"
)

// Delimiters are the separators of one interchange, as its ISA declares
// them (reading) or as the writer should use them (writing).
type Delimiters struct {
	// Element separates data elements: the byte after "ISA".
	Element string
	// Component separates the components of a composite element: ISA16.
	Component string
	// Repetition separates repetitions of an element: ISA11 when ISA12
	// is 00402 or later; "" before (ISA11 is then the standards id "U").
	Repetition string
	// Segment ends a segment: the character after ISA16 (one byte, or
	// one UTF-8 character such as "…"), followed by the line break the
	// file puts after it, if any ("~\r\n").
	Segment string
}

// DefaultDelimiters returns the delimiters the writer uses for a version
// (GS08 "004010" or ISA12 "00401"): "*", ">" and "~" before 00402;
// "*", ":", "^" (repetition) and "~" from 00402 on.
func DefaultDelimiters(version string) Delimiters {
	if hasRepetition(isaVersion(version)) {
		return Delimiters{Element: "*", Component: ":", Repetition: "^", Segment: "~"}
	}
	return Delimiters{Element: "*", Component: ">", Segment: "~"}
}

// isaVersion turns a GS08 ("004010", "005010X222A1") into an ISA12
// ("00401", "00501"); an ISA12 stays as it is.
func isaVersion(v string) string {
	if len(v) > 5 {
		return v[:5]
	}
	return v
}

// hasRepetition reports whether ISA11 is a repetition separator in an
// interchange of ISA12 version v.
func hasRepetition(v string) bool { return len(v) == 5 && v >= "00402" }

// The ISA is fixed width: ISA01..ISA16 have these widths, each preceded
// by the element separator, and the segment terminator follows ISA16.
var isaWidths = [16]int{2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1}

const (
	// isaLen is the length of an ISA with a one-byte terminator.
	isaLen = 106
	// isaComponent and isaTerminator are the byte positions of ISA16 and
	// of the segment terminator.
	isaComponent  = 104
	isaTerminator = 105
	// isaPeek is how much the tokenizer looks at to read an ISA: its 105
	// bytes before the terminator, a terminator of up to 4 bytes and a
	// line break of up to 2.
	isaPeek = isaTerminator + utf8.UTFMax + 2
)

// isaSeparators are the byte positions of the element separators in an
// ISA: position 3 and the one after each of ISA01..ISA15.
var isaSeparators = func() [16]int {
	var p [16]int
	p[0] = 3
	at := 3
	for i := range 15 {
		at += 1 + isaWidths[i]
		p[i+1] = at
	}
	return p
}()

// isaHeader is what the tokenizer learns from an ISA.
type isaHeader struct {
	delims    Delimiters
	elem      byte
	comp      byte
	rep       byte // 0 when the version has none
	term      []byte
	length    int // bytes of the ISA including its terminator (not the line break)
	lineBreak int // bytes of CR/LF after the terminator
}

// parseISA reads the fixed-width ISA at the start of b (which starts with
// "ISA"). atEOF says b holds everything left in the input. It checks the
// fixed positions and the delimiters it declares.
func parseISA(b []byte, atEOF bool) (isaHeader, *connectors.EDIError) {
	var h isaHeader
	if len(b) < isaLen {
		if !atEOF {
			return h, isaErr("the ISA is incomplete")
		}
		return h, isaErr(fmt.Sprintf("the input ends %d bytes into the ISA; an ISA is 106 characters", len(b)))
	}
	sep := b[3]
	if isAlnum(sep) || isSpace(sep) {
		return h, isaErr(fmt.Sprintf("the element separator (the character after ISA) is %q; it must not be a letter, digit or space", sep))
	}
	for i, p := range isaSeparators {
		if b[p] != sep {
			return h, isaErr(isaWidthProblem(b, i))
		}
	}
	comp := b[isaComponent]
	if isAlnum(comp) || isSpace(comp) || comp == sep {
		return h, isaErr(fmt.Sprintf("ISA16 (component separator) %q must not be a letter, digit, space or the element separator", comp))
	}
	term := b[isaTerminator : isaTerminator+1]
	if b[isaTerminator] >= utf8.RuneSelf {
		r, n := utf8.DecodeRune(b[isaTerminator:])
		if r != utf8.RuneError || n > 1 {
			term = b[isaTerminator : isaTerminator+n]
		}
	}
	if t := term[0]; isAlnum(t) || t == ' ' || t == sep || t == comp {
		return h, isaErr(fmt.Sprintf("the segment terminator after ISA16 is %q; it must not be a letter, digit, space or another delimiter", term))
	}
	h.elem, h.comp, h.term = sep, comp, append([]byte(nil), term...)
	h.length = isaTerminator + len(term)
	h.delims = Delimiters{Element: string(sep), Component: string(comp), Segment: string(term)}
	if version := string(b[84:89]); hasRepetition(version) {
		rep := b[82]
		switch {
		case rep == sep || rep == comp || rep == term[0]:
			return h, isaErr(fmt.Sprintf("ISA11 (repetition separator) %q is also another delimiter", rep))
		case !isAlnum(rep) && !isSpace(rep):
			h.rep = rep
			h.delims.Repetition = string(rep)
		}
	}
	h.lineBreak = lineBreakAt(b[h.length:], term)
	h.delims.Segment += string(b[h.length : h.length+h.lineBreak])
	return h, nil
}

// lineBreakAt returns how many bytes of "\r\n", "\n" or "\r" start b,
// unless the terminator is itself a line break.
func lineBreakAt(b, term []byte) int {
	if len(term) == 1 && (term[0] == '\n' || (term[0] == '\r' && (len(b) == 0 || b[0] != '\n'))) {
		return 0
	}
	switch {
	case len(b) >= 2 && b[0] == '\r' && b[1] == '\n':
		return 2
	case len(b) >= 1 && (b[0] == '\n' || b[0] == '\r'):
		return 1
	}
	return 0
}

// isaWidthProblem explains why the separator before ISA element i+1 (or
// after ISA16 when i is 16) is not where it belongs: it finds the first
// element whose width is wrong.
func isaWidthProblem(b []byte, i int) string {
	sep := b[3]
	at := 4
	for n := range 16 {
		end := at
		for end < len(b) && b[end] != sep {
			end++
		}
		if end-at != isaWidths[n] && (n < 15 || end-at < 1) {
			return fmt.Sprintf("ISA%02d is %d characters where it must be %d (an ISA is fixed width, 106 characters)", n+1, end-at, isaWidths[n])
		}
		if n == 15 || end >= len(b) {
			break
		}
		at = end + 1
	}
	return fmt.Sprintf("the element separator %q is missing at byte %d (before ISA%02d); an ISA is fixed width, 106 characters", sep, isaSeparators[i], i+1)
}

func isaErr(msg string) *connectors.EDIError {
	return &connectors.EDIError{Pos: 1, Tag: "ISA", Code: "bad_isa", Message: msg}
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'
}
