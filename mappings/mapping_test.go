package mappings

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
)

const partnerMapping = `
version: 1
doctype: price_list
sheet: 报价
header_row: 2
on_error: reject_file
document: {currency: CNY, valid_from: 2026-12-01, external_id: "PL-{file}", name: "{partner} 报价"}
fields:
  sku:        {column: [料号, 货号], lookup: {A-1: DR-500}}
  unit_price: {letter: c, transform: decimal}
  unit:       {column: 单位, default: EA}
  description: {column: 说明, transform: [halfwidth, text]}
tiers:
  - {min_quantity: {column: 数量1}, unit_price: {column: 价格1}}
skip_rows_where: {any_cell_starts_with: [备注]}
`

func TestParseMappingAndMap(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t)
	m, err := ParseMapping(reg, []byte(partnerMapping))
	require.NoError(t, err)
	require.Equal(t, "2026-12-01", m.Document["valid_from"], "YAML dates stay text")
	require.Equal(t, OnErrorRejectFile, m.OnError)

	rows := []connectors.Row{
		row("说明", 1, text("ignored sheet")),
		row("报价", 1, text("标题"), text("x")),
		row("报价", 2, text("料号"), text("说明"), text("随便"), text("单位"), text("数量1"), text("价格1")),
		row("报价", 3, text("A-1"), text("电钻"), num("99.5"), text(""), num("10"), num("95")),
		row("报价", 4, text("B-2"), text("ＡＢＣ"), text("1,000"), text("箱")),
		row("报价", 5, text("备注: 含税"), text("x")),
		row("报价", 6, text("C-3"), text("y"), text("1"), text("个"), text(""), text("zz")),
	}
	res, err := NewEngine(reg).MapRows(context.Background(), rows, m, Options{Partner: "acme", File: "q4.xlsx", Now: runDay})
	require.NoError(t, err)
	require.Equal(t, map[string]any{"currency": "CNY", "valid_from": "2026-12-01", "external_id": "PL-q4.xlsx", "name": "acme 报价", "sender": "acme"}, res.Header)
	require.Empty(t, res.HeaderErrors)
	require.Equal(t, 1, res.Skipped)
	require.Len(t, res.Records, 3)
	require.Equal(t, map[string]any{"sku": "DR-500", "description": "电钻", "unit_price": "99.5", "unit": "EA",
		"tiers": []any{map[string]any{"min_quantity": "10", "unit_price": "95"}}}, res.Records[0].Value)
	require.Equal(t, map[string]any{"sku": "B-2", "description": "ABC", "unit_price": "1000", "unit": "CT"}, res.Records[1].Value)
	require.Len(t, res.Records[2].Errors, 1)
	e := res.Records[2].Errors[0]
	require.Equal(t, FieldError{Sheet: "报价", Row: 6, Column: "F", Header: "价格1", Field: "tiers[0].unit_price", Value: "zz",
		Reason: e.Reason}, e)
	require.Equal(t, []ColumnMatch{
		{Field: "sku", Column: "A", Header: "料号", Confidence: 1},
		{Field: "description", Column: "B", Header: "说明", Confidence: 1},
		{Field: "unit", Column: "D", Header: "单位", Confidence: 1},
		{Field: "unit_price", Column: "C", Header: "随便", Confidence: 1},
		{Field: "tiers[0].min_quantity", Column: "E", Header: "数量1", Confidence: 1},
		{Field: "tiers[0].unit_price", Column: "F", Header: "价格1", Confidence: 1},
	}, res.Sheets[0].Columns)
}

