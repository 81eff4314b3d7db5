package mappings

import (
	"context"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

// textRows builds a sheet of text cells, row 1 first.
func textRows(sheet string, rows ...[]string) []connectors.Row {
	out := make([]connectors.Row, len(rows))
	for i, r := range rows {
		cells := make([]connectors.Cell, len(r))
		for j, c := range r {
			cells[j] = text(c)
		}
		out[i] = row(sheet, i+1, cells...)
	}
	return out
}

func TestReadTaxNote(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text           string
		title          bool
		included, rate string
	}{
		{"含税单价", false, "true", ""},
		{"含税价", false, "true", ""},
		{"单价(含税)", false, "true", ""},
		{"单价（含税）", false, "true", ""},
		{"单价（含13%增值税）", false, "true", "13"},
		{"单价（含１３％增值税）", false, "true", "13"},
		{"含票价", false, "true", ""},
		{"不含税单价", false, "false", ""},
		{"单价（不含税）", false, "false", ""},
		{"未税单价", false, "false", ""},
		{"不含税单价(税率13%)", false, "false", "13"},
		{"单价(含运费,不含税)", false, "false", ""},
		{"单价(含税,不含运费)", false, "true", ""},
		{"Price incl. VAT", false, "true", ""},
		{"Unit price (incl. 13% VAT)", false, "true", "13"},
		{"Price including tax", false, "true", ""},
		{"Gross price", false, "true", ""},
		{"Price excl. VAT", false, "false", ""},
		{"Price ex VAT", false, "false", ""},
		{"Price without VAT", false, "false", ""},
		{"Net price", false, "false", ""},
		{"NET PRICE (USD)", false, "false", ""},
		{"单价", false, "", ""},
		{"单价(元)", false, "", ""},
		{"Price (USD)", false, "", ""},
		{"Internet price", false, "", ""},
		{"折扣 5%", false, "", ""},
		{"2026年价格表（含13%增值税）", true, "true", "13"},
		{"以下价格均为不含税价", true, "false", ""},
		{"增值税税率 9%", true, "", "9"},
		{"Dealer net price list 2026", true, "", ""},
		{"2026年度产品价格表", true, "", ""},
		{"Prices exclude VAT", true, "", ""},
	} {
		got := readTaxNote(tc.text, "x", tc.title)
		require.Equal(t, tc.included, got.included, "%q", tc.text)
		require.Equal(t, tc.rate, got.rate, "%q", tc.text)
	}
}

