package edifact

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
)

// DefaultMaxSegmentBytes bounds one segment, so a file whose terminator
// never comes cannot fill memory.
const DefaultMaxSegmentBytes = 1 << 20

// Byte classes of the tokenizer's scan.
const (
	clData  byte = iota // text the syntax level takes as it is
	clOther             // text to check or convert (high bytes, controls)
	clElem
	clComp
	clRep
	clRelease
	clSkip
)

// What ended a component.
const (
	endComp byte = iota
	endRep
	endElem
)

// Tokenizer splits an EDIFACT stream into segments. It follows each
// interchange's UNA advice (or the defaults), removes release
// characters, converts the text of single-byte syntax levels (UNOC is
// ISO 8859-1) to UTF-8 and checks characters against the level named in
// UNB. It reads through a bufio.Reader and keeps at most one segment in
// memory.
type Tokenizer struct {
	r        *bufio.Reader
	d        Delimiters
	class    [256]byte
	cs       *charset
	charsets map[string]*charset
	unaSeen  bool
	max      int
	off      int64 // offset of the next unread byte
	pos      int   // position of the last segment in its interchange
	lastTag  string
	started  bool
	err      error // sticky: returned by every later Next
	buf      []byte
	out      []byte
	ends     []int
	kinds    []byte
	slabs    slabs
}

// NewTokenizer returns a tokenizer reading r.
func NewTokenizer(r io.Reader) *Tokenizer {
	t := &Tokenizer{r: bufio.NewReaderSize(r, 64<<10), max: DefaultMaxSegmentBytes, charsets: map[string]*charset{}}
	t.cs = t.charset("")
	t.setDelimiters(DefaultDelimiters("3"))
	return t
}

// SetMaxSegmentBytes sets the longest segment accepted (default
// DefaultMaxSegmentBytes); a longer one ends reading with the error
// "segment_too_long".
func (t *Tokenizer) SetMaxSegmentBytes(n int) {
	if n > 0 {
		t.max = n
	}
}

// Delimiters returns the delimiters of the interchange being read.
func (t *Tokenizer) Delimiters() Delimiters { return t.d }

// Syntax returns the syntax identifier of the interchange being read
// ("UNOC"), "" before its UNB.
func (t *Tokenizer) Syntax() string { return t.cs.id }

// Next returns the next segment, io.EOF after the last one.
//
// A data problem that does not stop the tokenizer comes back as a
// *connectors.EDIError together with the segment it was found in (the
// segment's Pos is then > 0): "bad_character", "bad_syntax", and
// "truncated" for a last segment without terminator. Any other error
// ("not_edi", "bad_una", "release_at_end", "segment_too_long", I/O) ends
// the stream, and Next returns it again on every later call.
//
// UNA is returned as a segment of its own (Pos 1) whose one value is the
// six advice characters.
func (t *Tokenizer) Next() (connectors.EDISegment, error) {
	if t.err != nil {
		return connectors.EDISegment{}, t.err
	}
	seg, err := t.next()
	if err != nil && seg.Pos == 0 {
		t.err = err
	}
	return seg, err
}

func (t *Tokenizer) next() (connectors.EDISegment, error) {
	if !t.started {
		t.started = true
		if err := t.begin(); err != nil {
			return connectors.EDISegment{}, err
		}
	}
	for {
		if err := t.skipSpace(); err != nil {
			return connectors.EDISegment{}, err
		}
		if una, ok, err := t.interchangeStart(); ok || err != nil {
			return una, err
		}
		start := t.off
		data, err := t.readRaw()
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return t.unterminated(data, start)
		}
		if err != nil {
			return connectors.EDISegment{}, err
		}
		if t.blank(data) {
			continue // an empty segment ("''") carries nothing
		}
		return t.finish(t.parse(data, start))
	}
}

// begin skips a UTF-8 byte-order mark and checks that the stream starts
// like EDIFACT.
func (t *Tokenizer) begin() error {
	if b, _ := t.r.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		t.discard(3)
	}
	if err := t.skipSpace(); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	head, _ := t.r.Peek(16)
	switch {
	case bytes.HasPrefix(head, []byte("UNA")), bytes.HasPrefix(head, []byte("UNB")):
		return nil
	case len(head) == 0:
		return &connectors.EDIError{Code: "not_edi", Message: "the file is empty, not EDIFACT"}
	case bytes.HasPrefix(head, []byte("ISA")):
		return &connectors.EDIError{Code: "not_edi", Offset: t.off,
			Message: "the file starts with ISA: it looks like X12, not EDIFACT"}
	}
	return &connectors.EDIError{Code: "not_edi", Offset: t.off,
		Message: fmt.Sprintf("the file starts with %q, not with UNA or UNB: not EDIFACT", head)}
}

