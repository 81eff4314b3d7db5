// Package pricelist computes what changed between two price lists of one
// supplier: new SKUs, removed SKUs, prices up or down with their percent,
// changed units, minimum quantities and quantity-break tiers. It is a pure
// computation over decimal strings (never float64); storing the result and
// notifying dealers belong to the hub's publish step.
//
// A list is keyed by SKU alone: a line whose unit changed is reported as one
// UnitChanged change, not as a removed and an added line. Two lists in
// different currencies cannot be compared, and Compute says so with
// ErrCurrencyChanged. Lines also carry their tax basis (prices with tax
// or before it, and the rate): a SKU whose basis changed gets a TaxChanged
// change, and its price changes say TaxBasisChanged, with the change
// restated on one basis where the rates allow (PercentSameBasis), so that
// "-11.50%" is never read as a price cut when tax is merely no longer
// included.
//
// Usage:
//
//	current, err := pricelist.FromDocument(publishedDoc)
//	if err != nil { ... }
//	next, err := pricelist.FromDocument(newDoc)
//	if err != nil { ... }
//	diff, err := pricelist.Compute(current, next, rejectedSKUs)
//	if err != nil { ... }
//	for _, c := range diff.ForSKUs(dealerSKUs).Changes {
//		fmt.Println(c.SKU, c.Kind, c.OldPrice, "→", c.NewPrice, c.Percent)
//	}
package pricelist