func TestRateAndBoolean(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, strict, fraction, percent string // "!" prefixes an expected error
	}{
		{"13%", "13", "13", "13"},
		{"13 ％", "13", "13", "13"},
		{"13", "13", "!not a fraction", "13"},
		{"9.5%", "9.5", "9.5", "9.5"},
		{"0", "0", "0", "0"},
		{"0%", "0", "0", "0"},
		{"0.13", "!ambiguous tax rate 0.13: 13% or 0.13%", "13", "0.13"},
		{"0.135", "!ambiguous", "13.5", "0.135"},
		{"0.5", "!ambiguous", "50", "0.5"},
		{"0.5%", "0.5", "0.5", "0.5"},
		{"1", "1", "100", "1"},
		{"130%", "!above 100%", "!above 100%", "!above 100%"},
		{"-13%", "!negative", "!negative", "!negative"},
		{"十三", "!not a number", "!not a number", "!not a number"},
	} {
		for _, c := range []struct {
			fn   func(string) (string, error)
			want string
		}{{Rate, tc.strict}, {RateFraction, tc.fraction}, {RatePercent, tc.percent}} {
			got, err := c.fn(tc.in)
			if c.want != "" && c.want[0] == '!' {
				require.ErrorContains(t, err, c.want[1:], "%q", tc.in)
				continue
			}
			require.NoError(t, err, "%q", tc.in)
			require.Equal(t, c.want, got, "%q", tc.in)
		}
	}
	for in, want := range map[string]string{"是": "true", "否": "false", "Y": "true", "n": "false", "TRUE": "true",
		"False": "false", "含税": "true", "不含税": "false", "１": "true", " √ ": "true", "×": "false"} {
		got, err := Boolean(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	_, err := Boolean("maybe")
	require.ErrorContains(t, err, "not a yes/no value")
}

// mapPriceList maps rows with m (the default mapping when nil).
func mapPriceList(t *testing.T, rows []connectors.Row, m *Mapping) *Result {
	t.Helper()
	if m == nil {
		m = DefaultMapping("price_list")
	}
	res, err := NewEngine(newRegistry(t)).MapRows(context.Background(), rows, m, Options{Partner: "acme", File: "f.xlsx", Now: runDay})
	require.NoError(t, err)
	return res
}

// taxOf returns each record's tax_included and tax_rate ("-" when absent)
// and its error reasons.
func taxOf(res *Result) (basis [][2]any, reasons []string) {
	for _, rec := range res.Records {
		inc, ok := rec.Value["tax_included"]
		if !ok {
			inc = "-"
		}
		rate, ok := rec.Value["tax_rate"]
		if !ok {
			rate = "-"
		}
		basis = append(basis, [2]any{inc, rate})
		for _, e := range rec.Errors {
			reasons = append(reasons, e.Error())
		}
	}
	return basis, reasons
}

func TestPriceColumnHeadersSayTax(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		header []string
		want   [2]any
		price  string
	}{
		{"含税单价", []string{"货号", "含税单价", "单位", "币种"}, [2]any{true, "-"}, "113.00"},
		{"单价(含税) full-width", []string{"货号", "单价（含税）", "单位", "币种"}, [2]any{true, "-"}, "113.00"},
		{"单价（不含税）", []string{"货号", "单价（不含税）", "单位", "币种"}, [2]any{false, "-"}, "113.00"},
		{"未税单价", []string{"货号", "未税单价", "单位", "币种"}, [2]any{false, "-"}, "113.00"},
		{"含13%增值税", []string{"货号", "单价(含13%增值税)", "单位", "币种"}, [2]any{true, "13"}, "113.00"},
		{"Price incl. VAT", []string{"SKU", "Price incl. VAT", "Unit", "Currency"}, [2]any{true, "-"}, "113.00"},
		{"Gross price", []string{"SKU", "Gross price", "Unit", "Currency"}, [2]any{true, "-"}, "113.00"},
		{"Net price", []string{"SKU", "Net Price", "Unit", "Currency"}, [2]any{false, "-"}, "113.00"},
		{"Price excl. VAT with a VAT rate column", []string{"SKU", "Price excl. VAT", "Unit", "Currency", "VAT rate (%)"}, [2]any{false, "13"}, "113.00"},
		{"a plain price says nothing", []string{"货号", "单价", "单位", "币种"}, [2]any{"-", "-"}, "113.00"},
		{"退税率 is not the tax rate", []string{"货号", "单价", "单位", "币种", "退税率"}, [2]any{"-", "-"}, "113.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := mapPriceList(t, textRows("", tc.header, []string{"A-1", "113.00", "个", "CNY", "13%"}), nil)
			basis, reasons := taxOf(res)
			require.Empty(t, reasons)
			require.Equal(t, [][2]any{tc.want}, basis)
			require.Equal(t, tc.price, res.Records[0].Value["unit_price"])
		})
	}
}

