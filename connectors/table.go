package connectors

import (
	"context"
	"strconv"
)

// TableReader reads a tabular file (a CSV file, the sheets of a workbook)
// row by row with bounded memory. Formats implement it; the mapping engine
// consumes it.
type TableReader interface {
	// Next returns the next row; io.EOF after the last row of the last sheet.
	// Rows that hold no cell at all may be skipped; numbers keep counting.
	Next(ctx context.Context) (Row, error)
	// Close releases the file.
	Close() error
}

// Row is one row of a table, as the user sees it in Excel or a text editor.
type Row struct {
	// Sheet is the sheet name; "" for CSV.
	Sheet string
	// Number is the 1-based row number the user sees (Excel's row number; for
	// CSV the line where the record starts).
	Number int
	// Cells holds the row's cells by column: index 0 is column A. Trailing
	// empty cells may be absent.
	Cells []Cell
}

// CellType says what kind of value a cell holds.
type CellType uint8

// Cell types. A CSV file has only CellText and CellEmpty.
const (
	CellEmpty  CellType = iota
	CellText            // a string, including numbers stored as text
	CellNumber          // a number; Value is its raw text ("1234.5")
	CellDate            // a number whose format is a date or time; Value is the Excel serial ("45992.5")
	CellBool            // Value is "TRUE" or "FALSE"
	CellError           // a formula error such as #DIV/0!; Value is the error text
)

// String names the type for messages.
func (t CellType) String() string {
	switch t {
	case CellEmpty:
		return "empty"
	case CellText:
		return "text"
	case CellNumber:
		return "number"
	case CellDate:
		return "date"
	case CellBool:
		return "boolean"
	case CellError:
		return "error"
	default:
		return "CellType(" + strconv.Itoa(int(t)) + ")"
	}
}

// Cell is one cell's value, unformatted: numbers and dates are raw, so no
// display format can round a price.
type Cell struct {
	Value string
	Type  CellType
	// Formula is true when Value is the cached result of a formula.
	Formula bool
}

// ColumnLetter returns the spreadsheet column name of a 0-based index: 0 →
// "A", 25 → "Z", 26 → "AA".
func ColumnLetter(i int) string {
	if i < 0 {
		return ""
	}
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

// ColumnIndex is the inverse of ColumnLetter ("A" → 0); -1 if s is not a
// column name.
func ColumnIndex(s string) int {
	if s == "" || len(s) > 3 {
		return -1
	}
	n := 0
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			n = n*26 + int(r-'A') + 1
		case r >= 'a' && r <= 'z':
			n = n*26 + int(r-'a') + 1
		default:
			return -1
		}
	}
	return n - 1
}
