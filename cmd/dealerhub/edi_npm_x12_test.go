package main

// Cross-checks of the X12 dealerhub writes against an independent npm
// parser (see edinpm_test.go): a canonical fixture goes through the
// mapping (x12map) and the writer (connectors/x12); node-x12 parses the
// result; what IT reads is compared, field by field, with the canonical
// input. The EDIFACT cross-checks are in edi_npm_edifact_test.go.

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/mappings/x12map"
)

// x12Units are the X12 unit codes (element 355) for the canonical units
// the fixtures use, from the X12 code list rather than from x12map.
var x12Units = map[string]string{"EA": "EA", "SET": "ST", "PR": "PR", "BX": "BX", "CT": "CT", "KGM": "KG", "PCE": "PC"}

// x12IDs returns the product id pairs of a segment from element from on
// (PO106/PO107, LIN02/LIN03, …) by qualifier.
func x12IDs(s npmSegment, from int) map[string]string {
	out := map[string]string{}
	for i := from; i+1 <= len(s.Elements); i += 2 {
		out[s.Value(i)] = s.Value(i + 1)
	}
	return out
}

// x12Instant reads an X12 date (CCYYMMDD), time (HHMM, HHMMSS, HHMMSSDD)
// and time code into an instant: UT/GM, the fixed US standard-time codes,
// and 01–12 (UTC+1…+12) / 13–24 (UTC-12…-1) as element 623 defines them.
func x12Instant(t *testing.T, date, clock, code string) time.Time {
	t.Helper()
	offsets := map[string]int{"UT": 0, "GM": 0, "ES": -5, "CS": -6, "MS": -7, "PS": -8}
	hours, ok := offsets[code]
	if n, err := strconv.Atoi(code); !ok && err == nil && len(code) == 2 && n >= 1 && n <= 24 {
		hours, ok = n, true
		if n > 12 {
			hours = n - 25
		}
	}
	require.Truef(t, ok, "time code %q is not one this test reads", code)
	clock += strings.Repeat("0", 8-len(clock))
	tm, err := time.ParseInLocation("20060102150405", date+clock[:6], time.FixedZone(code, hours*3600))
	require.NoError(t, err)
	cs, err := strconv.Atoi(clock[6:])
	require.NoError(t, err)
	return tm.Add(time.Duration(cs) * 10 * time.Millisecond)
}

// TestNPMCrossCheckX12850 checks 850s built from canonical orders: BEG,
// CUR, PER, ITD, DTM, the ship-to N1 loop, the note, and each PO1 loop
// against each line; CTT01 counts the lines.
func TestNPMCrossCheckX12850(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, fixture string
		o             x12map.Options
	}{
		{"north_to_acme", "north_to_acme", x12map.Options{}},
		{"huadong_sap_po", "huadong_sap_po", x12map.Options{}},
		{"north_to_acme 005010", "north_to_acme", x12map.Options{Version: "005010"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := canonicalFixture(t, "order", tc.fixture)
			tx := x12CrossCheck(t, "order", doc, tc.o)
			beg := tx.Seg(t, "BEG", 1)
			require.Equal(t, []string{"00", field(doc, "external_id"), ccyymmdd(field(doc, "order_date"))},
				[]string{beg.Value(1), beg.Value(3), beg.Value(5)}, "BEG01, BEG03, BEG05")
			require.Equal(t, []string{"BY", field(doc, "currency")}, tx.Seg(t, "CUR", 1).Values())
			head := tx.Segments.Loops("BEG", "PO1")[0]
			if c := field(doc, "buyer_contact"); c != "" {
				per, ok := head.Qual("PER", "BD")
				require.True(t, ok, "PER*BD")
				require.Equal(t, c, per.Value(2))
			}
			if p := field(doc, "payment_terms"); p != "" {
				require.Equal(t, p, tx.Seg(t, "ITD", 1).Value(12), "ITD12")
			}
			if d := field(doc, "requested_date"); d != "" {
				dtm, ok := head.Qual("DTM", "002")
				require.True(t, ok, "heading DTM*002")
				require.Equal(t, ccyymmdd(d), dtm.Value(2))
			}
			if n := field(doc, "note"); n != "" {
				require.Equal(t, n, tx.Seg(t, "MSG", 1).Value(1), "MSG01 after N9*L1")
			}
			if st := object(doc, "ship_to"); st != nil {
				requireX12Party(t, head, "ST", st)
			}
			lines := objects(doc, "lines")
			po1s := tx.Segments.Loops("PO1", "CTT")
			require.Len(t, po1s, len(lines), "PO1 loops")
			for i, l := range lines {
				requireX12OrderLine(t, po1s[i], l)
			}
			require.Equal(t, strconv.Itoa(len(lines)), tx.Seg(t, "CTT", 1).Value(1), "CTT01")
		})
	}
}