func TestIncludedAndExcludedPriceColumns(t *testing.T) {
	t.Parallel()
	rows := textRows("价格表",
		[]string{"货号", "不含税单价", "单位", "含税单价", "税率", "币种"},
		[]string{"A-1", "353.10", "个", "399.00", "13%", "CNY"},
		[]string{"A-2", "100", "个", "120.00", "13%", "CNY"},
		[]string{"A-3", "8849.56", "个", "10000.00", "13", "CNY"}, // 10000/1.13 rounded: within rounding
		[]string{"A-4", "100", "个", "109", "9%", "CNY"},
		[]string{"A-5", "100", "个", "113", "", "CNY"}, // no rate: nothing to check
		[]string{"A-6", "abc", "个", "113", "13", "CNY"},
		[]string{"A-7", "", "个", "113", "13", "CNY"},
	)
	res := mapPriceList(t, rows, nil)
	require.Equal(t, []ColumnMatch{
		{Field: "sku", Column: "A", Header: "货号", Confidence: 1},
		{Field: "unit", Column: "C", Header: "单位", Confidence: 1},
		{Field: "unit_price", Column: "D", Header: "含税单价", Confidence: 1},
		{Field: "currency", Column: "F", Header: "币种", Confidence: 1},
		{Field: "tax_rate", Column: "E", Header: "税率", Confidence: 1},
		{Field: "unit_price_excl_tax", Column: "B", Header: "不含税单价", Confidence: 1, CheckOnly: true},
	}, res.Sheets[0].Columns, "the tax-included price is imported, the other checked")
	require.Equal(t, "prices include tax (column D (含税单价))", res.Sheets[0].Tax)
	basis, _ := taxOf(res)
	require.Equal(t, [][2]any{{true, "13"}, {true, "13"}, {true, "13"}, {true, "9"}, {true, "-"}, {true, "13"}, {true, "13"}}, basis)
	bad := map[int]FieldError{}
	for _, e := range res.Errors() {
		bad[e.Row] = e
	}
	require.Len(t, bad, 2, "%v", res.Errors())
	require.Equal(t, FieldError{Sheet: "价格表", Row: 3, Column: "B", Header: "不含税单价", Field: "unit_price", Value: "100",
		Reason: "100 before tax is 113.00 with 13% tax, but the price with tax in column D (含税单价) is 120.00; check the prices or the tax rate"}, bad[3])
	require.Contains(t, bad[7].Reason, "the price before tax, checked against unit_price: not a number")
	require.Equal(t, 5, res.Mapped)

	// Swapped columns make no difference.
	swapped := textRows("",
		[]string{"货号", "含税单价", "单位", "不含税单价", "币种"},
		[]string{"A-1", "399.00", "个", "353.10", "CNY"})
	res = mapPriceList(t, swapped, nil)
	require.Equal(t, "399.00", res.Records[0].Value["unit_price"])
	require.Equal(t, "D", res.Sheets[0].Columns[len(res.Sheets[0].Columns)-1].Column)
}

func TestTitleNoteAndPriceHeader(t *testing.T) {
	t.Parallel()
	rows := textRows("",
		[]string{"华南五金 2026年价格表（含13%增值税）"},
		[]string{"货号", "单价", "单位", "币种", "税率"},
		[]string{"A-1", "113", "个", "CNY", ""},
		[]string{"A-2", "109", "个", "CNY", "9%"}, // a line's own rate refines the note
	)
	res := mapPriceList(t, rows, nil)
	basis, reasons := taxOf(res)
	require.Empty(t, reasons)
	require.Equal(t, [][2]any{{true, "13"}, {true, "9"}}, basis)
	require.Equal(t, "prices include tax, tax rate 13% (the note in A1 (华南五金 2026年价格表（含13%增值税）))", res.Sheets[0].Tax)

	// A rate the price header states cannot be contradicted by a line.
	rows = textRows("",
		[]string{"货号", "单价(含13%增值税)", "单位", "币种", "税率"},
		[]string{"A-2", "109", "个", "CNY", "9%"})
	_, reasons = taxOf(mapPriceList(t, rows, nil))
	require.Equal(t, []string{`row 2 column E (税率) "9%": the tax rate is 9% but the price is in column B (单价(含13%增值税)), which holds prices with 13% tax`}, reasons)

	// A note that contradicts the price header is a header error.
	rows = textRows("",
		[]string{"价格均含税"},
		[]string{"货号", "未税单价", "单位", "币种"},
		[]string{"A-1", "100", "个", "CNY"})
	res = mapPriceList(t, rows, nil)
	require.False(t, res.OK())
	require.Equal(t, []FieldError{{Field: "tax_included",
		Reason: "column B (未税单价) says prices exclude tax but the note in A1 (价格均含税) says they include it"}}, res.HeaderErrors)
}

func TestTaxIncludedColumn(t *testing.T) {
	t.Parallel()
	rows := textRows("",
		[]string{"货号", "单价", "单位", "币种", "是否含税", "税率"},
		[]string{"A-1", "113", "个", "CNY", "是", "13%"},
		[]string{"A-2", "100", "个", "CNY", "否", "13"},
		[]string{"A-3", "100", "个", "CNY", "", ""},
		[]string{"A-4", "100", "个", "CNY", "也许", "13"},
	)
	res := mapPriceList(t, rows, nil)
	basis, reasons := taxOf(res)
	require.Equal(t, [][2]any{{true, "13"}, {false, "13"}, {"-", "-"}, {"-", "13"}}, basis)
	require.Equal(t, []string{`row 5 column E (是否含税) "也许": not a yes/no value: write 是 or 否, Y or N, true or false`}, reasons)

	// Under a 含税 price header, a line that says 否 contradicts it.
	rows = textRows("",
		[]string{"货号", "含税单价", "单位", "币种", "是否含税"},
		[]string{"A-1", "113", "个", "CNY", "否"},
		[]string{"A-2", "113", "个", "CNY", "是"})
	_, reasons = taxOf(mapPriceList(t, rows, nil))
	require.Equal(t, []string{`row 2 column E (是否含税) "否": tax_included is false but the price is in column B (含税单价), which holds prices that include tax`}, reasons)
}

