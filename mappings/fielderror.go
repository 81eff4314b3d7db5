package mappings

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
)

// ErrSheetNotFound is returned (wrapped) when the mapping names a sheet the
// file does not have.
var ErrSheetNotFound = errors.New("sheet not found")

// Location is where a record came from: the sheet ("" for CSV) and the row
// number the user sees in Excel.
type Location struct {
	Sheet string `json:"sheet,omitempty"`
	Row   int    `json:"row"`
}

// FieldError is one bad value, located so that the supplier can find and
// fix it: sheet, Excel row, column letter and header, the cell's value and
// the reason.
type FieldError struct {
	Sheet  string `json:"sheet,omitempty"`
	Row    int    `json:"row,omitempty"`
	Column string `json:"column,omitempty"` // the column letter, "" for constants
	Header string `json:"header,omitempty"` // the header text above the cell
	Field  string `json:"field,omitempty"`  // the canonical field
	Value  string `json:"value,omitempty"`  // the cell's value as read
	Reason string `json:"reason"`
}

// Error renders the error as `sheet "S" row 7 column C (单价) "abc": reason`.
func (e FieldError) Error() string {
	var b strings.Builder
	if e.Sheet != "" {
		fmt.Fprintf(&b, "sheet %q ", e.Sheet)
	}
	if e.Row > 0 {
		b.WriteString("row " + strconv.Itoa(e.Row) + " ")
	}
	if e.Column != "" {
		b.WriteString("column " + e.Column + " ")
	}
	switch {
	case e.Header != "":
		fmt.Fprintf(&b, "(%s) ", e.Header)
	case e.Field != "":
		fmt.Fprintf(&b, "(%s) ", e.Field)
	}
	if e.Value != "" {
		fmt.Fprintf(&b, "%q ", e.Value)
	}
	s := strings.TrimSpace(b.String())
	if s == "" {
		return e.Reason
	}
	return s + ": " + e.Reason
}

// HeaderError says that no header row was found in a sheet: which fields
// were missing, which header texts were looked for, and the cells seen.
type HeaderError struct {
	Sheet string
	// Scanned is the last row number searched.
	Scanned int
	// Missing are the required fields no header cell named in the best row.
	Missing []string
	// LookedFor lists, per missing field, the header texts accepted.
	LookedFor map[string][]string
	// Seen holds the non-empty cells of the rows searched.
	Seen []SeenRow
}

// SeenRow is a row as header detection saw it.
type SeenRow struct {
	Row   int      `json:"row"`
	Cells []string `json:"cells"` // "A1=货号" per non-empty cell
}

// Error names the missing fields, the headers looked for and the cells
// seen.
func (e *HeaderError) Error() string {
	var b strings.Builder
	b.WriteString("no header row found")
	if e.Sheet != "" {
		fmt.Fprintf(&b, " in sheet %q", e.Sheet)
	}
	if e.Scanned > 0 {
		fmt.Fprintf(&b, " (searched rows 1-%d)", e.Scanned)
	}
	b.WriteString(": no row names ")
	for i, f := range e.Missing {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s (looked for %s)", f, strings.Join(e.LookedFor[f], ", "))
	}
	if len(e.Seen) == 0 {
		b.WriteString("; the sheet has no rows")
		return b.String()
	}
	b.WriteString("; saw")
	for _, r := range e.Seen {
		cells := r.Cells
		more := ""
		if len(cells) > 12 {
			cells, more = cells[:12], " ..."
		}
		fmt.Fprintf(&b, " row %d: %s%s;", r.Row, strings.Join(cells, " "), more)
	}
	return strings.TrimSuffix(b.String(), ";")
}

func seenRow(r connectors.Row) SeenRow {
	s := SeenRow{Row: r.Number}
	for i, c := range r.Cells {
		if v := Trim(c.Value); v != "" {
			s.Cells = append(s.Cells, fmt.Sprintf("%s%d=%s", connectors.ColumnLetter(i), r.Number, v))
		}
	}
	return s
}
