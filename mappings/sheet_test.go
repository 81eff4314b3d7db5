package mappings

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
)

func TestSheetsEachFindTheirHeader(t *testing.T) {
	t.Parallel()
	rows := []connectors.Row{
		row("说明", 1, text("本价格表仅供经销商使用")),
		row("说明", 2, text("联系人"), text("张三")),
		row("电动工具", 1, text("Item No."), text("Unit Price"), text("UoM")),
		row("电动工具", 2, text("DR-500"), text("US$12.50"), text("pcs")),
		row("五金", 1, text("标题")),
		row("五金", 2, text("UNIT"), text("sku"), text("price (USD)")),
		row("五金", 3, text("EA"), text("WR-10"), num("3")),
		row("五金", 4, text("EA"), text("WR-11"), text("¥3")),
	}
	res, err := NewEngine(newRegistry(t)).MapRows(context.Background(), rows, DefaultMapping("price_list"), Options{Partner: "acme", File: "f.xlsx", Now: runDay})
	require.NoError(t, err)
	require.Equal(t, []string{"说明"}, res.SkippedSheets)
	require.Len(t, res.Sheets, 2)
	require.Equal(t, 1, res.Sheets[0].HeaderRow)
	require.Equal(t, 2, res.Sheets[1].HeaderRow)
	require.Equal(t, "USD", res.Header["currency"], "from US$ in the first price")
	require.Equal(t, 2, res.Mapped)
	require.Len(t, res.Records, 3)
	require.Equal(t, map[string]any{"sku": "WR-10", "unit": "EA", "unit_price": "3"}, res.Records[1].Value)
	errs := res.Records[2].Errors
	require.Len(t, errs, 1)
	require.Equal(t, FieldError{Sheet: "五金", Row: 4, Column: "C", Header: "price (USD)", Field: "unit_price",
		Reason: "the price's currency symbol is CNY but the list's currency is USD (from the price's currency symbol in row 2); a price list has one currency"}, errs[0])
}

func TestPriceListHeaderErrors(t *testing.T) {
	t.Parallel()
	rows := []connectors.Row{
		row("", 1, text("货号"), text("单价"), text("单位")),
		row("", 2, text("A"), text("1"), text("个")),
	}
	m := DefaultMapping("price_list")
	m.Document = map[string]string{"valid_to": "2026-02-30"}
	res, err := NewEngine(newRegistry(t)).MapRows(context.Background(), rows, m, Options{Partner: "acme", Now: runDay})
	require.NoError(t, err)
	require.Equal(t, 1, res.Mapped)
	require.False(t, res.OK())
	fields := map[string]string{}
	for _, e := range res.HeaderErrors {
		fields[e.Field] = e.Reason
	}
	require.Contains(t, fields["currency"], "set document.currency")
	require.Contains(t, fields, "external_id")
	require.Contains(t, fields["valid_to"], "YYYY-MM-DD")
}

func TestProductDocuments(t *testing.T) {
	t.Parallel()
	rows := []connectors.Row{
		row("", 1, text("编码"), text("商品名称"), text("品牌"), text("分类"), text("单位"), text("69码"), text("颜色")),
		row("", 2, text("P-1"), text("冲击钻"), text("华南"), text("电动工具/电钻"), text("台"), text("6901234567892"), text("红")),
		row("", 3, text("P-2"), text(""), text("华南"), text(""), text("台")),
	}
	m := DefaultMapping("product")
	m.Document = map[string]string{"external_id": "{partner}-{sku}"}
	res, err := NewEngine(newRegistry(t)).MapRows(context.Background(), rows, m, Options{Partner: "acme", Now: runDay})
	require.NoError(t, err)
	require.Equal(t, map[string]any{"sender": "acme", "external_id": "acme-P-1", "sku": "P-1", "name": "冲击钻", "brand": "华南",
		"category": "电动工具/电钻", "unit": "PCE", "gtin": "6901234567892"}, res.Records[0].Value)
	require.Len(t, res.Records[1].Errors, 1)
	require.Equal(t, "B", res.Records[1].Errors[0].Column)
	require.Equal(t, "商品名称", res.Records[1].Errors[0].Header)
}

func TestEmitErrorStopsTheRun(t *testing.T) {
	t.Parallel()
	stop := errors.New("disk full")
	n := 0
	_, err := NewEngine(newRegistry(t)).Map(context.Background(), &sliceReader{rows: benchRows(5000)}, DefaultMapping("price_list"),
		Options{Partner: "acme", File: "x"}, func(Record) error {
			if n++; n == 10 {
				return stop
			}
			return nil
		})
	require.ErrorIs(t, err, stop)
	require.Equal(t, 10, n, "emit is not called after it failed")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = NewEngine(newRegistry(t)).Map(ctx, &sliceReader{rows: benchRows(10)}, DefaultMapping("price_list"), Options{}, func(Record) error { return nil })
	require.ErrorIs(t, err, context.Canceled)
}

func TestHeaderRowGiven(t *testing.T) {
	t.Parallel()
	rows := []connectors.Row{
		row("", 1, text("货号"), text("单价"), text("单位")),
		row("", 2, text("SKU"), text("价格"), text("UoM")),
		row("", 3, text("A"), text("1"), text("个")),
	}
	m := DefaultMapping("price_list")
	m.HeaderRow = 2
	m.Document = map[string]string{"currency": "CNY"}
	res, err := NewEngine(newRegistry(t)).MapRows(context.Background(), rows, m, Options{Partner: "acme", File: "x"})
	require.NoError(t, err)
	require.Equal(t, 2, res.HeaderRow())
	require.Equal(t, 1, res.Mapped)

	m.HeaderRow = 3
	_, err = NewEngine(newRegistry(t)).MapRows(context.Background(), rows, m, Options{Partner: "acme", File: "x"})
	var he *HeaderError
	require.ErrorAs(t, err, &he)
	require.Equal(t, []SeenRow{{Row: 3, Cells: []string{"A3=A", "B3=1", "C3=个"}}}, he.Seen)
}

func TestEmptyFile(t *testing.T) {
	t.Parallel()
	_, err := NewEngine(newRegistry(t)).MapRows(context.Background(), nil, DefaultMapping("stock_level"), Options{})
	var he *HeaderError
	require.ErrorAs(t, err, &he)
	require.Equal(t, []string{"sku", "location", "on_hand", "unit"}, he.Missing)
	require.Contains(t, err.Error(), "has no rows")

	_, err = NewEngine(newRegistry(t)).MapRows(context.Background(), nil, DefaultMapping("invoice"), Options{})
	require.ErrorContains(t, err, "maps price_list, product, stock_level")
}
