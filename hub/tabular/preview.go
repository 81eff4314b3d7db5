package tabular

import (
	"context"
	"fmt"
	"io"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/xlsx"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings"
)

// Preview maps the message's file as Stream would, stores nothing, and
// reports what an import would do. Problems found while reading (a bad
// row, a price-list header error, a file with no data rows) are in the
// preview's Errors, capped as hub.CapErrors caps them; a file that cannot
// be read at all (format, no header row, an unknown mapping) comes back as
// hub.DataErrors.
func (d *decoder) Preview(ctx context.Context, msg store.Message) (hub.ImportPreview, error) {
	c, err := d.mapping(msg)
	if err != nil {
		return hub.ImportPreview{}, err
	}
	p := hub.ImportPreview{Doctype: msg.Doctype, Format: d.format, Mapping: c.name, OnError: c.onError()}
	var (
		rowErrs cappedErrors
		valid   int
	)
	sink := rowSink{
		valid: func(mappings.Record) error { valid++; return nil },
		rejected: func(_ mappings.Record, errs []mappings.FieldError) error {
			p.Rejected++
			for _, e := range errs {
				rowErrs.add(rowError(e))
			}
			return nil
		},
	}
	rep, err := d.run(ctx, msg, c, sink)
	if err != nil {
		return hub.ImportPreview{}, err
	}
	p.Header, p.RowsRead, p.Skipped = rep.Header, rep.RowsRead, rep.Skipped
	if len(rep.Sheets) > 0 {
		p.Sheets = rep.Sheets
	}
	var head []store.DataError
	for _, e := range rep.HeaderErrors {
		head = append(head, headerFieldError(e))
	}
	if len(head) == 0 && rowErrs.total == 0 && valid == 0 {
		head = noRows()
	}
	p.Errors = rowErrs.after(head)
	p.WouldImport = valid
	if len(head) > 0 || (rowErrs.total > 0 && c.rejectFile()) {
		p.WouldImport = 0
	}
	return p, nil
}

// cappedErrors keeps the first hub.MaxStoredErrors errors of a run and
// counts the others, so a preview of a file where every one of a million
// rows is bad stays small.
type cappedErrors struct {
	kept  []store.DataError
	total int
}

func (c *cappedErrors) add(e store.DataError) {
	c.total++
	if len(c.kept) < hub.MaxStoredErrors {
		c.kept = append(c.kept, e)
	}
}

// after returns head followed by the kept errors, capped: the first
// hub.MaxStoredErrors and an entry saying how many more there were, the
// same list hub.CapErrors makes of every error, without holding every
// error.
func (c *cappedErrors) after(head []store.DataError) []store.DataError {
	n := len(head) + c.total
	all := append(append(make([]store.DataError, 0, len(head)+len(c.kept)+1), head...), c.kept...)
	if n <= hub.MaxStoredErrors {
		return all
	}
	return append(all[:hub.MaxStoredErrors], hub.MoreErrors(n-hub.MaxStoredErrors))
}

// ErrorBook writes the error workbook of the message's file: every
// rejected row's original cells, its source row number and its reasons,
// per sheet under the sheet's header row, with formula-like cells
// neutralised (xlsx.WriteErrorBook). A file that cannot be read comes back
// as hub.DataErrors and nothing is written.
func (d *decoder) ErrorBook(ctx context.Context, msg store.Message, w io.Writer) error {
	c, err := d.mapping(msg)
	if err != nil {
		return err
	}
	var keeper *RowKeeper
	sink := rowSink{
		wrap: func(src connectors.TableReader) connectors.TableReader {
			keeper = NewRowKeeper(src, c.m)
			return keeper
		},
		valid: func(rec mappings.Record) error { keeper.Pass(rec.Location); return nil },
		rejected: func(rec mappings.Record, errs []mappings.FieldError) error {
			reasons := make([]string, len(errs))
			for i, e := range errs {
				reasons[i] = FieldReason(e)
			}
			keeper.Reject(rec.Location, reasons)
			return nil
		},
	}
	rep, err := d.run(ctx, msg, c, sink)
	if err != nil {
		return err
	}
	if err := xlsx.WriteErrorBook(w, keeper.ErrorSheets(rep.Sheets)); err != nil {
		return fmt.Errorf("writing the error workbook: %w", err)
	}
	return nil
}
