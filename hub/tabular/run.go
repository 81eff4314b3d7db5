package tabular

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/csv"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings"
)

// rowSink receives a run's records in row order, on one goroutine.
type rowSink struct {
	// valid gets each record without errors whose key did not repeat.
	valid func(rec mappings.Record) error
	// rejected gets each record left out, with its errors (a repeated key
	// is one).
	rejected func(rec mappings.Record, errs []mappings.FieldError) error
	// wrap, when set, wraps the table reader (the error workbook's
	// RowKeeper).
	wrap func(connectors.TableReader) connectors.TableReader
}

// errSink marks an error returned by a sink, so that it is not taken for
// a problem with the file.
type errSink struct{ err error }

func (e errSink) Error() string { return e.err.Error() }
func (e errSink) Unwrap() error { return e.err }

// run maps every row of msg's file with c, hands each record to the sink
// and returns the engine's report. A file that cannot be read (format, no
// header row, a missing sheet) comes back as hub.DataErrors; an error of
// the sink or ctx as itself.
func (d *decoder) run(ctx context.Context, msg store.Message, c chosen, sink rowSink) (*mappings.Report, error) {
	src, err := d.open(msg, c.m.Sheet)
	if err != nil {
		return nil, hub.DataErrors{{Code: "format", Reason: err.Error()}}
	}
	if sink.wrap != nil {
		src = sink.wrap(src)
	}
	defer src.Close()
	keys := newKeySet()
	emit := func(rec mappings.Record) error {
		var err error
		if len(rec.Errors) > 0 {
			err = sink.rejected(rec, derivedDropped(rec.Errors))
		} else if dup, ok := keys.repeat(c.m.DocType, rec); ok {
			err = sink.rejected(rec, []mappings.FieldError{dup})
		} else {
			err = sink.valid(rec)
		}
		if err != nil {
			return errSink{err}
		}
		return nil
	}
	rep, err := d.eng.Map(ctx, src, c.m, mappings.Options{
		Partner: msg.Partner,
		File:    msg.Filename,
		// The message's arrival dates a price list's default valid_from and a
		// stock level's default as_of, so a retry builds the same documents.
		Now: msg.ReceivedAt,
	}, emit)
	if err != nil {
		return nil, mapError(ctx, err)
	}
	return rep, nil
}

// keySet remembers the key of every record accepted so far (a price-list
// line's SKU; a product's or stock level's external_id), to refuse a later
// row with the same key. It keeps a 64-bit hash of each key and the row
// it came from, about 16 bytes per row instead of the key itself, so a
// million-row file stays small. Two different keys with the same hash
// would be reported as a repeat: with a random seed per run, the chance
// that any two of a million keys collide is about n²/2⁶⁵ ≈ 3·10⁻⁸, and a
// replay draws a new seed, so we accept it rather than keep every key.
type keySet struct {
	seed   maphash.Seed
	rows   map[uint64]rowRef
	sheets []string
}

// rowRef is where a key was first seen: an index into keySet.sheets and
// the row number.
type rowRef struct {
	sheet uint32
	row   uint32
}

func newKeySet() *keySet {
	return &keySet{seed: maphash.MakeSeed(), rows: map[uint64]rowRef{}}
}

// repeat records rec's key and, when an earlier accepted row had it,
// returns the error for rec's row.
func (s *keySet) repeat(doctype string, rec mappings.Record) (mappings.FieldError, bool) {
	field := "external_id"
	if doctype == "price_list" {
		field = "sku"
	}
	key, _ := rec.Value[field].(string)
	if key == "" {
		return mappings.FieldError{}, false
	}
	h := maphash.String(s.seed, key)
	if prev, seen := s.rows[h]; seen {
		first := mappings.Location{Sheet: s.sheets[prev.sheet], Row: int(prev.row)}
		at := rowLocation(first.Sheet, first.Row)
		if first.Sheet == rec.Location.Sheet {
			at = rowLocation("", first.Row)
		}
		reason := fmt.Sprintf("the row repeats %q from %s; each one may appear once", key, at)
		if doctype == "price_list" {
			reason = fmt.Sprintf("SKU %s repeats %s; a price list has one line per SKU", key, at)
		}
		return mappings.FieldError{Sheet: rec.Location.Sheet, Row: rec.Location.Row, Value: key, Reason: reason}, true
	}
	i := len(s.sheets) - 1
	if i < 0 || s.sheets[i] != rec.Location.Sheet {
		s.sheets = append(s.sheets, rec.Location.Sheet)
		i++
	}
	s.rows[h] = rowRef{sheet: uint32(i), row: uint32(rec.Location.Row)}
	return mappings.FieldError{}, false
}

// derivedDropped leaves out a missing external_id when the row's SKU or
// location is bad: the engine builds the id from them, so the supplier has
// one thing to fix, not two.
func derivedDropped(errs []mappings.FieldError) []mappings.FieldError {
	cause := false
	for _, e := range errs {
		cause = cause || e.Field == "sku" || e.Field == "location"
	}
	if !cause {
		return errs
	}
	out := make([]mappings.FieldError, 0, len(errs))
	for _, e := range errs {
		if e.Field == "external_id" && e.Column == "" {
			continue
		}
		out = append(out, e)
	}
	return out
}

// mapError sorts a failed run: a cancelled ctx or a sink's error is
// returned as it is; everything else comes from the bytes at hand (no
// header row, a CSV syntax error, a broken sheet) and fails the message.
func mapError(ctx context.Context, err error) error {
	var se errSink
	if errors.As(err, &se) {
		return se.err
	}
	if ctx.Err() != nil {
		return fmt.Errorf("mapping the file: %w", err)
	}
	var he *mappings.HeaderError
	if errors.As(err, &he) {
		return hub.DataErrors{{Code: "header", Location: sheetLocation(he.Sheet), Reason: he.Error(), Sheet: he.Sheet}}
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		loc := fmt.Sprintf("row %d", pe.Line)
		de := store.DataError{Code: "format", Row: pe.Line, Reason: pe.Error()}
		if pe.Field >= 0 {
			de.Column = connectors.ColumnLetter(pe.Field)
			loc += " column " + de.Column
		}
		de.Location = loc
		return hub.DataErrors{de}
	}
	return hub.DataErrors{{Code: "format", Reason: err.Error()}}
}
