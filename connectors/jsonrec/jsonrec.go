// Package jsonrec reads a partner's own JSON records as a table, so that
// the mapping engine maps them the way it maps spreadsheet rows: each
// record is a row, each field a column named by its dotted path
// ("item.code", "stock.0.qty"), and a mapping file's `column:` names
// those paths.
//
//	r, err := jsonrec.NewReader(body, jsonrec.Options{Records: "data.items"})
//	// row 1 is the header (every path seen, in first-seen order);
//	// row N+2 is record N
package jsonrec

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
)

// Sheet is the sheet name of every row a Reader returns, so that errors
// can be told apart from a CSV file's and located by record
// (RecordPointer) instead of row and column.
const Sheet = "$json"

// DefaultMaxRecords bounds the records one document may hold.
const DefaultMaxRecords = 100000

// Options says where the records are.
type Options struct {
	// Records is the dotted path of the array of records in the document
	// ("data", "result.items"); empty means the document itself: an array
	// of records, or one record.
	Records string
	// MaxRecords bounds the records read; 0 means DefaultMaxRecords.
	MaxRecords int
}

// Reader is a connectors.TableReader over JSON records.
type Reader struct {
	rows []connectors.Row
	next int
}

var _ connectors.TableReader = (*Reader)(nil)

// NewReader reads the whole document (a partner's JSON is held in memory:
// its size is bounded by the caller) and flattens its records. A document
// that is not JSON, a path that does not lead to an array of objects, or a
// record that is not an object is an error saying where.
func NewReader(r io.Reader, opts Options) (*Reader, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("not valid JSON: data after the document")
	}
	recs, base, err := records(doc, opts.Records)
	if err != nil {
		return nil, err
	}
	max := opts.MaxRecords
	if max <= 0 {
		max = DefaultMaxRecords
	}
	if len(recs) > max {
		return nil, fmt.Errorf("%d records at %s; at most %d are read", len(recs), orRoot(base), max)
	}
	var header []string
	col := map[string]int{}
	flat := make([]map[string]connectors.Cell, len(recs))
	for i, rec := range recs {
		obj, ok := rec.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("record %s/%d: a record must be a JSON object, not %s", base, i, kind(rec))
		}
		cells := map[string]connectors.Cell{}
		flatten("", obj, cells, func(path string) {
			if _, seen := col[path]; !seen {
				col[path] = len(header)
				header = append(header, path)
			}
		})
		flat[i] = cells
	}
	rd := &Reader{rows: make([]connectors.Row, 0, len(recs)+1)}
	if len(recs) == 0 {
		return rd, nil
	}
	head := connectors.Row{Sheet: Sheet, Number: 1, Cells: make([]connectors.Cell, len(header))}
	for i, h := range header {
		head.Cells[i] = connectors.Cell{Value: h, Type: connectors.CellText}
	}
	rd.rows = append(rd.rows, head)
	for i, cells := range flat {
		row := connectors.Row{Sheet: Sheet, Number: i + 2, Cells: make([]connectors.Cell, len(header))}
		for path, c := range cells {
			row.Cells[col[path]] = c
		}
		rd.rows = append(rd.rows, row)
	}
	return rd, nil
}

// Next returns the header row, then one row per record.
func (r *Reader) Next(ctx context.Context) (connectors.Row, error) {
	if err := ctx.Err(); err != nil {
		return connectors.Row{}, err
	}
	if r.next >= len(r.rows) {
		return connectors.Row{}, io.EOF
	}
	r.next++
	return r.rows[r.next-1], nil
}

// Close releases nothing.
func (r *Reader) Close() error { return nil }

// RecordPointer is the JSON pointer of a row's record and, when path is
// given, of its field: row 2 is the first record ("/0"); field "item.code"
// is "/0/item/code". Records under Options.Records are relative to that
// array.
func RecordPointer(row int, path string) string {
	p := "/" + strconv.Itoa(row-2)
	if path != "" {
		p += "/" + strings.ReplaceAll(path, ".", "/")
	}
	return p
}

// records finds the array of records at path.
func records(doc any, path string) ([]any, string, error) {
	cur, at := doc, ""
	if path != "" {
		for _, part := range strings.Split(path, ".") {
			obj, ok := cur.(map[string]any)
			if !ok {
				return nil, "", fmt.Errorf("records path %q: %s is %s, not an object", path, orRoot(at), kind(cur))
			}
			cur, ok = obj[part]
			at += "/" + part
			if !ok {
				return nil, "", fmt.Errorf("records path %q: %s has no field %q", path, orRoot(at[:len(at)-len(part)-1]), part)
			}
		}
	}
	switch v := cur.(type) {
	case []any:
		return v, at, nil
	case map[string]any:
		if path == "" {
			return []any{v}, "", nil
		}
	}
	return nil, "", fmt.Errorf("records at %s: expected an array of objects, got %s", orRoot(at), kind(cur))
}

func orRoot(p string) string {
	if p == "" {
		return "the document"
	}
	return p
}

// flatten writes obj's scalar values under their dotted paths.
func flatten(prefix string, v any, out map[string]connectors.Cell, seen func(string)) {
	put := func(c connectors.Cell) {
		seen(prefix)
		out[prefix] = c
	}
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch t := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(t) {
			flatten(join(k), t[k], out, seen)
		}
	case []any:
		for i, e := range t {
			flatten(join(strconv.Itoa(i)), e, out, seen)
		}
	case string:
		put(connectors.Cell{Value: t, Type: connectors.CellText})
	case json.Number:
		put(connectors.Cell{Value: t.String(), Type: connectors.CellNumber})
	case bool:
		put(connectors.Cell{Value: strings.ToUpper(strconv.FormatBool(t)), Type: connectors.CellBool})
	case nil:
		put(connectors.Cell{Type: connectors.CellEmpty})
	}
}

// sortedKeys returns a record's keys sorted: a decoded object loses the
// order they were written in, so the header's order is made stable.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func kind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%T", v)
	}
}
