package store_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

// The notification's data names the publication first, field by field, as
// it did before PriceListRef was embedded.
func TestPriceNotificationDataNamesThePublicationFirst(t *testing.T) {
	t.Parallel()
	pl := store.PriceList{ID: "pl-2", DocumentID: "doc-1", Version: 2, Supplier: "acme", ExternalID: "PL-2", Currency: "CNY",
		ValidFrom: "2026-12-01", Status: store.PriceListUpcoming}
	n := store.PriceNotification("dlr", pl, []pricelist.Change{{SKU: "A", Kind: pricelist.Added}})
	want := `{"price_list":"pl-2","document_id":"doc-1","version":2,"supplier":"acme","external_id":"PL-2",` +
		`"currency":"CNY","valid_from":"2026-12-01","status":"upcoming","counts":`
	require.Equal(t, want, string(n.Data[:len(want)]))
	ref, err := json.Marshal(pl.Ref())
	require.NoError(t, err)
	require.JSONEq(t, `{"price_list":"pl-2","document_id":"doc-1","version":2,"supplier":"acme","external_id":"PL-2",
		"currency":"CNY","valid_from":"2026-12-01"}`, string(ref))
}
