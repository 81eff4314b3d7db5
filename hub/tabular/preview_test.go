package tabular_test

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/tabular"
)

// catalog maps a product file whose SKU column is headed 款号, which the
// built-in synonyms do not know.
const catalog = "doctype: product\non_error: import_valid\nfields:\n  sku: {column: 款号}\n"

const catalogCSV = "款号,品名,单位\nP-1,扳手,个\nP-2,钳子,个\n"

func TestMappingChoice(t *testing.T) {
	t.Parallel()
	cfg := live(partnerConfig(t,
		testMapping{partner: "supplier-a", name: "catalog", yaml: catalog},
		testMapping{partner: "supplier-a", name: "prices", yaml: "doctype: price_list\nsheet: 价格\ndocument: {currency: USD}\n", def: true},
	))
	decs := decoders(t, cfg)
	ctx := context.Background()
	preview := func(msg store.Message) (hub.ImportPreview, error) {
		return decs[msg.Format].Preview(ctx, msg)
	}

	t.Run("by name", func(t *testing.T) {
		p, err := preview(message("supplier-a", "product", "csv", "catalog", catalogCSV))
		require.NoError(t, err)
		require.Equal(t, "catalog", p.Mapping)
		require.Equal(t, "import_valid", p.OnError)
		require.Equal(t, 2, p.WouldImport)
	})

	t.Run("the partner's default for the doctype", func(t *testing.T) {
		p, err := preview(message("supplier-a", "price_list", "csv", "", "货号,单价,单位\nA-1,1.00,个\n"))
		require.NoError(t, err)
		require.Equal(t, "prices", p.Mapping)
		require.Equal(t, "USD", p.Header["currency"], "the mapping's document constants")
		require.Equal(t, 1, p.WouldImport, "a CSV is read although the mapping names a sheet")
	})

	t.Run("a workbook is read on the mapping's sheet only", func(t *testing.T) {
		body := workbook(t,
			sheetRows{"说明", [][]any{{"货号", "单价", "单位"}, {"X-1", "9", "个"}}},
			sheetRows{"价格", [][]any{{"货号", "单价", "单位"}, {"A-1", "1.00", "个"}, {"A-2", "2.00", "个"}}})
		msg := message("supplier-a", "price_list", "xlsx", "", "")
		msg.Body = bytes.NewReader(body)
		p, err := preview(msg)
		require.NoError(t, err)
		require.Equal(t, 2, p.WouldImport)

		msg.Body = bytes.NewReader(workbook(t, sheetRows{"Sheet9", [][]any{{"货号", "单价", "单位"}, {"A-1", "1.00", "个"}}}))
		_, err = preview(msg)
		derrs := dataErrors(t, err)
		require.Equal(t, "format", derrs[0].Code)
		require.Contains(t, derrs[0].Reason, "价格")
		require.Contains(t, derrs[0].Reason, "Sheet9", "the sheets the file has")
	})

	t.Run("no default for the doctype: the built-in mapping", func(t *testing.T) {
		p, err := preview(message("supplier-a", "product", "csv", "", "货号,品名,单位\nP-1,扳手,个\n"))
		require.NoError(t, err)
		require.Equal(t, tabular.BuiltinMappingName, p.Mapping)
		require.Equal(t, "import_valid", p.OnError, "the built-in mapping imports the valid rows")
		_, err = preview(message("supplier-a", "product", "csv", "", catalogCSV))
		require.Equal(t, "header", dataErrors(t, err)[0].Code, "the built-in synonyms do not know 款号")
	})

	t.Run("an unknown name says which names the partner has", func(t *testing.T) {
		_, err := preview(message("supplier-a", "product", "csv", "catalogue", catalogCSV))
		derrs := dataErrors(t, err)
		require.Equal(t, store.DataError{Code: "mapping",
			Reason: `partner supplier-a has no mapping named "catalogue": it has catalog, prices`}, derrs[0])
		_, err = preview(message("dealer-a", "product", "csv", "catalog", catalogCSV))
		require.Contains(t, dataErrors(t, err)[0].Reason, "it has none", "mappings belong to their partner")
	})

	t.Run("the mapping's doctype must be the message's", func(t *testing.T) {
		_, err := preview(message("supplier-a", "price_list", "csv", "catalog", catalogCSV))
		derrs := dataErrors(t, err)
		require.Equal(t, "mapping", derrs[0].Code)
		require.Contains(t, derrs[0].Reason, "builds product documents, but the message is a price_list")
	})

	t.Run("a reload is seen by the next message", func(t *testing.T) {
		before := cfg.get()
		cfg.p.Store(partnerConfig(t, testMapping{partner: "supplier-a", name: "catalog2", yaml: catalog, def: true}))
		defer cfg.p.Store(before)
		p, err := preview(message("supplier-a", "product", "csv", "", catalogCSV))
		require.NoError(t, err)
		require.Equal(t, "catalog2", p.Mapping)
		_, err = preview(message("supplier-a", "product", "csv", "catalog", catalogCSV))
		require.Contains(t, dataErrors(t, err)[0].Reason, "it has catalog2")
	})
}

