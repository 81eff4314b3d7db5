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
