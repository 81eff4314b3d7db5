package edifactmap

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap/edimaptest"
)

// mapOne maps a message that must give exactly one document.
func mapOne(t *testing.T, typ string, o Options, body ...connectors.EDISegment) map[string]any {
	t.Helper()
	docs, err := ToCanonical(message(typ, body...), o)
	require.NoError(t, err)
	require.Len(t, docs, 1)
	return edimaptest.AsJSON(t, docs[0].Body).(map[string]any)
}

func TestOrdersReading(t *testing.T) {
	t.Parallel()
	head := func(fn string) []connectors.EDISegment {
		return []connectors.EDISegment{
			sg("BGM", "220", "PO9", fn),
			sg("DTM", cp("137", "991231", "101")),
			sg("DTM", cp("64", "20260101-20260110", "718")),
			sg("FTX", "AAB", "", "", cp("30 DAYS ", "NET")),
			sg("FTX", "ZZZ", "", "", "FIRST"),
			sg("FTX", "PUR", "", "", "SECOND"),
			sg("RFF", cp("CT", "K-1")), sg("DTM", cp("171", "20250101", "102")),
			sg("NAD", "BY", cp("5400110000009", "", "9"), "", "BUYER CO"),
			sg("RFF", cp("VA", "CN123")), sg("DTM", cp("2", "20990101", "102")),
			sg("CTA", "OC", cp("", "ZHANG")),
			sg("NAD", "DP", cp("DEPOT-7", "", "92"), cp("DEPOT SEVEN", "1 QUAY ROAD", "DOCKLANDS")),
			sg("NAD", "IV", "", "", cp("ACME", "FINANCE"), "", "", "", "", "GB"),
			sg("CUX", cp("2", "EUR", "9")),
		}
	}
	line := []connectors.EDISegment{
		sg("LIN", "1", "", cp("5400111864181", "EN")),
		sg("PIA", "1", cp("8641800", "BP"), cp("X-9", "MF")),
		sg("IMD", "F", "", cp("", "", "", "LONG DESCRIPTION PART ONE ", "PART TWO ")),
		sg("IMD", "F", "", cp("", "", "", "PART THREE")),
		sg("IMD", "C", "", cp("CU", "", "9", "OTHER")),
		sg("QTY", cp("21", "0012,50", "PCS")),
		sg("DTM", cp("2", "20260201", "102")),
		sg("PRI", cp("AAB", "1280", "", "", "100")),
		sg("DTM", cp("194", "20270101", "102")),
		sg("SCC", "1"), sg("QTY", cp("1", "99")), sg("DTM", cp("2", "20300101", "102")),
	}
	o := Options{Units: map[string]string{"PCS": "PCE"}}

	got := mapOne(t, "ORDERS", o, append(head("5"), line...)...)
	want := edimaptest.AsJSON(t, map[string]any{
		"external_id":    "PO9",
		"status":         "sent",
		"order_date":     "1999-12-31",
		"requested_date": "2026-01-01",
		"payment_terms":  "30 DAYS NET",
		"note":           "FIRST\nSECOND",
		"buyer_contact":  "ZHANG",
		"currency":       "EUR",
		"ship_to":        map[string]any{"name": "DEPOT SEVEN", "address_lines": []any{"1 QUAY ROAD", "DOCKLANDS"}},
		"bill_to":        map[string]any{"name": "ACME FINANCE", "country": "GB"},
		"lines": []any{map[string]any{
			"line_no": 1, "sku": "5400111864181", "gtin": "5400111864181", "buyer_sku": "8641800",
			"description": "LONG DESCRIPTION PART ONE PART TWO PART THREE",
			"quantity":    "12.50", "unit": "PCE", "unit_price": "12.8", "requested_date": "2026-02-01",
		}},
		"extensions": map[string]any{
			"edifact.message_function":         "5",
			"edifact.buyer_gln":                "5400110000009",
			"edifact.buyer_name":               "BUYER CO",
			"edifact.delivery_party_id":        "DEPOT-7",
			"edifact.delivery_party_id_agency": "92",
			"edifact.sku_from":                 "gtin",
		},
	})
	require.Equal(t, want, got)

	got = mapOne(t, "ORDERS", o, append(head("1"), line...)...)
	require.Equal(t, "cancelled", got["status"])
	require.NotContains(t, got["extensions"], "edifact.message_function")
}

func TestOrdersPricesAndParties(t *testing.T) {
	t.Parallel()
	base := orderBody()
	tests := []struct {
		name   string
		prices []connectors.EDISegment
		price  string
		gross  string
	}{
		{"net", []connectors.EDISegment{sg("PRI", cp("AAA", "9,25"))}, "9.25", ""},
		{"gross only", []connectors.EDISegment{sg("PRI", cp("AAB", "10"))}, "10", ""},
		{"net and gross", []connectors.EDISegment{sg("PRI", cp("AAB", "10")), sg("PRI", cp("AAA", "9.25", "", "", "1"))}, "9.25", "10"},
		{"none", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := append(append(append([]connectors.EDISegment(nil), base[:6]...), tt.prices...), base[7:]...)
			got := mapOne(t, "ORDERS", Options{}, body...)
			l := got["lines"].([]any)[0].(map[string]any)
			if tt.price == "" {
				require.NotContains(t, l, "unit_price")
			} else {
				require.Equal(t, tt.price, l["unit_price"])
			}
			ext, _ := got["extensions"].(map[string]any)
			if tt.gross == "" {
				require.NotContains(t, ext, "edifact.line.1.gross_price")
			} else {
				require.Equal(t, tt.gross, ext["edifact.line.1.gross_price"])
			}
		})
	}
}

func TestOrdersOptionQualifiers(t *testing.T) {
	t.Parallel()
	o := Options{
		SKUQualifiers:           []string{"MF"},
		BuyerSKUQualifiers:      []string{"ZZ"},
		GTINQualifiers:          []string{"UP"},
		DocumentDateQualifiers:  []string{"4"},
		RequestedDateQualifiers: []string{"10"},
		DefaultUnit:             "EA",
	}
	got := mapOne(t, "ORDERS", o,
		sg("BGM", "220", "PO1", "9"),
		sg("DTM", cp("137", "20990101", "102")),
		sg("DTM", cp("4", "20260105", "102")),
		sg("DTM", cp("10", "20260107", "102")),
		sg("LIN", "1", "", cp("012345678905", "UP")),
		sg("PIA", "5", cp("SA-1", "SA"), cp("MF-1", "MF"), cp("B-1", "ZZ")),
		sg("QTY", cp("21", "3")),
	)
	require.Equal(t, "2026-01-05", got["order_date"])
	require.Equal(t, "2026-01-07", got["requested_date"])
	require.Equal(t, map[string]any{
		"line_no": 1.0, "sku": "MF-1", "buyer_sku": "B-1", "gtin": "012345678905", "quantity": "3", "unit": "EA",
	}, got["lines"].([]any)[0])

	out, err := FromCanonical("order", got, o)
	require.NoError(t, err)
	require.Equal(t, "BGM+220+PO1+9'\nDTM+4:20260105:102'\nDTM+10:20260107:102'\n"+
		"LIN+1++012345678905:UP'\nPIA+5+MF-1:MF'\nPIA+1+B-1:ZZ'\nQTY+21:3'\nUNS+S'\nCNT+2:1'\n", render(out.Body))
}
