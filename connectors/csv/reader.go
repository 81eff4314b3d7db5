package csv

import (
	"bufio"
	"bytes"
	"context"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/connectors"
)

// windowSize is how much of the file detection looks at, and the size of
// each of the reader's two buffers.
const windowSize = 64 << 10

// DefaultMaxRecordBytes is the record size limit when Options.MaxRecordBytes is 0.
const DefaultMaxRecordBytes = 1 << 20

// Options says how to read a CSV file. The zero value detects everything.
type Options struct {
	// Encoding is "" to detect (UTF-8, UTF-8 with BOM, GBK, GB18030, UTF-16
	// with BOM), or one of "utf-8", "gbk", "gb18030", "utf-16le", "utf-16be"
	// (case-insensitive; "utf8", "cp936" and "gb2312" are accepted too).
	Encoding string
	// Delimiter is 0 to detect among , ; \t and |, or the field delimiter.
	Delimiter rune
	// MaxRecordBytes bounds one record (a line, or several when a quoted
	// field spans lines), so a quote that is never closed cannot make the
	// reader buffer the whole file. 0 means DefaultMaxRecordBytes.
	MaxRecordBytes int
}

// Reader reads the records of a CSV file as connectors.Rows, streaming:
// memory is bounded by two 64 KiB buffers and the longest record.
//
// Each Row has Sheet "", Number the line where the record starts, and one
// Cell per field: CellText, or CellEmpty for an empty field. Blank lines
// are skipped (line numbers keep counting); rows may differ in length.
//
// Next returns a *ParseError for a record it cannot read; the next call
// continues with the following record, except after ErrRecordTooLong,
// an I/O error or Close, which are final. A record with bytes that are not
// valid in the file's encoding comes back with its cells (bad bytes shown
// as U+FFFD) and a *ParseError wrapping ErrInvalidText naming the column.
//
// Close does not close the io.Reader given to NewReader: its opener owns it.
type Reader struct {
	dec     *textDecoder
	lim     *recordLimiter
	cr      *stdcsv.Reader
	delim   rune
	bom     int64 // bytes of a byte-order mark skipped after decoding
	maxRec  int64
	prevEnd int64 // csv input offset after the last record
	// nextLine is the first line after the last record read; it names
	// where a runaway record starts.
	nextLine int
	err      error // final error, returned by every later Next
}

var _ connectors.TableReader = (*Reader)(nil)

// NewReader prepares to read r. It reads ahead up to 64 KiB to detect what
// Options leave open, and fails with an error wrapping ErrNotCSV when the
// input is a workbook, an archive or binary data.
func NewReader(r io.Reader, opts Options) (*Reader, error) {
	enc, err := normalizeEncoding(opts.Encoding)
	if err != nil {
		return nil, err
	}
	if opts.Delimiter != 0 && !validDelimiter(opts.Delimiter) {
		return nil, fmt.Errorf("csv: Options.Delimiter %q cannot separate fields", opts.Delimiter)
	}
	if opts.MaxRecordBytes < 0 {
		return nil, fmt.Errorf("csv: Options.MaxRecordBytes is %d; it must be 0 (default) or positive", opts.MaxRecordBytes)
	}
	maxRec := int64(opts.MaxRecordBytes)
	if maxRec == 0 {
		maxRec = DefaultMaxRecordBytes
	}

	raw := bufio.NewReaderSize(r, windowSize)
	prefix, err := raw.Peek(windowSize)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("reading the start of the csv file: %w", err)
	}
	atEOF := err == io.EOF
	bom16 := utf16BOM(prefix)
	// UTF-16 text is full of NUL bytes: only other files are sniffed.
	if !strings.HasPrefix(enc, "utf-16") && (enc != "" || bom16 == "") {
		if err := sniffNotText(prefix); err != nil {
			return nil, err
		}
	}

	dec := &textDecoder{src: raw, enc: EncodingUTF8}
	switch {
	case enc != "":
		dec.decide(enc)
	case bom16 != "":
		dec.decide(bom16)
	case indexNonASCII(prefix) >= 0:
		dec.decide(decideEncoding(prefix, atEOF))
	}

	lim := &recordLimiter{r: dec, limit: maxRec + windowSize}
	text := bufio.NewReaderSize(lim, windowSize)
	rd := &Reader{dec: dec, lim: lim, delim: opts.Delimiter, maxRec: maxRec, nextLine: 1}
	if head, _ := text.Peek(3); bytes.Equal(head, []byte("\uFEFF")) {
		_, _ = text.Discard(3) // cannot fail: the bytes are buffered
		rd.bom = 3
	}
	if rd.delim == 0 {
		window, err := text.Peek(windowSize)
		rd.delim = detectDelimiter(window, err != nil)
	}

	rd.cr = stdcsv.NewReader(text) // uses text as its buffer: same size class
	rd.cr.Comma = rd.delim
	rd.cr.FieldsPerRecord = -1
	rd.cr.ReuseRecord = true
	return rd, nil
}

// Encoding returns the encoding in use: detected or as given. While only
// ASCII has been read it is "utf-8", and it may still become "gbk" or
// "gb18030" when the first non-ASCII byte comes after the first 64 KiB.
func (r *Reader) Encoding() string { return r.dec.enc }

