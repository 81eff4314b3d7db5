package store_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

func TestPriceLineTaxFromBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body      string
		included, rate  string
		listIncl, listR string // the list's basis, applied after
		wantIncl, wantR string
	}{
		{name: "no tax fields", body: `{"sku":"A","unit":"EA","unit_price":"1"}`},
		{name: "the line's own basis", body: `{"sku":"A","unit":"EA","unit_price":"1","tax_included":true,"tax_rate":"13"}`,
			included: "true", rate: "13", listIncl: "false", listR: "9", wantIncl: "true", wantR: "13"},
		{name: "excluded", body: `{"sku":"A","unit":"EA","unit_price":"1","tax_included":false}`,
			included: "false", listR: "13", wantIncl: "false", wantR: "13"},
		{name: "the list's basis fills the gaps", body: `{"sku":"A","unit":"EA","unit_price":"1"}`,
			listIncl: "true", listR: "13", wantIncl: "true", wantR: "13"},
		{name: "an unreadable body leaves the basis unknown", body: `{"sku":"A","tax_included":"yes"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pl := store.PriceLine{LineNo: 1, SKU: "A", Unit: "EA", UnitPrice: "1", Body: json.RawMessage(tc.body)}
			l := pl.Line()
			require.Equal(t, pricelist.Line{SKU: "A", Unit: "EA", UnitPrice: "1", TaxIncluded: tc.included, TaxRate: tc.rate}, l)
			l = l.WithListTax(tc.listIncl, tc.listR)
			require.Equal(t, tc.wantIncl, l.TaxIncluded)
			require.Equal(t, tc.wantR, l.TaxRate)
		})
	}
}

func TestPriceNotificationCountsTaxChanges(t *testing.T) {
	t.Parallel()
	pl := store.PriceList{ID: "pl-2", DocumentID: "doc-1", Version: 2, Supplier: "acme", ExternalID: "PL-2", Currency: "CNY",
		ValidFrom: "2026-12-01", Status: store.PriceListCurrent}
	cur := []pricelist.Line{
		{SKU: "A", Unit: "EA", UnitPrice: "113", TaxIncluded: "true", TaxRate: "13"},
		{SKU: "B", Unit: "EA", UnitPrice: "10", TaxIncluded: "true", TaxRate: "13"},
	}
	next := []pricelist.Line{
		{SKU: "A", Unit: "EA", UnitPrice: "100", TaxIncluded: "false", TaxRate: "13"},
		{SKU: "B", Unit: "EA", UnitPrice: "10", TaxIncluded: "true", TaxRate: "9"},
	}
	d, err := pricelist.Compute(cur, next, nil)
	require.NoError(t, err)
	n := store.PriceNotification("dlr", pl, d.Changes)
	require.Equal(t, "acme price list PL-2 from 2026-12-01: 2 of your SKUs changed (1 down, 2 other changes)", n.Title)
	var data struct {
		Counts  pricelist.Counts   `json:"counts"`
		Changes []pricelist.Change `json:"changes"`
	}
	require.NoError(t, json.Unmarshal(n.Data, &data))
	require.Equal(t, pricelist.Counts{PriceDown: 1, TaxChanged: 2, ChangedSKUs: 2}, data.Counts)
	require.Len(t, data.Changes, 3)
	down := data.Changes[1]
	require.Equal(t, pricelist.PriceDown, down.Kind)
	require.True(t, down.TaxBasisChanged, "the cut says that tax is no longer included")
	require.Equal(t, "-11.50", down.Percent)
	require.Equal(t, "0.00", down.PercentSameBasis)
	require.Equal(t, []string{"true", "false"}, []string{down.OldTaxIncluded, down.NewTaxIncluded})
}
