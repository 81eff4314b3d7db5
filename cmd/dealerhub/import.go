package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/csv"
	"github.com/dealerhub/dealerhub/connectors/xlsx"
	"github.com/dealerhub/dealerhub/mappings"
	"github.com/dealerhub/dealerhub/schemas"
)

// errDryRunOnly: mapping files by name do not reach the pipeline yet.
const errDryRunOnly = "--mapping and --sheet work only with --dry-run for now: an import through the hub uses the built-in header synonyms"

// importReport is what `import --dry-run` prints.
type importReport struct {
	File         string                 `json:"file"`
	Partner      string                 `json:"partner"`
	DocType      string                 `json:"doctype"`
	DryRun       bool                   `json:"dry_run"`
	Header       map[string]any         `json:"header,omitempty"`
	Sheets       []mappings.SheetLayout `json:"sheets"`
	RowsRead     int                    `json:"rows_read"`
	WouldImport  int                    `json:"would_import"`
	Rejected     int                    `json:"rejected"`
	Skipped      int                    `json:"skipped"`
	HeaderErrors []mappings.FieldError  `json:"header_errors,omitempty"`
	Errors       []mappings.FieldError  `json:"errors"`
	Valid        []mappings.Record      `json:"valid,omitempty"`
	ErrorsOut    string                 `json:"errors_out,omitempty"`
	OnError      string                 `json:"on_error"`
	SkipSheets   []string               `json:"skipped_sheets,omitempty"`

	// errorSheets are the rejected rows' original cells, per sheet, kept
	// only for --errors-out.
	errorSheets []xlsx.ErrorSheet
}

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", stderr)
	partner := fs.String("partner", "", "the sending partner's id (goes into the documents as sender)")
	doctype := fs.String("doctype", "", "document type: "+strings.Join(mappings.DocTypes, ", "))
	mappingFile := fs.String("mapping", "", "mapping file (YAML); default: built-in header synonyms")
	sheet := fs.String("sheet", "", "read only this sheet of a workbook")
	dryRun := fs.Bool("dry-run", false, "map and validate only; store and publish nothing")
	asJSON := fs.Bool("json", false, "print JSON")
	showValid := fs.Bool("show-valid", false, "with --json, include the valid records")
	errorsOut := fs.String("errors-out", "", "write the rejected rows and their errors to this .xlsx file")
	wait := fs.Duration("wait", 2*time.Minute, "without --dry-run: how long to wait for the running hub to process the file")
	var sf storeFlags
	sf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("import FILE --partner ID --doctype %s --dry-run [--mapping FILE] [--sheet S] [--json] [--errors-out FILE.xlsx]", strings.Join(mappings.DocTypes, "|"))
	}
	file := fs.Arg(0)
	if !partnerID.MatchString(*partner) {
		return usageErr("--partner must be a partner id ([a-z0-9-]+), got %q", *partner)
	}
	if !*dryRun {
		if *mappingFile != "" || *sheet != "" || *errorsOut != "" || *showValid {
			return usageErr("%s", errDryRunOnly)
		}
		if !slices.Contains(mappings.DocTypes, *doctype) {
			return usageErr("--doctype must be one of %s", strings.Join(mappings.DocTypes, ", "))
		}
		return enqueueImport(ctx, sf, file, *partner, *doctype, *wait, *asJSON, stdout)
	}
	reg, err := schemas.New()
	if err != nil {
		return fmt.Errorf("loading schemas: %w", err)
	}
	m, err := loadMapping(reg, *mappingFile, *doctype, stderr)
	if err != nil {
		return err
	}
	if *sheet != "" {
		m.Sheet = *sheet
	}
	rep, err := dryRunImport(ctx, reg, file, m, *partner, *showValid && *asJSON, *errorsOut != "")
	if err != nil {
		return err
	}
	if *errorsOut != "" {
		if err := writeErrorsOut(*errorsOut, rep); err != nil {
			return err
		}
		rep.ErrorsOut = *errorsOut
	}
	if *asJSON {
		if err := printJSON(stdout, rep); err != nil {
			return err
		}
	} else {
		printImportReport(stdout, rep)
	}
	if rep.Rejected > 0 || len(rep.HeaderErrors) > 0 {
		msg := fmt.Sprintf("%s: %d of %d row(s) rejected", file, rep.Rejected, rep.RowsRead-rep.Skipped)
		if len(rep.HeaderErrors) > 0 {
			msg += fmt.Sprintf(", %d header error(s)", len(rep.HeaderErrors))
		}
		return &exitError{code: 1, err: errors.New(msg + " (dry run: nothing stored)")}
	}
	return nil
}

