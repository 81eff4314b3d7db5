package tabular

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/csv"
	"github.com/dealerhub/dealerhub/connectors/xlsx"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings"
	"github.com/dealerhub/dealerhub/schemas"
)

// Format names, as in connectors.IngestRequest.Format.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// Decoders returns the hub decoders for the "csv" and "xlsx" formats.
func Decoders(reg *schemas.Registry) map[string]hub.Decoder {
	eng := mappings.NewEngine(reg)
	return map[string]hub.Decoder{
		FormatCSV:  &decoder{format: FormatCSV, eng: eng},
		FormatXLSX: &decoder{format: FormatXLSX, eng: eng},
	}
}

// decoder maps one spreadsheet format through the mapping engine.
type decoder struct {
	format string
	eng    *mappings.Engine
}

// Decode maps every row of the message's file. Problems with the content
// come back as hub.DataErrors (permanent); only a cancelled ctx is not.
func (d *decoder) Decode(ctx context.Context, msg store.Message) ([]hub.Decoded, error) {
	if msg.Mapping != "" {
		return nil, hub.DataErrors{{Code: "mapping", Reason: fmt.Sprintf(
			"mapping %q: mapping files by name are not supported yet; send the file without a mapping to read it with the built-in headers", msg.Mapping)}}
	}
	if !slices.Contains(mappings.DocTypes, msg.Doctype) {
		return nil, hub.DataErrors{{Code: "doctype", Reason: fmt.Sprintf(
			"a %s file can hold %s, not %s", d.format, strings.Join(mappings.DocTypes, ", "), msg.Doctype)}}
	}
	src, err := d.open(msg.Body)
	if err != nil {
		return nil, hub.DataErrors{{Code: "format", Reason: err.Error()}}
	}
	defer src.Close()

	var (
		records []mappings.Record
		errs    hub.DataErrors
	)
	emit := func(rec mappings.Record) error {
		if len(rec.Errors) > 0 {
			for _, e := range derivedDropped(rec.Errors) {
				errs = append(errs, rowError(e))
			}
			records = nil // the file is rejected: no need to keep the values
			return nil
		}
		if len(errs) == 0 {
			records = append(records, rec)
		}
		return nil
	}
	rep, err := d.eng.Map(ctx, src, builtinMapping(msg.Doctype), mappings.Options{
		Partner: msg.Partner,
		File:    msg.Filename,
		// The message's arrival dates a price list's default valid_from and a
		// stock level's default as_of, so a retry builds the same documents.
		Now: msg.ReceivedAt,
	}, emit)
	if err != nil {
		return nil, mapError(ctx, err)
	}
	var headErrs hub.DataErrors
	for _, e := range rep.HeaderErrors {
		headErrs = append(headErrs, headerFieldError(e))
	}
	errs = append(headErrs, errs...)
	if len(errs) == 0 && rep.Mapped == 0 {
		errs = hub.DataErrors{{Code: "format", Reason: "the file has a header row but no data rows under it"}}
	}
	if len(errs) == 0 && msg.Doctype != "price_list" {
		errs = duplicates(records)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if msg.Doctype == "price_list" {
		doc := maps.Clone(rep.Header)
		if doc == nil {
			doc = map[string]any{}
		}
		lines := make([]any, len(records))
		for i, r := range records {
			lines[i] = r.Value
		}
		doc["lines"] = lines
		return []hub.Decoded{{Doc: doc, Location: msg.Filename}}, nil
	}
	out := make([]hub.Decoded, len(records))
	for i, r := range records {
		out[i] = hub.Decoded{Doc: r.Value, Location: rowLocation(r.Location.Sheet, r.Location.Row)}
	}
	return out, nil
}

// open reads the body as the decoder's format.
func (d *decoder) open(body []byte) (connectors.TableReader, error) {
	if d.format == FormatXLSX {
		r, err := xlsx.Open(bytes.NewReader(body), int64(len(body)), xlsx.Options{})
		if err != nil {
			return nil, fmt.Errorf("opening the workbook: %w", err)
		}
		return r, nil
	}
	r, err := csv.NewReader(bytes.NewReader(body), csv.Options{})
	if err != nil {
		return nil, fmt.Errorf("opening the csv file: %w", err)
	}
	return r, nil
}

// builtinMapping is the mapping engine's default mapping for doctype, with
// the columns the hub routes by: a stock level names the supplier that may
// see it.
func builtinMapping(doctype string) *mappings.Mapping {
	m := mappings.DefaultMapping(doctype)
	m.OnError = mappings.OnErrorRejectFile
	if doctype == "stock_level" {
		m.Fields = map[string]mappings.Field{
			"supplier": {Column: mappings.Strings{"供应商", "供应商编码", "供应商代码", "Supplier", "Supplier ID"}},
		}
	}
	return m
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

// duplicates reports rows that would become the same document (the same
// external_id, e.g. a stock level's location and SKU twice).
func duplicates(records []mappings.Record) hub.DataErrors {
	first := map[string]mappings.Location{}
	var errs hub.DataErrors
	for _, r := range records {
		id, _ := r.Value["external_id"].(string)
		if id == "" {
			continue
		}
		if prev, seen := first[id]; seen {
			errs = append(errs, store.DataError{Code: "row", Location: rowLocation(r.Location.Sheet, r.Location.Row),
				Reason: fmt.Sprintf("the row repeats %q from %s; each one may appear once", id, rowLocation(prev.Sheet, prev.Row))})
			continue
		}
		first[id] = r.Location
	}
	return errs
}

// mapError sorts a failed run: a cancelled ctx is transient; everything
// else comes from the bytes at hand (no header row, a CSV syntax error, a
// broken sheet) and fails the message.
func mapError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("mapping the file: %w", err)
	}
	var he *mappings.HeaderError
	if errors.As(err, &he) {
		return hub.DataErrors{{Code: "header", Location: sheetLocation(he.Sheet), Reason: he.Error()}}
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		loc := fmt.Sprintf("row %d", pe.Line)
		if pe.Field >= 0 {
			loc += " column " + connectors.ColumnLetter(pe.Field)
		}
		return hub.DataErrors{{Code: "format", Location: loc, Reason: pe.Error()}}
	}
	return hub.DataErrors{{Code: "format", Reason: err.Error()}}
}