// requireX12Party checks the N1 loop of entity (N1, N3, N4, PER) in segs
// against a canonical address.
func requireX12Party(t *testing.T, segs npmSegments, entity string, a map[string]any) {
	t.Helper()
	loops := segs.Loops("N1")
	for _, loop := range loops {
		if loop[0].Value(1) != entity {
			continue
		}
		require.Equal(t, field(a, "name"), loop[0].Value(2), "N1*%s name", entity)
		var got []string
		for _, n3 := range loop.All("N3") {
			for _, v := range n3.Values() {
				got = append(got, v)
			}
		}
		if a["address_lines"] != nil {
			require.Equal(t, stringsOf(a, "address_lines"), got, "N3 of N1*%s", entity)
		}
		n4 := loop.All("N4")
		if field(a, "city")+field(a, "postal_code")+field(a, "country") != "" {
			require.Len(t, n4, 1, "N4 of N1*%s", entity)
			require.Equal(t, []string{field(a, "city"), field(a, "region"), field(a, "postal_code"), field(a, "country")},
				[]string{n4[0].Value(1), n4[0].Value(2), n4[0].Value(3), n4[0].Value(4)}, "N4 of N1*%s", entity)
		}
		if c, p := field(a, "contact"), field(a, "phone"); c+p != "" {
			per, ok := loop.Qual("PER", "IC")
			require.True(t, ok, "PER*IC of N1*%s", entity)
			require.Equal(t, c, per.Value(2))
			if p != "" {
				require.Equal(t, []string{"TE", p}, []string{per.Value(3), per.Value(4)})
			}
		}
		return
	}
	require.Failf(t, "no N1 loop", "N1*%s missing; the npm parser read %v", entity, segs.Tags())
}

// requireX12OrderLine checks one PO1 loop against a canonical order line.
func requireX12OrderLine(t *testing.T, loop npmSegments, l map[string]any) {
	t.Helper()
	po1 := loop[0]
	what := "PO1 of line " + lineNo(l)
	require.Equal(t, lineNo(l), po1.Value(1), what+" PO101")
	requireDecimal(t, field(l, "quantity"), po1.Value(2), what+" PO102")
	require.Equal(t, x12Units[field(l, "unit")], po1.Value(3), what+" PO103")
	if p := field(l, "unit_price"); p != "" {
		requireDecimal(t, p, po1.Value(4), what+" PO104")
	}
	ids := x12IDs(po1, 6)
	require.Equal(t, field(l, "sku"), ids["VN"], what+" VN")
	require.Equal(t, field(l, "buyer_sku"), ids["BP"], what+" BP")
	require.Equal(t, field(l, "gtin"), ids["EN"], what+" EN")
	if d := field(l, "description"); d != "" {
		pid, ok := loop.Qual("PID", "F")
		require.True(t, ok, what+" PID*F")
		require.Equal(t, d, pid.Value(5), what+" PID05")
	}
	if d := field(l, "requested_date"); d != "" {
		dtm, ok := loop.Qual("DTM", "002")
		require.True(t, ok, what+" DTM*002")
		require.Equal(t, ccyymmdd(d), dtm.Value(2))
	}
	if n := field(l, "note"); n != "" {
		require.Equal(t, n, loop.All("MSG")[0].Value(1), what+" MSG01")
	}
}

// x12LineResponses are the ACK01 line item status codes of each canonical
// line response.
var x12LineResponses = map[string]string{"accepted": "IA", "changed": "IC", "rejected": "IR", "backordered": "IB"}

