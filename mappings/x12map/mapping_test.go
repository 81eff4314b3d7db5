package x12map_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/mappings/edimap/edimaptest"
	"github.com/dealerhub/dealerhub/mappings/x12map"
)

// mapOne maps a set and returns its documents as JSON values, each
// checked against its schema.
func mapAll(t *testing.T, o x12map.Options, typ string, lines ...string) []map[string]any {
	t.Helper()
	docs, err := x12map.ToCanonical(txOf(typ, lines...), o)
	require.NoError(t, err)
	var out []map[string]any
	for _, d := range docs {
		validate(t, d.Doctype, d.Body)
		out = append(out, edimaptest.AsJSON(t, d.Body).(map[string]any))
	}
	return out
}

func TestOrderDetails(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		opts  x12map.Options
		lines []string
		check func(t *testing.T, o map[string]any)
	}{
		{"cancellation, 005010 date, qualifiers by preference", x12map.Options{}, []string{
			"BEG*01*SA*PO-2**20260105",
			"PER*BD*Ann Buyer*TE*555-1234",
			"ITD*01*3*1.5**10**30",
			"PO1*001*2*PC*1.5*PE*SK*S-1*VP*P-1*IN*B-1*EN*4006381333931",
			"PID*F****RED", "PID*F****PEN",
			"DTM*002*20260201", "DTM*010*20260125",
		}, func(t *testing.T, o map[string]any) {
			require.Equal(t, "cancelled", o["status"])
			require.Equal(t, "Ann Buyer", o["buyer_contact"])
			require.Equal(t, "1.5% within 10 days, net 30 days", o["payment_terms"])
			l := o["lines"].([]any)[0].(map[string]any)
			require.Equal(t, map[string]any{
				"line_no": float64(1), "quantity": "2", "unit": "PCE", "unit_price": "1.5",
				"sku": "P-1", "buyer_sku": "B-1", "gtin": "4006381333931",
				"description": "RED PEN", "requested_date": "2026-02-01",
			}, l)
			ext := o["extensions"].(map[string]any)
			require.Equal(t, "555-1234", ext["x12.buyer_phone"])
			require.Equal(t, "2026-01-25", ext["x12.line.1.date.010"])
		}},
		{"partner units and qualifiers", x12map.Options{
			Units: map[string]string{"CA": "CT"}, SKUQualifiers: []string{"MG"},
			RequestedDateQualifiers: []string{"010"},
		}, []string{
			"BEG*00*SA*PO-3**260105",
			"DTM*010*20260120",
			"PO1*A7*3*CA*0**MG*M-1*VN*V-1",
			"CTT*1",
		}, func(t *testing.T, o map[string]any) {
			require.Equal(t, "2026-01-05", o["order_date"])
			require.Equal(t, "2026-01-20", o["requested_date"])
			l := o["lines"].([]any)[0].(map[string]any)
			require.Equal(t, "M-1", l["sku"])
			require.Equal(t, "CT", l["unit"])
			require.Equal(t, "0", l["unit_price"])
			ext := o["extensions"].(map[string]any)
			require.Equal(t, "A7", ext["x12.line.1.assigned_id"])
			require.Equal(t, "V-1", ext["x12.line.1.id.VN"])
		}},
		{"numbers are normalised, never floats", x12map.Options{}, []string{
			"BEG*00*SA*PO-4**20260105",
			"PO1*1*0012.500*EA*.75**VN*A",
			"PO1*2*7.*EA*100000000000000000.01**VN*B",
		}, func(t *testing.T, o map[string]any) {
			l0 := o["lines"].([]any)[0].(map[string]any)
			l1 := o["lines"].([]any)[1].(map[string]any)
			require.Equal(t, []any{"12.500", "0.75"}, []any{l0["quantity"], l0["unit_price"]})
			require.Equal(t, []any{"7", "100000000000000000.01"}, []any{l1["quantity"], l1["unit_price"]})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			docs := mapAll(t, c.opts, "850", c.lines...)
			require.Len(t, docs, 1)
			c.check(t, docs[0])
		})
	}
}

