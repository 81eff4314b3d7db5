package xlsx

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dealerhub/dealerhub/connectors"
)

// Default limits; see Options.
const (
	DefaultMaxUnzipSize    int64 = 1 << 30
	DefaultMaxSheetXMLSize int64 = 512 << 20
	// spillSize is the part size above which excelize keeps a worksheet or
	// the shared strings in a temporary file rather than in memory, so that
	// memory stays flat however large the sheet (excelize's own default).
	spillSize int64 = 16 << 20
)

// Options tune Open. The zero value reads every sheet with the default limits.
type Options struct {
	// Sheets lists the sheets to read, in this order; empty reads every
	// worksheet in workbook order. A name the workbook lacks is an error
	// that lists the sheets it has.
	Sheets []string
	// MaxUnzipSize bounds the total uncompressed size of the workbook's
	// parts (excelize's UnzipSizeLimit); 0 means DefaultMaxUnzipSize (1 GiB).
	// A larger workbook is refused before anything is inflated.
	MaxUnzipSize int64
	// MaxSheetXMLSize bounds the uncompressed size of any one part, such as
	// a worksheet's XML; 0 means DefaultMaxSheetXMLSize (512 MiB). It is a
	// refusal limit, not excelize's UnzipXMLSizeLimit: parts above 16 MiB
	// are always streamed from a temporary file, never held in memory.
	MaxSheetXMLSize int64
}

func (o Options) withDefaults() Options {
	if o.MaxUnzipSize <= 0 {
		o.MaxUnzipSize = DefaultMaxUnzipSize
	}
	if o.MaxSheetXMLSize <= 0 {
		o.MaxSheetXMLSize = DefaultMaxSheetXMLSize
	}
	return o
}

// Reader streams the rows of a workbook's sheets, one sheet after another.
// It implements connectors.TableReader. It is not safe for concurrent use.
type Reader struct {
	f        *excelize.File
	file     *os.File // set by OpenFile
	parts    map[string]*zip.File
	all      []string
	sheets   []string
	date1904 bool
	styles   []styleKind

	sheet int // index into sheets of the sheet being read
	rows  *excelize.Rows
	scan  *cellScanner
	attrs rowAttrs
	row   int
}

var _ connectors.TableReader = (*Reader)(nil)

type styleKind uint8

const (
	styleUnknown styleKind = iota
	styleDate
	styleOther
)

// Open reads a workbook from r, which holds size bytes. excelize keeps a
// copy of the compressed file in memory (a few MB for 100k rows); use
// OpenFile for a file on disk to avoid it. Close the Reader when done.
func Open(r io.ReaderAt, size int64, opts Options) (*Reader, error) {
	opts = opts.withDefaults()
	parts, err := checkWorkbook(r, size, opts)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelizeOptions(opts))
	if err != nil {
		return nil, openError(err, opts)
	}
	return newReader(f, parts, opts)
}

// OpenFile reads the workbook at path; excelize reads it in place.
func OpenFile(path string, opts Options) (*Reader, error) {
	opts = opts.withDefaults()
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening workbook: %w", err)
	}
	fi, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, fmt.Errorf("opening workbook: %w", err)
	}
	parts, err := checkWorkbook(file, fi.Size(), opts)
	if err != nil {
		file.Close()
		return nil, err
	}
	f, err := excelize.OpenFile(path, excelizeOptions(opts))
	if err != nil {
		file.Close()
		return nil, openError(err, opts)
	}
	r, err := newReader(f, parts, opts)
	if err != nil {
		file.Close()
		return nil, err
	}
	r.file = file
	return r, nil
}

func excelizeOptions(opts Options) excelize.Options {
	return excelize.Options{
		UnzipSizeLimit:    opts.MaxUnzipSize,
		UnzipXMLSizeLimit: min(spillSize, opts.MaxSheetXMLSize, opts.MaxUnzipSize),
		RawCellValue:      true,
	}
}