// TestNPMCrossCheckX12855 checks 855s built from canonical order
// responses: BAK (type by status, PO number, dates, own number), CUR, the
// note, and each PO1 + ACK against each line.
func TestNPMCrossCheckX12855(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, bak02 string }{
		{"acme_partial", "AC"},        // partially confirmed: acknowledge with detail and change
		{"header_only_confirm", "AK"}, // confirmed, no lines: acknowledge, no detail
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := canonicalFixture(t, "order_response", tc.name)
			tx := x12CrossCheck(t, "order_response", doc, x12map.Options{})
			bak := tx.Seg(t, "BAK", 1)
			date := ccyymmdd(field(doc, "response_date"))
			require.Equal(t, []string{"00", tc.bak02, field(doc, "order_external_id"), date, field(doc, "external_id"), date},
				[]string{bak.Value(1), bak.Value(2), bak.Value(3), bak.Value(4), bak.Value(8), bak.Value(9)}, "BAK01-04, BAK08, BAK09")
			if c := field(doc, "currency"); c != "" {
				require.Equal(t, []string{"SE", c}, tx.Seg(t, "CUR", 1).Values())
			}
			if n := field(doc, "note"); n != "" {
				require.Equal(t, []string{"GEN", n}, tx.Seg(t, "NTE", 1).Values(), "NTE")
			}
			var lines []map[string]any
			if doc["lines"] != nil {
				lines = objects(doc, "lines")
			}
			loops := tx.Segments.Loops("PO1", "CTT")
			require.Len(t, loops, len(lines), "PO1 loops")
			for i, l := range lines {
				what := "line " + lineNo(l)
				po1 := loops[i][0]
				require.Equal(t, []string{lineNo(l), x12Units[field(l, "unit")]}, []string{po1.Value(1), po1.Value(3)}, what+" PO101, PO103")
				requireDecimal(t, field(l, "quantity"), po1.Value(2), what+" PO102")
				if p := field(l, "unit_price"); p != "" {
					requireDecimal(t, p, po1.Value(4), what+" PO104")
				}
				require.Equal(t, field(l, "sku"), x12IDs(po1, 6)["VN"], what+" VN")
				ack, ok := loops[i].Qual("ACK", x12LineResponses[field(l, "response")])
				require.True(t, ok, "%s: ACK*%s missing in %v", what, x12LineResponses[field(l, "response")], loops[i].Tags())
				requireDecimal(t, field(l, "quantity"), ack.Value(2), what+" ACK02")
				require.Equal(t, x12Units[field(l, "unit")], ack.Value(3), what+" ACK03")
				require.Equal(t, []string{"068", ccyymmdd(field(l, "promised_date"))}, []string{ack.Value(4), ack.Value(5)}, what+" ACK04, ACK05")
				if r := field(l, "reason"); r != "" {
					require.Equal(t, r, loops[i].All("MSG")[0].Value(1), what+" MSG01")
				}
			}
			require.Equal(t, strconv.Itoa(len(lines)), tx.Seg(t, "CTT", 1).Value(1), "CTT01")
		})
	}
}

// x12HL is one HL loop of an 856: its id, parent, level and segments.
type x12HL struct {
	id, parent, level string
	segs              npmSegments
}

// x12Hierarchy reads the HL loops as node-x12 parsed them and checks the
// tree: ids 1, 2, … in order, every parent an earlier HL, S at the root
// only, and each level's parent of the level above it (O under S, P
// under O or S, I under P); HL04 says whether children follow.
func x12Hierarchy(t *testing.T, tx npmTransaction) map[string]x12HL {
	t.Helper()
	hls := map[string]x12HL{}
	children := map[string]int{}
	above := map[string][]string{"O": {"S"}, "P": {"O", "S"}, "I": {"P"}}
	loops := tx.Segments.Loops("HL", "CTT")
	for i, loop := range loops {
		hl := x12HL{id: loop[0].Value(1), parent: loop[0].Value(2), level: loop[0].Value(3), segs: loop}
		require.Equal(t, strconv.Itoa(i+1), hl.id, "HL01 of HL loop %d", i+1)
		if hl.level == "S" {
			require.Empty(t, hl.parent, "HL02 of the shipment level")
		} else {
			p, ok := hls[hl.parent]
			require.Truef(t, ok, "HL %s: parent %q is not an earlier HL", hl.id, hl.parent)
			require.Containsf(t, above[hl.level], p.level, "HL %s (%s) under HL %s (%s)", hl.id, hl.level, p.id, p.level)
			children[hl.parent]++
		}
		hls[hl.id] = hl
	}
	for id, hl := range hls {
		want := map[bool]string{true: "1", false: "0"}[children[id] > 0]
		require.Equal(t, want, hl.segs[0].Value(4), "HL04 of HL %s", id)
	}
	require.Equal(t, strconv.Itoa(len(loops)), tx.Seg(t, "CTT", 1).Value(1), "CTT01 counts the HLs")
	return hls
}

