package edimap_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/mappings/edimap"
)

func TestOptionErrors(t *testing.T) {
	t.Parallel()
	ok := edimap.OptionErrors{Prefix: "x12 options"}
	ok.Units("units", map[string]string{"CA": "CT"})
	ok.UnitCode("default_unit", "")
	ok.UnitCode("default_unit", "PCE")
	ok.LineResponses("ack_codes", map[string]string{"IA": "accepted"})
	ok.TrackingStatuses("status_codes", map[string]string{"D1": "delivered"})
	ok.StockQuantities("stock_quantities", map[string]string{"17": "on_hand"})
	ok.CatalogDocs("catalog_docs", []string{"price_list", "product"})
	require.NoError(t, ok.Err())

	bad := edimap.OptionErrors{Prefix: "edifact options"}
	bad.Add("time_zone", "%q is not a zone", "Mars")
	bad.Units("units", map[string]string{"PCS": "PIECE"})
	bad.UnitCode("default_unit", "PIECE")
	bad.LineResponses("line_response_codes", map[string]string{"9": "maybe"})
	bad.TrackingStatuses("status_codes", map[string]string{"X1": "lost"})
	bad.StockQuantities("stock_quantities", map[string]string{"1": "free"})
	bad.CatalogDocs("catalog_docs", []string{"invoice"})
	require.EqualError(t, bad.Err(), `edifact options: time_zone: "Mars" is not a zone
edifact options: units.PCS: "PIECE" is not a UN/ECE Rec 20 unit code the schemas accept
edifact options: default_unit: "PIECE" is not a UN/ECE Rec 20 unit code the schemas accept
edifact options: line_response_codes.9: "maybe" is not a line response ([accepted changed rejected backordered])
edifact options: status_codes.X1: "lost" is not a tracking status ([info_received picked_up in_transit out_for_delivery delivered exception returned])
edifact options: stock_quantities.1: "free" is not one of [on_hand available reserved on_order safety_stock]
edifact options: catalog_docs: "invoice" is neither price_list nor product`)
}

func TestDecodeStrict(t *testing.T) {
	t.Parallel()
	type opts struct {
		Units    map[string]string `json:"units,omitempty"`
		Quals    []string          `json:"quals,omitempty"`
		Strict   bool              `json:"strict,omitempty"`
		TimeZone string            `json:"time_zone,omitempty"`
	}
	var o opts
	require.NoError(t, edimap.DecodeStrict(map[string]any{
		"units": map[string]any{"PCS": "PCE"}, "quals": []any{"SA", "MF"}, "strict": true,
	}, &o))
	require.Equal(t, opts{Units: map[string]string{"PCS": "PCE"}, Quals: []string{"SA", "MF"}, Strict: true}, o)

	o = opts{TimeZone: "UT"}
	require.NoError(t, edimap.DecodeStrict(nil, &o))
	require.Equal(t, opts{TimeZone: "UT"}, o, "nothing to decode leaves v as it is")

	require.ErrorContains(t, edimap.DecodeStrict(map[string]any{"qual": []any{"SA"}}, &o), `unknown field "qual"`)
	require.ErrorContains(t, edimap.DecodeStrict(map[string]any{"strict": "yes"}, &o), "cannot unmarshal string")
	require.Error(t, edimap.DecodeStrict(map[string]any{"units": func() {}}, &o), "not JSON")
}

func TestDefaultList(t *testing.T) {
	t.Parallel()
	var empty []string
	edimap.DefaultList(&empty, "VN", "VP")
	require.Equal(t, []string{"VN", "VP"}, empty)
	set := []string{"SA"}
	edimap.DefaultList(&set, "VN", "VP")
	require.Equal(t, []string{"SA"}, set, "a list given is kept")
}