func TestAmbiguousTaxRates(t *testing.T) {
	t.Parallel()
	rows := []connectors.Row{
		row("", 1, text("货号"), text("单价"), text("单位"), text("币种"), text("税率")),
		row("", 2, text("A-1"), text("1"), text("个"), text("CNY"), text("0.13")),
		row("", 3, text("A-2"), text("1"), text("个"), text("CNY"), num("0.13000000000000001")), // a cell formatted 13%
		row("", 4, text("A-3"), text("1"), text("个"), text("CNY"), num("13")),
		row("", 5, text("A-4"), text("1"), text("个"), text("CNY"), text("13%")),
	}
	res := mapPriceList(t, rows, nil)
	basis, reasons := taxOf(res)
	require.Equal(t, [][2]any{{"-", "-"}, {"-", "-"}, {"-", "13"}, {"-", "13"}}, basis)
	require.Len(t, reasons, 2)
	for _, r := range reasons {
		require.Contains(t, r, `": ambiguous tax rate 0.13: 13% or 0.13%? write 13% (or 13)`)
		require.Contains(t, r, "rate_fraction")
	}

	m, err := ParseMapping(newRegistry(t), []byte("doctype: price_list\nfields: {tax_rate: {column: 税率, transform: rate_fraction}}\n"))
	require.NoError(t, err)
	basis, reasons = taxOf(mapPriceList(t, rows[:3], m))
	require.Empty(t, reasons)
	require.Equal(t, [][2]any{{"-", "13"}, {"-", "13"}}, basis, "the mapping says its rates are fractions")
}

func TestMappingSetsTax(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t)
	rows := textRows("",
		[]string{"货号", "单价", "单位", "税率"},
		[]string{"A-1", "113", "个", ""},
		[]string{"A-2", "106", "个", "6%"})
	for _, tc := range []struct {
		name, yaml string
		header     map[string]any
		basis      [][2]any
	}{
		{"document constants", "doctype: price_list\ndocument: {currency: CNY, tax_included: \"true\", tax_rate: \"13%\"}\n",
			map[string]any{"tax_included": true, "tax_rate": "13"}, [][2]any{{"-", "-"}, {"-", "6"}}},
		{"YAML booleans and 是/否", "doctype: price_list\ndocument: {currency: CNY, tax_included: false}\n",
			map[string]any{"tax_included": false}, [][2]any{{"-", "-"}, {"-", "6"}}},
		{"是", "doctype: price_list\ndocument: {currency: CNY, tax_included: 是}\n",
			map[string]any{"tax_included": true}, [][2]any{{"-", "-"}, {"-", "6"}}},
		{"field constants set every line", "doctype: price_list\ndocument: {currency: CNY}\nfields: {tax_included: {const: \"false\"}, tax_rate: {const: \"9\"}}\n",
			map[string]any{}, [][2]any{{false, "9"}, {false, "9"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := ParseMapping(reg, []byte(tc.yaml))
			require.NoError(t, err)
			res := mapPriceList(t, rows, m)
			require.True(t, res.OK(), "%v %v", res.HeaderErrors, res.Errors())
			for k := range res.Header {
				if k != "tax_included" && k != "tax_rate" {
					delete(res.Header, k)
				}
			}
			require.Equal(t, tc.header, res.Header)
			basis, _ := taxOf(res)
			require.Equal(t, tc.basis, basis)
		})
	}

	// The mapping and the file disagree: the list's header is in error.
	m, err := ParseMapping(reg, []byte("doctype: price_list\ndocument: {currency: CNY, tax_included: \"true\"}\n"))
	require.NoError(t, err)
	res := mapPriceList(t, textRows("价格", []string{"货号", "单价（不含税）", "单位"}, []string{"A-1", "100", "个"}), m)
	require.Equal(t, []FieldError{{Sheet: "价格", Column: "B", Header: "单价（不含税）", Field: "tax_included",
		Reason: "the mapping's document says prices include tax but column B (单价（不含税）) says they exclude it; fix the mapping or the file"}}, res.HeaderErrors)
	m, err = ParseMapping(reg, []byte("doctype: price_list\ndocument: {currency: CNY, tax_rate: \"9\"}\n"))
	require.NoError(t, err)
	res = mapPriceList(t, textRows("", []string{"货号", "单价(含13%增值税)", "单位"}, []string{"A-1", "100", "个"}), m)
	require.Len(t, res.HeaderErrors, 1)
	require.Equal(t, "tax_rate", res.HeaderErrors[0].Field)
	require.Contains(t, res.HeaderErrors[0].Reason, "the mapping's document says the tax rate is 9% but column B (单价(含13%增值税)) says 13%")
}