func TestOrderResponseStatus(t *testing.T) {
	t.Parallel()
	cases := []struct {
		bak       string
		acks      []string
		status    string
		responses []any
	}{
		{"BAK*00*AD*PO-1*20260105", nil, "confirmed", []any{"accepted"}},
		{"BAK*00*AK*PO-1*20260105", []string{"ACK*IA*10*EA"}, "confirmed", []any{"accepted"}},
		{"BAK*00*RJ*PO-1*20260105", nil, "rejected", []any{"rejected"}},
		{"BAK*00*AC*PO-1*20260105", []string{"ACK*IA*8*EA", "ACK*IB*2*EA*068*20260301"}, "changed", []any{"accepted", "backordered"}},
		{"BAK*00*AC*PO-1*20260105", []string{"ACK*R2"}, "changed", []any{"rejected"}},
		{"BAK*00*AE*PO-1*20260105", []string{"ACK*IQ*5*EA"}, "changed", []any{"changed"}},
		{"BAK*00*AH*PO-1*20260105", []string{"ACK*IH*10*EA"}, "acknowledged", []any{"backordered"}},
		{"BAK*01*AC*PO-1*20260105", []string{"ACK*ID"}, "cancelled", []any{"rejected"}},
	}
	for _, c := range cases {
		t.Run(c.bak+" "+c.status, func(t *testing.T) {
			lines := append([]string{c.bak, "PO1*1*10*EA*2**VN*A"}, c.acks...)
			docs := mapAll(t, x12map.Options{}, "855", lines...)
			require.Len(t, docs, 1)
			r := docs[0]
			require.Equal(t, c.status, r["status"])
			require.Equal(t, "PO-1", r["external_id"], "without BAK08 the PO number")
			var got []any
			for _, l := range r["lines"].([]any) {
				got = append(got, l.(map[string]any)["response"])
			}
			require.Equal(t, c.responses, got)
		})
	}
	t.Run("mixed answers are partially confirmed", func(t *testing.T) {
		docs := mapAll(t, x12map.Options{AckCodes: map[string]string{"ZZ": "accepted"}}, "855",
			"BAK*00*AC*PO-1*20260105****SO-1*20260106",
			"PO1*1*10*EA*2**VN*A", "ACK*ZZ*10*EA*067*20260110",
			"PO1*2*10*EA*2**VN*B", "ACK*IR*0*EA")
		r := docs[0]
		require.Equal(t, "partially_confirmed", r["status"])
		require.Equal(t, "SO-1", r["external_id"])
		require.Equal(t, "2026-01-06", r["response_date"])
		require.Equal(t, "2026-01-05", r["extensions"].(map[string]any)["x12.order_date"])
		require.Equal(t, "2026-01-10", r["lines"].([]any)[0].(map[string]any)["promised_date"])
	})
}

func TestTrackingEvents(t *testing.T) {
	t.Parallel()
	events := mapAll(t, x12map.Options{StatusCodes: map[string]string{"X1": "delivered"}, TimeZone: "+08:00"}, "214",
		"B10*PRO-1*ASN-1*SCAC",
		"L11*PO-7*PO",
		"LX*1", "AT7*AG*NS***20260115*1700*CT", "L11*D-1*DO",
		"LX*2", "AT7*X1*NS***20260301*0900", "MS1*DALLAS*TX*USA",
		"LX*3", "AT7***AB*AA*20260114*0800*LT",
		"LX*4", "AT7*D1*NS***20260710*0130*ET",
	)
	require.Len(t, events, 4)
	want := []struct{ status, code, at, est string }{
		{"info_received", "AG", "2026-01-15T17:00:00-06:00", "2026-01-15"},
		{"delivered", "X1", "2026-03-01T09:00:00+08:00", ""},
		{"info_received", "AB", "2026-01-14T08:00:00+08:00", "2026-01-14"},
		{"delivered", "D1", "2026-07-10T01:30:00-04:00", ""},
	}
	for i, w := range want {
		e := events[i]
		require.Equal(t, w.status, e["status"], i)
		require.Equal(t, w.code, e["carrier_status_code"], i)
		require.Equal(t, w.at, e["occurred_at"], i)
		require.Equal(t, "ASN-1", e["shipment_external_id"])
		require.Equal(t, "PRO-1", e["tracking_number"])
		if w.est != "" {
			require.Equal(t, w.est, e["estimated_delivery"], i)
		} else {
			require.NotContains(t, e, "estimated_delivery")
		}
		require.Equal(t, "PO-7", e["extensions"].(map[string]any)["x12.ref.PO"])
	}
	require.Equal(t, "D-1", events[0]["extensions"].(map[string]any)["x12.ref.DO"], "an LX's L11 belongs to its events")
	require.NotContains(t, events[1]["extensions"], "x12.ref.DO")
	require.Equal(t, map[string]any{"city": "DALLAS", "region": "TX", "country": "US"}, events[1]["location"])
	require.Equal(t, "PRO-1:D1:202607100130", events[3]["external_id"])
}

