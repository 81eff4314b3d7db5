package edifactmap

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
	"github.com/dealerhub/dealerhub/mappings/edimap/edimaptest"
)

// TestInterchangeRoundTrip writes each fixture as a real interchange
// with connectors/edifact (UNOY, so Chinese text goes on the wire as it
// is), reads it back and maps it again.
func TestInterchangeRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture, doctype string
		opts             Options
		syntax           string
	}{
		{"order.json", "order", Options{}, "UNOY"},
		{"order.json", "order", Options{DecimalComma: true}, "UNOW"},
		{"order_response.json", "order_response", Options{}, "UNOY"},
		{"shipment.json", "shipment", Options{}, "UNOY"},
		{"stock_level.json", "stock_level", Options{TimeZone: "+08:00"}, "UNOY"},
		{"price_list.json", "price_list", Options{}, "UNOY"},
		{"tracking_event.json", "tracking_event", Options{}, "UNOY"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture+"/"+tt.syntax, func(t *testing.T) {
			t.Parallel()
			want := edimaptest.ReadJSON(t, filepath.Join("testdata", "roundtrip", tt.fixture))
			out, err := FromCanonical(tt.doctype, want, tt.opts)
			require.NoError(t, err)
			var buf bytes.Buffer
			env := edifact.Envelope{
				Syntax: tt.syntax, Sender: connectors.EDIParty{Qualifier: "14", ID: "5400110000009"},
				Receiver: connectors.EDIParty{Qualifier: "14", ID: "5013546107732"},
				Date:     time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC), Control: "42", Agreement: "EANCOM",
			}
			require.NoError(t, edifact.Write(&buf, env, []edifact.OutMessage{{
				Type: out.Type, Version: out.Version, Release: out.Release, Agency: out.Agency,
				Association: out.Association, Body: out.Body,
			}}))
			f, err := edifact.Read(&buf, edifact.Options{})
			require.NoError(t, err)
			require.Len(t, f.Interchanges, 1)
			msgs := f.Interchanges[0].Groups[0].Messages
			require.Len(t, msgs, 1)
			require.Empty(t, msgs[0].Errors, "the reader found problems in what was written")
			require.Equal(t, "D96A", msgs[0].Version)
			docs, err := ToCanonical(msgs[0].EDITransaction, tt.opts)
			require.NoError(t, err)
			require.Len(t, docs, 1)
			require.Equal(t, edimaptest.AsJSON(t, want), edimaptest.AsJSON(t, docs[0].Body))
		})
	}
}
