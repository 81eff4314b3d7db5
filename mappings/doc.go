// Package mappings turns the neutral records that formats produce into
// canonical documents.
//
// The spreadsheet mapping engine reads connectors.Row values (from the csv
// and xlsx formats), finds each sheet's header row by a built-in table of
// Chinese and English header synonyms (or a partner's mapping file), turns
// cells into canonical values with pure transforms (Decimal, Percent, Date,
// Unit ...), validates every line against the canonical schema, and reports
// each bad cell as a FieldError naming the sheet, Excel row, column letter,
// header, value and reason. Errors never stop the scan.
//
// A price_list becomes one document header plus lines; product and
// stock_level rows become one document each. A price list's tax basis
// (tax_included, tax_rate) is read from its price column's header (含税单价,
// 单价(不含税), "Price incl. VAT", "Net price"), a title note (含13%增值税),
// tax columns (税率, 是否含税) or the mapping; see tax.go for the rules,
// including the ambiguous "0.13" and files with both a tax-included and a
// tax-excluded price.
//
//	reg, _ := schemas.New()
//	m, err := mappings.ParseMapping(reg, yamlBytes) // or mappings.DefaultMapping("price_list")
//	eng := mappings.NewEngine(reg)
//	res, err := eng.MapRows(ctx, rows, m, mappings.Options{Partner: "acme", File: "prices.xlsx"})
//	for _, rec := range res.Records {
//		if len(rec.Errors) > 0 { /* report rec.Errors */ }
//	}
//
// Suggest proposes a mapping file for an unknown layout, with the
// confidence of each column match.
package mappings
