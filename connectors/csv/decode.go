package csv

import (
	"bufio"
	"io"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// textDecoder turns the raw bytes into UTF-8 as they stream through.
//
// While its encoding is undecided it passes ASCII through unchanged (ASCII
// means the same in UTF-8 and GBK); at the first non-ASCII byte it decides
// on a window of the bytes that follow. So a file whose first 64 KiB are
// plain ASCII is still read right when its Chinese text comes later.
type textDecoder struct {
	src *bufio.Reader // raw bytes; its size is the detection window
	enc string        // decided (or provisional "utf-8" while undecided)
	// decided is false until the encoding is known.
	decided bool
	// tr is the transforming reader once a non-UTF-8 encoding is decided.
	tr io.Reader
}

// decide fixes the encoding and, for one that is not UTF-8, starts the
// transforming reader at the current position.
func (d *textDecoder) decide(enc string) {
	d.enc, d.decided = enc, true
	var e encoding.Encoding
	switch enc {
	case EncodingGBK:
		e = simplifiedchinese.GBK
	case EncodingGB18030:
		e = simplifiedchinese.GB18030
	case EncodingUTF16LE:
		e = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	case EncodingUTF16BE:
		e = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	default:
		return
	}
	d.tr = transform.NewReader(d.src, e.NewDecoder())
}

// Read implements io.Reader. It never returns 0, nil.
func (d *textDecoder) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for !d.decided {
		// Look only at what is buffered (or one read's worth), so a slow
		// source is not made to fill the whole window first.
		if d.src.Buffered() == 0 {
			if _, err := d.src.Peek(1); err != nil {
				return 0, err
			}
		}
		buf, _ := d.src.Peek(min(len(p), d.src.Buffered()))
		i := indexNonASCII(buf)
		if i < 0 {
			i = len(buf)
		}
		if i > 0 {
			n := copy(p, buf[:i])
			_, _ = d.src.Discard(n) // cannot fail: the bytes are buffered
			return n, nil
		}
		window, err := d.src.Peek(d.src.Size())
		d.decide(decideEncoding(window, err != nil))
	}
	if d.tr != nil {
		return d.tr.Read(p)
	}
	return d.src.Read(p)
}

// indexNonASCII returns the index of the first byte >= 0x80 in b, or -1.
func indexNonASCII(b []byte) int {
	for i, c := range b {
		if c >= 0x80 {
			return i
		}
	}
	return -1
}

// recordLimiter stops a runaway record (a quote never closed in a large
// file) before encoding/csv buffers all of it: it refuses to deliver more
// than limit bytes past the start of the current record.
type recordLimiter struct {
	r     io.Reader
	n     int64 // bytes delivered so far
	start int64 // offset where the current record starts
	limit int64
	eof   bool // r returned io.EOF
	err   error
}

// errRunaway is what the limiter returns; Reader.Next turns it into a
// ParseError with ErrRecordTooLong.
var errRunaway = &ParseError{Err: ErrRecordTooLong}

// Read implements io.Reader.
func (l *recordLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	allowed := l.start + l.limit - l.n
	if allowed <= 0 {
		l.err = errRunaway
		return 0, l.err
	}
	if int64(len(p)) > allowed {
		p = p[:allowed]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if err == io.EOF {
		l.eof = true
	}
	return n, err
}
