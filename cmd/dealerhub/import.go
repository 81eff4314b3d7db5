package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/csv"
	"github.com/dealerhub/dealerhub/connectors/xlsx"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/tabular"
	"github.com/dealerhub/dealerhub/mappings"
	"github.com/dealerhub/dealerhub/schemas"
)

// errSheetDryRunOnly: a sheet is picked through the partner's mapping when
// the hub imports the file.
const errSheetDryRunOnly = "--sheet works only with --dry-run: for an import through the hub, give the sheet in the partner's mapping file (sheet: NAME) and pass --mapping NAME"

// errShowValidDryRunOnly: the valid records of a real import are stored.
const errShowValidDryRunOnly = "--show-valid works only with --dry-run"

// importReport is what `import --dry-run` prints.
type importReport struct {
	File         string                 `json:"file"`
	Partner      string                 `json:"partner"`
	DocType      string                 `json:"doctype"`
	DryRun       bool                   `json:"dry_run"`
	Mapping      string                 `json:"mapping,omitempty"`
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

// importFlags are the flags of `dealerhub import`.
type importFlags struct {
	partner, doctype, mapping, sheet string
	configPath, errorsOut            string
	dryRun, asJSON, showValid        bool
	wait                             time.Duration
	store                            storeFlags
}

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f importFlags
	fs := newFlagSet("import", stderr)
	fs.StringVar(&f.partner, "partner", "", "the sending partner's id (goes into the documents as sender)")
	fs.StringVar(&f.doctype, "doctype", "", "document type: "+strings.Join(mappings.DocTypes, ", "))
	fs.StringVar(&f.mapping, "mapping", "", "the partner's mapping NAME from the hub config's mappings: (or, with --dry-run, a mapping FILE); default: the partner's default mapping for the doctype, else built-in header synonyms")
	fs.StringVar(&f.sheet, "sheet", "", "with --dry-run, read only this sheet of a workbook")
	fs.StringVar(&f.configPath, "config", "", "the hub config (YAML) whose partner mappings --mapping NAME, a dry run's default mapping and --errors-out use; the same file as serve's (env DEALERHUB_CONFIG)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "map and validate only; store and publish nothing")
	fs.BoolVar(&f.asJSON, "json", false, "print JSON")
	fs.BoolVar(&f.showValid, "show-valid", false, "with --dry-run --json, include the valid records")
	fs.StringVar(&f.errorsOut, "errors-out", "", "write the rejected rows and their errors to this .xlsx file")
	fs.DurationVar(&f.wait, "wait", 2*time.Minute, "without --dry-run: how long to wait for the running hub to process the file")
	f.store.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("import FILE --partner ID --doctype %s [--mapping NAME] [--dry-run [--mapping FILE] [--sheet S] [--show-valid]] [--json] [--errors-out FILE.xlsx]", strings.Join(mappings.DocTypes, "|"))
	}
	file := fs.Arg(0)
	if !hub.IsPartnerID(f.partner) {
		return usageErr("--partner must be a partner id ([a-z0-9-]+), got %q", f.partner)
	}
	cfg, err := importConfig(f.configPath)
	if err != nil {
		return err
	}
	if !f.dryRun {
		if err := checkHubImport(f); err != nil {
			return err
		}
		return enqueueImport(ctx, f, cfg, file, stdout)
	}
	return dryRun(ctx, f, cfg, file, stdout, stderr)
}

// checkHubImport refuses the flags an import through the hub cannot carry.
func checkHubImport(f importFlags) error {
	switch {
	case f.sheet != "":
		return usageErr("%s", errSheetDryRunOnly)
	case f.showValid:
		return usageErr("%s", errShowValidDryRunOnly)
	case !slices.Contains(mappings.DocTypes, f.doctype):
		return usageErr("--doctype must be one of %s", strings.Join(mappings.DocTypes, ", "))
	case f.mapping == "":
		return nil
	case isFile(f.mapping):
		return usageErr("--mapping %s is a file: the hub reads a partner's mappings by name from its config. Register it under partner %s's mappings: in the hub config (- {name: NAME, file: %s}), reload the hub (SIGHUP) and pass --mapping NAME; or try the file with --dry-run",
			f.mapping, f.partner, filepath.Base(f.mapping))
	case !mappingName.MatchString(f.mapping):
		return usageErr("--mapping must name one of partner %s's mappings in the hub config ([a-z0-9_-]+), got %q", f.partner, f.mapping)
	}
	return nil
}

// mappingName is a partner mapping's name, as schemas/config/hub.json
// spells it.
var mappingName = regexp.MustCompile(`^[a-z0-9_-]+$`)

func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && !info.IsDir()
}

// importConfig loads the hub config named by --config, or nil.
func importConfig(path string) (*config.Config, error) {
	if path == "" {
		return nil, nil
	}
	cfg, err := config.Load(path, os.LookupEnv)
	if err != nil {
		return nil, usageErr("reading --config: %w", err)
	}
	return cfg, nil
}