func TestTaxMappingErrorsNameTheKey(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t)
	for _, tc := range []struct{ name, yaml, pointer, reason string }{
		{"document tax_included", "doctype: price_list\ndocument: {tax_included: \"maybe\"}\n", "/document/tax_included", `document.tax_included "maybe": not a yes/no value`},
		{"document tax_rate", "doctype: price_list\ndocument: {tax_rate: \"0.13\"}\n", "/document/tax_rate", "ambiguous tax rate 0.13"},
		{"document tax_rate over 100", "doctype: price_list\ndocument: {tax_rate: \"130\"}\n", "/document/tax_rate", "above 100%"},
		{"document tax_included a number", "doctype: price_list\ndocument: {tax_included: 1}\n", "/document/tax_included", "a boolean or a string"},
		{"const", "doctype: price_list\nfields: {tax_included: {const: \"含\"}, tax_rate: {const: \"13%%\"}}\n", "/fields/tax_rate/const", "not a number"},
		{"bad const", "doctype: price_list\nfields: {tax_included: {const: \"perhaps\"}}\n", "/fields/tax_included/const", `"perhaps": not a yes/no value`},
		{"percent on tax_rate", "doctype: price_list\nfields: {tax_rate: {column: 税率, transform: percent}}\n", "/fields/tax_rate/transform", "use rate, rate_fraction"},
		{"tax_included not boolean", "doctype: price_list\nfields: {tax_included: {column: 含税, transform: text}}\n", "/fields/tax_included/transform", "end its transforms with boolean"},
		{"unknown transform", "doctype: price_list\nfields: {tax_rate: {transform: rates}}\n", "/fields/tax_rate/transform", "transform"},
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

func TestSuggestTax(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t)
	rows := textRows("价格表",
		[]string{"货号", "不含税单价", "含税单价", "单位", "税率"},
		[]string{"A-1", "353.10", "399.00", "个", "13%"})
	s, err := Suggest(rows, "price_list")
	require.NoError(t, err)
	require.Contains(t, string(s.YAML), "unit_price: {column: [含税单价, 不含税单价]}")
	require.Contains(t, string(s.YAML), "column B (不含税单价), before tax, is checked against it, not imported")
	require.Contains(t, string(s.YAML), "the file says: prices include tax (column C (含税单价))")
	require.Empty(t, s.Unmatched)
	m, err := ParseMapping(reg, s.YAML)
	require.NoError(t, err, "%s", s.YAML)
	res := mapPriceList(t, rows, m)
	require.Equal(t, s.Columns, res.Sheets[0].Columns, "the suggested mapping reads the file as suggested")

	s, err = Suggest(textRows("", []string{"货号", "单价", "单位"}), "price_list")
	require.NoError(t, err)
	require.Contains(t, string(s.YAML), "whether its prices include tax: the file does not say")
	require.Contains(t, string(s.YAML), `tax_included: "true"`)
	_, err = ParseMapping(reg, s.YAML)
	require.NoError(t, err)
}

