package x12

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/dealerhub/dealerhub/connectors"
)

// DefaultMaxSegmentBytes is the longest segment the tokenizer accepts
// unless told otherwise: far above any real segment, low enough that a
// file without terminators cannot take all memory.
const DefaultMaxSegmentBytes = 1 << 20

const minBufSize = 64 << 10

// Tokenizer splits an X12 byte stream into segments. It learns the
// delimiters from each ISA, so one stream may hold several interchanges
// with different delimiters. It reads through its own buffer (64 KiB,
// growing up to the segment limit), so it needs no bufio.Reader around r.
type Tokenizer struct {
	r      io.Reader
	buf    []byte
	start  int   // first unread byte in buf
	end    int   // end of the data in buf
	base   int64 // file offset of buf[0]
	scan   int   // bytes after start already searched for a terminator
	eof    bool
	err    error // sticky: returned by every Next after it
	maxSeg int

	// text is a string copy of part of the input, at file offset
	// textBase; segment strings are cut from it so that a segment costs
	// no string allocation of its own.
	text     string
	textBase int64

	started bool // the first ISA has been seen
	between bool // after an IEA: whitespace may separate interchanges
	pos     int
	hdr     isaHeader
	class   [256]byte
	slab    slab
	marks   []uint64 // scratch of split: delimiter position<<2 | class
}

// Byte classes for splitting a segment.
const (
	classData byte = iota
	classElement
	classComponent
	classRepetition
)

// NewTokenizer returns a tokenizer reading r from its start.
func NewTokenizer(r io.Reader) *Tokenizer {
	return &Tokenizer{r: r, maxSeg: DefaultMaxSegmentBytes}
}

// SetMaxSegmentBytes sets the longest accepted segment (n <= 0 restores
// DefaultMaxSegmentBytes). A longer one is an error "segment_too_long".
func (t *Tokenizer) SetMaxSegmentBytes(n int) {
	if n <= 0 {
		n = DefaultMaxSegmentBytes
	}
	t.maxSeg = n
}

// Delimiters returns the delimiters of the current interchange (zero
// before the first ISA).
func (t *Tokenizer) Delimiters() Delimiters { return t.hdr.delims }

// Next returns the next segment. Its Pos counts from 1 at each ISA and its
// Offset is the byte offset of its first byte in the input (a byte-order
// mark counts). At the end of the input it returns io.EOF. Input that is
// not X12 at all is a *connectors.EDIError with Code "not_edi"; an ISA
// that is not 106 fixed-width characters is "bad_isa"; both, like read
// errors, end the stream: every later call returns the same error.
func (t *Tokenizer) Next() (connectors.EDISegment, error) {
	if t.err != nil {
		return connectors.EDISegment{}, t.err
	}
	seg, err := t.next()
	if err != nil {
		t.err = err
	}
	return seg, err
}

func (t *Tokenizer) next() (connectors.EDISegment, error) {
	if !t.started {
		if err := t.begin(); err != nil {
			return connectors.EDISegment{}, err
		}
	}
	for {
		more, err := t.skip(t.between)
		if err != nil {
			return connectors.EDISegment{}, err
		}
		if !more {
			return connectors.EDISegment{}, io.EOF
		}
		if err := t.ensure(4); err != nil {
			return connectors.EDISegment{}, err
		}
		if t.atISA() {
			return t.readISA()
		}
		seg, ok, err := t.segment()
		if err != nil || ok {
			return seg, err
		}
		// An empty segment ("~~"): skip it.
	}
}

// begin skips a byte-order mark and leading whitespace and checks that
// the input starts with an ISA.
func (t *Tokenizer) begin() error {
	if err := t.ensure(3); err != nil {
		return err
	}
	w := t.window()
	switch {
	case bytes.HasPrefix(w, []byte("\xEF\xBB\xBF")):
		t.start += 3
	case bytes.HasPrefix(w, []byte("\xFF\xFE")), bytes.HasPrefix(w, []byte("\xFE\xFF")):
		return notEDI("the file is UTF-16 text; X12 is ASCII or UTF-8")
	}
	more, err := t.skip(true)
	if err != nil {
		return err
	}
	if !more {
		return notEDI("the file is empty")
	}
	if err := t.ensure(4); err != nil {
		return err
	}
	if !t.atISA() {
		return notEDI(describeStart(t.window()))
	}
	return nil
}

// window is the unread buffered input.
func (t *Tokenizer) window() []byte { return t.buf[t.start:t.end] }

// offset is the file offset of the first unread byte.
func (t *Tokenizer) offset() int64 { return t.base + int64(t.start) }

// atISA reports whether the unread input starts with an ISA segment.
func (t *Tokenizer) atISA() bool {
	w := t.window()
	return len(w) >= 3 && w[0] == 'I' && w[1] == 'S' && w[2] == 'A' && (len(w) == 3 || !isAlnum(w[3]))
}

// skip passes over whitespace before a segment (line breaks after
// terminators, indentation, trailing blanks: no delimiter can be
// whitespace, and no tag starts with it) and, between interchanges, NUL
// or Ctrl-Z padding. It returns false at the end of the input.
func (t *Tokenizer) skip(padding bool) (bool, error) {
	for {
		w := t.window()
		i := 0
		for i < len(w) && (isSpace(w[i]) || padding && (w[i] == 0 || w[i] == 0x1a)) {
			i++
		}
		t.start += i
		if t.start < t.end {
			return true, nil
		}
		if t.eof {
			return false, nil
		}
		if err := t.fill(); err != nil {
			return false, err
		}
	}
}

