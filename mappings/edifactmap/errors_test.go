package edifactmap

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap/edimaptest"
)

// located is what a test expects of one EDIError.
type located struct {
	code           string
	pos            int
	tag            string
	element, compo int
}

func locate(errs []*connectors.EDIError) []located {
	out := make([]located, len(errs))
	for i, e := range errs {
		out[i] = located{e.Code, e.Pos, e.Tag, e.Element, e.Component}
	}
	return out
}

// orderBody is a valid ORDERS body; segment positions start at 3.
func orderBody() []connectors.EDISegment {
	return []connectors.EDISegment{
		sg("BGM", "220", "PO1", "9"), // 3
		sg("DTM", cp("137", "20260105", "102")),
		sg("NAD", "BY", cp("5400110000009", "", "9")), // 5
		sg("LIN", "1", "", cp("4006381333931", "EN")),
		sg("PIA", "5", cp("DR-100", "SA")), // 7
		sg("QTY", cp("21", "12")),
		sg("PRI", cp("AAA", "9.25")), // 9
		sg("UNS", "S"),
		sg("CNT", cp("2", "1")), // 11
	}
}

// with returns body with segment i (0-based in body) replaced, or removed
// when s has no tag.
func with(body []connectors.EDISegment, i int, s connectors.EDISegment) []connectors.EDISegment {
	out := append([]connectors.EDISegment(nil), body...)
	if s.Tag == "" {
		return append(out[:i], out[i+1:]...)
	}
	out[i] = s
	return out
}

func TestToCanonicalReportsLocatedErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		typ  string
		body []connectors.EDISegment
		opts Options
		want []located
	}{
		{"missing BGM", "ORDERS", with(orderBody(), 0, connectors.EDISegment{}),
			Options{}, []located{{CodeMissingSegment, 2, "BGM", 0, 0}}},
		{"quantity not a number", "ORDERS", with(orderBody(), 5, sg("QTY", cp("21", "12x"))),
			Options{}, []located{{CodeBadValue, 8, "QTY", 1, 2}}},
		{"quantity with thousands separator", "ORDERS", with(orderBody(), 5, sg("QTY", cp("21", "1.200,50"))),
			Options{}, []located{{CodeBadValue, 8, "QTY", 1, 2}}},
		{"unknown unit", "ORDERS", with(orderBody(), 5, sg("QTY", cp("21", "12", "XYZ"))),
			Options{}, []located{{CodeUnknownUnit, 8, "QTY", 1, 3}}},
		{"bad date", "ORDERS", with(orderBody(), 1, sg("DTM", cp("137", "20260230", "102"))),
			Options{}, []located{{CodeBadValue, 4, "DTM", 1, 2}}},
		{"unsupported date format", "ORDERS", with(orderBody(), 1, sg("DTM", cp("137", "202601", "610"))),
			Options{}, []located{{CodeBadValue, 4, "DTM", 1, 2}}},
		{"no order date", "ORDERS", with(orderBody(), 1, connectors.EDISegment{}),
			Options{}, []located{{CodeMissingSegment, 2, "DTM", 0, 0}}},
		{"no ordered quantity", "ORDERS", with(orderBody(), 5, sg("QTY", cp("59", "12"))),
			Options{}, []located{{CodeMissingSegment, 6, "LIN", 0, 0}}},
		{"bad price", "ORDERS", with(orderBody(), 6, sg("PRI", cp("AAA", "9.2.5"))),
			Options{}, []located{{CodeBadValue, 9, "PRI", 1, 2}}},
		{"price basis with no exact unit price", "ORDERS", with(orderBody(), 6, sg("PRI", cp("AAA", "10", "", "", "3"))),
			Options{}, []located{{CodeBadValue, 9, "PRI", 1, 5}}},
		{"GTIN-8 is a GTIN", "ORDERS", with(orderBody(), 3, sg("LIN", "1", "", cp("40063813", "EN"), "")),
			Options{}, nil},
		{"GTIN of 11 digits", "ORDERS", with(orderBody(), 3, sg("LIN", "1", "", cp("12345678901", "EN"))),
			Options{}, []located{{CodeBadValue, 6, "LIN", 3, 1}}},
		{"strict SKU", "ORDERS", with(orderBody(), 4, sg("PIA", "1", cp("B-1", "IN"))),
			Options{StrictSKU: true}, []located{{CodeMissingElement, 6, "LIN", 3, 1}}},
		{"bad line number", "ORDERS", with(orderBody(), 3, sg("LIN", "1a", "", cp("4006381333931", "EN"))),
			Options{}, []located{{CodeBadValue, 6, "LIN", 1, 1}}},
		{"line count", "ORDERS", with(orderBody(), 8, sg("CNT", cp("2", "3"))),
			Options{}, []located{{CodeCountMismatch, 11, "CNT", 1, 2}}},
		{"every problem", "ORDERS", func() []connectors.EDISegment {
			b := with(orderBody(), 5, sg("QTY", cp("21", "abc", "XYZ")))
			b = with(b, 1, sg("DTM", cp("137", "20261301", "102")))
			return with(b, 0, connectors.EDISegment{})
		}(), Options{}, []located{
			{CodeMissingSegment, 2, "BGM", 0, 0},
			{CodeBadValue, 3, "DTM", 1, 2},
			{CodeBadValue, 7, "QTY", 1, 2},
			{CodeUnknownUnit, 7, "QTY", 1, 3},
		}},
		{"no BGM in a DESADV", "DESADV", []connectors.EDISegment{
			sg("DTM", cp("11", "20260117", "102")), sg("CPS", "1"),
			sg("LIN", "1", "", cp("4006381333931", "EN")), sg("QTY", cp("12", "x")),
		}, Options{}, []located{{CodeMissingSegment, 2, "BGM", 0, 0}, {CodeBadValue, 6, "QTY", 1, 2}}},
		{"ORDRSP without order number and an unknown action", "ORDRSP", []connectors.EDISegment{
			sg("BGM", "231", "R1", "29"), sg("LIN", "1", "99"), sg("PIA", "5", cp("A", "SA")),
		}, Options{}, []located{{CodeMissingSegment, 2, "RFF", 0, 0}, {CodeBadValue, 4, "LIN", 2, 1}}},
		{"IFTSTA with an unknown status and no time", "IFTSTA", []connectors.EDISegment{
			sg("BGM", "23", "E1", "9"), sg("CNI", "1", "ASN1"), sg("STS", "1", "99"),
		}, Options{}, []located{{CodeBadValue, 5, "STS", 2, 1}, {CodeMissingSegment, 5, "STS", 0, 0}}},
		{"INVRPT without location", "INVRPT", []connectors.EDISegment{
			sg("BGM", "35", "I1", "9"), sg("DTM", cp("137", "202601051830", "203")),
			sg("LIN", "1", "", cp("4006381333931", "EN")), sg("QTY", cp("145", "3")),
		}, Options{}, []located{{CodeMissingSegment, 6, "QTY", 0, 0}}},
		{"PRICAT without currency and price", "PRICAT", []connectors.EDISegment{
			sg("BGM", "9", "P1", "9"), sg("DTM", cp("157", "20260101", "102")),
			sg("LIN", "1", "", cp("4006381333931", "EN")),
		}, Options{}, []located{{CodeMissingSegment, 2, "CUX", 0, 0}, {CodeMissingSegment, 5, "LIN", 0, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			docs, err := ToCanonical(message(tt.typ, tt.body...), tt.opts)
			if tt.want == nil {
				require.NoError(t, err)
				require.Len(t, docs, 1)
				return
			}
			require.Nil(t, docs)
			require.Equal(t, tt.want, locate(edimaptest.EDIErrors(t, err)), "%v", err)
			for _, e := range edimaptest.EDIErrors(t, err) {
				require.NotEmpty(t, e.Message)
				if e.Pos > 2 {
					require.Equal(t, int64(100*(e.Pos-1)), e.Offset, "the error carries the segment's offset")
				}
			}
		})
	}
}

