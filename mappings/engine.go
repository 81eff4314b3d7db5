package mappings

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/schemas"
)

// Options are the facts of one run that the mapping file does not hold.
type Options struct {
	// Partner is the sender of the documents.
	Partner string
	// File is the file's name, for {file} placeholders and the price list's
	// default external_id.
	File string
	// Now dates the run: {today}, a price list's default valid_from and a
	// stock level's default as_of. Zero means time.Now().
	Now time.Time
	// Workers is how many goroutines map and validate rows; 0 means
	// GOMAXPROCS.
	Workers int
}

// Engine maps tables to canonical documents. It is immutable and safe for
// concurrent use.
type Engine struct {
	reg *schemas.Registry
}

// NewEngine returns an engine that validates with reg.
func NewEngine(reg *schemas.Registry) *Engine { return &Engine{reg: reg} }

// Report summarises a run.
type Report struct {
	DocType string `json:"doctype"`
	// Header is the price list's header fields (no lines); nil for other
	// types.
	Header map[string]any `json:"header,omitempty"`
	// HeaderErrors are problems with the price list's header (a missing
	// currency, two currencies, a bad constant).
	HeaderErrors []FieldError `json:"header_errors,omitempty"`
	// Sheets describes each sheet read: its header row and columns.
	Sheets []SheetLayout `json:"sheets"`
	// SkippedSheets are sheets with no header row, when others had one.
	SkippedSheets []string `json:"skipped_sheets,omitempty"`
	RowsRead      int      `json:"rows_read"` // data rows after the header, skipped ones included
	Mapped        int      `json:"mapped"`    // records without errors
	Rejected      int      `json:"rejected"`  // records with errors
	Skipped       int      `json:"skipped"`   // empty, total and repeated header rows
}

// OK reports whether nothing was rejected and the header is valid.
func (r *Report) OK() bool { return r.Rejected == 0 && len(r.HeaderErrors) == 0 }

// SheetLayout is how a sheet was read.
type SheetLayout struct {
	Sheet     string        `json:"sheet,omitempty"`
	HeaderRow int           `json:"header_row"`
	Columns   []ColumnMatch `json:"columns"`
	// Tax says what the sheet states of its prices' tax basis and where
	// ("prices include tax at 13% (column B (含税单价))"); "" when it says
	// nothing. Lines without their own tax columns take it.
	Tax string `json:"tax,omitempty"`
}

// ColumnMatch binds a field to a column.
type ColumnMatch struct {
	Field      string  `json:"field"`
	Column     string  `json:"column"` // letter
	Header     string  `json:"header,omitempty"`
	Confidence float64 `json:"confidence"`
	// CheckOnly marks a price column on the other tax basis beside the
	// tax-included unit_price (field unit_price_excl_tax): it is not
	// imported, only checked against unit_price at the line's tax rate.
	CheckOnly bool `json:"check_only,omitempty"`
}

// chunkSize is how many rows a worker maps at a time.
const chunkSize = 256

type job struct {
	rm   *rowMapper
	rows []connectors.Row
	res  chan []outcome
}

// Map reads every row of src, maps and validates it, and calls emit with
// each record in row order (rejected ones included, with their errors).
// Errors in the data never stop the scan; the returned error is for
// reading failures, a missing header row or sheet, an emit error or ctx.
// Rows are mapped in parallel while src is read; emit is called from one
// goroutine.
func (e *Engine) Map(ctx context.Context, src connectors.TableReader, m *Mapping, opt Options, emit func(Record) error) (*Report, error) {
	p, err := compile(m)
	if err != nil {
		return nil, err
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	rep := &Report{DocType: m.DocType}
	jobs := make(chan job, workers)
	order := make(chan job, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				out := make([]outcome, len(j.rows))
				for i, r := range j.rows {
					out[i] = j.rm.mapRow(r)
				}
				j.res <- out
			}
		}()
	}
	hs := newHeaderState(p, &opt)
	emitDone := make(chan error, 1)
	go func() { emitDone <- collect(order, rep, hs, emit, cancel) }()

	sp := &splitter{p: p, reg: e.reg, opt: &opt, rep: rep, jobs: jobs, order: order}
	readErr := sp.run(ctx, src)
	close(jobs)
	close(order)
	wg.Wait()
	emitErr := <-emitDone
	switch {
	case emitErr != nil:
		return rep, fmt.Errorf("emitting a record: %w", emitErr)
	case readErr != nil:
		return rep, readErr
	}
	if m.DocType == "price_list" {
		rep.Header, rep.HeaderErrors = hs.finish(e.reg)
		rep.HeaderErrors = append(rep.HeaderErrors, sp.taxErrs...)
	}
	return rep, nil
}

