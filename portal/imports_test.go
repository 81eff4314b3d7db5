package portal

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/dealerhub/dealerhub/connectors/xlsx"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/tabular"
	"github.com/dealerhub/dealerhub/mappings"
	"github.com/dealerhub/dealerhub/schemas"
)

// newSpreadsheetEnv is newAPIEnv with the csv and xlsx decoders, reading
// partner mappings from cfg (nil: the built-in mappings only).
func newSpreadsheetEnv(t *testing.T, hubOpts hubtest.Options, opts Options, cfg ...*config.Config) *apiEnv {
	t.Helper()
	reg, err := schemas.New()
	require.NoError(t, err)
	var getter func() *config.Config
	if len(cfg) > 0 {
		getter = func() *config.Config { return cfg[0] }
	}
	hubOpts.Decoders = tabular.Decoders(reg, getter)
	return newAPIEnv(t, hubOpts, opts)
}

// lenientConfig gives supplier-a a price-list mapping named "lenient" that
// imports the valid rows and reports the others.
func lenientConfig() *config.Config {
	m := mappings.DefaultMapping("price_list")
	m.OnError = mappings.OnErrorImportValid
	return &config.Config{Partners: []config.Partner{{
		ID: "supplier-a", Name: "Supplier A", Roles: []string{"supplier"},
		Mappings: []config.PartnerMapping{{Name: "lenient", File: "lenient.yaml", Mapping: m}},
	}}}
}

// strictConfig gives supplier-a a price-list mapping named
// "all-or-nothing" that refuses the whole file on any bad row.
func strictConfig() *config.Config {
	m := mappings.DefaultMapping("price_list")
	m.OnError = mappings.OnErrorRejectFile
	return &config.Config{Partners: []config.Partner{{
		ID: "supplier-a", Name: "Supplier A", Roles: []string{"supplier"},
		Mappings: []config.PartnerMapping{{Name: "all-or-nothing", File: "all-or-nothing.yaml", Mapping: m}},
	}}}
}

// formPart is one part of a multipart upload: a text field, or the file.
type formPart struct {
	name, filename, value string
	file                  bool
}

func field(name, value string) formPart { return formPart{name: name, value: value} }

func filePart(filename string, body []byte) formPart {
	return formPart{name: "file", filename: filename, value: string(body), file: true}
}

// multipartForm encodes parts and returns the Content-Type and the body.
func multipartForm(t *testing.T, parts ...formPart) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p.file {
			w, err = mw.CreateFormFile(p.name, p.filename)
		} else {
			w, err = mw.CreateFormField(p.name)
		}
		require.NoError(t, err)
		_, err = io.WriteString(w, p.value)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	return mw.FormDataContentType(), buf.String()
}

// importScenario is a scenario posting an upload to /api/v1/imports.
func importScenario(t *testing.T, sc scenario, query string, parts ...formPart) scenario {
	sc.method = http.MethodPost
	sc.url = "/api/v1/imports" + query
	sc.contentType, sc.body = multipartForm(t, parts...)
	return sc
}

// readWorkbook opens an .xlsx answer and returns its sheets' rows.
func readWorkbook(t *testing.T, r response) map[string][][]string {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.Equal(t, XLSXContentType, r.header.Get("Content-Type"))
	disp, params, err := mime.ParseMediaType(r.header.Get("Content-Disposition"))
	require.NoError(t, err)
	require.Equal(t, "attachment", disp)
	require.True(t, strings.HasSuffix(params["filename"], "-errors.xlsx"), "filename %q", params["filename"])
	f, err := excelize.OpenReader(bytes.NewReader(r.body))
	require.NoError(t, err)
	defer f.Close()
	out := map[string][][]string{}
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		require.NoError(t, err)
		out[name] = rows
	}
	return out
}

