package pricelist

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFromDocument(t *testing.T) {
	t.Parallel()
	// As encoding/json decodes a canonical document: []any everywhere.
	var decoded map[string]any
	require.NoError(t, json.Unmarshal([]byte(`{
		"sender": "acme", "external_id": "PL-2026", "currency": "CNY",
		"valid_from": "2026-01-01", "valid_to": "2026-06-30",
		"lines": [
			{"sku": "A-1", "unit": "EA", "unit_price": "1234.00", "min_quantity": "10",
			 "tiers": [{"min_quantity": "100", "unit_price": "1200"}]},
			{"sku": "B-2", "unit": "BX", "unit_price": "8.5", "valid_from": "2026-03-01", "description": "箱"}
		]}`), &decoded))
	// As the mapping engine builds it: []map[string]any lines are accepted too.
	built := map[string]any{"currency": "CNY", "valid_from": "2026-01-01", "valid_to": "2026-06-30",
		"lines": []map[string]any{
			{"sku": "A-1", "unit": "EA", "unit_price": "1234.00", "min_quantity": "10",
				"tiers": []any{map[string]any{"min_quantity": "100", "unit_price": "1200"}}},
			{"sku": "B-2", "unit": "BX", "unit_price": "8.5", "valid_from": "2026-03-01"},
		}}
	want := []Line{
		{SKU: "A-1", Unit: "EA", UnitPrice: "1234.00", Currency: "CNY", MinQuantity: "10",
			Tiers: []Tier{{MinQuantity: "100", UnitPrice: "1200"}}, ValidFrom: "2026-01-01", ValidTo: "2026-06-30"},
		{SKU: "B-2", Unit: "BX", UnitPrice: "8.5", Currency: "CNY", ValidFrom: "2026-03-01", ValidTo: "2026-06-30"},
	}
	for name, doc := range map[string]map[string]any{"decoded": decoded, "built": built} {
		got, err := FromDocument(doc)
		require.NoError(t, err, name)
		require.Equal(t, want, got, name)
	}
}

func TestFromDocumentTax(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(`{
		"currency": "CNY", "valid_from": "2026-01-01", "tax_included": true, "tax_rate": "13",
		"lines": [
			{"sku": "A", "unit": "EA", "unit_price": "113"},
			{"sku": "B", "unit": "EA", "unit_price": "100", "tax_included": false},
			{"sku": "C", "unit": "EA", "unit_price": "106", "tax_rate": "6"},
			{"sku": "D", "unit": "EA", "unit_price": "1", "tax_included": null}
		]}`), &doc))
	got, err := FromDocument(doc)
	require.NoError(t, err)
	type basis struct{ included, rate string }
	var bases []basis
	for _, l := range got {
		bases = append(bases, basis{l.TaxIncluded, l.TaxRate})
	}
	require.Equal(t, []basis{{"true", "13"}, {"false", "13"}, {"true", "6"}, {"true", "13"}}, bases,
		"a line's own tax_included and tax_rate override the list's; null is absent")

	// Without a header basis a line has only its own.
	got, err = FromDocument(map[string]any{"lines": []any{map[string]any{"sku": "A", "unit_price": "1", "tax_included": false}}})
	require.NoError(t, err)
	require.Equal(t, "false", got[0].TaxIncluded)
	require.Empty(t, got[0].TaxRate)
}

func TestParseTax(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ body, included, rate, err string }{
		{`{"sku":"A","unit_price":"1"}`, "", "", ""},
		{`{"sku":"A","tax_included":true,"tax_rate":"13"}`, "true", "13", ""},
		{`{"sku":"A","tax_included":false}`, "false", "", ""},
		{`{"sku":"A","attributes":{"tax_note":"x"}}`, "", "", ""},
		{`{"sku":"A","tax_included":null,"tax_rate":"9"}`, "", "9", ""},
		{`{"sku":"A","tax_included":"true"}`, "", "", "reading tax_included and tax_rate"},
		{`{"tax_rate":13}`, "", "", "reading tax_included and tax_rate"},
	} {
		inc, rate, err := ParseTax([]byte(tc.body))
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err, tc.body)
			continue
		}
		require.NoError(t, err, tc.body)
		require.Equal(t, tc.included, inc, tc.body)
		require.Equal(t, tc.rate, rate, tc.body)
	}
	l := Line{SKU: "A", TaxRate: "6"}.WithListTax("true", "13")
	require.Equal(t, "true", l.TaxIncluded)
	require.Equal(t, "6", l.TaxRate, "the line's own rate wins")
}

func TestFromDocumentErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		doc  map[string]any
		msg  string
	}{
		{"no lines", map[string]any{"currency": "CNY"}, "reading /lines: the document has no lines"},
		{"lines not an array", map[string]any{"lines": "x"}, "reading /lines: want an array of objects, got string"},
		{"line not an object", map[string]any{"lines": []any{map[string]any{"sku": "A", "unit_price": "1"}, 3.0}},
			"reading /lines/1: want an object, got float64"},
		{"float price", map[string]any{"lines": []any{map[string]any{"sku": "A", "unit_price": 12.5}}},
			`reading /lines/0: unit_price: want a string (decimals are written as strings such as "12.50"), got float64 12.5`},
		{"no SKU", map[string]any{"lines": []any{map[string]any{"unit_price": "1"}}}, "reading /lines/0/sku: the line has no SKU"},
		{"currency not a string", map[string]any{"currency": 1, "lines": []any{}}, "reading the list's header: currency: want a string"},
		{"tier price a number", map[string]any{"lines": []any{map[string]any{"sku": "A", "unit_price": "1",
			"tiers": []any{map[string]any{"min_quantity": "5", "unit_price": 1}}}}},
			"reading /lines/0/tiers/0: unit_price: want a string"},
		{"tax_included as text", map[string]any{"tax_included": "true", "lines": []any{}},
			"reading the list's header: tax_included: want true or false, got string true"},
		{"line tax_rate a number", map[string]any{"lines": []any{map[string]any{"sku": "A", "unit_price": "1", "tax_rate": 13.0}}},
			"reading /lines/0: tax_rate: want a string"},
		{"line tax_included a number", map[string]any{"lines": []any{map[string]any{"sku": "A", "unit_price": "1", "tax_included": 1.0}}},
			"reading /lines/0: tax_included: want true or false, got float64 1"},
		{"tiers not an array", map[string]any{"lines": []any{map[string]any{"sku": "A", "unit_price": "1", "tiers": "x"}}},
			"reading /lines/0/tiers: want an array of objects, got string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := FromDocument(tc.doc)
			require.ErrorContains(t, err, tc.msg)
		})
	}
}