func TestPreview(t *testing.T) {
	t.Parallel()
	cfg := live(partnerConfig(t,
		testMapping{partner: "supplier-a", name: "prices", yaml: pricesImportValid},
		testMapping{partner: "supplier-a", name: "cny", yaml: pricesImportValid + "document: {currency: CNY}\n"},
		testMapping{partner: "supplier-a", name: "strict", yaml: "doctype: price_list\non_error: reject_file\n"}))
	csv := decoders(t, cfg)["csv"]
	ctx := context.Background()
	const body = "价格表\n货号,单价,单位,币种\nA-1,1.00,个,CNY\nA-2,abc,个,CNY\nA-3,3.00,个,CNY\nA-1,1.10,个,CNY\n合计,,,\n"

	t.Run("reject_file would import nothing", func(t *testing.T) {
		p, err := csv.Preview(ctx, message("supplier-a", "price_list", "csv", "strict", body))
		require.NoError(t, err, "bad rows are the preview's errors, not a failure")
		require.Equal(t, "csv", p.Format)
		require.Equal(t, "reject_file", p.OnError)
		require.Equal(t, 5, p.RowsRead)
		require.Equal(t, 1, p.Skipped)
		require.Equal(t, 2, p.Rejected)
		require.Zero(t, p.WouldImport)
		require.Equal(t, "CNY", p.Header["currency"])
		require.Len(t, p.Errors, 2)
		require.Equal(t, store.DataError{Code: "row", Location: "row 4 column B (单价)", Row: 4, Column: "B", Header: "单价", Value: "abc",
			Reason: p.Errors[0].Reason}, p.Errors[0])
		require.Equal(t, 6, p.Errors[1].Row, "the repeated SKU")
		require.NotNil(t, p.Sheets, "how the sheet was read")
	})

	t.Run("import_valid would import the good rows", func(t *testing.T) {
		for _, mapping := range []string{"prices", ""} {
			p, err := csv.Preview(ctx, message("supplier-a", "price_list", "csv", mapping, body))
			require.NoError(t, err)
			require.Equal(t, cmp.Or(mapping, tabular.BuiltinMappingName), p.Mapping)
			require.Equal(t, "import_valid", p.OnError)
			require.Equal(t, 2, p.WouldImport)
			require.Equal(t, 2, p.Rejected)
			require.Len(t, p.Errors, 2)
		}
	})

	t.Run("a header error would import nothing", func(t *testing.T) {
		p, err := csv.Preview(ctx, message("supplier-a", "price_list", "csv", "prices", "货号,单价,单位\nA-1,1.00,个\n"))
		require.NoError(t, err)
		require.Zero(t, p.WouldImport)
		require.Equal(t, "header", p.Errors[0].Code)
	})

	t.Run("no data rows", func(t *testing.T) {
		p, err := csv.Preview(ctx, message("supplier-a", "price_list", "csv", "cny", "货号,单价,单位,币种\n"))
		require.NoError(t, err)
		require.Len(t, p.Errors, 1)
		require.Contains(t, p.Errors[0].Reason, "no data rows")
	})

	t.Run("a file that cannot be read fails the preview", func(t *testing.T) {
		_, err := csv.Preview(ctx, message("supplier-a", "price_list", "csv", "", "foo,bar\n1,2\n"))
		require.Equal(t, "header", dataErrors(t, err)[0].Code)
	})
}