// TestNPMCrossCheckX12856 checks 856s built from canonical shipments: BSN,
// the shipment level (TD5, REF, DTMs, N1 loops), the HL tree, and each
// package (MAN*GM SSCC, TD1) and item (LIN ids, SN1) against the
// canonical packages and lines, found through HL02 parents.
func TestNPMCrossCheckX12856(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"acme_two_packages", "no_sscc"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := canonicalFixture(t, "shipment", name)
			tx := x12CrossCheck(t, "shipment", doc, x12map.Options{})
			bsn := tx.Seg(t, "BSN", 1)
			require.Equal(t, []string{"00", field(doc, "external_id"), ccyymmdd(field(doc, "ship_date"))},
				[]string{bsn.Value(1), bsn.Value(2), bsn.Value(3)}, "BSN01-03")
			hls := x12Hierarchy(t, tx)
			ship := hls["1"].segs
			require.Equal(t, "S", hls["1"].level)
			dtm, ok := ship.Qual("DTM", "011")
			require.True(t, ok, "DTM*011")
			require.Equal(t, ccyymmdd(field(doc, "ship_date")), dtm.Value(2))
			if d := field(doc, "estimated_delivery"); d != "" {
				dtm, ok := ship.Qual("DTM", "017")
				require.True(t, ok, "DTM*017")
				require.Equal(t, ccyymmdd(d), dtm.Value(2))
			}
			if tn := field(doc, "tracking_number"); tn != "" {
				ref, ok := ship.Qual("REF", "CN")
				require.True(t, ok, "REF*CN")
				require.Equal(t, tn, ref.Value(2))
			}
			td5 := ship.All("TD5")
			require.Len(t, td5, 1, "TD5")
			require.Contains(t, []string{td5[0].Value(3), td5[0].Value(5)}, field(doc, "carrier"), "TD503 or TD505")
			require.Equal(t, field(doc, "carrier_service"), td5[0].Value(12), "TD512")
			for entity, key := range map[string]string{"SF": "ship_from", "ST": "ship_to"} {
				if a := object(doc, key); a != nil {
					requireX12Party(t, ship, entity, a)
				}
			}
			requireX12Items(t, doc, hls)
		})
	}
}

// requireX12Items walks the I levels of an 856 up to their P and O
// levels and compares them with the canonical packages and lines.
func requireX12Items(t *testing.T, doc map[string]any, hls map[string]x12HL) {
	t.Helper()
	var orders []string
	type item struct{ order, sscc, sku, qty, unit, line, gtin, batch string }
	var got, want []item
	for i := 1; i <= len(hls); i++ {
		hl := hls[strconv.Itoa(i)]
		switch hl.level {
		case "O":
			orders = append(orders, hl.segs.All("PRF")[0].Value(1))
		case "I":
			pack := hls[hl.parent]
			order := ""
			if o := hls[pack.parent]; o.level == "O" {
				order = o.segs.All("PRF")[0].Value(1)
			}
			sscc := ""
			if man, ok := pack.segs.Qual("MAN", "GM"); ok {
				// GS1 labels carry the SSCC with its application identifier 00.
				sscc = man.Value(2)
				if len(sscc) == 20 {
					sscc = strings.TrimPrefix(sscc, "00")
				}
			}
			lin, sn1 := hl.segs.All("LIN")[0], hl.segs.All("SN1")[0]
			ids := x12IDs(lin, 2)
			got = append(got, item{order, sscc, ids["VN"], sn1.Value(2), sn1.Value(3), lin.Value(1), ids["EN"], ids["LT"]})
		}
	}
	for _, p := range objects(doc, "packages") {
		for _, l := range objects(p, "lines") {
			want = append(want, item{field(l, "order_external_id"), field(p, "sscc"), field(l, "sku"), field(l, "quantity"),
				x12Units[field(l, "unit")], lineNo(l), field(l, "gtin"), field(l, "batch")})
		}
	}
	require.Len(t, got, len(want), "I levels")
	for i := range want {
		requireDecimal(t, want[i].qty, got[i].qty, "SN102 of item "+strconv.Itoa(i+1))
		got[i].qty = want[i].qty
	}
	require.Equal(t, want, got, "items (order, SSCC, VN, SN102, SN103, LIN01, EN, LT) through HL02 parents")
	if doc["order_external_ids"] != nil {
		require.Subset(t, orders, stringsOf(doc, "order_external_ids"), "PRF01 of the O levels")
	}
}