// readISA reads the fixed-width ISA at the start of the window and makes
// its delimiters current.
func (t *Tokenizer) readISA() (connectors.EDISegment, error) {
	if err := t.ensure(isaPeek); err != nil {
		return connectors.EDISegment{}, err
	}
	off := t.offset()
	w := t.window()
	h, perr := parseISA(w, t.eof || len(w) >= isaPeek)
	if perr != nil {
		perr.Offset = off
		return connectors.EDISegment{}, perr
	}
	t.hdr = h
	t.class = [256]byte{}
	t.class[h.elem] = classElement
	t.class[h.comp] = classComponent
	if h.rep != 0 {
		t.class[h.rep] = classRepetition
	}
	t.pos = 1
	t.between = false
	t.started = true
	seg := t.splitISA(t.stringAt(t.start, t.start+isaTerminator))
	seg.Pos, seg.Offset = 1, off
	t.start += h.length
	t.scan = 0
	return seg, nil
}

// segment cuts the next segment at its terminator. ok is false for an
// empty segment.
func (t *Tokenizer) segment() (seg connectors.EDISegment, ok bool, err error) {
	term := t.hdr.term
	for {
		w := t.window()
		var i int
		if len(term) == 1 {
			i = bytes.IndexByte(w[t.scan:], term[0])
		} else {
			i = bytes.Index(w[t.scan:], term)
		}
		if i >= 0 {
			n := t.scan + i
			if term[0] == '\n' && n > 0 && w[n-1] == '\r' {
				// A CR/LF line in a file whose ISA ended with a bare LF.
				return t.emit(n-1, 2)
			}
			return t.emit(n, len(term))
		}
		t.scan = max(0, len(w)-len(term)+1)
		if len(w) > t.maxSeg {
			return seg, false, &connectors.EDIError{
				Pos: t.pos + 1, Offset: t.offset(), Code: "segment_too_long",
				Message: fmt.Sprintf("no segment terminator %q within %d bytes", term, t.maxSeg),
			}
		}
		if t.eof {
			// The last segment may lack its terminator.
			if n := len(w); term[0] == '\n' && w[n-1] == '\r' {
				return t.emit(n-1, 1)
			}
			return t.emit(len(w), 0)
		}
		if err := t.fill(); err != nil {
			return seg, false, err
		}
	}
}

// emit returns the segment of the n bytes at the start of the window and
// moves past it and its terminator (termLen bytes).
func (t *Tokenizer) emit(n, termLen int) (connectors.EDISegment, bool, error) {
	from := t.start
	off := t.offset()
	t.start += n + termLen
	t.scan = 0
	if n == 0 {
		return connectors.EDISegment{}, false, nil
	}
	seg := t.split(t.stringAt(from, from+n))
	t.pos++
	seg.Pos, seg.Offset = t.pos, off
	t.between = seg.Tag == "IEA"
	return seg, true, nil
}

// stringAt returns buf[from:to] as a string, cut from t.text when it
// covers that range, otherwise from a fresh copy of the whole window.
func (t *Tokenizer) stringAt(from, to int) string {
	lo, hi := t.base+int64(from), t.base+int64(to)
	if lo < t.textBase || hi > t.textBase+int64(len(t.text)) {
		t.text = string(t.buf[from:t.end])
		t.textBase = lo
	}
	return t.text[lo-t.textBase : hi-t.textBase]
}

// ensure fills the buffer until the window holds n bytes or the input
// ends.
func (t *Tokenizer) ensure(n int) error {
	for t.end-t.start < n && !t.eof {
		if err := t.fill(); err != nil {
			return err
		}
	}
	return nil
}

// fill reads more input, first moving the window to the front of the
// buffer or growing the buffer when it is full.
func (t *Tokenizer) fill() error {
	if t.buf == nil {
		t.buf = make([]byte, minBufSize)
	}
	if t.start > 0 && (t.end == len(t.buf) || t.start > len(t.buf)/2) {
		copy(t.buf, t.buf[t.start:t.end])
		t.base += int64(t.start)
		t.end -= t.start
		t.start = 0
	}
	if t.end == len(t.buf) {
		nb := make([]byte, 2*len(t.buf))
		copy(nb, t.buf[:t.end])
		t.buf = nb
	}
	for range 100 {
		n, err := t.r.Read(t.buf[t.end:])
		t.end += n
		if errors.Is(err, io.EOF) {
			t.eof = true
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading x12 input at byte %d: %w", t.base+int64(t.end), err)
		}
		if n > 0 {
			return nil
		}
	}
	return fmt.Errorf("reading x12 input: %w", io.ErrNoProgress)
}

// notEDI is the error for input that is not an X12 interchange.
func notEDI(msg string) *connectors.EDIError {
	return &connectors.EDIError{Code: "not_edi", Message: msg}
}

// describeStart says what the input looks like when it is not X12.
func describeStart(w []byte) string {
	switch {
	case bytes.HasPrefix(w, []byte("UNA")) || bytes.HasPrefix(w, []byte("UNB")):
		return "this is EDIFACT (it starts with " + string(w[:3]) + "), not X12"
	case bytes.HasPrefix(w, []byte("PK\x03\x04")):
		return "this is a zip archive (an XLSX workbook?), not X12"
	case bytes.HasPrefix(w, []byte("%PDF")):
		return "this is a PDF document, not X12"
	case bytes.HasPrefix(w, []byte("<")):
		return "this is XML or HTML, not X12"
	case bytes.HasPrefix(w, []byte("{")) || bytes.HasPrefix(w, []byte("[")):
		return "this looks like JSON, not X12"
	}
	if len(w) > 16 {
		w = w[:16]
	}
	return fmt.Sprintf("not an X12 interchange: it must start with an ISA segment, found %q", w)
}