func TestToCanonicalRefusesMessageTypesAndOldDirectories(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, typ, version string
		ok                 bool
	}{
		{"invoice", "INVOIC", "D96A", false},
		{"D93A", "ORDERS", "D93A", false},
		{"D95B", "ORDERS", "D95B", false},
		{"D96A", "ORDERS", "D96A", true},
		{"D96B", "ORDERS", "D96B", true},
		{"D01B", "ORDERS", "D01B", true},
		{"D21A", "ORDERS", "D21A", true},
		{"no version", "ORDERS", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tx := message(tt.typ, orderBody()...)
			tx.Version = tt.version
			docs, err := ToCanonical(tx, Options{})
			if tt.ok {
				require.NoError(t, err)
				require.Len(t, docs, 1)
				return
			}
			errs := edimaptest.EDIErrors(t, err)
			require.Len(t, errs, 1)
			require.Equal(t, CodeUnsupportedSet, errs[0].Code)
			require.Equal(t, 2, errs[0].Pos)
		})
	}
}

func TestFromCanonicalReportsDocumentProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		doctype string
		body    map[string]any
		want    []string
	}{
		{"order without number, date and lines", "order", map[string]any{"status": "sent"},
			[]string{"/external_id: is required", "/order_date: is required", "/lines: an order needs at least one line"}},
		{"order line problems", "order", map[string]any{
			"external_id": "P", "order_date": "2026-13-01", "status": "sent",
			"lines": []any{map[string]any{"sku": "A", "quantity": "1,5", "unit": "PCE"}},
		}, []string{"/order_date: \"2026-13-01\" is not a date YYYY-MM-DD", "/lines/0/line_no: is required: a whole number",
			"/lines/0/quantity: \"1,5\" is not a decimal"}},
		{"response status", "order_response", map[string]any{
			"external_id": "R", "order_external_id": "P", "status": "shipped",
			"lines": []any{map[string]any{"line_no": 1, "response": "backordered"}},
		}, []string{"/status: status \"shipped\" has no ORDRSP message function (written: confirmed, rejected, changed, partially_confirmed)",
			"/lines/0/quantity: a backordered line needs the quantity to follow (written as QTY 83)"}},
		{"tracking status without code", "tracking_event", map[string]any{
			"external_id": "E", "shipment_external_id": "S", "status": "returned", "occurred_at": "2026-01-01T10:00:00",
		}, []string{"/status: no IFTSTA status code is known for \"returned\"; map the partner's code in status_codes",
			"/occurred_at: \"2026-01-01T10:00:00\" is not an RFC 3339 date-time"}},
		{"stock available", "stock_level", map[string]any{
			"external_id": "W:A", "location": "W", "sku": "A", "on_hand": "1", "available": "1", "unit": "PCE", "as_of": "2026-01-01T10:00:00Z",
		}, []string{"/available: no INVRPT quantity code is known for available; set one in stock_quantities"}},
		{"unknown doctype", "invoice", map[string]any{}, []string{
			"document type \"invoice\" has no EDIFACT message (written: order, order_response, shipment, stock_level, price_list, tracking_event)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := FromCanonical(tt.doctype, tt.body, Options{})
			require.Error(t, err)
			var got []string
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				for _, e := range j.Unwrap() {
					require.IsType(t, &BodyError{}, e)
					got = append(got, e.Error())
				}
			} else {
				require.IsType(t, &BodyError{}, err)
				got = []string{err.Error()}
			}
			require.Equal(t, tt.want, got)
		})
	}
}