// Delimiter returns the field delimiter in use: detected or as given.
func (r *Reader) Delimiter() rune { return r.delim }

// Next returns the next record as a Row, io.EOF after the last one.
func (r *Reader) Next(ctx context.Context) (connectors.Row, error) {
	if r.err != nil {
		return connectors.Row{}, r.err
	}
	if err := ctx.Err(); err != nil {
		return connectors.Row{}, fmt.Errorf("reading csv: %w", err)
	}
	rec, err := r.cr.Read()
	if err != nil {
		return connectors.Row{}, r.readError(len(rec), err)
	}
	line, _ := r.cr.FieldPos(0)
	end := r.cr.InputOffset()
	size := end - r.prevEnd
	r.advance(end)
	lastLine, _ := r.cr.FieldPos(len(rec) - 1)
	r.nextLine = lastLine + strings.Count(rec[len(rec)-1], "\n") + 1
	if size > r.maxRec {
		return connectors.Row{}, &ParseError{StartLine: line, Line: line, Field: -1,
			Detail: fmt.Sprintf("(%d bytes; the limit is %d)", size, r.maxRec), Err: ErrRecordTooLong}
	}

	row := connectors.Row{Number: line, Cells: make([]connectors.Cell, len(rec))}
	var bad *ParseError
	for i, v := range rec {
		if v == "" {
			continue // the zero Cell is CellEmpty
		}
		if !r.validText(v) {
			v = strings.ToValidUTF8(v, "\uFFFD")
			if bad == nil {
				fl, col := r.cr.FieldPos(i)
				bad = &ParseError{StartLine: line, Line: fl, Field: i, Position: col,
					Detail: "(read as " + r.dec.enc + "; if the file uses another encoding, set it)", Err: ErrInvalidText}
			}
		}
		row.Cells[i] = connectors.Cell{Value: v, Type: connectors.CellText}
	}
	if bad != nil {
		return row, bad
	}
	return row, nil
}

// validText reports whether v decoded cleanly: valid UTF-8 when the file is
// read as UTF-8, no replacement character when a decoder produced it.
func (r *Reader) validText(v string) bool {
	if r.dec.tr == nil {
		return utf8.ValidString(v)
	}
	return !strings.Contains(v, "\uFFFD")
}

// advance records that the csv reader has consumed input up to end.
func (r *Reader) advance(end int64) {
	r.prevEnd = end
	r.lim.start = end + r.bom
}

// readError turns an error from encoding/csv into what Next returns.
// encoding/csv returns the fields it completed before a parse error, so
// fields is the index of the field at fault.
func (r *Reader) readError(fields int, err error) error {
	if err == io.EOF {
		return io.EOF
	}
	if errors.Is(err, errRunaway) {
		r.err = &ParseError{StartLine: r.nextLine, Line: r.nextLine, Field: -1,
			Detail: fmt.Sprintf("(longer than %d bytes)", r.maxRec), Err: ErrRecordTooLong}
		return r.err
	}
	var pe *stdcsv.ParseError
	if !errors.As(err, &pe) {
		r.err = fmt.Errorf("reading csv: %w", err)
		return r.err
	}
	end := r.cr.InputOffset()
	out := &ParseError{StartLine: pe.StartLine, Line: pe.Line, Field: fields, Position: pe.Column, Err: err}
	switch {
	case errors.Is(err, stdcsv.ErrBareQuote):
		out.Err = ErrBareQuote
	case errors.Is(err, stdcsv.ErrQuote) && r.lim.eof && end+r.bom == r.lim.n:
		// encoding/csv reports an unclosed quote at the end of the input
		// with the same error as a stray one; only the position differs.
		out.Err = ErrQuoteNotClosed
		out.Line, out.Position = pe.StartLine, 0
	case errors.Is(err, stdcsv.ErrQuote):
		out.Err = ErrStrayQuote
	}
	r.advance(end)
	r.nextLine = pe.Line + 1
	return out
}

// Close makes later calls to Next fail. It does not close the underlying
// io.Reader.
func (r *Reader) Close() error {
	r.err = errors.New("reading csv: the reader is closed")
	return nil
}

// normalizeEncoding maps an Options.Encoding to its canonical name.
func normalizeEncoding(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", nil
	case "utf-8", "utf8":
		return EncodingUTF8, nil
	case "gbk", "cp936", "gb2312":
		return EncodingGBK, nil
	case "gb18030":
		return EncodingGB18030, nil
	case "utf-16le":
		return EncodingUTF16LE, nil
	case "utf-16be":
		return EncodingUTF16BE, nil
	}
	return "", fmt.Errorf("csv: Options.Encoding %q is not supported (use \"\" to detect, \"utf-8\", \"gbk\", \"gb18030\", \"utf-16le\" or \"utf-16be\")", s)
}

// validDelimiter mirrors encoding/csv's rule for Comma.
func validDelimiter(r rune) bool {
	return r != '"' && r != '\r' && r != '\n' && utf8.ValidRune(r) && r != utf8.RuneError
}
