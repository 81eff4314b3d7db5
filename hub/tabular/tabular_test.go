package tabular_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/tabular"
	"github.com/dealerhub/dealerhub/schemas"
)

// newEnv starts a hub with the spreadsheet decoders and, when cfg is not
// nil, that hub config (its partner mappings).
func newEnv(t *testing.T, postgres bool, cfg ...*config.Config) *hubtest.Env {
	t.Helper()
	reg, err := schemas.New()
	require.NoError(t, err)
	var c *config.Config
	if len(cfg) > 0 {
		c = cfg[0]
	}
	return hubtest.New(t, hubtest.Options{Postgres: postgres, Config: c,
		Decoders: tabular.Decoders(reg, func() *config.Config { return c })})
}

// ingest stores a message and waits for its final status.
func ingest(t *testing.T, env *hubtest.Env, req connectors.IngestRequest, want store.MessageStatus) store.Message {
	t.Helper()
	if req.Source == "" {
		req.Source = "test"
	}
	rcpt, err := env.Hub.Ingest(context.Background(), req)
	require.NoError(t, err)
	return env.WaitMessage(t, rcpt.MessageID, want)
}

// documentBody reads a stored document's body.
func documentBody(t *testing.T, env *hubtest.Env, id string) map[string]any {
	t.Helper()
	doc, err := env.Hub.GetDocument(context.Background(), env.Principal(""), id)
	require.NoError(t, err)
	var body map[string]any
	require.NoError(t, json.Unmarshal(doc.Body, &body))
	return body
}

// documentCount counts the stored documents of a doctype.
func documentCount(t *testing.T, env *hubtest.Env, doctype string) int {
	t.Helper()
	docs, _, err := env.Hub.ListDocuments(context.Background(), env.Principal(""), store.DocumentFilter{Doctype: doctype})
	require.NoError(t, err)
	return len(docs)
}

const priceCSV = "供应商价格表\n" +
	"货号,品名,单位,单价,币种,起订量\n" +
	"A-100,螺丝,个,\"1,234.50\",CNY,10\n" +
	"A-200,螺母,箱,0.35,CNY,\n" +
	"合计,,,,,\n"

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

// stockBook writes a stock list with excelize: rows under a header on
// sheet 库存.
func stockBook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	return stockBookHeaded(t, []any{"仓库", "货号", "库存", "单位", "供应商"}, rows)
}

// stockBookHeaded writes rows under header on sheet 库存.
func stockBookHeaded(t *testing.T, header []any, rows [][]any) []byte {
	t.Helper()
	return workbook(t, sheetRows{"库存", append([][]any{header}, rows...)})
}