// skipSpace skips the line breaks, spaces and padding that files put
// between segments; it returns io.EOF at the end of the stream.
func (t *Tokenizer) skipSpace() error {
	for {
		c, err := t.r.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return io.EOF
			}
			return fmt.Errorf("reading EDIFACT at byte %d: %w", t.off, err)
		}
		if !t.isPad(c) {
			return t.r.UnreadByte()
		}
		t.off++
	}
}

// isPadding reports bytes accepted between segments: line breaks,
// spaces, tabs, NUL and the DOS end-of-file mark.
func isPadding(c byte) bool {
	return c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == 0 || c == 0x1a
}

// isPad reports padding that is not one of the delimiters in use.
func (t *Tokenizer) isPad(c byte) bool {
	return isPadding(c) && (t.class[c] == clData || t.class[c] == clOther || t.class[c] == clSkip)
}

func (t *Tokenizer) discard(n int) {
	d, _ := t.r.Discard(n)
	t.off += int64(d)
}

// interchangeStart reads a UNA, which starts an interchange wherever it
// comes (a UNA after an interchange without UNZ still sets the next
// one's delimiters). At the start of the stream and after UNZ without
// UNA, it resets the delimiters to the defaults.
func (t *Tokenizer) interchangeStart() (connectors.EDISegment, bool, error) {
	head, _ := t.r.Peek(9)
	isUNA := bytes.HasPrefix(head, []byte("UNA"))
	if !isUNA && t.pos != 0 && t.lastTag != "UNZ" {
		return connectors.EDISegment{}, false, nil
	}
	t.setCharset("")
	if !isUNA {
		t.unaSeen = false
		if bytes.HasPrefix(head, []byte("UNB\x1d")) {
			t.setDelimiters(levelBDelimiters())
		} else {
			t.setDelimiters(DefaultDelimiters("3"))
		}
		return connectors.EDISegment{}, false, nil
	}
	off := t.off
	if len(head) < 9 {
		return connectors.EDISegment{}, false, &connectors.EDIError{Pos: 1, Offset: off, Tag: "UNA", Code: "bad_una",
			Message: fmt.Sprintf("the service string advice %q is cut short (UNA takes six characters)", head)}
	}
	d, err := parseUNA(head[3:9], off)
	if err != nil {
		return connectors.EDISegment{}, false, err
	}
	adv := string(head[3:9])
	t.discard(9)
	t.setDelimiters(d)
	t.unaSeen = true
	t.pos, t.lastTag = 1, "UNA"
	return connectors.EDISegment{Tag: "UNA", Elements: []connectors.EDIElement{{{adv}}}, Pos: 1, Offset: off}, true, nil
}

func (t *Tokenizer) setDelimiters(d Delimiters) {
	t.d = d
	t.classify()
}

// setCharset switches to the syntax level id.
func (t *Tokenizer) setCharset(id string) {
	t.cs = t.charset(id)
	t.classify()
}

// classify builds the byte classes of the delimiters and syntax level in
// use.
func (t *Tokenizer) classify() {
	d := t.d
	for c := range t.class {
		t.class[c] = clOther
		if c < 0x80 && t.cs != nil && t.cs.ok[c] {
			t.class[c] = clData
		}
	}
	t.class['\r'], t.class['\n'] = clSkip, clSkip
	t.class[d.Element] = clElem
	t.class[d.Component] = clComp
	if d.Repetition != 0 {
		t.class[d.Repetition] = clRep
	}
	if d.Release != 0 {
		t.class[d.Release] = clRelease
	}
	t.class[d.Segment] = clOther // never seen inside a segment unless released
}

func (t *Tokenizer) charset(id string) *charset {
	cs, ok := t.charsets[id]
	if !ok {
		cs = newCharset(id)
		t.charsets[id] = cs
	}
	return cs
}

// readRaw returns the bytes of the next segment without its terminator.
// A terminator preceded by an odd number of release characters belongs
// to the data. At the end of the stream it returns what it read and
// io.ErrUnexpectedEOF.
func (t *Tokenizer) readRaw() ([]byte, error) {
	t.buf = t.buf[:0]
	start := t.off
	for {
		chunk, err := t.r.ReadSlice(t.d.Segment)
		t.off += int64(len(chunk))
		switch {
		case err == nil:
			data := chunk[:len(chunk)-1]
			if len(t.buf) > 0 {
				t.buf = append(t.buf, chunk...)
				data = t.buf[:len(t.buf)-1]
			}
			if len(data) > t.max {
				return nil, t.tooLong(data, start)
			}
			if !t.released(data) {
				return data, nil
			}
			if len(t.buf) == 0 {
				t.buf = append(t.buf, chunk...)
			}
		case errors.Is(err, bufio.ErrBufferFull):
			t.buf = append(t.buf, chunk...)
		case errors.Is(err, io.EOF):
			t.buf = append(t.buf, chunk...)
			return t.buf, io.ErrUnexpectedEOF
		default:
			return nil, fmt.Errorf("reading EDIFACT at byte %d: %w", t.off, err)
		}
		if len(t.buf) > t.max {
			return nil, t.tooLong(t.buf, start)
		}
	}
}