// loadMapping reads a mapping file, or the default mapping of doctype.
// Mapping-file mistakes are usage errors (exit 2) that name key and line.
func loadMapping(reg *schemas.Registry, path, doctype string, stderr io.Writer) (*mappings.Mapping, error) {
	if path == "" {
		if !slices.Contains(mappings.DocTypes, doctype) {
			return nil, usageErr("--doctype must be one of %s", strings.Join(mappings.DocTypes, ", "))
		}
		return mappings.DefaultMapping(doctype), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usageErr("reading mapping file: %w", err)
	}
	m, err := mappings.ParseMapping(reg, b)
	var me *mappings.MappingError
	if errors.As(err, &me) {
		for _, v := range me.Violations {
			ptr := v.Pointer
			if ptr == "" {
				ptr = "/"
			}
			if v.Line > 0 {
				fmt.Fprintf(stderr, "%s:%d: %s: %s\n", path, v.Line, ptr, v.Reason)
			} else {
				fmt.Fprintf(stderr, "%s: %s: %s\n", path, ptr, v.Reason)
			}
		}
		return nil, usageErr("mapping file %s is not valid: %w", path, err)
	}
	if err != nil {
		return nil, usageErr("reading mapping file %s: %w", path, err)
	}
	if doctype != "" && doctype != m.DocType {
		return nil, usageErr("--doctype %s does not match the mapping file's doctype %s", doctype, m.DocType)
	}
	return m, nil
}