func TestSpreadsheets(t *testing.T) {
	env := newEnv(t, false)
	ctx := context.Background()

	t.Run("csv price list, utf-8 and gbk", func(t *testing.T) {
		for _, tc := range []struct {
			name, file string
			body       []byte
		}{
			{"utf-8", "prices-utf8.csv", []byte(priceCSV)},
			{"gbk", "prices-gbk.csv", gbk(t, priceCSV)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				m := ingest(t, env, connectors.IngestRequest{Partner: "supplier-a", Doctype: "price_list", Format: "csv",
					Filename: tc.file, Body: tc.body}, store.StatusDone)
				require.Len(t, m.DocumentIDs, 1, "a price list is one document")
				doc := documentBody(t, env, m.DocumentIDs[0])
				require.Equal(t, "supplier-a", doc["sender"])
				require.Equal(t, tc.file, doc["external_id"])
				require.Equal(t, "CNY", doc["currency"])
				require.Equal(t, m.ReceivedAt.Format("2006-01-02"), doc["valid_from"])
				require.Equal(t, []any{
					map[string]any{"sku": "A-100", "description": "螺丝", "unit": "PCE", "unit_price": "1234.50", "min_quantity": "10"},
					map[string]any{"sku": "A-200", "description": "螺母", "unit": "CT", "unit_price": "0.35"},
				}, doc["lines"])

				// dealer-a buys from supplier-a: the list waits in its inbox.
				items, _, err := env.Hub.Inbox(ctx, env.Principal("dealer-a"), store.Page{})
				require.NoError(t, err)
				found := false
				for _, it := range items {
					found = found || it.DocumentID == m.DocumentIDs[0]
				}
				require.True(t, found, "dealer-a's inbox holds the price list")
			})
		}
	})

	t.Run("xlsx stock levels reach the supplier that is named", func(t *testing.T) {
		body := stockBook(t, [][]any{
			{"WH1", "A-100", 12, "个", "supplier-a"},
			{"WH1", "A-200", "3.5", "箱", "supplier-a"},
			{"WH2", "Z-9", 0, "个", ""},
		})
		m := ingest(t, env, connectors.IngestRequest{Partner: "dealer-a", Doctype: "stock_level", Format: "xlsx",
			Filename: "stock.xlsx", Body: body}, store.StatusDone)
		require.Len(t, m.DocumentIDs, 3, "one stock level per row")
		doc := documentBody(t, env, m.DocumentIDs[0])
		require.Equal(t, "dealer-a", doc["sender"])
		require.Equal(t, "WH1:A-100", doc["external_id"])
		require.Equal(t, "12", doc["on_hand"])
		require.Equal(t, "supplier-a", doc["supplier"])

		items, _, err := env.Hub.Inbox(ctx, env.Principal("supplier-a"), store.Page{})
		require.NoError(t, err)
		var got []string
		for _, it := range items {
			if it.Doctype == "stock_level" {
				got = append(got, it.ExternalID)
			}
		}
		require.ElementsMatch(t, []string{"WH1:A-100", "WH1:A-200"}, got, "only the rows naming supplier-a reach it")
		items, _, err = env.Hub.Inbox(ctx, env.Principal("dealer-b"), store.Page{})
		require.NoError(t, err)
		require.Empty(t, items)
	})

	t.Run("two bad rows are left out and recorded, the good rows stored", func(t *testing.T) {
		before := documentCount(t, env, "product")
		body := "货号,品名,单位\nP-1,扳手,个\nP-2,,个\nP-3,钳子,桶子\nP-4,锤子,个\n"
		m := ingest(t, env, connectors.IngestRequest{Partner: "supplier-a", Doctype: "product", Format: "csv",
			Filename: "products.csv", Body: []byte(body)}, store.StatusDone)
		require.Len(t, m.DocumentIDs, 2, "the built-in mapping imports the valid rows")
		require.Equal(t, "P-1", documentBody(t, env, m.DocumentIDs[0])["sku"])
		require.Equal(t, "P-4", documentBody(t, env, m.DocumentIDs[1])["sku"])
		require.Equal(t, before+2, documentCount(t, env, "product"))
		require.Len(t, m.Errors, 2, "both bad rows are recorded on the done message: %v", m.Errors)
		require.Equal(t, "row", m.Errors[0].Code)
		require.Equal(t, "row 3 column B (品名)", m.Errors[0].Location)
		require.Equal(t, "row", m.Errors[1].Code)
		require.Equal(t, "row 4 column C (单位)", m.Errors[1].Location)
		require.Equal(t, []any{4, "C", "单位", "桶子"}, []any{m.Errors[1].Row, m.Errors[1].Column, m.Errors[1].Header, m.Errors[1].Value})
		require.Contains(t, m.Errors[1].Reason, `"桶子"`, "the reason shows the value")
	})

	t.Run("a bad workbook row is located on its sheet", func(t *testing.T) {
		body := stockBook(t, [][]any{{"WH1", "A-100", "many", "个", ""}})
		m := ingest(t, env, connectors.IngestRequest{Partner: "dealer-a", Doctype: "stock_level", Format: "xlsx",
			Body: body}, store.StatusFailed)
		require.Len(t, m.Errors, 1, "%v", m.Errors)
		require.Equal(t, "sheet 库存 row 2 column C (库存)", m.Errors[0].Location)
		require.Contains(t, m.Errors[0].Reason, `"many"`)
	})

	t.Run("the same stock level twice is a row error", func(t *testing.T) {
		body := stockBook(t, [][]any{{"WH3", "A-100", 1, "个", ""}, {"WH3", "A-100", 2, "个", ""}})
		m := ingest(t, env, connectors.IngestRequest{Partner: "dealer-a", Doctype: "stock_level", Format: "xlsx",
			Body: body}, store.StatusDone)
		require.Len(t, m.DocumentIDs, 1, "the first row is imported")
		require.Equal(t, "1", documentBody(t, env, m.DocumentIDs[0])["on_hand"])
		require.Len(t, m.Errors, 1, "%v", m.Errors)
		require.Equal(t, "sheet 库存 row 3", m.Errors[0].Location)
		require.Contains(t, m.Errors[0].Reason, `repeats "WH3:A-100" from row 2`)
	})

	t.Run("no header row", func(t *testing.T) {
		m := ingest(t, env, connectors.IngestRequest{Partner: "supplier-a", Doctype: "price_list", Format: "csv",
			Body: []byte("foo,bar\n1,2\n")}, store.StatusFailed)
		require.Len(t, m.Errors, 1)
		require.Equal(t, "header", m.Errors[0].Code)
		require.Contains(t, m.Errors[0].Reason, "no header row found")
	})

	t.Run("not a spreadsheet", func(t *testing.T) {
		for _, tc := range []struct {
			format string
			body   []byte
			reason string
		}{
			{"xlsx", []byte("sku,unit\nA,EA\n"), "not an XLSX workbook"},
			{"xlsx", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), "not an XLSX workbook"},
			{"csv", stockBook(t, nil), "not CSV"},
		} {
			m := ingest(t, env, connectors.IngestRequest{Partner: "dealer-a", Doctype: "stock_level", Format: tc.format,
				Body: tc.body}, store.StatusFailed)
			require.Len(t, m.Errors, 1)
			require.Equal(t, "format", m.Errors[0].Code)
			require.Contains(t, m.Errors[0].Reason, tc.reason)
		}
	})

	t.Run("a mapping name the partner lacks", func(t *testing.T) {
		m := ingest(t, env, connectors.IngestRequest{Partner: "supplier-a", Doctype: "price_list", Format: "csv",
			Mapping: "acme-prices", Body: []byte(priceCSV + "A-300,垫圈,个,0.10,CNY,\n")}, store.StatusFailed)
		require.Len(t, m.Errors, 1)
		require.Equal(t, "mapping", m.Errors[0].Code)
		require.Contains(t, m.Errors[0].Reason, `no mapping named "acme-prices"`)
		require.Contains(t, m.Errors[0].Reason, "it has none")
	})

	t.Run("a doctype spreadsheets cannot hold", func(t *testing.T) {
		m := ingest(t, env, connectors.IngestRequest{Partner: "dealer-a", Doctype: "order", Format: "csv",
			Body: []byte(priceCSV)}, store.StatusFailed)
		require.Len(t, m.Errors, 1)
		require.Equal(t, "doctype", m.Errors[0].Code)
	})
}