// openError names what excelize refused; checkPackage has already caught
// the cases it can see from the zip directory.
func openError(err error, opts Options) error {
	switch {
	case strings.Contains(err.Error(), "unzip size exceeds"):
		return fmt.Errorf("%w: the workbook unpacks to more than %d bytes; refusing", ErrTooLarge, opts.MaxUnzipSize)
	case errors.Is(err, excelize.ErrWorkbookPassword):
		return ErrPasswordProtected
	default:
		return fmt.Errorf("%w: %w", ErrNotXLSX, err)
	}
}

// checkWorkbook refuses what is not a workbook, or too large, before
// excelize inflates anything, and returns the worksheets' parts.
func checkWorkbook(r io.ReaderAt, size int64, opts Options) (map[string]*zip.File, error) {
	zr, err := checkPackage(r, size, opts)
	if err != nil {
		return nil, err
	}
	return worksheetParts(zr)
}

func newReader(f *excelize.File, parts map[string]*zip.File, opts Options) (*Reader, error) {
	r := &Reader{f: f, parts: parts}
	fail := func(err error) (*Reader, error) {
		f.Close()
		return nil, err
	}
	for _, name := range f.GetSheetList() {
		if _, ok := r.parts[name]; ok {
			r.all = append(r.all, name)
		}
	}
	if len(opts.Sheets) == 0 {
		r.sheets = r.all
	}
	for _, name := range opts.Sheets {
		if _, ok := r.parts[name]; !ok {
			return fail(fmt.Errorf("%w: %q; the workbook has %s", ErrSheetNotFound, name, quoteList(r.all)))
		}
		r.sheets = append(r.sheets, name)
	}
	props, err := f.GetWorkbookProps()
	if err != nil {
		return fail(fmt.Errorf("%w: reading workbook properties: %w", ErrNotXLSX, err))
	}
	r.date1904 = props.Date1904 != nil && *props.Date1904
	return r, nil
}

func quoteList(names []string) string {
	if len(names) == 0 {
		return "no worksheets"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return "sheets " + strings.Join(q, ", ")
}

// SheetNames returns the names of the workbook's worksheets in workbook
// order (chart sheets excluded), whichever of them Options.Sheets selected.
func (r *Reader) SheetNames() []string {
	return append([]string(nil), r.all...)
}

// Next returns the next row that holds at least one cell; io.EOF after the
// last row of the last sheet. Row.Number is Excel's row number.
func (r *Reader) Next(ctx context.Context) (connectors.Row, error) {
	for {
		if err := ctx.Err(); err != nil {
			return connectors.Row{}, err
		}
		if r.rows == nil {
			if r.sheet >= len(r.sheets) {
				return connectors.Row{}, io.EOF
			}
			if err := r.openSheet(); err != nil {
				return connectors.Row{}, err
			}
		}
		name := r.sheets[r.sheet]
		if !r.rows.Next() {
			err := r.rows.Error()
			if cerr := r.closeSheet(); err == nil {
				err = cerr
			}
			if err != nil {
				return connectors.Row{}, fmt.Errorf("reading sheet %q after row %d: %w", name, r.row, err)
			}
			r.sheet++
			continue
		}
		r.row++
		vals, err := r.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return connectors.Row{}, fmt.Errorf("reading sheet %q row %d: %w", name, r.row, err)
		}
		if len(vals) == 0 {
			continue
		}
		if err := r.syncAttrs(); err != nil {
			return connectors.Row{}, err
		}
		return connectors.Row{Sheet: name, Number: r.row, Cells: r.cells(vals)}, nil
	}
}

func (r *Reader) openSheet() error {
	name := r.sheets[r.sheet]
	rows, err := r.f.Rows(name)
	if err != nil {
		return fmt.Errorf("opening sheet %q: %w", name, err)
	}
	part := r.parts[name]
	rc, err := part.Open()
	if err != nil {
		rows.Close()
		return fmt.Errorf("opening sheet %q: %w", name, err)
	}
	r.rows, r.scan, r.row = rows, newCellScanner(rc), 0
	r.attrs = rowAttrs{cells: r.attrs.cells[:0]}
	return nil
}

