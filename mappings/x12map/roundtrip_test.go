package x12map_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/mappings/edimap/edimaptest"
	"github.com/dealerhub/dealerhub/mappings/x12map"
)

// TestRoundTrip writes each canonical fixture as X12 (through the x12
// writer and reader, as bytes), maps it back and expects the same
// document, field by field.
func TestRoundTrip(t *testing.T) {
	cases := []struct {
		doctype string
		typ     string
		opts    x12map.Options
	}{
		{"order", "850", x12map.Options{}},
		{"order_response", "855", x12map.Options{}},
		{"shipment", "856", x12map.Options{}},
		{"shipment", "856", x12map.Options{SSCCPlain: true, Version: "005010"}},
		{"stock_level", "846", x12map.Options{}},
		{"price_list", "832", x12map.Options{}},
		{"product", "832", x12map.Options{CatalogDocs: []string{"product"}}},
		{"tracking_event", "214", x12map.Options{}},
	}
	for _, c := range cases {
		t.Run(c.doctype+"/"+c.opts.Version, func(t *testing.T) {
			t.Parallel()
			want := edimaptest.ReadJSON(t, filepath.Join("testdata", "roundtrip/"+c.doctype+".json"))
			validate(t, c.doctype, want)
			out, err := x12map.FromCanonical(c.doctype, want, c.opts)
			require.NoError(t, err)
			require.Equal(t, c.typ, out.Type)
			tx := throughBytes(t, out)
			docs, err := x12map.ToCanonical(tx, c.opts)
			require.NoError(t, err)
			require.Len(t, docs, 1)
			require.Equal(t, c.doctype, docs[0].Doctype)
			require.Equal(t, edimaptest.AsJSON(t, want), edimaptest.AsJSON(t, docs[0].Body))
		})
	}
}