func TestPostgresStockLevels(t *testing.T) {
	env := newEnv(t, true)
	body := stockBook(t, [][]any{{"WH1", "A-100", 12, "个", "supplier-a"}, {"WH2", "A-100", 1, "个", "supplier-a"}})
	m := ingest(t, env, connectors.IngestRequest{Partner: "dealer-a", Doctype: "stock_level", Format: "xlsx",
		Filename: "stock.xlsx", Body: body}, store.StatusDone)
	require.Len(t, m.DocumentIDs, 2)
	items, _, err := env.Hub.Inbox(context.Background(), env.Principal("supplier-a"), store.Page{})
	require.NoError(t, err)
	require.Len(t, items, 2)

	bad := stockBook(t, [][]any{{"WH1", "A-100", "x", "个", ""}, {"WH1", "", 1, "个", ""}})
	m = ingest(t, env, connectors.IngestRequest{Partner: "dealer-a", Doctype: "stock_level", Format: "xlsx", Body: bad}, store.StatusFailed)
	require.Len(t, m.Errors, 2, "%v", m.Errors)
	require.Equal(t, "sheet 库存 row 2 column C (库存)", m.Errors[0].Location)
	require.Equal(t, "sheet 库存 row 3 column B (货号)", m.Errors[1].Location)
}

