package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dealerhub/dealerhub/mappings"
	"github.com/dealerhub/dealerhub/schemas"
)

// benchImportReport is what `bench import` prints.
type benchImportReport struct {
	Rows          int         `json:"rows"` // data rows generated (below a title and a header row)
	Columns       int         `json:"columns"`
	Seed          uint64      `json:"seed"`
	Runs          int         `json:"runs"`           // each figure is the median of this many runs
	PlantedErrors int         `json:"planted_errors"` // rows generated with a price that cannot be read
	Files         []benchFile `json:"files"`
	// Stages are the measured figures; Ratio is against the first one,
	// the excelize baseline.
	Stages []benchStage `json:"stages"`
	Note   string       `json:"note"`
}

// benchFile is a generated input; its generation is not measured.
type benchFile struct {
	Format          string  `json:"format"`
	Path            string  `json:"path,omitempty"` // only when kept with --keep
	Bytes           int64   `json:"bytes"`
	GenerateSeconds float64 `json:"generate_seconds"`
}

// benchStage is one measured stage over one file.
type benchStage struct {
	Stage         string  `json:"stage"` // baseline, read, dry_run, persist
	Format        string  `json:"format"`
	Store         string  `json:"store,omitempty"`
	What          string  `json:"what"`
	Rows          int     `json:"rows,omitempty"` // rows seen (dry_run: data rows after the header)
	Cells         int     `json:"cells,omitempty"`
	Valid         *int    `json:"valid_lines,omitempty"` // dry_run and persist
	Errors        *int    `json:"errors,omitempty"`      // dry_run and persist: rows with errors
	Changes       *int    `json:"changes,omitempty"`     // persist: changes from the previous list
	Seconds       float64 `json:"seconds,omitempty"`
	RowsPerSecond float64 `json:"rows_per_second,omitempty"`
	Ratio         float64 `json:"ratio_to_baseline,omitempty"`
	Skipped       string  `json:"skipped,omitempty"`
}

// benchHeaders are the generated price list's columns, as a Chinese
// supplier writes them; 序号, 品牌, 类别 and 备注 map to nothing.
func benchHeaders() []string {
	return []string{"序号", "单价(元)", "品名", "货号", "计量单位", "生效日期", "币种", "起订量", "条码", "品牌", "类别", "备注"}
}

const (
	benchTitle     = "2026年度产品价格表"
	benchDateCol   = 5 // 生效日期, a date cell
	benchPriceCol  = 1 // 单价(元)
	benchDateFmt   = "yyyy-mm-dd"
	benchDateStart = 46023 // 2026-01-01 as an Excel serial
	benchPlantEach = 997   // every 997th row has an unreadable price
)

func cmdBenchImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench import", stderr)
	rows := fs.Int("rows", 100000, "data rows of the generated 12-column price list")
	asJSON := fs.Bool("json", false, "print JSON")
	keep := fs.String("keep", "", "write the generated workbook to this .xlsx file and keep it")
	withCSV := fs.Bool("csv", false, "also measure the same data as a CSV file (UTF-8 with BOM, as Excel saves it)")
	seed := fs.Uint64("seed", 1, "seed of the generated values, so that runs are comparable")
	runs := fs.Int("runs", 1, "measure each stage this many times (interleaved) and report the median")
	memLimit := fs.Int("memory-limit-mib", defaultMemoryLimitMiB, "soft limit of the Go heap in MiB, as serve sets it (0: none)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	dbURL := fs.String("database-url", os.Getenv("DEALERHUB_DATABASE_URL"), "PostgreSQL to measure the persist stages on too (a scratch schema is created and dropped)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *rows <= 0 {
		return usageErr("--rows must be positive")
	}
	if *runs <= 0 {
		return usageErr("--runs must be positive")
	}
	if *memLimit < 0 {
		return usageErr("--memory-limit-mib must be 0 (no limit) or positive")
	}
	// The persist stages run a hub in this process: measure it as serve
	// runs.
	tuneMemory(*memLimit)
	if *keep != "" && !strings.EqualFold(filepath.Ext(*keep), ".xlsx") {
		return usageErr("--keep must name an .xlsx file, got %q", *keep)
	}
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	dir, err := os.MkdirTemp("", "dealerhub-bench-import-")
	if err != nil {
		return fmt.Errorf("creating a temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	progress := terminalProgress(stderr, "bench import")

	rep := &benchImportReport{Rows: *rows, Columns: len(benchHeaders()), Seed: *seed, Runs: *runs,
		PlantedErrors: *rows / benchPlantEach}
	xlsxPath := filepath.Join(dir, "price-list.xlsx")
	if *keep != "" {
		xlsxPath = *keep
	}
	progress("generating a %d-row workbook", *rows)
	f, err := generateBenchFile(ctx, "xlsx", xlsxPath, *rows, *seed, 0)
	if err != nil {
		return err
	}
	if *keep != "" {
		f.Path = *keep
	}
	rep.Files = append(rep.Files, f)
	inputs := []benchInput{{format: "xlsx", path: xlsxPath}}
	if *withCSV {
		csvPath := filepath.Join(dir, "price-list.csv")
		progress("generating the same data as CSV")
		f, err := generateBenchFile(ctx, "csv", csvPath, *rows, *seed, 0)
		if err != nil {
			return err
		}
		rep.Files = append(rep.Files, f)
		inputs = append(inputs, benchInput{format: "csv", path: csvPath})
	}
	stages, err := measureImportStages(ctx, inputs, *runs, progress)
	if err != nil {
		return err
	}
	rep.Stages = stages
	persist, err := measurePersist(ctx, inputs, dir, *rows, *runs, *seed, *dbURL, stderr, progress)
	if err != nil {
		return err
	}
	for _, p := range persist {
		if p.Seconds > 0 {
			p.RowsPerSecond = float64(p.Rows) / p.Seconds
			p.Ratio = p.Seconds / rep.Stages[0].Seconds
		}
		rep.Stages = append(rep.Stages, p)
	}
	rep.Note = "Ratios are against the baseline (excelize alone, RawCellValue). persist is the whole import " +
		"through a running hub, from Ingest until the message is done and its changed event is received; " +
		"persist_changed is the same list with every 10th price raised, so it also diffs and notifies."
	if *asJSON {
		return printJSON(stdout, rep)
	}
	return printBenchImport(stdout, rep)
}

// measurePersist runs the persist stages for every input on every store:
// the first list, then a changed one generated from the same seed.
func measurePersist(ctx context.Context, inputs []benchInput, dir string, rows, runs int, seed uint64, dbURL string, logw io.Writer, progress func(string, ...any)) ([]benchStage, error) {
	var out []benchStage
	openers := benchOpeners(dbURL)
	for _, in := range inputs {
		changed := filepath.Join(dir, "price-list-changed."+in.format)
		progress("generating the changed %s list", in.format)
		if _, err := generateBenchFile(ctx, in.format, changed, rows, seed, 10); err != nil {
			return nil, err
		}
		for _, name := range []string{"sqlite", "postgresql"} {
			open, ok := openers[name]
			if !ok {
				out = append(out, benchStage{Stage: "persist", Format: in.format, Store: name,
					Skipped: "give --database-url postgres://… (or DEALERHUB_DATABASE_URL) to measure PostgreSQL"})
				continue
			}
			// Each run gets a fresh store and hub; each stage keeps its
			// median run, as the other stages do.
			var all [][]benchStage
			for run := range runs {
				progress("run %d of %d: persist stages of the %s file on %s", run+1, runs, in.format, name)
				stages, err := benchPersist(ctx, name, open, in.format, in.path, changed, rows, logw)
				if err != nil {
					return nil, err
				}
				for i, st := range stages {
					if i == len(all) {
						all = append(all, nil)
					}
					all[i] = append(all[i], st)
				}
			}
			for _, got := range all {
				slices.SortFunc(got, func(a, b benchStage) int { return compareFloat(a.Seconds, b.Seconds) })
				out = append(out, got[len(got)/2])
			}
		}
	}
	return out, nil
}

// benchInput is a generated file to measure.
type benchInput struct {
	format string
	path   string
}

// measureImportStages measures every stage over every input, runs times,
// interleaving the stages so that a machine's drift touches them alike, and
// keeps each stage's median run.
func measureImportStages(ctx context.Context, inputs []benchInput, runs int, progress func(string, ...any)) ([]benchStage, error) {
	reg, err := schemas.New()
	if err != nil {
		return nil, fmt.Errorf("loading schemas: %w", err)
	}
	type stageFunc func(context.Context) (benchStage, error)
	var funcs []stageFunc
	funcs = append(funcs, func(ctx context.Context) (benchStage, error) { return benchBaseline(ctx, inputs[0].path) })
	for _, in := range inputs {
		funcs = append(funcs,
			func(ctx context.Context) (benchStage, error) { return benchRead(ctx, in.format, in.path) },
			func(ctx context.Context) (benchStage, error) { return benchDryRun(ctx, reg, in.format, in.path) })
	}
	all := make([][]benchStage, len(funcs))
	for run := range runs {
		for i, fn := range funcs {
			progress("run %d of %d: stage %d of %d", run+1, runs, i+1, len(funcs))
			st, err := fn(ctx)
			if err != nil {
				return nil, err
			}
			all[i] = append(all[i], st)
		}
	}
	stages := make([]benchStage, len(funcs))
	for i, got := range all {
		slices.SortFunc(got, func(a, b benchStage) int { return compareFloat(a.Seconds, b.Seconds) })
		stages[i] = got[len(got)/2]
	}
	for i := range stages {
		stages[i].RowsPerSecond = float64(stages[i].Rows) / stages[i].Seconds
		stages[i].Ratio = stages[i].Seconds / stages[0].Seconds
	}
	return stages, nil
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// benchBaseline is the fixed yardstick: excelize alone streaming every
// cell of the workbook's first sheet as raw values, with no typing.
func benchBaseline(ctx context.Context, path string) (benchStage, error) {
	st := benchStage{Stage: "baseline", Format: "xlsx",
		What: "excelize alone: Rows() + Columns(RawCellValue), no cell types"}
	start := time.Now()
	f, err := excelize.OpenFile(path)
	if err != nil {
		return st, fmt.Errorf("opening %s with excelize: %w", path, err)
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return st, fmt.Errorf("reading %s with excelize: %w", path, err)
	}
	for rows.Next() {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			rows.Close()
			return st, fmt.Errorf("reading row %d of %s with excelize: %w", st.Rows+1, path, err)
		}
		st.Rows++
		for _, c := range cells {
			if c != "" {
				st.Cells++
			}
		}
		if st.Rows%4096 == 0 && ctx.Err() != nil {
			rows.Close()
			return st, ctx.Err()
		}
	}
	if err := rows.Close(); err != nil {
		return st, fmt.Errorf("closing the rows of %s: %w", path, err)
	}
	st.Seconds = time.Since(start).Seconds()
	return st, nil
}

// benchRead reads the file with the format's TableReader alone, the way
// import opens it, until io.EOF.
func benchRead(ctx context.Context, format, path string) (benchStage, error) {
	st := benchStage{Stage: "read", Format: format,
		What: "connectors/" + format + " reader alone: Next until EOF"}
	start := time.Now()
	src, err := openTable(path, "")
	if err != nil {
		return st, err
	}
	defer src.Close()
	for {
		row, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return st, fmt.Errorf("reading %s: %w", path, err)
		}
		st.Rows++
		for _, c := range row.Cells {
			if c.Value != "" {
				st.Cells++
			}
		}
	}
	if err := src.Close(); err != nil {
		return st, fmt.Errorf("closing %s: %w", path, err)
	}
	st.Seconds = time.Since(start).Seconds()
	return st, nil
}

// benchDryRun runs what `import --dry-run` runs: read, map and validate
// with the built-in price_list mapping, keeping only the errors.
func benchDryRun(ctx context.Context, reg *schemas.Registry, format, path string) (benchStage, error) {
	st := benchStage{Stage: "dry_run", Format: format,
		What: "import --dry-run: read + map + validate (mappings.Engine.Map, built-in price_list mapping)"}
	start := time.Now()
	rep, err := dryRunImport(ctx, reg, path, mappings.DefaultMapping("price_list"), "bench-supplier", false, false)
	if err != nil {
		return st, err
	}
	st.Seconds = time.Since(start).Seconds()
	valid, errs := rep.WouldImport, len(rep.Errors)+len(rep.HeaderErrors)
	st.Rows, st.Valid, st.Errors = rep.RowsRead, &valid, &errs
	return st, nil
}

// printBenchImport prints the report for people, in the style of bench
// ingest.
func printBenchImport(w io.Writer, rep *benchImportReport) error {
	fmt.Fprintf(w, "price list: %d data rows x %d columns, Chinese headers, seed %d", rep.Rows, rep.Columns, rep.Seed)
	if rep.Runs > 1 {
		fmt.Fprintf(w, ", median of %d runs", rep.Runs)
	}
	fmt.Fprintf(w, "; %d rows planted with an unreadable price\n", rep.PlantedErrors)
	for _, f := range rep.Files {
		where := ""
		if f.Path != "" {
			where = ", kept at " + f.Path
		}
		fmt.Fprintf(w, "%s: %.1f MB, generated in %.2f s (not measured)%s\n", f.Format, float64(f.Bytes)/1e6, f.GenerateSeconds, where)
	}
	fmt.Fprintln(w)
	rows := make([][]string, len(rep.Stages))
	for i, s := range rep.Stages {
		name := strings.ReplaceAll(s.Stage, "_", " ")
		if s.Store != "" {
			name += " (" + s.Store + ")"
		}
		if s.Skipped != "" {
			rows[i] = []string{name, s.Format, "-", "-", "-", "-", s.Skipped}
			continue
		}
		note := s.What
		if s.Valid != nil {
			note += fmt.Sprintf("; %d valid lines, %d errors", *s.Valid, *s.Errors)
		}
		rows[i] = []string{name, s.Format, strconv.Itoa(s.Rows), fmt.Sprintf("%.3f s", s.Seconds),
			fmt.Sprintf("%.0f rows/s", s.RowsPerSecond), fmt.Sprintf("%.2f", s.Ratio), note}
	}
	if err := table(w, []string{"STAGE", "FORMAT", "ROWS", "TIME", "THROUGHPUT", "VS BASELINE", "WHAT"}, rows); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%s\n", rep.Note)
	return err
}

// terminalProgress returns a progress printer for the command name that
// writes to stderr only when it is a terminal, so scripts and tests see
// nothing.
func terminalProgress(stderr io.Writer, name string) func(string, ...any) {
	if f, ok := stderr.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return func(format string, args ...any) { fmt.Fprintf(f, name+": "+format+"\n", args...) }
		}
	}
	return func(string, ...any) {}
}

