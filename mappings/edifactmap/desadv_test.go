package edifactmap

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap/edimaptest"
)

// desadvHead is a DESADV header; its segments are at positions 3 to 9.
func desadvHead() []connectors.EDISegment {
	return []connectors.EDISegment{
		sg("BGM", "351", "ASN1", "9"),
		sg("DTM", cp("137", "202601170800", "203")),
		sg("DTM", cp("11", "20260117", "102")),
		sg("DTM", cp("132", "20260119", "102")),
		sg("RFF", cp("ON", "PO1")),
		sg("NAD", "DP", cp("5412345000013", "", "9"), "", "DEPOT", "", "SHANGHAI", "", "", "CN"),
		sg("NAD", "CA", "", "", "CARRIER NAME"),
	}
}

// lin is a shipment line of qty units of sku.
func lin(no, sku, qty string) []connectors.EDISegment {
	return []connectors.EDISegment{
		sg("LIN", no), sg("PIA", "5", cp(sku, "SA")), sg("QTY", cp("12", qty)),
	}
}

func join(parts ...[]connectors.EDISegment) []connectors.EDISegment {
	var out []connectors.EDISegment
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestDesadvBuildsPackagesFromTheCPSTree(t *testing.T) {
	t.Parallel()
	// A pallet (CPS 2) listed after its two cartons (CPS 3 and 4), a
	// carton whose parent is 0 (top level) and a consignment level with
	// an unpacked line; CPS 6 is an empty pallet.
	body := join(desadvHead(),
		[]connectors.EDISegment{sg("CPS", "1")},
		lin("1", "LOOSE", "1"),
		[]connectors.EDISegment{sg("CPS", "3", "2"), sg("PAC", "1", "", "CT"), sg("MEA", "PD", "AAB", cp("KGM", "4,5")),
			sg("PCI", "33E"), sg("GIN", "BJ", "00354123450000000014")},
		lin("2", "A", "6"),
		[]connectors.EDISegment{sg("CPS", "4", "2"), sg("PAC", "1", "", cp("", "", "", "drum")),
			sg("GIN", "BJ", "354123450000000021", "354123450000000045")},
		lin("3", "B", "2"),
		[]connectors.EDISegment{sg("CPS", "2", "1"), sg("PAC", "1", "", "201"), sg("GIN", "BJ", "354123450000000038")},
		[]connectors.EDISegment{sg("CPS", "5", "0"), sg("GIN", "BJ", "354123450000000052")},
		lin("4", "C", "1"),
		[]connectors.EDISegment{sg("CPS", "6", "1"), sg("GIN", "BJ", "354123450000000069")},
		[]connectors.EDISegment{sg("UNS", "S"), sg("CNT", cp("2", "4"))},
	)
	got := mapOne(t, "DESADV", Options{}, body...)
	requireValid(t, "shipment", got)
	line := func(sku, qty string) map[string]any {
		return map[string]any{"sku": sku, "quantity": qty, "unit": "PCE"}
	}
	want := edimaptest.AsJSON(t, map[string]any{
		"external_id":        "ASN1",
		"ship_date":          "2026-01-17",
		"estimated_delivery": "2026-01-19",
		"order_external_ids": []any{"PO1"},
		"carrier":            "CARRIER NAME",
		"ship_to":            map[string]any{"name": "DEPOT", "city": "SHANGHAI", "country": "CN"},
		"packages": []any{
			map[string]any{"lines": []any{line("LOOSE", "1")}},
			map[string]any{"sscc": "354123450000000014", "package_type": "carton", "gross_weight": "4.5", "weight_unit": "KGM",
				"lines": []any{line("A", "6")}},
			map[string]any{"sscc": "354123450000000021", "package_type": "drum", "lines": []any{line("B", "2")}},
			map[string]any{"sscc": "354123450000000052", "lines": []any{line("C", "1")}},
		},
		"extensions": map[string]any{
			"edifact.delivery_party_gln":    "5412345000013",
			"edifact.carrier_name":          "CARRIER NAME",
			"edifact.package.2.parent_sscc": "354123450000000038",
			"edifact.package.3.parent_sscc": "354123450000000038",
			"edifact.package.3.extra_ssccs": "354123450000000045",
			"edifact.other_ssccs":           "354123450000000069",
		},
	})
	require.Equal(t, want, got)
}

func TestDesadvLinesWithoutCPSAndLineDetails(t *testing.T) {
	t.Parallel()
	body := join(desadvHead(), []connectors.EDISegment{
		sg("TDT", "20", "", "", cp("", "EXPRESS"), cp("CAR1", "", "", "FAST CARRIER")),
		sg("LIN", "1", "", cp("4006381333931", "EN")),
		sg("PIA", "1", cp("LOT-7", "NB")),
		sg("QTY", cp("12", "3", "KGM")),
		sg("GIN", "BN", "S1", "S2"),
		sg("RFF", cp("ON", "PO2", "7")),
		sg("LIN", "2"), sg("PIA", "5", cp("X", "SA")), sg("QTY", cp("12", "1")),
		sg("GIN", "BX", "LOT-9"),
		sg("RFF", cp("LI", "4")),
	})
	got := mapOne(t, "DESADV", Options{}, body...)
	require.Equal(t, "FAST CARRIER", got["carrier"])
	require.Equal(t, "EXPRESS", got["carrier_service"])
	require.Equal(t, edimaptest.AsJSON(t, []any{map[string]any{"lines": []any{
		map[string]any{"sku": "4006381333931", "gtin": "4006381333931", "quantity": "3", "unit": "KGM", "batch": "LOT-7",
			"serial_numbers": []any{"S1", "S2"}, "order_external_id": "PO2", "line_no": 7},
		map[string]any{"sku": "X", "quantity": "1", "unit": "PCE", "batch": "LOT-9", "line_no": 4},
	}}}), got["packages"])
}

func TestDesadvRefusesABrokenHierarchy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cps  []connectors.EDISegment
		want []located
	}{
		{"unknown parent", join([]connectors.EDISegment{sg("CPS", "1"), sg("CPS", "2", "9")}, lin("1", "A", "1")),
			[]located{{CodeBadHierarchy, 11, "CPS", 2, 1}}},
		{"duplicate id", join([]connectors.EDISegment{sg("CPS", "1")}, lin("1", "A", "1"), []connectors.EDISegment{sg("CPS", "1")}, lin("2", "B", "1")),
			[]located{{CodeBadHierarchy, 14, "CPS", 1, 1}}},
		{"cycle", join([]connectors.EDISegment{sg("CPS", "1", "2"), sg("CPS", "2", "1")}, lin("1", "A", "1")),
			[]located{{CodeBadHierarchy, 10, "CPS", 2, 1}}},
		{"no id", join([]connectors.EDISegment{sg("CPS", "")}, lin("1", "A", "1")),
			[]located{{CodeMissingElement, 10, "CPS", 1, 1}}},
		{"bad SSCC", join([]connectors.EDISegment{sg("CPS", "1"), sg("GIN", "BJ", "3541234500")}, lin("1", "A", "1")),
			[]located{{CodeBadValue, 11, "GIN", 2, 1}}},
		{"no quantity", []connectors.EDISegment{sg("CPS", "1"), sg("LIN", "1"), sg("PIA", "5", cp("A", "SA"))},
			[]located{{CodeMissingSegment, 11, "LIN", 0, 0}}},
		{"no lines", []connectors.EDISegment{sg("UNS", "S")},
			[]located{{CodeMissingSegment, 2, "LIN", 0, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ToCanonical(message("DESADV", join(desadvHead(), tt.cps)...), Options{})
			require.Equal(t, tt.want, locate(edimaptest.EDIErrors(t, err)), "%v", err)
		})
	}
}