// TestPartnerMappingsThroughTheHub imports products and stock levels
// through a running hub whose config gives the partners' mappings.
func TestPartnerMappingsThroughTheHub(t *testing.T) {
	cfg := partnerConfig(t,
		testMapping{partner: "supplier-a", name: "catalog", yaml: catalog},
		testMapping{partner: "supplier-a", name: "all-or-nothing", yaml: "doctype: product\non_error: reject_file\n"},
		testMapping{partner: "dealer-a", name: "erp-stock", def: true, yaml: "doctype: stock_level\non_error: import_valid\n" +
			"fields:\n  location: {column: 库房}\n  supplier: {column: 供应商}\n"},
	)
	env := newEnv(t, false, cfg)
	ctx := context.Background()

	t.Run("a mapping by name", func(t *testing.T) {
		m := ingest(t, env, connectors.IngestRequest{Partner: "supplier-a", Doctype: "product", Format: "csv",
			Mapping: "catalog", Filename: "catalog.csv", Body: []byte(catalogCSV)}, store.StatusDone)
		require.Len(t, m.DocumentIDs, 2)
		require.Equal(t, "P-1", documentBody(t, env, m.DocumentIDs[0])["sku"])
		require.Empty(t, m.Errors)
	})

	t.Run("the default mapping, valid rows imported and bad ones recorded", func(t *testing.T) {
		body := stockBookHeaded(t, []any{"库房", "货号", "库存", "单位", "供应商"}, [][]any{
			{"WH1", "A-100", 12, "个", "supplier-a"},
			{"WH1", "A-200", "lots", "个", "supplier-a"},
			{"WH2", "A-100", 3, "个", "supplier-a"},
		})
		m := ingest(t, env, connectors.IngestRequest{Partner: "dealer-a", Doctype: "stock_level", Format: "xlsx",
			Filename: "stock.xlsx", Body: body}, store.StatusDone)
		require.Len(t, m.DocumentIDs, 2, "the two good rows")
		require.Equal(t, "WH1:A-100", documentBody(t, env, m.DocumentIDs[0])["external_id"])
		require.Len(t, m.Errors, 1, "the bad row is recorded on the done message: %+v", m.Errors)
		e := m.Errors[0]
		require.Equal(t, "sheet 库存 row 3 column C (库存)", e.Location)
		require.Equal(t, []any{"库存", 3, "C", "库存", "lots"}, []any{e.Sheet, e.Row, e.Column, e.Header, e.Value})

		items, _, err := env.Hub.Inbox(ctx, env.Principal("supplier-a"), store.Page{})
		require.NoError(t, err)
		n := 0
		for _, it := range items {
			if it.Doctype == "stock_level" {
				n++
			}
		}
		require.Equal(t, 2, n, "routed through the supplier column the mapping names")
	})

	t.Run("a name the partner lacks lists the ones it has", func(t *testing.T) {
		// The first test's bytes: with another mapping they are another message.
		m := ingest(t, env, connectors.IngestRequest{Partner: "supplier-a", Doctype: "product", Format: "csv",
			Mapping: "catalogue", Body: []byte(catalogCSV)}, store.StatusFailed)
		require.Len(t, m.Errors, 1)
		require.Equal(t, "mapping", m.Errors[0].Code)
		require.Contains(t, m.Errors[0].Reason, "it has all-or-nothing, catalog")
	})

	t.Run("reject_file refuses a file with a bad row and stores nothing", func(t *testing.T) {
		before := documentCount(t, env, "product")
		m := ingest(t, env, connectors.IngestRequest{Partner: "supplier-a", Doctype: "product", Format: "csv",
			Mapping: "all-or-nothing", Body: []byte("货号,品名,单位\nP-7,扳手,个\nP-8,,个\nP-9,钳子,桶子\n")}, store.StatusFailed)
		require.Len(t, m.Errors, 2, "every bad row is named: %+v", m.Errors)
		require.Equal(t, []any{3, "B", "品名"}, []any{m.Errors[0].Row, m.Errors[0].Column, m.Errors[0].Header})
		require.Equal(t, []any{4, "C", "桶子"}, []any{m.Errors[1].Row, m.Errors[1].Column, m.Errors[1].Value})
		require.Empty(t, m.DocumentIDs)
		require.Equal(t, before, documentCount(t, env, "product"), "not even the good row P-7 is stored")
	})

	t.Run("the built-in mapping imports the valid rows", func(t *testing.T) {
		m := ingest(t, env, connectors.IngestRequest{Partner: "supplier-a", Doctype: "product", Format: "csv",
			Body: []byte("货号,品名,单位\nP-10,扳手,个\nP-11,,个\n")}, store.StatusDone)
		require.Len(t, m.DocumentIDs, 1)
		require.Equal(t, "P-10", documentBody(t, env, m.DocumentIDs[0])["sku"])
		require.Len(t, m.Errors, 1)
		require.Equal(t, []any{3, "B", "品名", ""}, []any{m.Errors[0].Row, m.Errors[0].Column, m.Errors[0].Header, m.Errors[0].Value})
	})
}
