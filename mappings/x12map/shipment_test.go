package x12map_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/mappings/edimap/edimaptest"
	"github.com/dealerhub/dealerhub/mappings/x12map"
)

// packagesOf maps an 856 and returns its packages as JSON values.
func packagesOf(t *testing.T, lines ...string) (map[string]any, []any) {
	t.Helper()
	docs, err := x12map.ToCanonical(txOf("856", lines...), x12map.Options{})
	require.NoError(t, err)
	require.Len(t, docs, 1)
	validate(t, "shipment", docs[0].Body)
	body := edimaptest.AsJSON(t, docs[0].Body).(map[string]any)
	return body, body["packages"].([]any)
}

// TestShipmentHierarchy checks that the 856 tree is built from HL01 and
// HL02, not from the order of the segments.
func TestShipmentHierarchy(t *testing.T) {
	t.Parallel()
	t.Run("items attach to the pack their HL02 names", func(t *testing.T) {
		_, pkgs := packagesOf(t,
			"BSN*00*ASN-1*20260110*1200",
			"HL*1**S",
			"HL*2*1*O", "PRF*PO-1",
			"HL*3*2*P", "MAN*GM*000000000000000017",
			"HL*4*2*P", "MAN*GM*000000000000000024",
			"HL*5*3*I", "LIN*1*VN*A", "SN1**1*EA",
			"HL*6*4*I", "LIN*2*VN*B", "SN1**2*EA",
			"HL*7*3*I", "LIN*3*VN*C", "SN1**3*EA",
		)
		require.Len(t, pkgs, 2)
		p0, p1 := pkgs[0].(map[string]any), pkgs[1].(map[string]any)
		require.Equal(t, "000000000000000017", p0["sscc"])
		require.Equal(t, []any{"A", "C"}, skus(p0))
		require.Equal(t, []any{"B"}, skus(p1))
		line := p0["lines"].([]any)[0].(map[string]any)
		require.Equal(t, "PO-1", line["order_external_id"])
		require.Equal(t, float64(1), line["line_no"])
	})
	t.Run("S/O/I without packs is one package without SSCC", func(t *testing.T) {
		body, pkgs := packagesOf(t,
			"BSN*00*ASN-1*20260110*1200",
			"HL*1**S", "TD5**2*ODFL",
			"HL*2*1*O", "PRF*PO-1",
			"HL*3*2*I", "LIN**VN*A", "SN1**4*CA",
			"HL*4*1*O", "PRF*PO-2",
			"HL*5*4*I", "LIN**VN*B", "SN1**1*EA",
			"CTT*5",
		)
		require.Equal(t, []any{"PO-1", "PO-2"}, body["order_external_ids"])
		require.Equal(t, "ODFL", body["carrier"])
		require.Len(t, pkgs, 1)
		p := pkgs[0].(map[string]any)
		require.NotContains(t, p, "sscc")
		require.Equal(t, []any{"A", "B"}, skus(p))
		require.Equal(t, "CS", p["lines"].([]any)[0].(map[string]any)["unit"])
	})
	t.Run("a pallet holding packs is a container, not a package", func(t *testing.T) {
		body, pkgs := packagesOf(t,
			"BSN*00*ASN-1*20260110*1200",
			"HL*1**S",
			"HL*2*1*T", "MAN*GM*00000000000000000031",
			"HL*3*2*P", "MAN*GM*000000000000000048", "PO4******10*LB",
			"HL*4*3*I", "LIN**UP*012345678905", "SN1**6*EA",
		)
		require.Len(t, pkgs, 1)
		p := pkgs[0].(map[string]any)
		require.Equal(t, "000000000000000048", p["sscc"])
		require.Equal(t, "4.536", p["gross_weight"])
		require.Equal(t, "KGM", p["weight_unit"])
		require.Equal(t, "000000000000000031", body["extensions"].(map[string]any)["x12.pallet_sscc"])
		require.Equal(t, "UP", body["extensions"].(map[string]any)["x12.sku_from"])
	})
	t.Run("one SSCC under two orders is one package", func(t *testing.T) {
		_, pkgs := packagesOf(t,
			"BSN*00*ASN-1*20260110*1200",
			"HL*1**S",
			"HL*2*1*O", "PRF*PO-1", "HL*3*2*P", "MAN*GM*000000000000000017", "HL*4*3*I", "LIN**VN*A", "SN1**1*EA",
			"HL*5*1*O", "PRF*PO-2", "HL*6*5*P", "MAN*GM*000000000000000017", "HL*7*6*I", "LIN**VN*B", "SN1**1*EA",
		)
		require.Len(t, pkgs, 1)
		require.Equal(t, []any{"A", "B"}, skus(pkgs[0].(map[string]any)))
	})
	t.Run("parents may follow their children", func(t *testing.T) {
		_, pkgs := packagesOf(t,
			"BSN*00*ASN-1*20260110*1200",
			"HL*1**S",
			"HL*4*3*I", "LIN**VN*A", "SN1**1*EA",
			"HL*3*2*P", "MAN*GM*000000000000000017",
			"HL*2*1*O", "PRF*PO-9",
		)
		require.Len(t, pkgs, 1)
		p := pkgs[0].(map[string]any)
		require.Equal(t, "000000000000000017", p["sscc"])
		require.Equal(t, "PO-9", p["lines"].([]any)[0].(map[string]any)["order_external_id"])
	})
}

func skus(pkg map[string]any) []any {
	var out []any
	for _, l := range pkg["lines"].([]any) {
		out = append(out, l.(map[string]any)["sku"])
	}
	return out
}

// TestShipmentWrite checks the HL numbering, parents and child codes of a
// written 856 and that CTT01 counts the HL segments.
func TestShipmentWrite(t *testing.T) {
	t.Parallel()
	body := edimaptest.ReadJSON(t, filepath.Join("testdata", "roundtrip/shipment.json"))
	out, err := x12map.FromCanonical("shipment", body, x12map.Options{})
	require.NoError(t, err)
	type hl struct{ id, parent, level, child string }
	var hls []hl
	ctt := ""
	for _, s := range out.Body {
		switch s.Tag {
		case "HL":
			hls = append(hls, hl{s.Value(1), s.Value(2), s.Value(3), s.Value(4)})
		case "CTT":
			ctt = s.Value(1)
		}
	}
	require.Equal(t, []hl{
		{"1", "", "S", "1"},
		{"2", "1", "O", "1"}, {"3", "2", "P", "1"}, {"4", "3", "I", "0"}, {"5", "3", "I", "0"},
		{"6", "1", "O", "1"}, {"7", "6", "P", "1"}, {"8", "7", "I", "0"},
		{"9", "1", "P", "1"}, {"10", "9", "I", "0"},
	}, hls)
	require.Equal(t, "10", ctt)
}