// errorRow finds the rejected row with source row number source in an
// error sheet and returns it with the column index of the reasons.
func errorRow(t *testing.T, rows [][]string, source string) ([]string, int) {
	t.Helper()
	require.NotEmpty(t, rows)
	rowCol, reasonCol := -1, -1
	for i, title := range rows[0] {
		switch title {
		case xlsx.ErrorBookRowTitle:
			rowCol = i
		case xlsx.ErrorBookReasonTitle:
			reasonCol = i
		}
	}
	require.GreaterOrEqual(t, rowCol, 0, "no source row column in %v", rows[0])
	require.GreaterOrEqual(t, reasonCol, 0, "no reasons column in %v", rows[0])
	for _, row := range rows[1:] {
		if len(row) > rowCol && row[rowCol] == source {
			return row, reasonCol
		}
	}
	require.Failf(t, "row not found", "no rejected row %s in %v", source, rows)
	return nil, 0
}

// supplierCSV is the README's supplier price list: a title banner, Chinese
// headers, and three bad rows (7: price "abc", 8: 2026-02-30, 9: no SKU).
func supplierCSV(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/imports/supplier-price-list/pricelist.csv")
	require.NoError(t, err)
	return b
}

// sheetBook makes an .xlsx with one sheet of rows.
func sheetBook(t *testing.T, sheet string, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	require.NoError(t, f.SetSheetName("Sheet1", sheet))
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		require.NoError(t, err)
		require.NoError(t, f.SetSheetRow(sheet, cell, &row))
	}
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	return buf.Bytes()
}

// TestImportDryRun checks the dry run's report and error workbook with the
// built-in mapping: the valid rows would be imported, every bad row is
// located by sheet, row, column, header and value; nothing stored.
func TestImportDryRun(t *testing.T) {
	t.Parallel()
	e := newSpreadsheetEnv(t, hubtest.Options{}, Options{})
	csv := supplierCSV(t)
	book := sheetBook(t, "价格表", [][]any{
		{"货号", "品名", "单位", "单价", "币种"},
		{"A-1", "螺栓", "PCS", "10.00", "CNY"},
		{"B-2", "螺母", "PCS", "n/a", "CNY"},
	})

	e.run(t, []scenario{
		importScenario(t, scenario{name: "csv with bad rows", who: "supplier-a", status: 200,
			fields: map[string]string{
				"doctype": "price_list", "format": "csv", "mapping": "built-in", "on_error": "import_valid", "rejected": "3", "would_import": "4",
				"errors.0.row": "7", "errors.0.column": "B", "errors.0.header": "单价(元)", "errors.0.value": "abc",
				"errors.1.row": "8", "errors.1.column": "F", "errors.1.value": "2026-02-30",
				"errors.2.row": "9", "errors.2.column": "D",
			}},
			"?dry_run=true", filePart("pricelist.csv", []byte(csv)), field("doctype", "price_list")),
		importScenario(t, scenario{name: "xlsx errors name the sheet", who: "supplier-a", status: 200,
			fields: map[string]string{
				"format": "xlsx", "rejected": "1", "errors.#": "1",
				"errors.0.sheet": "价格表", "errors.0.row": "3", "errors.0.column": "D", "errors.0.value": "n/a",
			}},
			"?dry_run=true", filePart("prices.xlsx", book), field("doctype", "price_list")),
		importScenario(t, scenario{name: "an operator dry-runs for a partner", who: "operator", status: 200,
			fields: map[string]string{"rejected": "3"}},
			"?dry_run=1", filePart("pricelist.csv", csv), field("doctype", "price_list"), field("partner", "supplier-a")),
		{name: "a dry run stores no message", url: "/api/v1/messages", who: "supplier-a", status: 200,
			fields: map[string]string{"items.#": "0"}},
	})

	// With Accept: the .xlsx type, the dry run answers the error workbook.
	ct, body := multipartForm(t, filePart("pricelist.csv", csv), field("doctype", "price_list"))
	r := e.do(t, http.MethodPost, "/api/v1/imports?dry_run=true", "supplier-a", ct, body,
		map[string]string{"Accept": XLSXContentType})
	sheets := readWorkbook(t, r)
	require.Contains(t, r.header.Get("Content-Disposition"), "pricelist-errors.xlsx")
	require.Len(t, sheets, 1)
	for _, rows := range sheets {
		require.Len(t, rows, 4, "the header and the three rejected rows: %v", rows)
		row, reasons := errorRow(t, rows, "7")
		require.Equal(t, "abc", row[1], "column B keeps the bad price")
		require.Equal(t, "BAD-1", row[3])
		require.True(t, strings.HasPrefix(row[6], "'="), "a formula-like cell is neutralised: %q", row[6])
		require.Contains(t, row[reasons], "B")
		require.Contains(t, row[reasons], "not a number")
		row, reasons = errorRow(t, rows, "8")
		require.Contains(t, row[reasons], "2026-02-30 does not exist")
	}
}

