package tabular_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

// pricesImportValid is a price-list mapping that imports the valid rows.
const pricesImportValid = "doctype: price_list\non_error: import_valid\n"

func TestStreamPriceList(t *testing.T) {
	t.Parallel()
	decs := decoders(t, nil)

	t.Run("csv: lines in file order, then the header", func(t *testing.T) {
		t.Parallel()
		put, rep, err := stream(t, decs["csv"], message("supplier-a", "price_list", "csv", "", priceCSV))
		require.NoError(t, err)
		require.Equal(t, []hub.Decoded{
			{Doc: map[string]any{"sku": "A-100", "description": "螺丝", "unit": "PCE", "unit_price": "1234.50", "min_quantity": "10"}, Location: "row 3"},
			{Doc: map[string]any{"sku": "A-200", "description": "螺母", "unit": "CT", "unit_price": "0.35"}, Location: "row 4"},
		}, put, "each line is put as it is read, with its row")
		require.Equal(t, map[string]any{"sender": "supplier-a", "currency": "CNY", "external_id": "file.csv", "valid_from": "2026-11-25"},
			rep.Header, "the header has no lines")
		require.Equal(t, hub.StreamReport{Header: rep.Header, RowsRead: 3, Imported: 2, Skipped: 1, OnError: "import_valid"}, rep,
			"three rows under the header, the 合计 row skipped")
	})

	t.Run("xlsx: located on their sheet", func(t *testing.T) {
		t.Parallel()
		body := workbook(t, sheetRows{"价格", [][]any{
			{"货号", "单价", "单位", "币种"},
			{"B-1", "9.90", "个", "CNY"},
			{"B-2", 12, "箱", "CNY"},
		}})
		put, rep, err := stream(t, decs["xlsx"], store.Message{Partner: "supplier-a", Doctype: "price_list", Format: "xlsx",
			Filename: "q4.xlsx", ReceivedAt: received, Body: bytes.NewReader(body)})
		require.NoError(t, err)
		require.Len(t, put, 2)
		require.Equal(t, "sheet 价格 row 2", put[0].Location)
		require.Equal(t, "B-1", put[0].Doc["sku"])
		require.Equal(t, "sheet 价格 row 3", put[1].Location)
		require.Equal(t, "12", put[1].Doc["unit_price"])
		require.Equal(t, "q4.xlsx", rep.Header["external_id"])
	})

	t.Run("Decode collects the stream into one document", func(t *testing.T) {
		t.Parallel()
		docs, err := decs["csv"].Decode(t.Context(), message("supplier-a", "price_list", "csv", "", priceCSV))
		require.NoError(t, err)
		require.Len(t, docs, 1)
		require.Equal(t, "CNY", docs[0].Doc["currency"])
		require.Len(t, docs[0].Doc["lines"], 2)
	})
}

func TestImportValidAndRejectFile(t *testing.T) {
	t.Parallel()
	cfg := live(partnerConfig(t,
		testMapping{partner: "supplier-a", name: "keep-good", yaml: "doctype: product\non_error: import_valid\n"},
		testMapping{partner: "supplier-a", name: "all-or-nothing", yaml: "doctype: product\non_error: reject_file\n"},
		testMapping{partner: "supplier-a", name: "prices", yaml: pricesImportValid},
	))
	csv := decoders(t, cfg)["csv"]
	const products = "货号,品名,单位\nP-1,扳手,个\nP-2,钳子,桶子\nP-3,锤子,个\n"
	badUnit := store.DataError{Code: "row", Location: "row 3 column C (单位)", Row: 3, Column: "C", Header: "单位", Value: "桶子"}

	t.Run("import_valid puts the good rows and reports the bad one", func(t *testing.T) {
		t.Parallel()
		put, rep, err := stream(t, csv, message("supplier-a", "product", "csv", "keep-good", products))
		require.NoError(t, err)
		require.Len(t, put, 2)
		require.Equal(t, "row 2", put[0].Location)
		require.Equal(t, "P-1", put[0].Doc["external_id"], "a product is a whole document")
		require.Equal(t, "row 4", put[1].Location)
		require.Equal(t, "import_valid", rep.OnError)
		require.Equal(t, 2, rep.Imported)
		require.Equal(t, 1, rep.RejectedRows)
		require.Len(t, rep.Rejected, 1)
		got := rep.Rejected[0]
		require.Contains(t, got.Reason, `value "桶子"`, "the message stays readable")
		got.Reason = ""
		require.Equal(t, badUnit, got, "and every part of the place is a field")
		require.Nil(t, rep.RejectedKeys, "only price lists report rejected SKUs")
	})

	t.Run("reject_file refuses the file with every error", func(t *testing.T) {
		t.Parallel()
		body := products + "P-4,,个\n"
		put, _, err := stream(t, csv, message("supplier-a", "product", "csv", "all-or-nothing", body))
		derrs := dataErrors(t, err)
		require.Len(t, derrs, 2)
		require.Equal(t, badUnit.Location, derrs[0].Location)
		require.Equal(t, "row 5 column B (品名)", derrs[1].Location)
		require.Len(t, put, 1, "nothing is put after the first bad row; the hub rolls back what was")
	})

	t.Run("import_valid with every row bad refuses the file", func(t *testing.T) {
		t.Parallel()
		_, _, err := stream(t, csv, message("supplier-a", "product", "csv", "keep-good", "货号,品名,单位\nP-1,,个\nP-2,钳子,桶子\n"))
		require.Len(t, dataErrors(t, err), 2)
	})

	t.Run("a price list reports the SKUs of its rejected rows", func(t *testing.T) {
		t.Parallel()
		body := "货号,单价,单位,币种\nA-1,1.00,个,CNY\nA-2,abc,个,CNY\n,3.00,个,CNY\nA-4,4.00,个,CNY\n"
		put, rep, err := stream(t, csv, message("supplier-a", "price_list", "csv", "prices", body))
		require.NoError(t, err)
		require.Len(t, put, 2)
		require.Equal(t, 2, rep.RejectedRows)
		require.Equal(t, []string{"A-2"}, rep.RejectedKeys, "the row without a SKU has no key")
		require.Equal(t, "CNY", rep.Header["currency"])
	})

	t.Run("a price-list header error refuses the file", func(t *testing.T) {
		t.Parallel()
		_, _, err := stream(t, csv, message("supplier-a", "price_list", "csv", "prices", "货号,单价,单位\nA-1,1.00,个\n"))
		derrs := dataErrors(t, err)
		require.Equal(t, "header", derrs[0].Code)
		require.Contains(t, derrs[0].Reason, "currency")
	})
}

