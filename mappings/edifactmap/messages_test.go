package edifactmap

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap/edimaptest"
)

// mapAll maps a message and returns its documents as decoded JSON.
func mapAll(t *testing.T, typ string, o Options, body ...connectors.EDISegment) []Doc {
	t.Helper()
	docs, err := ToCanonical(message(typ, body...), o)
	require.NoError(t, err)
	for i := range docs {
		docs[i].Body = edimaptest.AsJSON(t, docs[i].Body).(map[string]any)
		requireValid(t, docs[i].Doctype, docs[i].Body)
	}
	return docs
}

func TestInvrptGivesALevelPerLineAndLocation(t *testing.T) {
	t.Parallel()
	docs := mapAll(t, "INVRPT", Options{StockQuantities: map[string]string{"17": "available"}},
		sg("BGM", "35", "INV-9", "9"),
		sg("DTM", cp("137", "202601050900", "203")),
		sg("DTM", cp("366", "202601050800", "203")),
		sg("NAD", "GY", cp("5400110000009", "", "9")),
		sg("LOC", "18", "MAIN"),
		// line 1: two warehouses, EANCOM 1997 order QTY-LOC-DTM
		sg("LIN", "1", "", cp("4006381333931", "EN")), // 8
		sg("PIA", "5", cp("DR-100", "SA"), cp("B-778", "IN")),
		sg("QTY", cp("145", "12")), sg("LOC", "18", "WH-A"), sg("DTM", cp("366", "202601042300", "203")),
		sg("QTY", cp("145", "-2,5", "KGM")), sg("LOC", "18", cp("", "", "", "Store 2")),
		sg("QTY", cp("17", "7")), sg("LOC", "18", "WH-A"),
		sg("QTY", cp("198", "40")), sg("LOC", "18", "WH-A"),
		sg("QTY", cp("999", "1")), sg("LOC", "18", "WH-A"),
		// line 2: the header's location and time
		sg("LIN", "2"), sg("PIA", "5", cp("BIT", "SA")), sg("QTY", cp("145", "0")), // 21
	)
	require.Len(t, docs, 3)
	require.Equal(t, []int{8, 8, 21}, []int{docs[0].Pos, docs[1].Pos, docs[2].Pos})
	ext := map[string]any{"edifact.document_number": "INV-9", "edifact.inventory_reporter_gln": "5400110000009"}
	withExt := func(extra map[string]any) map[string]any {
		m := map[string]any{}
		for k, v := range ext {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	require.Equal(t, edimaptest.AsJSON(t, map[string]any{
		"external_id": "WH-A:B-778", "location": "WH-A", "sku": "B-778", "supplier_sku": "DR-100", "gtin": "4006381333931",
		"on_hand": "12", "available": "7", "on_order": "40", "unit": "PCE", "as_of": "2026-01-04T23:00:00Z",
		"extensions": withExt(map[string]any{"edifact.qty.999": "1"}),
	}), docs[0].Body)
	require.Equal(t, edimaptest.AsJSON(t, map[string]any{
		"external_id": "Store 2:B-778", "location": "Store 2", "sku": "B-778", "supplier_sku": "DR-100", "gtin": "4006381333931",
		"on_hand": "-2.5", "unit": "KGM", "as_of": "2026-01-05T08:00:00Z", "extensions": ext,
	}), docs[1].Body)
	require.Equal(t, edimaptest.AsJSON(t, map[string]any{
		"external_id": "MAIN:BIT", "location": "MAIN", "sku": "BIT", "supplier_sku": "BIT",
		"on_hand": "0", "unit": "PCE", "as_of": "2026-01-05T08:00:00Z", "extensions": ext,
	}), docs[2].Body)
}

func TestPricatTiersProductsAndDeletedLines(t *testing.T) {
	t.Parallel()
	body := []connectors.EDISegment{
		sg("BGM", "9", "PL1", "9"),
		sg("DTM", cp("137", "20260101", "102")),
		sg("CUX", cp("2", "USD", "10")),
		sg("LIN", "1", "1", cp("4006381333931", "EN")),
		sg("PIA", "5", cp("DR-100", "SA")),
		sg("IMD", "F", "", cp("", "", "", "DRILL")),
		sg("QTY", cp("52", "6")),
		sg("PRI", cp("AAA", "400")), sg("QTY", cp("53", "100")),
		sg("PRI", cp("AAA", "450,00", "", "", "", "PCE")),
		sg("PRI", cp("AAA", "4200", "", "", "10")), sg("RNG", "4", cp("PCE", "50", "99")),
		sg("PRI", cp("AAB", "500")),
		sg("LIN", "2", "2", cp("4006381333948", "EN")),
		sg("PRI", cp("AAB", "9.5")),
		sg("LIN", "3"), sg("PIA", "5", cp("GROSS", "SA")), sg("PRI", cp("AAB", "7")),
	}
	docs := mapAll(t, "PRICAT", Options{CatalogDocs: []string{"price_list", "product"}}, body...)
	require.Len(t, docs, 4)
	require.Equal(t, []string{"price_list", "product", "product", "product"},
		[]string{docs[0].Doctype, docs[1].Doctype, docs[2].Doctype, docs[3].Doctype})
	pl := docs[0].Body
	require.Equal(t, "2026-01-01", pl["valid_from"], "valid from falls back to the document date")
	require.Equal(t, edimaptest.AsJSON(t, []any{
		map[string]any{"sku": "DR-100", "gtin": "4006381333931", "description": "DRILL", "unit": "PCE", "unit_price": "450.00",
			"tiers": []any{
				map[string]any{"min_quantity": "50", "unit_price": "420"},
				map[string]any{"min_quantity": "100", "unit_price": "400"},
			}},
		map[string]any{"sku": "GROSS", "unit": "PCE", "unit_price": "7"},
	}), pl["lines"], "the deleted line is left out; AAB is the price when there is no AAA")
	require.Equal(t, edimaptest.AsJSON(t, map[string]any{
		"external_id": "DR-100", "sku": "DR-100", "gtin": "4006381333931", "name": "DRILL", "description": "DRILL",
		"unit": "PCE", "pack_quantity": "6",
	}), docs[1].Body)
	require.Equal(t, "discontinued", docs[2].Body["status"])
	require.Equal(t, "4006381333948", docs[2].Body["name"], "a product without description is named by its sku")

	docs = mapAll(t, "PRICAT", Options{CatalogDocs: []string{"product"}}, body...)
	require.Len(t, docs, 3)
}

func TestIftstaGivesAnEventPerStatus(t *testing.T) {
	t.Parallel()
	docs := mapAll(t, "IFTSTA", Options{TimeZone: "Asia/Shanghai"},
		sg("BGM", "23", "MSG7", "9"),
		sg("DTM", cp("137", "202601190800", "203")),
		sg("NAD", "CA", cp("6901234000004", "", "9"), "", "SF"),
		sg("CNI", "1", "CONS-1"),
		sg("RFF", cp("AAK", "ASN-5001")), sg("RFF", cp("BM", "BL-1")),
		sg("STS", "1", "13"), sg("DTM", cp("334", "202601180800", "203")), // 9
		sg("STS", "1", cp("21", "", "", "DELIVERED"), cp("R1", "", "", "LEFT AT DOOR")), // 11
		sg("RFF", cp("CN", "SF123")),
		sg("DTM", cp("334", "202601191015+0100", "205")),
		sg("LOC", "7", cp("CNSHA", "139", "6", "SHANGHAI DEPOT"), cp("", "", "", "上海")),
		sg("CNI", "2", "ASN-2"),
		sg("STS", "1", "20"), sg("DTM", cp("334", "20260119", "102")), sg("DTM", cp("17", "20260121", "102")), // 16
		sg("FTX", "AAI", "", "", "台风延误"),
	)
	require.Len(t, docs, 3)
	require.Equal(t, []int{9, 11, 16}, []int{docs[0].Pos, docs[1].Pos, docs[2].Pos})
	carrier := map[string]any{"edifact.carrier_gln": "6901234000004", "edifact.carrier_name": "SF"}
	require.Equal(t, edimaptest.AsJSON(t, map[string]any{
		"external_id": "MSG7-1", "shipment_external_id": "ASN-5001", "tracking_number": "BL-1",
		"status": "picked_up", "carrier_status_code": "13", "occurred_at": "2026-01-18T08:00:00+08:00", "extensions": carrier,
	}), docs[0].Body)
	require.Equal(t, edimaptest.AsJSON(t, map[string]any{
		"external_id": "MSG7-2", "shipment_external_id": "ASN-5001", "tracking_number": "SF123",
		"status": "delivered", "carrier_status_code": "21", "description": "DELIVERED",
		"occurred_at": "2026-01-19T10:15:00+01:00",
		"location":    map[string]any{"description": "SHANGHAI DEPOT", "city": "上海"},
		"extensions": map[string]any{"edifact.carrier_gln": "6901234000004", "edifact.carrier_name": "SF",
			"edifact.status_reason_code": "R1", "edifact.status_reason": "LEFT AT DOOR",
			"edifact.location_code": "CNSHA", "edifact.location_qualifier": "7"},
	}), docs[1].Body)
	require.Equal(t, edimaptest.AsJSON(t, map[string]any{
		"external_id": "MSG7-3", "shipment_external_id": "ASN-2", "status": "in_transit", "carrier_status_code": "20",
		"description": "台风延误", "occurred_at": "2026-01-19T00:00:00+08:00", "estimated_delivery": "2026-01-21",
		"extensions": carrier,
	}), docs[2].Body)
}

func TestOrdrspLineResponses(t *testing.T) {
	t.Parallel()
	line := func(no, action string, rest ...connectors.EDISegment) []connectors.EDISegment {
		return append([]connectors.EDISegment{sg("LIN", no, action), sg("PIA", "5", cp("S"+no, "SA"))}, rest...)
	}
	body := join([]connectors.EDISegment{
		sg("BGM", "231", "R1", "12"), sg("RFF", cp("ON", "PO1")), sg("RFF", cp("ON", "PO-OTHER")),
	},
		line("1", "5", sg("QTY", cp("21", "4"))),
		line("2", "6", sg("QTY", cp("113", "3")), sg("QTY", cp("21", "4")), sg("DTM", cp("69", "20260201", "102"))),
		line("3", "3", sg("QTY", cp("83", "4"))),
		line("4", "4"),
		line("5", "2"),
		line("6", "ZZ", sg("FTX", "AAO", "", "", "SUBSTITUTE")),
	)
	got := mapOne(t, "ORDRSP", Options{LineResponseCodes: map[string]string{"ZZ": "rejected"}}, body...)
	requireValid(t, "order_response", got)
	require.NotContains(t, got, "status")
	require.Equal(t, "PO1", got["order_external_id"])
	require.Equal(t, map[string]any{"edifact.message_function": "12"}, got["extensions"])
	require.Equal(t, edimaptest.AsJSON(t, []any{
		map[string]any{"line_no": 1, "sku": "S1", "response": "accepted", "quantity": "4", "unit": "PCE"},
		map[string]any{"line_no": 2, "sku": "S2", "response": "changed", "quantity": "3", "unit": "PCE", "promised_date": "2026-02-01"},
		map[string]any{"line_no": 3, "sku": "S3", "response": "backordered", "quantity": "4", "unit": "PCE"},
		map[string]any{"line_no": 4, "sku": "S4", "response": "accepted"},
		map[string]any{"line_no": 5, "sku": "S5", "response": "rejected"},
		map[string]any{"line_no": 6, "sku": "S6", "response": "rejected", "reason": "SUBSTITUTE"},
	}), got["lines"])
}

func TestSupportedAndAssociations(t *testing.T) {
	t.Parallel()
	got := Supported()
	require.Len(t, got, 6)
	got[0].Type = "changed"
	require.Equal(t, "ORDERS", Supported()[0].Type, "Supported returns a copy")
	for _, p := range Supported() {
		body := edimaptest.ReadJSON(t, "testdata/roundtrip/"+p.Doctype+".json")
		out, err := FromCanonical(p.Doctype, body, Options{Associations: map[string]string{"ORDERS": "EAN010"}})
		require.NoError(t, err)
		require.Equal(t, p.Type, out.Type)
		want := defaultAssociations[p.Type]
		if p.Type == "ORDERS" {
			want = "EAN010"
		}
		require.Equal(t, want, out.Association)
	}
}
