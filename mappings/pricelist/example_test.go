package pricelist_test

import (
	"fmt"

	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

func ExampleCompute() {
	current := []pricelist.Line{
		{SKU: "A-100", Unit: "EA", UnitPrice: "100.00", Currency: "CNY"},
		{SKU: "B-200", Unit: "EA", UnitPrice: "80", Currency: "CNY"},
		{SKU: "C-300", Unit: "BX", UnitPrice: "12.5", Currency: "CNY"},
		{SKU: "D-400", Unit: "EA", UnitPrice: "3", Currency: "CNY"},
		{SKU: "E-500", Unit: "EA", UnitPrice: "7", Currency: "CNY"},
	}
	next := []pricelist.Line{
		{SKU: "A-100", Unit: "EA", UnitPrice: "105", Currency: "CNY"},
		{SKU: "B-200", Unit: "EA", UnitPrice: "70.00", Currency: "CNY"},
		{SKU: "C-300", Unit: "BX", UnitPrice: "12.50", Currency: "CNY"},
		{SKU: "F-600", Unit: "EA", UnitPrice: "9.90", Currency: "CNY"},
	}
	// E-500's row was in the new file but rejected for an error: not removed.
	diff, err := pricelist.Compute(current, next, map[string]bool{"E-500": true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range diff.Changes {
		fmt.Printf("%s %s old=%q new=%q percent=%q\n", c.SKU, c.Kind, c.OldPrice, c.NewPrice, c.Percent)
	}
	fmt.Println("unchanged:", diff.Unchanged, "rejected:", diff.Rejected)

	// A dealer that stocks B-200 and C-300 hears only of B-200.
	dealer := diff.ForSKUs(map[string]bool{"B-200": true, "C-300": true})
	fmt.Println("dealer:", len(dealer.Changes), dealer.Changes[0].SKU, dealer.Changes[0].Percent)
	// Output:
	// A-100 price_up old="100.00" new="105" percent="+5.00"
	// B-200 price_down old="80" new="70.00" percent="-12.50"
	// D-400 removed old="3" new="" percent=""
	// F-600 added old="" new="9.90" percent=""
	// unchanged: 1 rejected: 1
	// dealer: 1 B-200 -12.50
}

func ExampleFromDocument() {
	doc := map[string]any{
		"sender": "acme", "external_id": "PL-7", "currency": "CNY", "valid_from": "2026-01-01",
		"lines": []any{
			map[string]any{"sku": "A-100", "unit": "EA", "unit_price": "1234.00",
				"tiers": []any{map[string]any{"min_quantity": "100", "unit_price": "1200"}}},
		},
	}
	lines, err := pricelist.FromDocument(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%+v\n", lines[0])
	// Output:
	// {SKU:A-100 Unit:EA UnitPrice:1234.00 Currency:CNY MinQuantity: Tiers:[{MinQuantity:100 UnitPrice:1200}] ValidFrom:2026-01-01 ValidTo:}
}