func TestRepeatedKeys(t *testing.T) {
	t.Parallel()
	cfg := live(partnerConfig(t, testMapping{partner: "supplier-a", name: "prices", yaml: pricesImportValid},
		testMapping{partner: "supplier-a", name: "strict", yaml: "doctype: price_list\non_error: reject_file\n"}))
	decs := decoders(t, cfg)
	const body = "货号,单价,单位,币种\nA-1,1.00,个,CNY\nA-2,2.00,个,CNY\nA-1,1.10,个,CNY\n"

	t.Run("import_valid leaves out the later row", func(t *testing.T) {
		t.Parallel()
		put, rep, err := stream(t, decs["csv"], message("supplier-a", "price_list", "csv", "prices", body))
		require.NoError(t, err)
		require.Len(t, put, 2)
		require.Equal(t, "1.00", put[0].Doc["unit_price"], "the first A-1 stays")
		require.Len(t, rep.Rejected, 1)
		require.Equal(t, store.DataError{Code: "row", Location: "row 4", Row: 4, Value: "A-1",
			Reason: "SKU A-1 repeats row 2; a price list has one line per SKU"}, rep.Rejected[0])
		require.Equal(t, []string{"A-1"}, rep.RejectedKeys)
	})

	t.Run("the built-in mapping leaves out the later row too", func(t *testing.T) {
		t.Parallel()
		put, rep, err := stream(t, decs["csv"], message("supplier-a", "price_list", "csv", "", body))
		require.NoError(t, err)
		require.Len(t, put, 2)
		require.Len(t, rep.Rejected, 1)
		require.Equal(t, 4, rep.Rejected[0].Row)
	})

	t.Run("reject_file refuses the file", func(t *testing.T) {
		t.Parallel()
		_, _, err := stream(t, decs["csv"], message("supplier-a", "price_list", "csv", "strict", body))
		derrs := dataErrors(t, err)
		require.Len(t, derrs, 1)
		require.Equal(t, "row 4", derrs[0].Location)
		require.Contains(t, derrs[0].Reason, "SKU A-1 repeats row 2")
	})

	t.Run("across sheets the first sheet is named", func(t *testing.T) {
		t.Parallel()
		book := workbook(t,
			sheetRows{"一月", [][]any{{"货号", "单价", "单位", "币种"}, {"A-1", "1.00", "个", "CNY"}}},
			sheetRows{"二月", [][]any{{"货号", "单价", "单位", "币种"}, {"A-1", "1.10", "个", "CNY"}, {"A-3", "3.00", "个", "CNY"}}},
		)
		put, rep, err := stream(t, decs["xlsx"], store.Message{Partner: "supplier-a", Doctype: "price_list", Format: "xlsx",
			Mapping: "prices", Filename: "months.xlsx", ReceivedAt: received, Body: bytes.NewReader(book)})
		require.NoError(t, err)
		require.Len(t, put, 2)
		require.Len(t, rep.Rejected, 1)
		require.Equal(t, "sheet 二月 row 2", rep.Rejected[0].Location)
		require.Contains(t, rep.Rejected[0].Reason, "SKU A-1 repeats sheet 一月 row 2")
	})

	t.Run("a stock level's location and SKU", func(t *testing.T) {
		t.Parallel()
		put, rep, err := stream(t, decs["csv"], message("dealer-a", "stock_level", "csv", "", "仓库,货号,库存,单位\nWH1,A-1,1,个\nWH2,A-1,1,个\nWH1,A-1,2,个\n"))
		require.NoError(t, err)
		require.Len(t, put, 2, "the same SKU in two locations is two stock levels")
		require.Len(t, rep.Rejected, 1)
		require.Equal(t, "row 4", rep.Rejected[0].Location)
		require.Contains(t, rep.Rejected[0].Reason, `repeats "WH1:A-1" from row 2`)
		require.Nil(t, rep.RejectedKeys, "only price lists report rejected SKUs")
	})
}
