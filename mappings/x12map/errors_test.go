package x12map_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap/edimaptest"
	"github.com/dealerhub/dealerhub/mappings/x12map"
)

// wantErr is the location and code an EDIError must carry.
type wantErr struct {
	code    string
	tag     string
	pos     int
	element int
}

// order850 is a valid 850 body; cases replace or drop its segments.
var order850 = []string{
	"BEG*00*SA*PO-1**20260105",
	"CUR*BY*USD",
	"PO1*1*10*EA*2.50**VN*SKU-1",
	"PO1*2*5*CA*3**VN*SKU-2*UP*012345678905",
	"CTT*2",
}

func with(base []string, i int, seg string) []string {
	out := append([]string(nil), base...)
	if seg == "" {
		return append(out[:i], out[i+1:]...)
	}
	out[i] = seg
	return out
}

// TestBadData checks that each data problem is a located EDIError and
// that every problem of a set is reported, not only the first.
func TestBadData(t *testing.T) {
	cases := []struct {
		name string
		tx   connectors.EDITransaction
		opts x12map.Options
		want []wantErr
	}{
		{"850 without BEG", txOf("850", with(order850, 0, "")...), x12map.Options{},
			[]wantErr{{x12map.CodeMissingSegment, "BEG", 3, 0}}},
		{"850 quantity not a number", txOf("850", with(order850, 2, "PO1*1*1O*EA*2.50**VN*SKU-1")...), x12map.Options{},
			[]wantErr{{x12map.CodeBadValue, "PO1", 6, 2}}},
		{"850 zero quantity", txOf("850", with(order850, 2, "PO1*1*0*EA*2.50**VN*SKU-1")...), x12map.Options{},
			[]wantErr{{x12map.CodeBadValue, "PO1", 6, 2}}},
		{"850 unknown unit", txOf("850", with(order850, 2, "PO1*1*10*ZZ*2.50**VN*SKU-1")...), x12map.Options{},
			[]wantErr{{x12map.CodeUnknownUnit, "PO1", 6, 3}}},
		{"850 bad date", txOf("850", with(order850, 0, "BEG*00*SA*PO-1**20261332")...), x12map.Options{},
			[]wantErr{{x12map.CodeBadValue, "BEG", 4, 5}}},
		{"850 every problem at once", txOf("850",
			"BEG*00*SA***20260230",
			"PO1*1*ten*EA*2.50**VN*SKU-1",
			"PO1*2*5*QQ*-3**UP*123",
			"CTT*3",
		), x12map.Options{}, []wantErr{
			{x12map.CodeMissingElement, "BEG", 4, 3},
			{x12map.CodeBadValue, "BEG", 4, 5},
			{x12map.CodeBadValue, "PO1", 5, 2},
			{x12map.CodeUnknownUnit, "PO1", 6, 3},
			{x12map.CodeBadValue, "PO1", 6, 4},
			{x12map.CodeBadValue, "PO1", 6, 7},
			{x12map.CodeMissingElement, "PO1", 6, 7},
			{x12map.CodeCountMismatch, "CTT", 7, 1},
		}},
		{"850 without lines", txOf("850", order850[:2]...), x12map.Options{},
			[]wantErr{{x12map.CodeMissingSegment, "PO1", 3, 0}}},
		{"850 strict SKU refuses a buyer's code", txOf("850", with(order850, 2, "PO1*1*10*EA*2.50**IN*B-1")...), x12map.Options{StrictSKU: true},
			[]wantErr{{x12map.CodeMissingElement, "PO1", 6, 7}}},
		{"850 CTT01 mismatch", txOf("850", with(order850, 4, "CTT*3")...), x12map.Options{},
			[]wantErr{{x12map.CodeCountMismatch, "CTT", 8, 1}}},
		{"850 bad currency", txOf("850", with(order850, 1, "CUR*BY*DOLLARS")...), x12map.Options{},
			[]wantErr{{x12map.CodeBadValue, "CUR", 5, 2}}},
		{"855 unknown ACK code and no ACK", txOf("855",
			"BAK*00*AC*PO-1*20260105",
			"PO1*1*10*EA",
			"ACK*XX*10*EA",
			"PO1*2*10*EA",
		), x12map.Options{}, []wantErr{
			{x12map.CodeBadValue, "ACK", 6, 1},
			{x12map.CodeMissingSegment, "PO1", 7, 0},
		}},
		{"855 without BAK", txOf("855", "PO1*1*10*EA", "ACK*IA*10*EA"), x12map.Options{},
			[]wantErr{{x12map.CodeMissingSegment, "BAK", 3, 0}}},
		{"856 parent that does not exist", txOf("856",
			"BSN*00*ASN-1*20260110*1200",
			"HL*1**S", "HL*2*1*O", "PRF*PO-1", "HL*3*9*I", "LIN**VN*A", "SN1**1*EA",
		), x12map.Options{}, []wantErr{{x12map.CodeBadHierarchy, "HL", 8, 2}}},
		{"856 item under nothing", txOf("856",
			"BSN*00*ASN-1*20260110*1200",
			"HL*1**S", "HL*2**I", "LIN**VN*A", "SN1**1*EA",
		), x12map.Options{}, []wantErr{{x12map.CodeBadHierarchy, "HL", 6, 2}}},
		{"856 cycle and duplicate id", txOf("856",
			"BSN*00*ASN-1*20260110*1200",
			"HL*1**S", "HL*2*3*O", "HL*3*2*P", "HL*3*1*I",
		), x12map.Options{}, []wantErr{
			{x12map.CodeBadHierarchy, "HL", 8, 1},
			{x12map.CodeBadHierarchy, "HL", 6, 2},
			{x12map.CodeBadHierarchy, "HL", 7, 2},
		}},
		{"856 without shipment level", txOf("856",
			"BSN*00*ASN-1*20260110*1200",
			"HL*1**O",
		), x12map.Options{}, []wantErr{{x12map.CodeBadHierarchy, "HL", 5, 2}}},
		{"856 empty pack, bad SSCC, item without SN1, CTT", txOf("856",
			"BSN*00*ASN-1*20260110*1200",
			"HL*1**S", "HL*2*1*O", "PRF*PO-1",
			"HL*3*2*P", "MAN*GM*123",
			"HL*4*2*P", "HL*5*4*I", "LIN**VN*A",
			"CTT*9",
		), x12map.Options{}, []wantErr{
			{x12map.CodeBadValue, "MAN", 9, 2},
			{x12map.CodeMissingSegment, "HL", 11, 0},
			{x12map.CodeCountMismatch, "CTT", 13, 1},
			{x12map.CodeBadHierarchy, "HL", 8, 0},
		}},
		{"214 unknown status, bad time and zone", txOf("214",
			"B10*PRO-1*ASN-1*SCAC",
			"LX*1", "AT7*ZZ*NS***20260110*1200*ET",
			"LX*2", "AT7*X6*NS***20260110*2561*ET",
			"LX*3", "AT7*D1*NS***20260110*1200*QQ",
		), x12map.Options{}, []wantErr{
			{x12map.CodeBadValue, "AT7", 6, 1},
			{x12map.CodeBadValue, "AT7", 8, 6},
			{x12map.CodeBadValue, "AT7", 10, 7},
		}},
		{"846 without location, unknown unit", txOf("846",
			"BIA*00*DD*R-1*20260105",
			"LIN**IN*A-1", "QTY*17*5*XX",
		), x12map.Options{}, []wantErr{
			{x12map.CodeUnknownUnit, "QTY", 6, 3},
			{x12map.CodeMissingSegment, "LIN", 5, 0},
		}},
		{"832 without currency, date and dealer price", txOf("832",
			"BCT*PC*PL-1",
			"LIN**VN*A-1", "CTP**MSR*10**EA",
		), x12map.Options{}, []wantErr{
			{x12map.CodeMissingSegment, "LIN", 5, 0},
			{x12map.CodeMissingSegment, "DTM", 3, 0},
			{x12map.CodeMissingSegment, "CUR", 3, 0},
		}},
		{"810 is not supported", txOf("810", "BIG*20260105*INV-1"), x12map.Options{},
			[]wantErr{{x12map.CodeUnsupportedSet, "ST", 3, 1}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			docs, err := x12map.ToCanonical(c.tx, c.opts)
			require.Nil(t, docs)
			got := edimaptest.EDIErrors(t, err)
			var gotW []wantErr
			for _, e := range got {
				require.NotEmpty(t, e.Message)
				gotW = append(gotW, wantErr{e.Code, e.Tag, e.Pos, e.Element})
			}
			require.Equal(t, c.want, gotW, "%v", err)
		})
	}
}

// TestBadBody checks that FromCanonical names the JSON pointer of each
// problem of a document, every one of them.
func TestBadBody(t *testing.T) {
	body := map[string]any{
		"order_date": "05/01/2026",
		"lines": []any{
			map[string]any{"line_no": 1, "sku": "A", "quantity": "1.2.3", "unit": "TNE"},
			map[string]any{"line_no": 0, "quantity": "1", "unit": "EA"},
		},
	}
	_, err := x12map.FromCanonical("order", body, x12map.Options{})
	require.Error(t, err)
	for _, ptr := range []string{"/external_id", "/order_date", "/lines/0/quantity", "/lines/0/unit", "/lines/1/line_no", "/lines/1/sku"} {
		require.Contains(t, err.Error(), ptr+":")
	}
	_, err = x12map.FromCanonical("sales_report", map[string]any{}, x12map.Options{})
	require.ErrorContains(t, err, "no X12 mapping")
}