// TestImportRefusals sends uploads the API must refuse, each with a clear
// message, and checks that nothing was stored.
func TestImportRefusals(t *testing.T) {
	t.Parallel()
	const limit = 64 << 10
	e := newSpreadsheetEnv(t, hubtest.Options{}, Options{MaxBodyBytes: limit})
	csv := supplierCSV(t)
	doctype := field("doctype", "price_list")
	pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
	xls := []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00\x00")
	bad := func(name, query, who string, status int, code, contains string, parts ...formPart) scenario {
		return importScenario(t, scenario{name: name, who: who, status: status,
			fields: map[string]string{"error.code": code}, contains: []string{contains}}, query, parts...)
	}
	e.run(t, []scenario{
		bad("no file", "", "supplier-a", 400, "bad_request", "no part named file", doctype),
		bad("no doctype", "", "supplier-a", 400, "bad_request", "the document type is required for a spreadsheet", filePart("p.csv", csv)),
		bad("unknown doctype", "", "supplier-a", 400, "bad_request", `\"invoice-x\" cannot be imported`, filePart("p.csv", csv), field("doctype", "invoice-x")),
		bad("a doctype spreadsheets do not hold", "", "supplier-a", 400, "bad_request", "price_list, product, stock_level", filePart("p.csv", csv), field("doctype", "order")),
		bad("a PDF", "", "supplier-a", 422, "unsupported_format", "a PDF document, not a csv, xlsx, X12 or EDIFACT file", filePart("prices.pdf", pdf), doctype),
		bad("an xls workbook", "?dry_run=true", "supplier-a", 422, "unsupported_format", "Excel 97-2003", filePart("prices.xls", xls), doctype),
		bad("binary data", "", "supplier-a", 422, "unsupported_format", "NUL byte", filePart("prices.csv", []byte("a,b\n\x00\x01\x02")), doctype),
		bad("an empty file", "", "supplier-a", 400, "bad_request", `\"p.csv\" is empty`, filePart("p.csv", nil), doctype),
		bad("two files", "", "supplier-a", 400, "bad_request", "more than one file", filePart("a.csv", csv), filePart("b.csv", csv), doctype),
		bad("an unknown field", "", "supplier-a", 400, "bad_request", `unknown form field \"sheet\"`, filePart("p.csv", csv), doctype, field("sheet", "x")),
		bad("an operator names no partner", "", "operator", 400, "bad_request", "must name the partner", filePart("p.csv", csv), doctype),
		bad("an operator names an unknown partner", "", "operator", 400, "bad_request", `no partner \"nobody\"`, filePart("p.csv", csv), doctype, field("partner", "nobody")),
		bad("a partner imports for another", "", "dealer-a", 403, "forbidden", `cannot import for \"supplier-a\"`, filePart("p.csv", csv), doctype, field("partner", "supplier-a")),
		bad("wait too long", "?wait=61s", "supplier-a", 400, "bad_request", "wait", filePart("p.csv", csv), doctype),
		bad("wait not a duration", "?wait=soon", "supplier-a", 400, "bad_request", "wait", filePart("p.csv", csv), doctype),
		bad("dry_run not a bool", "?dry_run=perhaps", "supplier-a", 400, "bad_request", "dry_run", filePart("p.csv", csv), doctype),
		bad("over the size limit", "", "supplier-a", 413, "body_too_large", "exceeds the limit of 65536 bytes",
			filePart("big.csv", bytes.Repeat([]byte("SKU-1,1.00\n"), limit/10)), doctype),
		{name: "not multipart", method: "POST", url: "/api/v1/imports", who: "supplier-a", body: `{"doctype":"price_list"}`, status: 415,
			fields: map[string]string{"error.code": "unsupported_media_type"}, contains: []string{"multipart/form-data"}},
		{name: "no key", method: "POST", url: "/api/v1/imports", status: 401},
		{name: "nothing was stored", url: "/api/v1/messages", who: "operator", status: 200, fields: map[string]string{"items.#": "0"}},
	})

	// A body of unknown length (chunked) is cut off by the limit as it is read.
	ct, body := multipartForm(t, doctype, filePart("big.csv", bytes.Repeat([]byte("SKU-1,1.00\n"), limit/10)))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL+"/api/v1/imports", io.MultiReader(strings.NewReader(body)))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+e.Key("supplier-a"))
	req.Header.Set("Content-Type", ct)
	resp, err := e.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, "body: %s", b)
	require.Equal(t, "body_too_large", jsonField(t, b, "error.code"))
}

