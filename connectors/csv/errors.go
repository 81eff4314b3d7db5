package csv

import (
	"errors"
	"strconv"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
)

// Problems a ParseError can name, for errors.Is. Their text is written for
// the supplier who has to fix the file.
var (
	// ErrQuoteNotClosed: a field opened with a quote runs to the end of the file.
	ErrQuoteNotClosed = errors.New("a quoted field is not closed (it runs to the end of the file)")
	// ErrStrayQuote: text follows the closing quote of a quoted field.
	ErrStrayQuote = errors.New("text follows the closing quote of a quoted field (a quote inside a quoted field must be doubled)")
	// ErrBareQuote: a quote inside a field that does not start with one.
	ErrBareQuote = errors.New("a quote appears inside a field that is not quoted (quote the whole field and double the inner quote)")
	// ErrRecordTooLong: one record is longer than Options.MaxRecordBytes.
	ErrRecordTooLong = errors.New("the record is too long (a quoted field is probably not closed)")
	// ErrInvalidText: bytes that are not text in the file's encoding.
	ErrInvalidText = errors.New("the text holds bytes that are not valid in the file's encoding")
	// ErrNotCSV: the input is not text at all (a workbook, an archive, binary data).
	ErrNotCSV = errors.New("not CSV")
)

// ParseError is a problem at a place in the file: the line (1-based, as a
// text editor counts them), and where known the field and the byte position.
type ParseError struct {
	// StartLine is the line where the record starts (its Row.Number).
	StartLine int
	// Line is the line where the problem is.
	Line int
	// Field is the 0-based field index (column A is 0); -1 when unknown.
	Field int
	// Position is the 1-based byte position within Line after decoding to
	// UTF-8; 0 when unknown. Error shows it only when Field is unknown: a
	// byte count means little to a supplier who sees characters.
	Position int
	// Detail adds to Err, e.g. "for encoding gbk" or a limit; may be "".
	Detail string
	// Err is one of the Err* problems above.
	Err error
}

// Error reads like "line 12, column C: a quoted field is not closed (...)".
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("line ")
	b.WriteString(strconv.Itoa(e.Line))
	if e.Field >= 0 {
		b.WriteString(", column ")
		b.WriteString(connectors.ColumnLetter(e.Field))
	}
	if e.Position > 0 && e.Field < 0 {
		b.WriteString(", position ")
		b.WriteString(strconv.Itoa(e.Position))
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	if e.Detail != "" {
		b.WriteString(" ")
		b.WriteString(e.Detail)
	}
	if e.StartLine > 0 && e.StartLine != e.Line {
		b.WriteString(" (the record starts on line ")
		b.WriteString(strconv.Itoa(e.StartLine))
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns Err.
func (e *ParseError) Unwrap() error { return e.Err }

// notCSVError says what the input looks like instead of CSV.
type notCSVError struct{ what string }

func (e *notCSVError) Error() string        { return e.what + ", not CSV" }
func (e *notCSVError) Is(target error) bool { return target == ErrNotCSV }