// gtinOf returns the GTIN among X12 product ids, under whichever GTIN
// qualifier (UP 12 digits, EN 13, UK 14) it was written.
func gtinOf(ids map[string]string) string { return ids["UP"] + ids["EN"] + ids["UK"] }

// TestNPMCrossCheckX12846 checks 846s built from canonical stock levels:
// BIA, the as-of DTM as an instant, the warehouse N1, LIN ids (the
// dealer's sku as BP), PID, and QTY 17 on hand, 33 available, 63 on
// order.
func TestNPMCrossCheckX12846(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"north_drill", "oversold_negative"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := canonicalFixture(t, "stock_level", name)
			tx := x12CrossCheck(t, "stock_level", doc, x12map.Options{})
			asOf, err := time.Parse(time.RFC3339Nano, field(doc, "as_of"))
			require.NoError(t, err)
			bia := tx.Seg(t, "BIA", 1)
			require.Equal(t, []string{"00", "DD", field(doc, "external_id")}, []string{bia.Value(1), bia.Value(2), bia.Value(3)}, "BIA01-03")
			dtm := tx.Seg(t, "DTM", 1)
			require.Truef(t, asOf.Equal(x12Instant(t, dtm.Value(2), dtm.Value(3), dtm.Value(4))), "DTM %v is not as_of %s", dtm.Values(), asOf)
			require.Equal(t, field(doc, "location"), tx.Seg(t, "N1", 1).Value(4), "N104")
			require.Equal(t, "WH", tx.Seg(t, "N1", 1).Value(1), "N101")
			ids := x12IDs(tx.Seg(t, "LIN", 1), 2)
			require.Equal(t, field(doc, "sku"), ids["BP"], "LIN BP")
			if s := field(doc, "supplier_sku"); s != "" {
				require.Equal(t, s, ids["VN"], "LIN VN")
			}
			require.Equal(t, field(doc, "gtin"), gtinOf(ids), "LIN GTIN")
			if d := field(doc, "description"); d != "" {
				require.Equal(t, d, tx.Seg(t, "PID", 1).Value(5), "PID05")
			}
			for code, key := range map[string]string{"17": "on_hand", "33": "available", "63": "on_order"} {
				qty, ok := tx.Segments.Qual("QTY", code)
				if field(doc, key) == "" {
					require.False(t, ok, "QTY*%s without %s", code, key)
					continue
				}
				require.True(t, ok, "QTY*%s (%s)", code, key)
				requireDecimal(t, field(doc, key), qty.Value(2), "QTY*"+code)
				require.Equal(t, x12Units[field(doc, "unit")], qty.Value(3), "QTY03 of QTY*%s", code)
			}
		})
	}
}