// generateBenchFile writes the price list as format ("xlsx" or "csv") and
// says how big it is and how long it took.
func generateBenchFile(ctx context.Context, format, path string, rows int, seed uint64, bump int) (benchFile, error) {
	start := time.Now()
	var err error
	if format == "xlsx" {
		err = writeBenchWorkbook(ctx, path, rows, newBenchGenerator(seed, bump))
	} else {
		err = writeBenchCSV(ctx, path, rows, newBenchGenerator(seed, bump))
	}
	if err != nil {
		return benchFile{}, fmt.Errorf("generating the %s price list: %w", format, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return benchFile{}, fmt.Errorf("generating the %s price list: %w", format, err)
	}
	return benchFile{Format: format, Bytes: fi.Size(), GenerateSeconds: time.Since(start).Seconds()}, nil
}

// benchLine is one generated row. Price is a decimal string; the workbook
// stores it as a number cell unless PriceText says it is typed as text.
type benchLine struct {
	No        int
	Price     string // decimal, or the planted bad value
	PriceText bool   // the price is text ("¥1,234.50" or the planted value)
	Name      string
	SKU       string
	Unit      string
	Date      int // Excel serial
	Currency  string
	MOQ       int
	GTIN      string
	Brand     string
	Category  string
	Remark    string
}

// benchGenerator makes the same rows for the same seed.
type benchGenerator struct {
	rng *rand.Rand
	n   int
	// bump raises the price of every bump-th row by 5% (0: none), so a
	// second file is the same list with some prices changed.
	bump                                       int
	products, specs, units, brands, categories []string
	remarks                                    []string
	moqs                                       []int
}

func newBenchGenerator(seed uint64, bump int) *benchGenerator {
	return &benchGenerator{
		bump:       bump,
		rng:        rand.New(rand.NewPCG(seed, 0x6465616c6572)),
		products:   []string{"不锈钢六角螺栓", "镀锌膨胀螺丝", "碳钢平垫圈", "尼龙扎带", "铜球阀", "PVC电工胶带", "LED筒灯", "小型断路器", "五孔插座面板", "内六角扳手套装", "角磨机", "冲击钻头"},
		specs:      []string{"M6×20", "M8×30", "M10×50", "Φ20", "DN15", "DN25", "18mm×10m", "3W", "16A", "9件套", "100mm", "Φ8×160"},
		units:      []string{"个", "件", "套", "箱", "盒", "只", "台", "PCS"},
		brands:     []string{"正泰", "德力西", "公牛", "东成", "世达", "长城精工", "欧普"},
		categories: []string{"紧固件", "五金工具", "电工电气", "管道阀门", "照明", "电动工具"},
		remarks:    []string{"", "", "", "", "", "含税", "新品", "限量供应", "含13%增值税", "停产前最后一批"},
		moqs:       []int{1, 1, 5, 10, 10, 20, 50, 100},
	}
}

// pick returns a random element of list.
func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

func (g *benchGenerator) next() benchLine {
	g.n++
	r := g.rng
	p := r.IntN(len(g.products))
	cents := 50 + r.IntN(500000) // 0.50 to 5,000.49
	if g.bump > 0 && g.n%g.bump == 0 {
		cents += cents/20 + 1
	}
	l := benchLine{
		No:       g.n,
		Price:    fmt.Sprintf("%d.%02d", cents/100, cents%100),
		Name:     g.products[p] + " " + pick(r, g.specs),
		SKU:      fmt.Sprintf("HX-%02d-%06d", p, g.n),
		Unit:     pick(r, g.units),
		Date:     benchDateStart + r.IntN(90),
		Currency: "人民币",
		MOQ:      pick(r, g.moqs),
		GTIN:     gtin13(fmt.Sprintf("69%010d", r.Int64N(1e10))),
		Brand:    pick(r, g.brands),
		Category: pick(r, g.categories),
		Remark:   pick(r, g.remarks),
	}
	switch {
	case g.n%benchPlantEach == 0:
		l.Price, l.PriceText = "面议", true // "price on request": a planted error
	case r.IntN(20) == 0: // numbers stored as text, with a symbol and grouping
		l.Price, l.PriceText = "¥"+groupThousands(l.Price), true
	}
	return l
}

// gtin13 appends the check digit to 12 digits.
func gtin13(d12 string) string {
	sum := 0
	for i, c := range d12 {
		v := int(c - '0')
		if i%2 == 1 {
			v *= 3
		}
		sum += v
	}
	return d12 + strconv.Itoa((10-sum%10)%10)
}

// groupThousands writes "1234.50" as "1,234.50".
func groupThousands(d string) string {
	in, fr, _ := strings.Cut(d, ".")
	var b strings.Builder
	for i, c := range in {
		if i > 0 && (len(in)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + "." + fr
}

// writeBenchWorkbook writes the price list with excelize's StreamWriter: a
// merged title row, the header, then the data rows.
func writeBenchWorkbook(ctx context.Context, path string, rows int, g *benchGenerator) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "价格表"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("naming the sheet: %w", err)
	}
	numFmt := benchDateFmt
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt})
	if err != nil {
		return fmt.Errorf("adding the date style: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("starting the stream writer: %w", err)
	}
	if err := sw.SetRow("A1", []any{benchTitle}); err != nil {
		return fmt.Errorf("writing the title: %w", err)
	}
	if err := sw.MergeCell("A1", "L1"); err != nil {
		return fmt.Errorf("merging the title: %w", err)
	}
	var header []any
	for _, h := range benchHeaders() {
		header = append(header, h)
	}
	if err := sw.SetRow("A2", header); err != nil {
		return fmt.Errorf("writing the header: %w", err)
	}
	cells := make([]any, len(benchHeaders()))
	for i := range rows {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		l := g.next()
		var price any = l.Price
		if !l.PriceText {
			// A number cell holds an IEEE double whatever we do; the
			// shortest text of the double nearest a 2-decimal price is
			// that price, so the reader gets the decimal back exactly.
			v, err := strconv.ParseFloat(l.Price, 64)
			if err != nil {
				return fmt.Errorf("generating row %d: %w", i+3, err)
			}
			price = v
		}
		cells[0], cells[benchPriceCol], cells[2], cells[3], cells[4] = l.No, price, l.Name, l.SKU, l.Unit
		cells[benchDateCol] = excelize.Cell{StyleID: dateStyle, Value: l.Date}
		cells[6], cells[7], cells[8], cells[9], cells[10], cells[11] = l.Currency, l.MOQ, l.GTIN, l.Brand, l.Category, l.Remark
		if err := sw.SetRow("A"+strconv.Itoa(i+3), cells); err != nil {
			return fmt.Errorf("writing row %d: %w", i+3, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("flushing the stream writer: %w", err)
	}
	if err := f.SaveAs(path); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	return nil
}

// writeBenchCSV writes the same rows as Excel's "CSV UTF-8" would: a byte
// order mark, CRLF, cells as displayed (dates as yyyy-mm-dd).
func writeBenchCSV(ctx context.Context, path string, rows int, g *benchGenerator) (err error) {
	file, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	defer func() {
		if cerr := file.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("closing %s: %w", path, cerr)
		}
	}()
	bw := bufio.NewWriterSize(file, 1<<16)
	bw.WriteString("\uFEFF")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	title := make([]string, len(benchHeaders()))
	title[0] = benchTitle
	if err := cw.Write(title); err != nil {
		return fmt.Errorf("writing the title: %w", err)
	}
	if err := cw.Write(benchHeaders()); err != nil {
		return fmt.Errorf("writing the header: %w", err)
	}
	rec := make([]string, len(benchHeaders()))
	for i := range rows {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		l := g.next()
		date := excelSerialDate(l.Date)
		rec = append(rec[:0], strconv.Itoa(l.No), l.Price, l.Name, l.SKU, l.Unit, date, l.Currency,
			strconv.Itoa(l.MOQ), l.GTIN, l.Brand, l.Category, l.Remark)
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("writing line %d: %w", i+3, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// excelSerialDate is a modern Excel serial as yyyy-mm-dd.
func excelSerialDate(serial int) string {
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, serial).Format(time.DateOnly)
}