// TestImportOutcomes imports files for real: one refused by a reject_file
// mapping (200 with every bad row and the error workbook), one stored
// (201), the same bytes again, the refused file with the built-in mapping
// (201, the valid rows), and checks who may read the workbook.
func TestImportOutcomes(t *testing.T) {
	t.Parallel()
	e := newSpreadsheetEnv(t, hubtest.Options{}, Options{}, strictConfig())
	failed := importRefused(t, e)
	doctype := field("doctype", "price_list")

	good := "SKU,Description,Unit,Unit Price,Currency,Valid From\n" +
		"BOLT-M8,Bolt M8,EA,0.35,CNY,2025-01-01\nNUT-M8,Nut M8,KGM,19.90,CNY,2025-01-01\n"
	ct, body := multipartForm(t, filePart("spring.csv", []byte(good)), doctype)
	r := e.do(t, http.MethodPost, "/api/v1/imports", "supplier-a", ct, body, nil)
	require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)
	var done ImportResponse
	decode(t, r, &done)
	require.Equal(t, store.StatusDone, done.Status)
	require.False(t, done.Duplicate)
	require.Empty(t, done.Message.Errors)
	require.Empty(t, done.Links.ErrorsWorkbook, "no errors, no workbook link")
	require.Equal(t, done.Links.Message, r.header.Get("Location"))
	require.NotNil(t, done.PriceList, "body: %s", r.body)
	require.True(t, done.PriceList.Diff.First)
	require.Equal(t, 2, done.PriceList.Lines)
	require.Equal(t, store.PriceListCurrent, done.PriceList.Status)
	require.Equal(t, "/api/v1/price-lists/"+done.PriceList.ID, done.Links.PriceList)

	r = e.do(t, http.MethodPost, "/api/v1/imports", "supplier-a", ct, body, nil)
	require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)
	require.Equal(t, "true", jsonField(t, r.body, "duplicate"))
	require.Equal(t, done.Message.ID, jsonField(t, r.body, "message.id"))

	// ?wait=0 answers at once: 202 with the message's link while it is
	// still queued (201 only if a worker was quicker).
	ct, body = multipartForm(t, filePart("summer.csv", []byte(strings.ReplaceAll(good, "0.35", "0.36"))), doctype)
	r = e.do(t, http.MethodPost, "/api/v1/imports?wait=0", "supplier-a", ct, body, nil)
	switch status := jsonField(t, r.body, "status"); status {
	case "received", "processing":
		require.Equal(t, http.StatusAccepted, r.status, "body: %s", r.body)
		require.Equal(t, jsonField(t, r.body, "links.message"), r.header.Get("Location"))
	default:
		require.Equal(t, "done", status)
		require.Equal(t, http.StatusCreated, r.status)
	}
	e.WaitMessage(t, jsonField(t, r.body, "message.id"), store.StatusDone)

	jsonMsg := e.submitOne(t, "dealer-a", "order", orderJSON("PO-WB-1"))
	e.WaitMessage(t, jsonMsg, store.StatusDone)
	e.run(t, []scenario{
		{name: "an outsider gets 404 for the workbook", url: failed.Links.ErrorsWorkbook, who: "dealer-b", status: 404,
			fields: map[string]string{"error.code": "not_found", "error.message": "not found"}},
		{name: "an outsider cannot read the message", url: failed.Links.Message, who: "dealer-b", status: 404},
		{name: "an unknown message has no workbook", url: "/api/v1/messages/nope/errors.xlsx", who: "supplier-a", status: 404},
		{name: "a JSON message has no workbook", url: "/api/v1/messages/" + jsonMsg + "/errors.xlsx", who: "dealer-a", status: 404,
			fields: map[string]string{"error.code": "not_found"}, contains: []string{"not read from a csv or xlsx file"}},
		{name: "the failed import is listed", url: "/api/v1/messages?status=failed", who: "supplier-a", status: 200,
			fields: map[string]string{"items.#": "1", "items.0.id": failed.Message.ID}},
	})

	// The refused file with no mapping: the built-in one imports the valid
	// rows and reports the others, with their workbook.
	ct, body = multipartForm(t, filePart("pricelist.csv", supplierCSV(t)), doctype)
	r = e.do(t, http.MethodPost, "/api/v1/imports", "supplier-a", ct, body, nil)
	require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)
	var kept ImportResponse
	decode(t, r, &kept)
	require.Equal(t, store.StatusDone, kept.Status)
	require.False(t, kept.Duplicate, "another mapping: another message")
	require.NotEqual(t, failed.Message.ID, kept.Message.ID)
	require.Empty(t, kept.Message.Mapping)
	require.NotNil(t, kept.PriceList, "body: %s", r.body)
	require.Equal(t, 4, kept.PriceList.Lines)
	require.Len(t, kept.Message.Errors, 3, "the rows left out")
	require.Equal(t, []any{7, "B", "单价(元)", "abc"}, []any{kept.Message.Errors[0].Row, kept.Message.Errors[0].Column,
		kept.Message.Errors[0].Header, kept.Message.Errors[0].Value})
	require.Equal(t, 8, kept.Message.Errors[1].Row)
	require.Equal(t, 9, kept.Message.Errors[2].Row)
	sheets := readWorkbook(t, e.do(t, http.MethodGet, kept.Links.ErrorsWorkbook, "supplier-a", "", "", nil))
	for _, rows := range sheets {
		require.Len(t, rows, 4, "the header and the three rows left out: %v", rows)
	}
}