// collect receives the workers' outcomes in row order, counts them, checks
// price-list lines against the list's currency and emits the records. After
// emit fails it cancels the run and drains the rest without emitting.
func collect(order <-chan job, rep *Report, hs *headerState, emit func(Record) error, cancel func()) error {
	var emitErr error
	for j := range order {
		for _, o := range <-j.res {
			rep.RowsRead++
			if o.skip {
				rep.Skipped++
				continue
			}
			if rep.DocType == "price_list" {
				hs.line(&o)
			}
			if len(o.rec.Errors) > 0 {
				rep.Rejected++
			} else {
				rep.Mapped++
			}
			if emitErr == nil {
				if emitErr = emit(o.rec); emitErr != nil {
					cancel()
				}
			}
		}
	}
	return emitErr
}

// splitter pulls rows, finds each sheet's header and sends chunks of data
// rows to the workers, in order.
type splitter struct {
	p     *plan
	reg   *schemas.Registry
	opt   *Options
	rep   *Report
	jobs  chan<- job
	order chan<- job

	sheet     string
	started   bool
	pending   []connectors.Row // top rows of the sheet, before its header is known
	rm        *rowMapper       // nil until the sheet's header is known
	chunk     []connectors.Row
	sheets    []string
	headerErr error
	// taxErrs are the sheets' tax statements that contradict each other or
	// the mapping's document constants: header errors of the list.
	taxErrs []FieldError
}