// TestTaxPriceListGolden is a supplier file that states tax every way at
// once: a title note, a tax-included and a tax-excluded price column, and
// a rate column with a planted inconsistent row and an ambiguous rate.
func TestTaxPriceListGolden(t *testing.T) {
	t.Parallel()
	rows := []connectors.Row{
		row("报价", 1, text("恒通紧固件 2027年经销价（含13%增值税）")),
		row("报价", 2),
		row("报价", 3, text("货号"), text("品名"), text("单价（不含税）"), text("单价（含税）"), text("单位"), text("税率"), text("币种")),
		row("报价", 4, text("HT-M8"), text("六角螺栓 M8"), num("0.31"), num("0.35"), text("个"), text("13%"), text("人民币")),
		row("报价", 5, text("HT-M10"), text("六角螺栓 M10"), text("0.40"), text("0.45"), text("个"), text(""), text("人民币")),
		row("报价", 6, text("HT-SVC"), text("安装服务"), text("100.00"), text("106.00"), text("套"), text("6%"), text("人民币")),
		row("报价", 7, text("HT-BAD"), text("价格不符"), text("100.00"), text("120.00"), text("个"), text("13%"), text("人民币")),
		row("报价", 8, text("HT-AMB"), text("税率不明"), text("100.00"), text("113.00"), text("个"), num("0.13"), text("人民币")),
		row("报价", 9, text("合计")),
	}
	res := mapPriceList(t, rows, nil)
	checkGolden(t, "supplier-tax-price-list", rows, res)
	require.Equal(t, 3, res.Mapped)
	require.Equal(t, 2, res.Rejected)
	require.Equal(t, "prices include tax, tax rate 13% (column D (单价（含税）) and the note in A1 (恒通紧固件 2027年经销价（含13%增值税）))", res.Sheets[0].Tax)
}

// FuzzRate checks that every rate transform either refuses a value or
// returns a rate the canonical schema accepts, and that a header note
// never panics.
func FuzzRate(f *testing.F) {
	for _, s := range []string{"13%", "0.13", "13", "１３％", "-1", "1e2", "100.0%", "0.5", "", "%", "1,000%", "含13%增值税"} {
		f.Add(s)
	}
	valid := regexp.MustCompile(`^(100(\.0+)?|[0-9]{1,2}(\.[0-9]+)?)$`)
	f.Fuzz(func(t *testing.T, s string) {
		_ = readTaxNote(s, "x", true)
		_ = readTaxNote(s, "x", false)
		for _, fn := range []func(string) (string, error){Rate, RateFraction, RatePercent} {
			r, err := fn(s)
			if err == nil && !valid.MatchString(r) {
				t.Fatalf("%q → %q, not a schema tax rate", s, r)
			}
		}
	})
}

// TestTaxChangeAcrossImports maps a supplier's 含税 list and its next,
// 不含税 list and compares them as the publish step does: the dealer sees
// the price cut together with the changed basis.
func TestTaxChangeAcrossImports(t *testing.T) {
	t.Parallel()
	doc := func(rows []connectors.Row) map[string]any {
		res := mapPriceList(t, rows, nil)
		require.True(t, res.OK(), "%v %v", res.HeaderErrors, res.Errors())
		d := map[string]any{}
		for k, v := range res.Header {
			d[k] = v
		}
		d["lines"] = res.Valid()
		require.Empty(t, newRegistry(t).Validate("price_list", d), "the mapped list is canonical")
		return d
	}
	before := doc(textRows("", []string{"货号", "含税单价", "单位", "币种", "税率"}, []string{"A-1", "113.00", "个", "CNY", "13%"}))
	after := doc(textRows("", []string{"货号", "单价（不含税）", "单位", "币种"}, []string{"A-1", "100.00", "个", "CNY"}))
	cur, err := pricelist.FromDocument(before)
	require.NoError(t, err)
	next, err := pricelist.FromDocument(after)
	require.NoError(t, err)
	d, err := pricelist.Compute(cur, next, nil)
	require.NoError(t, err)
	require.Len(t, d.Changes, 2)
	require.Equal(t, pricelist.TaxChanged, d.Changes[0].Kind)
	down := d.Changes[1]
	require.Equal(t, pricelist.PriceDown, down.Kind)
	require.Equal(t, "-11.50", down.Percent)
	require.True(t, down.TaxBasisChanged)
	require.Equal(t, "true", down.OldTaxIncluded)
	require.Equal(t, "false", down.NewTaxIncluded)
	require.Equal(t, "0.00", down.PercentSameBasis, "100 before 13% tax is the old 113")
}
