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
		"tax_included": true, "tax_rate": "13",
		"lines": []any{
			map[string]any{"sku": "A-100", "unit": "EA", "unit_price": "1234.00",
				"tiers": []any{map[string]any{"min_quantity": "100", "unit_price": "1200"}}},
			map[string]any{"sku": "S-1", "unit": "EA", "unit_price": "50", "tax_rate": "6"},
		},
	}
	lines, err := pricelist.FromDocument(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range lines {
		fmt.Printf("%+v\n", l)
	}
	// Output:
	// {SKU:A-100 Unit:EA UnitPrice:1234.00 Currency:CNY MinQuantity: Tiers:[{MinQuantity:100 UnitPrice:1200}] TaxIncluded:true TaxRate:13 ValidFrom:2026-01-01 ValidTo:}
	// {SKU:S-1 Unit:EA UnitPrice:50 Currency:CNY MinQuantity: Tiers:[] TaxIncluded:true TaxRate:6 ValidFrom:2026-01-01 ValidTo:}
}

// A supplier that quoted 含税 (13% VAT) prices now quotes them before tax:
// the price change is reported, and says that its basis changed and what
// it is once the new price is restated with tax.
func ExampleCompute_taxBasis() {
	current := []pricelist.Line{{SKU: "A-100", Unit: "EA", UnitPrice: "113.00", TaxIncluded: "true", TaxRate: "13"}}
	next := []pricelist.Line{{SKU: "A-100", Unit: "EA", UnitPrice: "100.00", TaxIncluded: "false", TaxRate: "13"}}
	diff, err := pricelist.Compute(current, next, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range diff.Changes {
		fmt.Printf("%s %s %s→%s percent=%q tax_basis_changed=%v tax_included %s→%s same_basis=%q\n",
			c.SKU, c.Kind, c.OldPrice, c.NewPrice, c.Percent, c.TaxBasisChanged, c.OldTaxIncluded, c.NewTaxIncluded, c.PercentSameBasis)
	}
	// Output:
	// A-100 tax_changed 113.00→100.00 percent="" tax_basis_changed=true tax_included true→false same_basis="0.00"
	// A-100 price_down 113.00→100.00 percent="-11.50" tax_basis_changed=true tax_included true→false same_basis="0.00"
}