// TestImportValidRows imports with a partner mapping that keeps the valid
// rows: the dry run would import them, the import stores them (201) and
// still reports the rejected rows with their workbook; a mapping the
// partner does not have refuses the file.
func TestImportValidRows(t *testing.T) {
	t.Parallel()
	e := newSpreadsheetEnv(t, hubtest.Options{}, Options{}, lenientConfig())
	csv := supplierCSV(t)
	doctype := field("doctype", "price_list")
	e.run(t, []scenario{
		importScenario(t, scenario{name: "the dry run would import the good rows", who: "supplier-a", status: 200,
			fields: map[string]string{"mapping": "lenient", "on_error": "import_valid", "would_import": "4", "rejected": "3", "errors.#": "3"}},
			"?dry_run=true", filePart("pricelist.csv", csv), doctype, field("mapping", "lenient")),
		importScenario(t, scenario{name: "an unknown mapping refuses the file in a dry run", who: "supplier-a", status: 200,
			fields: map[string]string{"would_import": "0", "errors.#": "1", "errors.0.code": "mapping"}, contains: []string{`no mapping named \"strict\"`, "lenient"}},
			"?dry_run=true", filePart("pricelist.csv", csv), doctype, field("mapping", "strict")),
	})

	ct, body := multipartForm(t, filePart("pricelist.csv", csv), doctype, field("mapping", "lenient"))
	r := e.do(t, http.MethodPost, "/api/v1/imports", "supplier-a", ct, body, nil)
	require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)
	var resp ImportResponse
	decode(t, r, &resp)
	require.Equal(t, store.StatusDone, resp.Status)
	require.Equal(t, "lenient", resp.Message.Mapping)
	require.Len(t, resp.Message.Errors, 3, "the rows left out")
	require.NotEmpty(t, resp.Links.ErrorsWorkbook)
	require.NotNil(t, resp.PriceList)
	require.Equal(t, 4, resp.PriceList.Lines)

	sheets := readWorkbook(t, e.do(t, http.MethodGet, resp.Links.ErrorsWorkbook, "supplier-a", "", "", nil))
	for _, rows := range sheets {
		require.Len(t, rows, 4, "the header and the three rows left out: %v", rows)
		row, reasons := errorRow(t, rows, "8")
		require.Equal(t, "2026-02-30", row[5])
		require.Contains(t, row[reasons], "does not exist")
	}
	other := append([]byte("\n"), csv...)
	e.run(t, []scenario{
		importScenario(t, scenario{name: "the same bytes with the same mapping are a duplicate", who: "supplier-a", status: 201,
			fields: map[string]string{"duplicate": "true", "message.id": resp.Message.ID, "message.mapping": "lenient", "status": "done"}},
			"", filePart("pricelist.csv", csv), doctype, field("mapping", "lenient")),
		importScenario(t, scenario{name: "the same bytes with another mapping are a new import", who: "supplier-a", status: 200,
			fields: map[string]string{"duplicate": "false", "status": "failed", "message.mapping": "strict", "message.errors.0.code": "mapping"}},
			"", filePart("pricelist.csv", csv), doctype, field("mapping", "strict")),
		importScenario(t, scenario{name: "an unknown mapping refuses the file", who: "supplier-a", status: 200,
			fields: map[string]string{"status": "failed", "message.mapping": "strict", "message.errors.0.code": "mapping"}},
			"", filePart("pricelist.csv", other), doctype, field("mapping", "strict")),
		{name: "the document has the good lines", url: "/api/v1/documents/price_list/" + resp.PriceList.DocumentID, who: "supplier-a", status: 200,
			fields: map[string]string{"body.lines.#": "4", "body.lines.0.sku": "DR-500", "body.lines.3.sku": "WS-8"}},
	})
}