// send hands the chunk to a worker, and its place in line to collect.
func (sp *splitter) send(ctx context.Context) error {
	if len(sp.chunk) == 0 {
		return nil
	}
	j := job{rm: sp.rm, rows: sp.chunk, res: make(chan []outcome, 1)}
	sp.chunk = nil
	for _, ch := range []chan<- job{sp.jobs, sp.order} { // jobs first: a job in order is always answered
		select {
		case ch <- j:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// bind finds the current sheet's header among the pending rows; the rows
// after it become data. A sheet without one is skipped and remembered.
func (sp *splitter) bind(ctx context.Context) error {
	if sp.rm != nil || !sp.started || sp.p.m.Sheet != "" && sp.sheet != sp.p.m.Sheet {
		return nil
	}
	l, first, err := sp.p.bindSheet(sp.sheet, sp.pending)
	if err != nil {
		if sp.headerErr == nil {
			sp.headerErr = err
		}
		if sp.sheet != "" {
			sp.rep.SkippedSheets = append(sp.rep.SkippedSheets, sp.sheet)
		}
		sp.pending = nil
		return nil
	}
	sp.rm = &rowMapper{p: sp.p, l: l, reg: sp.reg, opt: sp.opt}
	sp.rep.Sheets = append(sp.rep.Sheets, l.describe())
	sp.taxErrs = append(sp.taxErrs, l.taxErrors(sp.p.docTax)...)
	sp.chunk = append(sp.chunk, sp.pending[first:]...)
	sp.pending = nil
	return sp.send(ctx)
}

// row takes one row from the source.
func (sp *splitter) row(ctx context.Context, r connectors.Row) error {
	if !sp.started || r.Sheet != sp.sheet {
		if err := sp.bind(ctx); err != nil {
			return err
		}
		if err := sp.send(ctx); err != nil {
			return err
		}
		sp.sheet, sp.started, sp.rm, sp.pending = r.Sheet, true, nil, nil
		sp.sheets = append(sp.sheets, r.Sheet)
	}
	if sp.p.m.Sheet != "" && r.Sheet != sp.p.m.Sheet {
		return nil
	}
	if sp.rm == nil {
		if r.Number <= sp.p.scan {
			sp.pending = append(sp.pending, r)
			return nil
		}
		if err := sp.bind(ctx); err != nil || sp.rm == nil {
			return err // on nil, the sheet has no header: its rows are ignored
		}
	}
	sp.chunk = append(sp.chunk, r)
	if len(sp.chunk) >= chunkSize {
		return sp.send(ctx)
	}
	return nil
}

// run reads src to its end.
func (sp *splitter) run(ctx context.Context, src connectors.TableReader) error {
	for {
		r, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("reading rows: %w", err)
		}
		if err := sp.row(ctx, r); err != nil {
			return err
		}
	}
	if err := sp.bind(ctx); err != nil {
		return err
	}
	if err := sp.send(ctx); err != nil {
		return err
	}
	p := sp.p
	switch {
	case p.m.Sheet != "" && !slices.Contains(sp.sheets, p.m.Sheet):
		return fmt.Errorf("reading sheet %q: %w; the file has %s", p.m.Sheet, ErrSheetNotFound, quoteList(sp.sheets))
	case len(sp.rep.Sheets) == 0 && sp.headerErr != nil:
		sp.rep.SkippedSheets = nil
		return sp.headerErr
	case len(sp.rep.Sheets) == 0:
		return p.headerError(p.m.Sheet, nil, p.missing(nil))
	}
	return nil
}

func (p *plan) lookedFor(fields []string) map[string][]string {
	out := map[string][]string{}
	for _, f := range fields {
		for _, s := range p.all() {
			if s.field == f {
				out[f] = s.synonyms
			}
		}
	}
	return out
}

func quoteList(ss []string) string {
	if len(ss) == 0 {
		return "no sheets"
	}
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "sheets " + strings.Join(q, ", ")
}

func (l *layout) describe() SheetLayout {
	sl := SheetLayout{Sheet: l.sheet, HeaderRow: l.headerRow, Columns: []ColumnMatch{}}
	add := func(b bound) {
		if b.col >= 0 {
			sl.Columns = append(sl.Columns, ColumnMatch{Field: b.field, Column: connectors.ColumnLetter(b.col), Header: b.header, Confidence: b.confidence})
		}
	}
	for _, b := range l.fields {
		add(b)
	}
	for _, t := range l.tiers {
		add(t[0])
		add(t[1])
	}
	if l.alt != nil {
		sl.Columns = append(sl.Columns, ColumnMatch{Field: "unit_price_excl_tax", Column: connectors.ColumnLetter(l.alt.col),
			Header: l.alt.header, Confidence: l.alt.confidence, CheckOnly: true})
	}
	sl.Tax = l.tax.describe()
	return sl
}

// Result is a whole run collected in memory.
type Result struct {
	Report
	Records []Record `json:"records"`
}

// MapRows maps rows held in memory and collects every record; see Map.
func (e *Engine) MapRows(ctx context.Context, rows []connectors.Row, m *Mapping, opt Options) (*Result, error) {
	res := &Result{}
	rep, err := e.Map(ctx, &sliceReader{rows: rows}, m, opt, func(r Record) error {
		res.Records = append(res.Records, r)
		return nil
	})
	if rep != nil {
		res.Report = *rep
	}
	return res, err
}

// Errors returns every error of the run: the header's, then the rows'.
func (r *Result) Errors() []FieldError {
	out := append([]FieldError(nil), r.HeaderErrors...)
	for _, rec := range r.Records {
		out = append(out, rec.Errors...)
	}
	return out
}

// Valid returns the values of the records without errors.
func (r *Result) Valid() []map[string]any {
	var out []map[string]any
	for _, rec := range r.Records {
		if len(rec.Errors) == 0 {
			out = append(out, rec.Value)
		}
	}
	return out
}

// sliceReader is a TableReader over rows in memory.
type sliceReader struct {
	rows []connectors.Row
	i    int
}

func (s *sliceReader) Next(ctx context.Context) (connectors.Row, error) {
	if err := ctx.Err(); err != nil {
		return connectors.Row{}, err
	}
	if s.i >= len(s.rows) {
		return connectors.Row{}, io.EOF
	}
	s.i++
	return s.rows[s.i-1], nil
}

func (s *sliceReader) Close() error { return nil }