// TestNPMCrossCheckX12832 checks an 832 built from a canonical price list:
// BCT, CUR, the validity DTMs, and each LIN loop's ids, description,
// dates and CTP prices with their tier quantities.
func TestNPMCrossCheckX12832(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"acme_q2_cny", "yongkang_usd_for_north"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := canonicalFixture(t, "price_list", name)
			tx := x12CrossCheck(t, "price_list", doc, x12map.Options{})
			bct := tx.Seg(t, "BCT", 1)
			require.Equal(t, []string{"PC", field(doc, "external_id"), field(doc, "name")}, []string{bct.Value(1), bct.Value(2), bct.Value(9)}, "BCT01, BCT02, BCT09")
			require.Equal(t, []string{"SE", field(doc, "currency")}, tx.Seg(t, "CUR", 1).Values())
			head := tx.Segments.Loops("BCT", "LIN")[0]
			for q, key := range map[string]string{"007": "valid_from", "036": "valid_to"} {
				dtm, ok := head.Qual("DTM", q)
				require.Equal(t, field(doc, key) != "", ok, "heading DTM*%s", q)
				require.Equal(t, ccyymmdd(field(doc, key)), dtm.Value(2), "heading DTM*%s", q)
			}
			lines := objects(doc, "lines")
			loops := tx.Segments.Loops("LIN", "CTT")
			require.Len(t, loops, len(lines), "LIN loops")
			for i, l := range lines {
				what := "LIN loop of " + field(l, "sku")
				ids := x12IDs(loops[i][0], 2)
				require.Equal(t, []string{field(l, "sku"), field(l, "gtin")}, []string{ids["VN"], gtinOf(ids)}, what+" ids")
				if d := field(l, "description"); d != "" {
					pid, ok := loops[i].Qual("PID", "F")
					require.True(t, ok, what+" PID*F")
					require.Equal(t, d, pid.Value(5), what+" PID05")
				}
				if d := field(l, "valid_from"); d != "" {
					dtm, ok := loops[i].Qual("DTM", "007")
					require.True(t, ok, what+" DTM*007")
					require.Equal(t, ccyymmdd(d), dtm.Value(2))
				}
				type price struct{ price, min string }
				want := []price{{field(l, "unit_price"), field(l, "min_quantity")}}
				if l["tiers"] != nil {
					for _, tier := range objects(l, "tiers") {
						want = append(want, price{field(tier, "unit_price"), field(tier, "min_quantity")})
					}
				}
				ctps := loops[i].All("CTP")
				require.Len(t, ctps, len(want), what+" CTPs")
				for j, w := range want {
					requireDecimal(t, w.price, ctps[j].Value(3), what+" CTP03")
					if w.min != "" {
						requireDecimal(t, w.min, ctps[j].Value(4), what+" CTP04")
					}
					require.Equal(t, x12Units[field(l, "unit")], ctps[j].Value(5), what+" CTP05")
				}
			}
			require.Equal(t, strconv.Itoa(len(lines)), tx.Seg(t, "CTT", 1).Value(1), "CTT01")
		})
	}
}

// x12Statuses are the AT701 shipment status codes of canonical tracking
// statuses the fixtures use: D1 completed unloading at delivery
// location, X6 en route to delivery location.
var x12Statuses = map[string]string{"delivered": "D1", "in_transit": "X6"}

// TestNPMCrossCheckX12214 checks 214s built from canonical tracking
// events: B10 references, one LX with an AT7 whose status and instant are
// the event's, and MS1 its place.
func TestNPMCrossCheckX12214(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"sf_delivered_utc", "sf_in_transit"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := canonicalFixture(t, "tracking_event", name)
			tx := x12CrossCheck(t, "tracking_event", doc, x12map.Options{})
			b10 := tx.Seg(t, "B10", 1)
			require.Equal(t, []string{field(doc, "tracking_number"), field(doc, "shipment_external_id")}, []string{b10.Value(1), b10.Value(2)}, "B1001, B1002")
			require.Equal(t, []string{"1"}, tx.Seg(t, "LX", 1).Values())
			at7 := tx.Seg(t, "AT7", 1)
			require.Equal(t, x12Statuses[field(doc, "status")], at7.Value(1), "AT701")
			at, err := time.Parse(time.RFC3339, field(doc, "occurred_at"))
			require.NoError(t, err)
			require.Truef(t, at.Equal(x12Instant(t, at7.Value(5), at7.Value(6), at7.Value(7))), "AT705-07 %v is not occurred_at %s", at7.Values(), at)
			if loc := object(doc, "location"); loc != nil {
				require.Equal(t, []string{field(loc, "city"), field(loc, "region"), field(loc, "country")},
					[]string{tx.Seg(t, "MS1", 1).Value(1), tx.Seg(t, "MS1", 1).Value(2), tx.Seg(t, "MS1", 1).Value(3)}, "MS101-03")
			}
		})
	}
}
