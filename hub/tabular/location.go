package tabular

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dealerhub/dealerhub/connectors/jsonrec"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings"
)

// rowLocation is "sheet S row N", or "row N" for CSV (no sheet).
func rowLocation(sheet string, row int) string {
	loc := "row " + strconv.Itoa(row)
	if sheet != "" {
		loc = "sheet " + sheet + " " + loc
	}
	return loc
}

// rowError turns a rejected row's field error into a data error: located
// for people as "sheet S row N column C (header)" with the cell's value in
// the reason, and for programs by its sheet, row, column, header and value.
func rowError(e mappings.FieldError) store.DataError {
	if e.Sheet == jsonrec.Sheet {
		return recordError(e)
	}
	loc := rowLocation(e.Sheet, e.Row)
	if e.Column != "" {
		loc += " column " + e.Column
	}
	switch {
	case e.Header != "":
		loc += " (" + e.Header + ")"
	case e.Field != "":
		loc += " (" + e.Field + ")"
	}
	reason := withValue(e)
	if e.Column == "" && e.Field == "" {
		reason = e.Reason // an error of the whole row (a repeated key) names its value itself
	}
	return store.DataError{Code: "row", Location: loc, Reason: reason,
		Sheet: e.Sheet, Row: e.Row, Column: e.Column, Header: e.Header, Value: e.Value}
}

// recordError locates a JSON record's field error by its JSON pointer
// ("/3/item/code"), not by row and column.
func recordError(e mappings.FieldError) store.DataError {
	ptr := jsonrec.RecordPointer(e.Row, e.Header)
	reason := withValue(e)
	if e.Header == "" && e.Field != "" {
		reason = e.Field + ": " + reason
	}
	if e.Column == "" && e.Field == "" {
		reason = e.Reason
	}
	return store.DataError{Code: "record", Pointer: ptr, Location: "record " + jsonrec.RecordPointer(e.Row, ""), Reason: reason, Value: e.Value}
}

// headerFieldError is a problem with a price list's header (no currency,
// two currencies), located where the engine knows.
func headerFieldError(e mappings.FieldError) store.DataError {
	if e.Row > 0 {
		de := rowError(e)
		de.Code = "header"
		return de
	}
	reason := e.Reason
	if e.Field != "" {
		reason = e.Field + ": " + reason
	}
	return store.DataError{Code: "header", Location: sheetLocation(e.Sheet), Reason: reason, Sheet: e.Sheet}
}

func sheetLocation(sheet string) string {
	if sheet == "" {
		return ""
	}
	return "sheet " + sheet
}

// withValue puts the cell's value in front of the reason.
func withValue(e mappings.FieldError) string {
	if e.Value == "" {
		return e.Reason
	}
	return fmt.Sprintf("value %q: %s", e.Value, e.Reason)
}

// FieldReason is a row error as the error workbook shows it, next to the
// row's original cells: the column and its header, then the reason (the
// value is in the cell beside it).
func FieldReason(e mappings.FieldError) string {
	var b strings.Builder
	if e.Column != "" {
		b.WriteString(e.Column)
		if e.Header != "" {
			b.WriteString(" (" + e.Header + ")")
		}
	} else if e.Field != "" {
		b.WriteString(e.Field)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}
