package hub

import (
	"context"
	"io"
	"strconv"

	"github.com/dealerhub/dealerhub/hub/store"
)

// MaxStoredErrors bounds the errors kept on one message: a file where
// every one of a million rows is bad is recorded with the first
// MaxStoredErrors errors and one more saying how many were left out (the
// error workbook has them all).
const MaxStoredErrors = 1000

// StreamDecoder is a Decoder that streams a file's rows (the csv and xlsx
// formats). The hub prefers it: a price list's lines go to the store as
// they are read, so neither the file's rows nor its lines are held in
// memory.
type StreamDecoder interface {
	Decoder
	// Stream maps the message's rows and calls put, in file order, with
	// each valid record: for a price_list, one line (Doc is the line
	// object, Location its row); for other doctypes, one whole document.
	// It returns once every row is read. A problem that refuses the whole
	// file comes back as DataErrors: the format, no header row, a bad
	// mapping, a price-list header error, and every row error when the
	// mapping's on_error is reject_file. Under import_valid, rows left out
	// are in the report instead and the valid ones have gone to put.
	// Duplicate keys (a SKU twice in a price list, a stock level's location
	// and SKU twice) are row errors of the later row.
	Stream(ctx context.Context, msg store.Message, put func(Decoded) error) (StreamReport, error)
}

// StreamReport is what Stream read.
type StreamReport struct {
	// Header holds a price list's header fields (currency, valid_from,
	// external_id, …), without lines; nil for other doctypes.
	Header map[string]any
	// Rejected lists every error of the rows left out (import_valid).
	Rejected DataErrors
	// RejectedKeys are the SKUs of price-list rows left out, where the
	// SKU could be read: the diff does not call them removed.
	RejectedKeys []string
	// RowsRead counts data rows under the header (skipped ones included);
	// Imported the records given to put; RejectedRows the rows left out;
	// Skipped the blank, total and repeated header rows.
	RowsRead, Imported, RejectedRows, Skipped int
	// OnError is the policy the mapping applied.
	OnError string
}

// Previewer is a Decoder that can dry-run a file: map and validate
// without storing anything (the csv and xlsx formats).
type Previewer interface {
	// Preview maps msg (not stored: ID empty) as Stream would and reports
	// it. Errors are capped at MaxStoredErrors plus a summary entry.
	Preview(ctx context.Context, msg store.Message) (ImportPreview, error)
	// ErrorBook writes an .xlsx workbook holding the original cells of
	// every rejected row of msg plus a column with the reasons; exported
	// cells that begin with = + - @ are neutralised.
	ErrorBook(ctx context.Context, msg store.Message, w io.Writer) error
}

// ImportPreview is a dry run's report.
type ImportPreview struct {
	Doctype string         `json:"doctype"`
	Format  string         `json:"format"`
	Mapping string         `json:"mapping,omitempty"`
	OnError string         `json:"on_error"`
	Header  map[string]any `json:"header,omitempty"`
	// Sheets say how each sheet was read: header row, column per field.
	Sheets   any `json:"sheets,omitempty"`
	RowsRead int `json:"rows_read"`
	// WouldImport is 0 when the mapping rejects the whole file on any error.
	WouldImport int `json:"would_import"`
	Rejected    int `json:"rejected"`
	Skipped     int `json:"skipped"`
	// Errors locate each problem (sheet, row, column, header, value,
	// reason); capped at MaxStoredErrors plus a summary entry.
	Errors []store.DataError `json:"errors"`
}

// CapErrors keeps the first MaxStoredErrors errors and adds one that says
// how many more there were.
func CapErrors(errs []store.DataError) []store.DataError {
	if len(errs) <= MaxStoredErrors {
		return errs
	}
	out := make([]store.DataError, MaxStoredErrors+1)
	copy(out, errs[:MaxStoredErrors])
	out[MaxStoredErrors] = MoreErrors(len(errs) - MaxStoredErrors)
	return out
}

// MoreErrors is the summary entry that stands for n errors left out of a
// capped list.
func MoreErrors(n int) store.DataError {
	return store.DataError{Code: "more", Reason: "and " + strconv.Itoa(n) + " more error(s) not listed here; the error workbook lists every rejected row"}
}