// importRefused imports the supplier CSV with its three bad rows under
// the mapping "all-or-nothing" (on_error: reject_file): 200, the message
// failed with every row error, and the error workbook for the supplier and
// the operator.
func importRefused(t *testing.T, e *apiEnv) ImportResponse {
	t.Helper()
	ct, body := multipartForm(t, filePart("pricelist.csv", supplierCSV(t)), field("doctype", "price_list"),
		field("mapping", "all-or-nothing"))
	r := e.do(t, http.MethodPost, "/api/v1/imports?wait=20s", "supplier-a", ct, body, nil)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var failed ImportResponse
	decode(t, r, &failed)
	require.Equal(t, store.StatusFailed, failed.Status)
	require.Equal(t, store.StatusFailed, failed.Message.Status)
	require.Equal(t, "api:import", failed.Message.Source)
	require.Equal(t, "pricelist.csv", failed.Message.Filename)
	require.Equal(t, "csv", failed.Message.Format)
	require.Equal(t, "all-or-nothing", failed.Message.Mapping)
	require.Empty(t, failed.Message.DocumentIDs, "nothing of a refused file is stored")
	require.Len(t, failed.Message.Errors, 3)
	require.Equal(t, 7, failed.Message.Errors[0].Row)
	require.Equal(t, "B", failed.Message.Errors[0].Column)
	require.Equal(t, "abc", failed.Message.Errors[0].Value)
	id := failed.Message.ID
	require.Equal(t, "/api/v1/messages/"+id, failed.Links.Message)
	require.Equal(t, "/api/v1/messages/"+id+"/errors.xlsx", failed.Links.ErrorsWorkbook)
	require.Nil(t, failed.PriceList)

	for _, who := range []string{"supplier-a", "operator"} {
		r = e.do(t, http.MethodGet, failed.Links.ErrorsWorkbook, who, "", "", nil)
		sheets := readWorkbook(t, r)
		require.Len(t, sheets, 1)
		for _, rows := range sheets {
			row, reasons := errorRow(t, rows, "9")
			require.Equal(t, "无货号", row[2])
			require.Contains(t, row[reasons], "D")
		}
	}
	return failed
}