// dryRun maps the file, prints the report and writes --errors-out.
func dryRun(ctx context.Context, f importFlags, cfg *config.Config, file string, stdout, stderr io.Writer) error {
	reg, err := schemas.New()
	if err != nil {
		return fmt.Errorf("loading schemas: %w", err)
	}
	m, name, err := dryRunMapping(reg, cfg, f, stderr)
	if err != nil {
		return err
	}
	if f.sheet != "" {
		m.Sheet = f.sheet
	}
	rep, err := dryRunImport(ctx, reg, file, m, f.partner, f.showValid && f.asJSON, f.errorsOut != "")
	if err != nil {
		return err
	}
	rep.Mapping = name
	if f.errorsOut != "" {
		if err := writeErrorsOut(f.errorsOut, rep.errorSheets); err != nil {
			return err
		}
		rep.ErrorsOut = f.errorsOut
	}
	if f.asJSON {
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

// dryRunMapping picks a dry run's mapping: --mapping FILE; --mapping NAME
// from the hub config; without --mapping, the partner's default mapping
// for the doctype when a hub config is given, else the built-in header
// synonyms. It returns the mapping and the name to report.
func dryRunMapping(reg *schemas.Registry, cfg *config.Config, f importFlags, stderr io.Writer) (*mappings.Mapping, string, error) {
	switch {
	case f.mapping != "" && (isFile(f.mapping) || !mappingName.MatchString(f.mapping)):
		m, err := loadMapping(reg, f.mapping, f.doctype, stderr)
		return m, f.mapping, err
	case f.mapping != "":
		if cfg == nil {
			return nil, "", usageErr("--mapping %s is not a file; to use partner %s's mapping by that name, give the hub config with --config (or DEALERHUB_CONFIG)", f.mapping, f.partner)
		}
		pm, ok := cfg.Mapping(f.partner, f.mapping)
		if !ok {
			return nil, "", usageErr("partner %s has no mapping named %q in %s (it has: %s)", f.partner, f.mapping, f.configPath, strings.Join(cfg.MappingNames(f.partner), ", "))
		}
		if f.doctype != "" && f.doctype != pm.Doctype() {
			return nil, "", usageErr("--doctype %s does not match mapping %s's doctype %s", f.doctype, pm.Name, pm.Doctype())
		}
		m := *pm.Mapping
		return &m, pm.Name, nil
	}
	if pm, ok := cfg.DefaultMapping(f.partner, f.doctype); ok {
		m := *pm.Mapping
		return &m, pm.Name, nil
	}
	m, err := loadMapping(reg, "", f.doctype, stderr)
	return m, "", err
}

// loadMapping reads a mapping file, or the hub's built-in mapping of
// doctype, so a dry run reads a file exactly as the hub will.
// Mapping-file mistakes are usage errors (exit 2) that name key and line.
func loadMapping(reg *schemas.Registry, path, doctype string, stderr io.Writer) (*mappings.Mapping, error) {
	if path == "" {
		if !slices.Contains(mappings.DocTypes, doctype) {
			return nil, usageErr("--doctype must be one of %s", strings.Join(mappings.DocTypes, ", "))
		}
		return tabular.BuiltinMapping(doctype), nil
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
// errors (and, when asked, the valid records and the rejected rows' cells,
// through the RowKeeper the hub's error workbook uses too).
func dryRunImport(ctx context.Context, reg *schemas.Registry, file string, m *mappings.Mapping, partner string, keepValid, keepRows bool) (*importReport, error) {
	src, err := openTable(file, m.Sheet)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var keeper *tabular.RowKeeper
	if keepRows {
		keeper = tabular.NewRowKeeper(src, m)
		src = keeper
	}
	rep := &importReport{File: file, Partner: partner, DocType: m.DocType, DryRun: true,
		OnError: m.OnError, Errors: []mappings.FieldError{}}
	if rep.OnError == "" {
		rep.OnError = mappings.OnErrorImportValid
	}
	emit := func(rec mappings.Record) error {
		if len(rec.Errors) == 0 {
			if keeper != nil {
				keeper.Pass(rec.Location)
			}
			if keepValid {
				rep.Valid = append(rep.Valid, rec)
			}
			return nil
		}
		rep.Errors = append(rep.Errors, rec.Errors...)
		if keeper != nil {
			reasons := make([]string, len(rec.Errors))
			for i, e := range rec.Errors {
				reasons[i] = tabular.FieldReason(e)
			}
			keeper.Reject(rec.Location, reasons)
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
		rep.errorSheets = keeper.ErrorSheets(res.Sheets)
	}
	return rep, nil
}

// writeErrorsOut writes the error workbook, also when nothing was rejected
// (then it holds only the titles), so scripts can rely on the file.
func writeErrorsOut(path string, sheets []xlsx.ErrorSheet) error {
	return writeFile(path, func(w io.Writer) error { return xlsx.WriteErrorBook(w, sheets) })
}

// writeFile creates path and fills it with write.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("creating the error workbook: %w", err)
	}
	if err := write(f); err != nil {
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
	if rep.Mapping != "" {
		fmt.Fprintf(w, "mapping: %s (on_error: %s)\n", rep.Mapping, rep.OnError)
	}
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