func TestMappingErrorsNameTheKey(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t)
	for _, tc := range []struct{ name, yaml, pointer, reason string }{
		{"top level", "doctype: price_list\nheader_rows: 3\n", "/header_rows", `unexpected property "header_rows" (did you mean "header_row"?)`},
		{"field", "doctype: price_list\nfields:\n  sku: {colum: 货号}\n", "/fields/sku/colum", `unexpected property "colum"`},
		{"skip", "doctype: price_list\nskip_rows_where: {any_cell: [x]}\n", "/skip_rows_where/any_cell", `unexpected property "any_cell"`},
		{"doctype", "doctype: invoice\n", "/doctype", "price_list"},
		{"transform", "doctype: price_list\nfields: {sku: {transform: money}}\n", "/fields/sku/transform", "transform"},
		{"two sources", "doctype: price_list\nfields: {sku: {column: a, letter: B}}\n", "/fields/sku", "only one source"},
		{"unknown field", "doctype: price_list\nfields: {skus: {column: a}}\n", "/fields/skus", `no field "skus"`},
		{"number", "doctype: price_list\nfields: {unit: {default: 1}}\n", "/fields/unit/default", "string"},
		{"on_error", "doctype: price_list\non_error: skip\n", "/on_error", "import_valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseMapping(reg, []byte(tc.yaml))
			var me *MappingError
			require.ErrorAs(t, err, &me)
			require.NotEmpty(t, me.Violations)
			v := me.Violations[0]
			require.Equal(t, tc.pointer, v.Pointer, "%v", me)
			require.Contains(t, v.Reason, tc.reason)
			require.Positive(t, v.Line)
		})
	}
}

func TestExampleMappingFile(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../testdata/mappings/example.yaml")
	require.NoError(t, err)
	_, err = ParseMapping(newRegistry(t), b)
	require.NoError(t, err)
}

func TestStockLevelDocuments(t *testing.T) {
	t.Parallel()
	rows := []connectors.Row{
		row("", 1, text("物料编码"), text("仓库"), text("现有库存"), text("可用库存"), text("在途"), text("单位")),
		row("", 2, text("A-1"), text("WH1"), num("12"), num("10"), text(""), text("个")),
		row("", 3, text("A-2"), text("WH1"), text("-3"), text("0"), text("5"), text("件")),
		row("", 4, text("A-3"), text("WH1"), text("lots"), text("0"), text("-1"), text("件")),
	}
	res, err := NewEngine(newRegistry(t)).MapRows(context.Background(), rows, DefaultMapping("stock_level"), Options{Partner: "north", Now: runDay})
	require.NoError(t, err)
	require.Equal(t, 2, res.Mapped)
	require.Equal(t, map[string]any{"sender": "north", "external_id": "WH1:A-1", "sku": "A-1", "location": "WH1", "on_hand": "12",
		"available": "10", "unit": "PCE", "as_of": "2026-11-20T09:00:00+08:00"}, res.Records[0].Value)
	errs := res.Records[2].Errors
	require.Len(t, errs, 2, "%v", errs)
	require.Equal(t, "C", errs[0].Column)
	require.Equal(t, "E", errs[1].Column)
	require.Contains(t, errs[1].Reason, "non-negative")
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	s, err := Suggest(supplierRows("价格表"), "price_list")
	require.NoError(t, err)
	require.Equal(t, 3, s.HeaderRow)
	require.Equal(t, []string{"A3=序号"}, s.Unmatched)
	conf := map[string]float64{}
	for _, c := range s.Columns {
		conf[c.Field] = c.Confidence
	}
	require.Equal(t, ConfidenceExact, conf["sku"])
	require.Equal(t, ConfidenceNormalized, conf["unit_price"], "单价(元)")
	require.Contains(t, string(s.YAML), "confidence 0.9")
	m, err := ParseMapping(newRegistry(t), s.YAML)
	require.NoError(t, err, "%s", s.YAML)
	require.Equal(t, 3, m.HeaderRow)

	sub, err := Suggest([]connectors.Row{row("", 1, text("商品货号编码"), text("零售单价(含税)"), text("单位"))}, "price_list")
	require.NoError(t, err)
	require.Equal(t, ConfidenceSubstring, sub.Columns[0].Confidence)
}