func TestStockLevels(t *testing.T) {
	t.Parallel()
	levels := mapAll(t, x12map.Options{StockQuantities: map[string]string{"QH": "reserved"}}, "846",
		"BIA*00*DD*R-1*20260105*0930",
		"N1*WH*Main warehouse*92*WH-1",
		"LIN**IN*A-1*VN*V-1",
		"QTY*17*10*EA", "QTY*33*8*EA", "QTY*QH*2*EA", "QTY*02*99*EA",
		"N1*WH*Store*92*WH-2",
		"QTY*33*4*EA",
		"LIN**VN*V-2",
		"DTM*405*20260105*1015*PT",
		"QTY*17*1*CA",
		"CTT*2",
	)
	require.Len(t, levels, 3)
	require.Equal(t, map[string]any{
		"external_id": "WH-1:A-1", "location": "WH-1", "sku": "A-1", "supplier_sku": "V-1",
		"on_hand": "10", "available": "8", "reserved": "2", "unit": "EA",
		"as_of":      "2026-01-05T09:30:00Z",
		"extensions": map[string]any{"x12.qty.02": "99"},
	}, levels[0])
	require.Equal(t, "WH-2:A-1", levels[1]["external_id"])
	require.Equal(t, "4", levels[1]["on_hand"])
	require.Equal(t, "available", levels[1]["extensions"].(map[string]any)["x12.on_hand_from"])
	require.Equal(t, "WH-1:V-2", levels[2]["external_id"])
	require.Equal(t, "V-2", levels[2]["supplier_sku"])
	require.Equal(t, "VN", levels[2]["extensions"].(map[string]any)["x12.sku_from"])
	require.Equal(t, "2026-01-05T10:15:00-08:00", levels[2]["as_of"])
	require.Equal(t, "CS", levels[2]["unit"])
}

func TestCatalog(t *testing.T) {
	t.Parallel()
	lines := []string{
		"BCT*PC*CAT-1*******Winter",
		"CUR*SE*EUR",
		"LIN**VN*A-1*UP*012345678905",
		"PID*F*08***Hammer", "PID*F****Steel head", "PID*F*73***BLUE",
		"PO4*12**EA",
		"DTM*007*20260201",
		"CTP**MSR*20",
		"CTP**CON*9.50*100*EA",
		"CTP**CON*10*10*EA",
		"CTP**UCP*11*1*EA",
		"CTP**CON*8*500*EA",
		"CTT*1",
	}
	docs := mapAll(t, x12map.Options{CatalogDocs: []string{"price_list", "product"}}, "832", lines...)
	require.Len(t, docs, 2)
	pl := docs[0]
	require.Equal(t, "2026-02-01", pl["valid_from"], "the earliest line date when the heading has none")
	require.Equal(t, "Winter", pl["name"])
	l := pl["lines"].([]any)[0].(map[string]any)
	require.Equal(t, "11", l["unit_price"], "UCP is the most preferred price code")
	require.Equal(t, "1", l["min_quantity"])
	require.Equal(t, "Hammer Steel head", l["description"])
	require.Equal(t, map[string]any{"x12.price.MSR": "20", "x12.price.CON": "9.50", "color": "BLUE"}, l["attributes"])

	docs = mapAll(t, x12map.Options{PriceCodes: []string{"CON"}, CatalogDocs: []string{"price_list"}}, "832", lines...)
	l = docs[0]["lines"].([]any)[0].(map[string]any)
	require.Equal(t, "10", l["unit_price"], "the smallest quantity is the base price")
	require.Equal(t, "10", l["min_quantity"])
	require.Equal(t, []any{
		map[string]any{"min_quantity": "100", "unit_price": "9.50"},
		map[string]any{"min_quantity": "500", "unit_price": "8"},
	}, l["tiers"])

	docs = mapAll(t, x12map.Options{CatalogDocs: []string{"product"}}, "832", lines...)
	require.Equal(t, map[string]any{
		"external_id": "A-1", "sku": "A-1", "gtin": "012345678905", "name": "Hammer",
		"description": "Steel head", "unit": "EA", "pack_quantity": "12",
		"attributes": map[string]any{"color": "BLUE"},
	}, docs[0])
}
