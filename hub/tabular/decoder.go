package tabular

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/csv"
	"github.com/dealerhub/dealerhub/connectors/jsonrec"
	"github.com/dealerhub/dealerhub/connectors/xlsx"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings"
	"github.com/dealerhub/dealerhub/schemas"
)

// Format names, as in connectors.IngestRequest.Format.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
	// FormatJSONRecords is a partner's own JSON: an array of records (or
	// one, or an array at the partner's inbound.records path), mapped
	// like rows with columns named by the records' dotted paths.
	FormatJSONRecords = hub.FormatJSONRecords
)

// Decoders returns the hub decoders for the "csv" and "xlsx" formats.
// cfg returns the hub's current config, read for every message so that a
// reload is seen: the partners' mappings by name and their defaults. A nil
// cfg, or one that returns nil, leaves only the built-in mappings.
func Decoders(reg *schemas.Registry, cfg func() *config.Config) map[string]hub.Decoder {
	eng := mappings.NewEngine(reg)
	return map[string]hub.Decoder{
		FormatCSV:         &decoder{format: FormatCSV, eng: eng, cfg: cfg},
		FormatXLSX:        &decoder{format: FormatXLSX, eng: eng, cfg: cfg},
		FormatJSONRecords: &decoder{format: FormatJSONRecords, eng: eng, cfg: cfg},
	}
}

// decoder maps one spreadsheet format through the mapping engine.
type decoder struct {
	format string
	eng    *mappings.Engine
	cfg    func() *config.Config
}

var (
	_ hub.StreamDecoder = (*decoder)(nil)
	_ hub.Previewer     = (*decoder)(nil)
)

func (d *decoder) config() *config.Config {
	if d.cfg == nil {
		return nil
	}
	return d.cfg()
}

// Decode collects what Stream puts: a price_list file becomes one document
// (the header and every line), a product or stock_level file one document
// per row. Under import_valid the rows left out are not reported here
// (Stream reports them); problems that refuse the file come back as
// hub.DataErrors.
func (d *decoder) Decode(ctx context.Context, msg store.Message) ([]hub.Decoded, error) {
	var out []hub.Decoded
	rep, err := d.Stream(ctx, msg, func(dec hub.Decoded) error {
		out = append(out, dec)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if msg.Doctype != "price_list" {
		return out, nil
	}
	doc := maps.Clone(rep.Header)
	if doc == nil {
		doc = map[string]any{}
	}
	lines := make([]any, len(out))
	for i, l := range out {
		lines[i] = l.Doc
	}
	doc["lines"] = lines
	return []hub.Decoded{{Doc: doc, Location: msg.Filename}}, nil
}

// Stream maps the message's file and puts each valid record in row order:
// a price-list line (Doc is the line) or a whole product or stock_level
// document, located "sheet S row N". See hub.StreamDecoder.
func (d *decoder) Stream(ctx context.Context, msg store.Message, put func(hub.Decoded) error) (hub.StreamReport, error) {
	c, err := d.mapping(msg)
	if err != nil {
		return hub.StreamReport{}, err
	}
	sr := hub.StreamReport{OnError: c.onError()}
	var rowErrs hub.DataErrors
	sink := rowSink{
		valid: func(rec mappings.Record) error {
			if c.rejectFile() && sr.RejectedRows > 0 {
				return nil // the file is refused: whatever was put is rolled back
			}
			sr.Imported++
			return put(hub.Decoded{Doc: rec.Value, Location: rowLocation(rec.Location.Sheet, rec.Location.Row)})
		},
		rejected: func(rec mappings.Record, errs []mappings.FieldError) error {
			sr.RejectedRows++
			for _, e := range errs {
				rowErrs = append(rowErrs, rowError(e))
			}
			if sku, _ := rec.Value["sku"].(string); sku != "" && msg.Doctype == "price_list" && !c.rejectFile() {
				sr.RejectedKeys = append(sr.RejectedKeys, sku)
			}
			return nil
		},
	}
	rep, err := d.run(ctx, msg, c, sink)
	if err != nil {
		return sr, err
	}
	sr.Header, sr.RowsRead, sr.Skipped = rep.Header, rep.RowsRead, rep.Skipped
	if len(rep.HeaderErrors) > 0 {
		errs := make(hub.DataErrors, 0, len(rep.HeaderErrors)+len(rowErrs))
		for _, e := range rep.HeaderErrors {
			errs = append(errs, headerFieldError(e))
		}
		return sr, append(errs, rowErrs...)
	}
	switch {
	case len(rowErrs) > 0 && (c.rejectFile() || sr.Imported == 0):
		return sr, rowErrs
	case sr.Imported == 0:
		return sr, noRows()
	}
	sr.Rejected = rowErrs
	return sr, nil
}

// noRows is the error of a file with a header row and nothing under it.
func noRows() hub.DataErrors {
	return hub.DataErrors{{Code: "format", Reason: "the file has a header row but no data rows under it"}}
}

// open reads the body as the decoder's format, in place: the xlsx reader
// at the offsets it needs, the csv reader from the start through its own
// section reader (so a Body read before reads again from byte 0). sheet,
// when set, is the only sheet of a workbook read.
func (d *decoder) open(msg store.Message, sheet string) (connectors.TableReader, error) {
	body := msg.Body
	if body == nil {
		return nil, errors.New("the message's bytes were not opened")
	}
	if d.format == FormatJSONRecords {
		var opts jsonrec.Options
		// A REST source stores its records as a top-level array; the
		// inbound records path is for what the partner posts.
		if in, ok := d.config().Inbound(msg.Partner); ok && !hub.IsRESTSource(msg.Source) {
			opts.Records = in.Records
		}
		r, err := jsonrec.NewReader(io.NewSectionReader(body, 0, body.Size()), opts)
		if err != nil {
			return nil, fmt.Errorf("reading the JSON records: %w", err)
		}
		return r, nil
	}
	if d.format == FormatXLSX {
		var opts xlsx.Options
		if sheet != "" {
			opts.Sheets = []string{sheet}
		}
		r, err := xlsx.Open(body, body.Size(), opts)
		if err != nil {
			return nil, fmt.Errorf("opening the workbook: %w", err)
		}
		return r, nil
	}
	r, err := csv.NewReader(io.NewSectionReader(body, 0, body.Size()), csv.Options{})
	if err != nil {
		return nil, fmt.Errorf("opening the csv file: %w", err)
	}
	return r, nil
}