func TestErrorCap(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("货号,单价,单位,币种\n")
	for i := range 1500 {
		fmt.Fprintf(&b, "S-%d,x%d,个,CNY\n", i, i)
	}
	b.WriteString("OK-1,1.00,个,CNY\n")
	msg := message("supplier-a", "price_list", "csv", "", b.String())
	csv := decoders(t, nil)["csv"]

	p, err := csv.Preview(context.Background(), msg)
	require.NoError(t, err)
	require.Equal(t, 1500, p.Rejected)
	require.Len(t, p.Errors, hub.MaxStoredErrors+1)
	require.Equal(t, 1001, len(p.Errors))
	last := p.Errors[len(p.Errors)-1]
	require.Equal(t, "more", last.Code)
	require.Contains(t, last.Reason, "and 500 more")
	require.Equal(t, 1001, p.Errors[hub.MaxStoredErrors-1].Row, "the first thousand rows, in order")

	_, rep, err := stream(t, csv, msg)
	require.NoError(t, err, "the built-in mapping imports the valid row")
	require.Equal(t, 1, rep.Imported)
	require.Len(t, rep.Rejected, 1500, "Stream reports every error; the hub caps what it stores")
	require.Equal(t, hub.CapErrors(rep.Rejected), p.Errors, "the preview caps as the hub does")
}

func TestErrorBook(t *testing.T) {
	t.Parallel()
	const formula = `=HYPERLINK("http://evil.example/","点击")`
	body := workbook(t, sheetRows{"价格", [][]any{
		{"某某公司价格表"},
		{"货号", "单价", "单位", "币种", "备注"},
		{"A-1", "1.00", "个", "CNY"},
		{"A-2", "abc", "个", "CNY", formula},
		{"A-3", "3.00", "个", "CNY"},
		{"A-1", "1.10", "个", "CNY", "+1"},
		{"合计"},
	}})
	msg := store.Message{Partner: "supplier-a", Doctype: "price_list", Format: "xlsx", Filename: "p.xlsx", ReceivedAt: received, Body: bytes.NewReader(body)}
	xlsxDec := decoders(t, nil)["xlsx"]

	var buf bytes.Buffer
	require.NoError(t, xlsxDec.ErrorBook(context.Background(), msg, &buf))
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	require.Equal(t, []string{"价格"}, f.GetSheetList())
	rows, err := f.GetRows("价格")
	require.NoError(t, err)
	require.Len(t, rows, 3, "the header row and the two rejected rows")
	require.Equal(t, []string{"货号", "单价", "单位", "币种", "备注", "源行号 (source row)", "错误 (errors)"}, rows[0])
	require.Equal(t, []string{"A-2", "abc", "个", "CNY", "'" + formula, "4"}, rows[1][:6], "the original cells, the formula neutralised")
	require.Contains(t, rows[1][6], "B (单价): ")
	require.Equal(t, []string{"A-1", "1.10", "个", "CNY", "'+1", "6"}, rows[2][:6])
	require.Equal(t, "SKU A-1 repeats row 3; a price list has one line per SKU", rows[2][6])
	formulaCell, err := f.GetCellFormula("价格", "E2")
	require.NoError(t, err)
	require.Empty(t, formulaCell, "exported as text, never as a formula")

	t.Run("a file that cannot be read writes nothing", func(t *testing.T) {
		var out bytes.Buffer
		bad := msg
		bad.Body = strings.NewReader("not a workbook")
		err := xlsxDec.ErrorBook(context.Background(), bad, &out)
		require.Equal(t, "format", dataErrors(t, err)[0].Code)
		require.Zero(t, out.Len())
	})
}
