package edifactmap

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/mappings/edimap/edimaptest"
)

// TestRoundTrip writes each canonical fixture as EDIFACT and reads it
// back: every field the message carries must come back the same.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture, doctype, typ string
		opts                  Options
	}{
		{"order.json", "order", "ORDERS", Options{}},
		{"order.json", "order", "ORDERS", Options{DecimalComma: true, NoteQualifier: "PUR"}},
		{"order_response.json", "order_response", "ORDRSP", Options{}},
		{"shipment.json", "shipment", "DESADV", Options{}},
		{"stock_level.json", "stock_level", "INVRPT", Options{TimeZone: "+08:00"}},
		{"stock_level.json", "stock_level", "INVRPT", Options{TimeZone: "Asia/Shanghai", AsOfDateQualifiers: []string{"137"}}},
		{"price_list.json", "price_list", "PRICAT", Options{}},
		{"tracking_event.json", "tracking_event", "IFTSTA", Options{}},
		{"tracking_event_partner_codes.json", "tracking_event", "IFTSTA",
			Options{TimeZone: "+08:00", StatusCodes: map[string]string{"X1": "out_for_delivery"}}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			want := edimaptest.ReadJSON(t, filepath.Join("testdata", "roundtrip", tt.fixture))
			requireValid(t, tt.doctype, want)
			out, err := FromCanonical(tt.doctype, want, tt.opts)
			require.NoError(t, err)
			require.Equal(t, tt.typ, out.Type)
			require.Equal(t, []string{"D", "96A", "UN"}, []string{out.Version, out.Release, out.Agency})
			require.NotEmpty(t, out.Association)
			docs, err := ToCanonical(message(out.Type, out.Body...), tt.opts)
			require.NoError(t, err)
			require.Len(t, docs, 1)
			require.Equal(t, tt.doctype, docs[0].Doctype)
			require.Equal(t, edimaptest.AsJSON(t, want), edimaptest.AsJSON(t, docs[0].Body))
		})
	}
}