func (t *Tokenizer) tooLong(data []byte, start int64) error {
	return &connectors.EDIError{Pos: t.pos + 1, Offset: start, Tag: tagOf(data, t.d), Code: "segment_too_long",
		Message: fmt.Sprintf("the segment is longer than %d bytes: is the segment terminator %q right?", t.max, t.d.Segment)}
}

// released reports whether data ends in an odd run of release
// characters, which release the terminator that follows.
func (t *Tokenizer) released(data []byte) bool {
	if t.d.Release == 0 {
		return false
	}
	n := 0
	for i := len(data) - 1; i >= 0; i-- {
		switch t.class[data[i]] {
		case clRelease:
			n++
			continue
		case clSkip:
			continue
		}
		break
	}
	return n%2 == 1
}

func (t *Tokenizer) blank(data []byte) bool {
	for _, c := range data {
		if t.class[c] != clSkip {
			return false
		}
	}
	return true
}

// unterminated handles the bytes after the last terminator: padding is
// the end; a release character at the end is an error; a final UNZ
// without terminator is accepted; anything else is returned with a
// "truncated" error.
func (t *Tokenizer) unterminated(data []byte, start int64) (connectors.EDISegment, error) {
	for len(data) > 0 && t.isPad(data[len(data)-1]) {
		data = data[:len(data)-1]
	}
	if len(data) == 0 {
		return connectors.EDISegment{}, io.EOF
	}
	tag := tagOf(data, t.d)
	body := data
	if data[len(data)-1] == t.d.Segment {
		body = data[:len(data)-1]
	}
	if t.released(body) {
		return connectors.EDISegment{}, &connectors.EDIError{Pos: t.pos + 1, Offset: start, Tag: tag, Code: "release_at_end",
			Message: fmt.Sprintf("the file ends inside segment %s: its last release character %q releases the segment terminator (or nothing), so the segment never ends", tag, t.d.Release)}
	}
	seg, err := t.finish(t.parse(data, start))
	if seg.Tag == "UNZ" {
		return seg, err
	}
	return seg, &connectors.EDIError{Pos: seg.Pos, Offset: start, Tag: seg.Tag, Code: "truncated",
		Message: fmt.Sprintf("the file ends inside segment %s: it has no segment terminator %q", seg.Tag, t.d.Segment)}
}

// tagOf returns the first characters of raw segment bytes, up to a
// delimiter, for messages about segments that could not be read.
func tagOf(data []byte, d Delimiters) string {
	end := min(len(data), 3)
	for i, c := range data[:end] {
		if c == d.Element || c == d.Component || c == d.Segment {
			end = i
			break
		}
	}
	return strings.ToValidUTF8(string(data[:end]), "?")
}

// finish numbers a parsed segment and follows the envelope: UNB sets the
// syntax level (and syntax 4's default repetition separator).
func (t *Tokenizer) finish(seg connectors.EDISegment, bad *connectors.EDIError) (connectors.EDISegment, error) {
	if seg.Tag == "UNB" && t.lastTag != "UNA" {
		t.pos = 0
	}
	t.pos++
	t.lastTag = seg.Tag
	seg.Pos = t.pos
	var err error
	if bad != nil {
		bad.Pos, bad.Tag = seg.Pos, seg.Tag
		err = bad
	}
	if seg.Tag == "UNB" {
		id, version := seg.Component(1, 1), seg.Component(1, 2)
		t.setCharset(id)
		if version == "4" && !t.unaSeen && t.d.Segment == '\'' {
			d := t.d
			d.Repetition = '*'
			t.setDelimiters(d)
		}
		if !KnownSyntax(id) && err == nil {
			err = &connectors.EDIError{Pos: seg.Pos, Offset: seg.Offset, Tag: "UNB", Element: 1, Component: 1, Code: "bad_syntax",
				Message: fmt.Sprintf("syntax identifier %q is not one of UNOA…UNOK, UNOW, UNOY: text is read as UTF-8 where valid, else ISO 8859-1", id)}
		}
	}
	return seg, err
}
