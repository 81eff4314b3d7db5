package xlsx

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/dealerhub/dealerhub/connectors"
)

// Error-workbook column titles, after the source row's own cells.
const (
	ErrorBookRowTitle    = "源行号 (source row)"
	ErrorBookReasonTitle = "错误 (errors)"
)

// ErrorSheet is one source sheet's rejected rows, for WriteErrorBook.
type ErrorSheet struct {
	// Name is the source sheet's name; "" (a CSV file) writes a sheet named
	// "errors".
	Name string
	// Header is the source header row's cells, repeated on top so the
	// supplier sees what each column is; nil writes only the two titles.
	Header []connectors.Cell
	// Rows are the rejected rows in source order.
	Rows []ErrorRow
}

// ErrorRow is one rejected source row and why it was rejected.
type ErrorRow struct {
	// Number is the row's number in the source (Excel's row number, or the
	// CSV line).
	Number int
	// Cells are the row's original cells; every one is written as text.
	Cells []connectors.Cell
	// Reasons are the row's errors, one per bad cell.
	Reasons []string
}

// WriteErrorBook writes an error workbook to w: per source sheet, the
// header row and then each rejected row with its original cells in their
// original columns (so a reason naming column C points at column C), as
// text, followed by two columns: the source row number and the reasons.
//
// Every text cell is passed through NeutralizeFormula, because the
// supplier will open, copy and re-save this file. Writing cells as string
// cells already keeps them inert inside this workbook, but that typing is
// lost the moment the sheet is saved as CSV or a cell is re-entered, and
// `=HYPERLINK(...)` becomes live again; a leading apostrophe survives both.
//
// The workbook is written with excelize's StreamWriter: memory grows with
// the rejected rows given, not with the source file.
func WriteErrorBook(w io.Writer, sheets []ErrorSheet) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("closing the error workbook: %w", cerr)
		}
	}()
	if len(sheets) == 0 {
		sheets = []ErrorSheet{{}}
	}
	used := map[string]bool{}
	for i, s := range sheets {
		name := errorSheetName(s.Name, used)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return fmt.Errorf("naming error sheet %q: %w", name, err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("adding error sheet %q: %w", name, err)
		}
		if err := writeErrorSheet(f, name, s); err != nil {
			return err
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("writing the error workbook: %w", err)
	}
	return nil
}

func writeErrorSheet(f *excelize.File, name string, s ErrorSheet) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("streaming error sheet %q: %w", name, err)
	}
	width := len(s.Header)
	for _, r := range s.Rows {
		width = max(width, len(r.Cells))
	}
	line := func(n int, cells []connectors.Cell, extra ...any) error {
		vals := make([]any, width+len(extra))
		for i, c := range cells {
			if c.Value != "" {
				vals[i] = NeutralizeFormula(c.Value)
			}
		}
		copy(vals[width:], extra)
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, vals); err != nil {
			return fmt.Errorf("writing row %d of error sheet %q: %w", n, name, err)
		}
		return nil
	}
	if err := line(1, s.Header, ErrorBookRowTitle, ErrorBookReasonTitle); err != nil {
		return err
	}
	for i, r := range s.Rows {
		reasons := make([]string, len(r.Reasons))
		for j, x := range r.Reasons {
			reasons[j] = NeutralizeFormula(x)
		}
		if err := line(i+2, r.Cells, r.Number, strings.Join(reasons, "\n")); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("finishing error sheet %q: %w", name, err)
	}
	return nil
}

// errorSheetName makes a valid, unique Excel sheet name (at most 31
// characters, none of : \ / ? * [ ]).
func errorSheetName(name string, used map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, strings.Trim(name, "'"))
	if name == "" {
		name = "errors"
	}
	if r := []rune(name); len(r) > 28 {
		name = string(r[:28])
	}
	base := name
	for i := 2; used[strings.ToLower(name)]; i++ {
		name = fmt.Sprintf("%s %d", base, i)
	}
	used[strings.ToLower(name)] = true
	return name
}

// NeutralizeFormula returns s with a leading apostrophe when a spreadsheet
// program could read it as a formula: when it starts with = + - @ (or
// their full-width forms), also after leading white space, or with a tab
// or carriage return. Other text is returned unchanged.
func NeutralizeFormula(s string) string {
	if s == "" {
		return s
	}
	if s[0] == '\t' || s[0] == '\r' {
		return "'" + s
	}
	t := strings.TrimLeft(s, " \t\r\n\u00a0\u3000")
	if t == "" {
		return s
	}
	switch t[0] {
	case '=', '+', '-', '@':
		return "'" + s
	}
	for _, p := range []string{"＝", "＋", "－", "＠"} {
		if strings.HasPrefix(t, p) {
			return "'" + s
		}
	}
	return s
}