func (r *Reader) closeSheet() error {
	err := r.rows.Close()
	if cerr := r.scan.Close(); err == nil {
		err = cerr
	}
	r.rows, r.scan = nil, nil
	return err
}

// syncAttrs advances the cell scanner to the row excelize is on.
func (r *Reader) syncAttrs() error {
	for r.attrs.num < r.row {
		if err := r.scan.next(&r.attrs); err != nil {
			r.attrs.cells = r.attrs.cells[:0]
			if errors.Is(err, io.EOF) {
				r.attrs.num = r.row
				return nil
			}
			return errScan(r.parts[r.sheets[r.sheet]].Name, err)
		}
	}
	return nil
}

// cells types the row's raw values with the attributes of its cells.
func (r *Reader) cells(vals []string) []connectors.Cell {
	cells := make([]connectors.Cell, len(vals))
	for i, v := range vals {
		if v != "" {
			cells[i] = connectors.Cell{Value: v, Type: connectors.CellText}
		}
	}
	if r.attrs.num != r.row {
		return cells
	}
	for _, a := range r.attrs.cells {
		if a.col < 0 || a.col >= len(cells) {
			continue
		}
		c := &cells[a.col]
		c.Formula = a.formula
		if c.Value == "" {
			c.Type = connectors.CellEmpty
			continue
		}
		switch a.typ {
		case "s", "str", "inlineStr":
			c.Type = connectors.CellText
		case "b":
			c.Type = connectors.CellBool
			c.Value = boolText(c.Value)
		case "e":
			c.Type = connectors.CellError
		case "d":
			if serial, ok := isoToSerial(c.Value); ok {
				c.Type, c.Value = connectors.CellDate, serial
			} else {
				c.Type = connectors.CellText
			}
		default:
			c.Type = connectors.CellNumber
			if r.isDateStyle(a.style) {
				c.Type = connectors.CellDate
				if r.date1904 {
					c.Value = shift1904(c.Value)
				}
			}
		}
	}
	return cells
}

// isDateStyle reports whether the cell style with index s formats numbers
// as dates or times. Each style is looked up once per workbook.
func (r *Reader) isDateStyle(s int) bool {
	if s <= 0 || s > 1<<20 {
		return false
	}
	if s >= len(r.styles) {
		r.styles = append(r.styles, make([]styleKind, s+1-len(r.styles))...)
	}
	if r.styles[s] == styleUnknown {
		r.styles[s] = styleOther
		if st, err := r.f.GetStyle(s); err == nil {
			if (st.CustomNumFmt != nil && isDateFormatCode(*st.CustomNumFmt)) ||
				(st.CustomNumFmt == nil && isBuiltInDateFormat(st.NumFmt)) {
				r.styles[s] = styleDate
			}
		}
	}
	return r.styles[s] == styleDate
}

func boolText(v string) string {
	switch strings.ToLower(v) {
	case "1", "true":
		return "TRUE"
	case "0", "false":
		return "FALSE"
	}
	return v
}

// excelEpoch is day 0 of the 1900 date system as Excel counts after
// 1900-03-01 (Excel's phantom 1900-02-29 shifts earlier days by one).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// isoToSerial converts an ISO 8601 date cell (t="d") to a 1900-system serial.
func isoToSerial(v string) (string, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02", "15:04:05"} {
		if t, err := time.Parse(layout, v); err == nil {
			if layout == "15:04:05" {
				t = t.AddDate(1899, 11, 30)
			}
			days := t.Sub(excelEpoch).Hours() / 24
			return strconv.FormatFloat(days, 'f', -1, 64), true
		}
	}
	return "", false
}

// shift1904 converts a 1904-system serial to the 1900 system, so that every
// CellDate value means the same day whatever system the workbook used.
func shift1904(v string) string {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	return strconv.FormatFloat(f+1462, 'f', -1, 64)
}

// Close releases the workbook and its temporary files.
func (r *Reader) Close() error {
	var err error
	if r.rows != nil {
		err = r.closeSheet()
	}
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	if r.file != nil {
		if cerr := r.file.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("closing workbook: %w", err)
	}
	return nil
}