// tableFormat names a spreadsheet's format, "xlsx" or "csv", by its
// extension (.xlsx, .xlsm; .csv, .tsv, .txt) or, for any other name, by its
// first bytes ("PK" is a workbook).
func tableFormat(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		return "xlsx", nil
	case ".csv", ".tsv", ".txt":
		return "csv", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("opening %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, 2)
	n, _ := io.ReadFull(f, head)
	if bytes.Equal(head[:n], []byte("PK")) {
		return "xlsx", nil
	}
	return "csv", nil
}

// openTable opens a spreadsheet of the format tableFormat names.
func openTable(path, sheet string) (connectors.TableReader, error) {
	kind, err := tableFormat(path)
	if err != nil {
		return nil, err
	}
	if kind == "xlsx" {
		var opts xlsx.Options
		if sheet != "" {
			opts.Sheets = []string{sheet}
		}
		r, err := xlsx.OpenFile(path, opts)
		if err != nil {
			return nil, fmt.Errorf("opening %s: %w", path, err)
		}
		return r, nil
	}
	if sheet != "" {
		return nil, usageErr("sheet %q was asked for, but %s is a CSV file, which has no sheets", sheet, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	r, err := csv.NewReader(f, csv.Options{})
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	return &closeBoth{TableReader: r, f: f}, nil
}

// closeBoth closes the csv reader and then its file.
type closeBoth struct {
	connectors.TableReader
	f *os.File
}

func (c *closeBoth) Close() error {
	err := c.TableReader.Close()
	if ferr := c.f.Close(); err == nil {
		err = ferr
	}
	return err
}

// dryRunImport streams file through the mapping engine and keeps only the
// errors (and, when asked, the valid records and the rejected rows' cells).
func dryRunImport(ctx context.Context, reg *schemas.Registry, file string, m *mappings.Mapping, partner string, keepValid, keepRows bool) (*importReport, error) {
	src, err := openTable(file, m.Sheet)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var keeper *rowKeeper
	if keepRows {
		scan := max(m.ScanRows, mappings.DefaultScanRows, m.HeaderRow)
		keeper = &rowKeeper{TableReader: src, headLimit: scan, heads: map[string][]connectors.Row{}}
		src = keeper
	}
	rep := &importReport{File: file, Partner: partner, DocType: m.DocType, DryRun: true,
		OnError: m.OnError, Errors: []mappings.FieldError{}}
	rejected := map[string][]xlsx.ErrorRow{}
	var rejectedSheets []string
	if rep.OnError == "" {
		rep.OnError = mappings.OnErrorImportValid
	}
	emit := func(rec mappings.Record) error {
		var orig connectors.Row
		if keeper != nil {
			orig = keeper.take(rec.Location)
		}
		if len(rec.Errors) == 0 {
			if keepValid {
				rep.Valid = append(rep.Valid, rec)
			}
			return nil
		}
		rep.Errors = append(rep.Errors, rec.Errors...)
		if keeper != nil {
			reasons := make([]string, len(rec.Errors))
			for i, e := range rec.Errors {
				reasons[i] = reasonText(e)
			}
			sh := rec.Location.Sheet
			if _, seen := rejected[sh]; !seen {
				rejectedSheets = append(rejectedSheets, sh)
			}
			rejected[sh] = append(rejected[sh], xlsx.ErrorRow{Number: rec.Location.Row, Cells: orig.Cells, Reasons: reasons})
		}
		return nil
	}
	eng := mappings.NewEngine(reg)
	res, err := eng.Map(ctx, src, m, mappings.Options{Partner: partner, File: filepath.Base(file)}, emit)
	if err != nil {
		var he *mappings.HeaderError
		if errors.As(err, &he) {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	rep.Header, rep.Sheets, rep.SkipSheets = res.Header, res.Sheets, res.SkippedSheets
	rep.RowsRead, rep.WouldImport, rep.Rejected, rep.Skipped = res.RowsRead, res.Mapped, res.Rejected, res.Skipped
	rep.HeaderErrors = res.HeaderErrors
	if m.OnError == mappings.OnErrorRejectFile && !res.OK() {
		rep.WouldImport = 0
	}
	if keeper != nil {
		for _, sh := range rejectedSheets {
			es := xlsx.ErrorSheet{Name: sh, Rows: rejected[sh]}
			for _, l := range res.Sheets {
				if l.Sheet == sh {
					es.Header = keeper.header(sh, l.HeaderRow)
				}
			}
			rep.errorSheets = append(rep.errorSheets, es)
		}
	}
	return rep, nil
}

// reasonText is an error as the error workbook shows it, next to the row.
func reasonText(e mappings.FieldError) string {
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

// rowKeeper is a TableReader that remembers each row it hands to the
// mapping engine until the engine emits that row's record, so the error
// workbook can show a rejected row's original cells. The engine emits in
// row order and reads a bounded window ahead, so the queue stays short:
// rows that never become records (the header, blank and total rows) are
// dropped when a later record is taken. The first rows of each sheet are
// kept apart, to find the header row once the engine has detected it.
type rowKeeper struct {
	connectors.TableReader
	headLimit int

	mu    sync.Mutex // Next and take run on different goroutines
	queue []connectors.Row
	heads map[string][]connectors.Row
}

// Next reads a row and remembers a copy of it.
func (k *rowKeeper) Next(ctx context.Context) (connectors.Row, error) {
	r, err := k.TableReader.Next(ctx)
	if err != nil {
		return r, err
	}
	kept := connectors.Row{Sheet: r.Sheet, Number: r.Number, Cells: slices.Clone(r.Cells)}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.queue = append(k.queue, kept)
	if len(k.heads[r.Sheet]) < k.headLimit {
		k.heads[r.Sheet] = append(k.heads[r.Sheet], kept)
	}
	return r, nil
}

// take returns the row at loc and forgets it and every row before it.
func (k *rowKeeper) take(loc mappings.Location) connectors.Row {
	k.mu.Lock()
	defer k.mu.Unlock()
	for len(k.queue) > 0 {
		r := k.queue[0]
		k.queue[0] = connectors.Row{}
		k.queue = k.queue[1:]
		if r.Sheet == loc.Sheet && r.Number == loc.Row {
			return r
		}
	}
	return connectors.Row{Sheet: loc.Sheet, Number: loc.Row}
}

// header returns the cells of a sheet's header row, if it was among the
// first rows kept.
func (k *rowKeeper) header(sheet string, number int) []connectors.Cell {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, r := range k.heads[sheet] {
		if r.Number == number {
			return r.Cells
		}
	}
	return nil
}

// writeErrorsOut writes the error workbook, also when nothing was rejected
// (then it holds only the titles), so scripts can rely on the file.
func writeErrorsOut(path string, rep *importReport) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("creating the error workbook: %w", err)
	}
	if err := xlsx.WriteErrorBook(f, rep.errorSheets); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// printImportReport prints the dry run for people.
func printImportReport(w io.Writer, rep *importReport) {
	fmt.Fprintf(w, "dry run of %s (%s from %s): nothing was stored\n", rep.File, rep.DocType, rep.Partner)
	for _, s := range rep.Sheets {
		cols := make([]string, len(s.Columns))
		for i, c := range s.Columns {
			cols[i] = fmt.Sprintf("%s=%s(%s)", c.Field, c.Column, c.Header)
		}
		name := s.Sheet
		if name == "" {
			name = "(csv)"
		}
		fmt.Fprintf(w, "sheet %s: header row %d; %s\n", name, s.HeaderRow, strings.Join(cols, " "))
	}
	fmt.Fprintf(w, "rows read: %d\nwould import: %d\nrejected: %d\nskipped (blank or total rows): %d\n",
		rep.RowsRead, rep.WouldImport, rep.Rejected, rep.Skipped)
	if rep.WouldImport == 0 && rep.OnError == mappings.OnErrorRejectFile && rep.Rejected > 0 {
		fmt.Fprintln(w, "the mapping rejects the whole file on any error (on_error: reject_file)")
	}
	if rep.ErrorsOut != "" {
		fmt.Fprintf(w, "error workbook: %s\n", rep.ErrorsOut)
	}
	errs := append(slices.Clone(rep.HeaderErrors), rep.Errors...)
	if len(errs) == 0 {
		return
	}
	fmt.Fprintln(w)
	rows := make([][]string, len(errs))
	for i, e := range errs {
		row := ""
		if e.Row > 0 {
			row = strconv.Itoa(e.Row)
		}
		col := e.Column
		if e.Header != "" {
			col += " (" + e.Header + ")"
		}
		if col == "" {
			col = e.Field
		}
		rows[i] = []string{e.Sheet, row, col, strconv.Quote(e.Value), e.Reason}
	}
	_ = table(w, []string{"SHEET", "ROW", "COLUMN", "VALUE", "REASON"}, rows)
}
