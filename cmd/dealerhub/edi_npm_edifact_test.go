package main

// Cross-checks of the EDIFACT dealerhub writes against an independent npm
// parser (see edinpm_test.go): a canonical fixture goes through the
// mapping (edifactmap) and the writer (connectors/edifact); the edifact
// package parses the result; what IT reads is compared, field by field,
// with the canonical input. The X12 cross-checks are in
// edi_npm_x12_test.go.

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/mappings/edifactmap"
)

// edifactUnit returns a QTY's unit as canonical: an absent 6411 is the
// default unit PCE (piece), as edifactmap documents.
func edifactUnit(qty npmSegment) string {
	if u := qty.Component(1, 3); u != "" {
		return u
	}
	return "PCE"
}

// edifactText joins the text components of element i.
func edifactText(s npmSegment, i int) string {
	if i > len(s.Elements) {
		return ""
	}
	return strings.Join(s.Elements[i-1], "")
}

// edifactIMD joins the descriptions of the IMD segments in segs (C273,
// element 3).
func edifactIMD(segs npmSegments) string {
	var b strings.Builder
	for _, imd := range segs.All("IMD") {
		b.WriteString(edifactText(imd, 3))
	}
	return b.String()
}

// edifactTexts returns the text of each FTX in segs (C108, element 4),
// by text subject qualifier.
func edifactTexts(segs npmSegments) map[string]string {
	out := map[string]string{}
	for _, ftx := range segs.All("FTX") {
		out[ftx.Value(1)] += edifactText(ftx, 4)
	}
	return out
}

// requireDTM checks that segs hold DTM qualifier with a CCYYMMDD date
// (format 102) equal to the canonical date, or none when date is "".
func requireDTM(t *testing.T, segs npmSegments, qualifier, date, what string) {
	t.Helper()
	for _, dtm := range segs.All("DTM") {
		if dtm.Component(1, 1) == qualifier {
			require.NotEmptyf(t, date, "%s: DTM %s written without a date", what, qualifier)
			require.Equal(t, []string{qualifier, ccyymmdd(date), "102"}, dtm.Elements[0], "%s: DTM %s", what, qualifier)
			return
		}
	}
	require.Emptyf(t, date, "%s: DTM %s missing; the npm parser read %v", what, qualifier, segs.Tags())
}

// edifactInstant reads a DTM C507 with format 203 (CCYYMMDDHHMM) or 204
// (CCYYMMDDHHMMSS), which carry no zone: edifactmap writes UTC by default.
func edifactInstant(t *testing.T, dtm npmSegment) time.Time {
	t.Helper()
	layout := map[string]string{"203": "200601021504", "204": "20060102150405"}[dtm.Component(1, 3)]
	require.NotEmptyf(t, layout, "DTM format %q", dtm.Component(1, 3))
	at, err := time.Parse(layout, dtm.Component(1, 2))
	require.NoError(t, err)
	return at
}

// requireNAD checks the NAD of role in segs (C080 name, C059 street,
// city, region, postal code, country; CTA and COM) against a canonical
// address.
func requireNAD(t *testing.T, segs npmSegments, role string, a map[string]any) {
	t.Helper()
	for i, nad := range segs {
		if nad.Tag != "NAD" || nad.Value(1) != role {
			continue
		}
		var street []string
		if a["address_lines"] != nil {
			street = stringsOf(a, "address_lines")
		}
		require.Equal(t, field(a, "name"), edifactText(nad, 4), "NAD %s C080", role)
		var got []string
		if len(nad.Elements) >= 5 && edifactText(nad, 5) != "" {
			got = nad.Elements[4]
		}
		require.Equal(t, street, got, "NAD %s C059", role)
		require.Equal(t, []string{field(a, "city"), field(a, "region"), field(a, "postal_code"), field(a, "country")},
			[]string{nad.Value(6), nad.Value(7), nad.Value(8), nad.Value(9)}, "NAD %s city, region, postal code, country", role)
		group := npmSegments{}
		for _, s := range segs[i+1:] {
			if s.Tag != "CTA" && s.Tag != "COM" {
				break
			}
			group = append(group, s)
		}
		if c := field(a, "contact"); c != "" {
			cta, ok := group.Qual("CTA", "IC")
			require.True(t, ok, "CTA IC after NAD %s", role)
			require.Equal(t, c, cta.Component(2, 2), "NAD %s CTA C056", role)
		}
		if p := field(a, "phone"); p != "" {
			require.Len(t, group.All("COM"), 1, "COM after NAD %s", role)
			require.Equal(t, []string{p, "TE"}, group.All("COM")[0].Elements[0], "NAD %s COM", role)
		}
		return
	}
	require.Failf(t, "no NAD", "NAD %s missing; the npm parser read %v", role, segs.Tags())
}

// requireEDIFACTItem checks a LIN group's ids: LIN C212 the GTIN (EN),
// PIA 5 the supplier's article number (SA), PIA 1 the buyer's (IN).
func requireEDIFACTItem(t *testing.T, group npmSegments, sku, gtin, buyerSKU, what string) {
	t.Helper()
	lin := group[0]
	if gtin != "" {
		require.Equal(t, []string{gtin, "EN"}, lin.Elements[2], what+" LIN C212")
	}
	ids := map[string]string{}
	for _, pia := range group.All("PIA") {
		ids[pia.Value(1)+":"+pia.Component(2, 2)] = pia.Component(2, 1)
	}
	if sku != gtin {
		require.Equal(t, sku, ids["5:SA"], what+" PIA 5 SA")
	}
	require.Equal(t, buyerSKU, ids["1:IN"], what+" PIA 1 IN")
}

// TestNPMCrossCheckEDIFACTOrders checks ORDERS built from canonical
// orders (UNOY, with Chinese text): BGM, DTM 137 and 2, FTX, NAD DP with
// CTA and COM, CUX, and each LIN group (ids, IMD, QTY 21, DTM, PRI AAA)
// against each line; CNT 2 counts them.
func TestNPMCrossCheckEDIFACTOrders(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, syntax string }{{"north_to_acme", "UNOY"}, {"huadong_sap_po", "UNOC"}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := canonicalFixture(t, "order", tc.name)
			tx := edifactCrossCheck(t, "order", doc, tc.syntax, edifactmap.Options{})
			require.Equal(t, []string{"220", field(doc, "external_id"), "9"}, tx.Seg(t, "BGM", 1).Values(), "BGM")
			head := tx.Segments.Loops("BGM", "LIN")[0]
			requireDTM(t, head, "137", field(doc, "order_date"), "heading")
			requireDTM(t, head, "2", field(doc, "requested_date"), "heading")
			texts := edifactTexts(head)
			require.Equal(t, field(doc, "note"), texts["AAI"], "FTX AAI")
			require.Equal(t, field(doc, "payment_terms"), texts["AAB"], "FTX AAB")
			if st := object(doc, "ship_to"); st != nil {
				requireNAD(t, head, "DP", st)
			}
			if c := field(doc, "buyer_contact"); c != "" {
				requireNAD(t, head, "BY", map[string]any{"contact": c})
			}
			cux := tx.Seg(t, "CUX", 1)
			require.Equal(t, []string{"2", field(doc, "currency"), "9"}, cux.Elements[0], "CUX")
			lines := objects(doc, "lines")
			groups := tx.Segments.Loops("LIN", "UNS")
			require.Len(t, groups, len(lines), "LIN groups")
			for i, l := range lines {
				what := "line " + lineNo(l)
				g := groups[i]
				require.Equal(t, lineNo(l), g[0].Value(1), what+" LIN 1082")
				requireEDIFACTItem(t, g, field(l, "sku"), field(l, "gtin"), field(l, "buyer_sku"), what)
				require.Equal(t, field(l, "description"), edifactIMD(g), what+" IMD C273")
				qty, ok := g.Qual("QTY", "21")
				require.True(t, ok, what+" QTY 21")
				requireDecimal(t, field(l, "quantity"), qty.Component(1, 2), what+" QTY 21")
				require.Equal(t, field(l, "unit"), edifactUnit(qty), what+" QTY 6411")
				requireDTM(t, g, "2", field(l, "requested_date"), what)
				require.Equal(t, field(l, "note"), edifactTexts(g)["AAI"], what+" FTX")
				pri, ok := g.Qual("PRI", "AAA")
				require.Equal(t, field(l, "unit_price") != "", ok, what+" PRI AAA")
				if ok {
					requireDecimal(t, field(l, "unit_price"), pri.Component(1, 2), what+" PRI AAA")
				}
			}
			require.Equal(t, []string{"2", strconv.Itoa(len(lines))}, tx.Seg(t, "CNT", 1).Elements[0], "CNT 2")
		})
	}
}

// edifactResponses are the LIN 1229 action codes of canonical line
// responses (5 accepted, 3 changed, 7 not accepted); a backordered line
// is a changed one whose quantity follows as QTY 83 (backorder).
var edifactResponses = map[string]string{"accepted": "5", "changed": "3", "rejected": "7", "backordered": "3"}

// TestNPMCrossCheckEDIFACTOrdrsp checks ORDRSPs built from canonical order
// responses: BGM 231 with the function by status, DTM 137, FTX, RFF ON,
// and each LIN group's action, PIA, QTY, promised DTM, reason and PRI.
func TestNPMCrossCheckEDIFACTOrdrsp(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, function string }{
		{"acme_partial", "4"},         // changed
		{"header_only_confirm", "29"}, // accepted without amendment
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := canonicalFixture(t, "order_response", tc.name)
			tx := edifactCrossCheck(t, "order_response", doc, "UNOY", edifactmap.Options{})
			require.Equal(t, []string{"231", field(doc, "external_id"), tc.function}, tx.Seg(t, "BGM", 1).Values(), "BGM")
			head := tx.Segments.Loops("BGM", "LIN", "UNS")[0]
			requireDTM(t, head, "137", field(doc, "response_date"), "heading")
			require.Equal(t, field(doc, "note"), edifactTexts(head)["AAI"], "FTX AAI")
			rff, ok := head.Qual("RFF", "ON")
			require.True(t, ok, "RFF ON")
			require.Equal(t, field(doc, "order_external_id"), rff.Component(1, 2), "RFF ON")
			var lines []map[string]any
			if doc["lines"] != nil {
				lines = objects(doc, "lines")
			}
			groups := tx.Segments.Loops("LIN", "UNS")
			require.Len(t, groups, len(lines), "LIN groups")
			for i, l := range lines {
				what := "line " + lineNo(l)
				g := groups[i]
				require.Equal(t, []string{lineNo(l), edifactResponses[field(l, "response")]}, []string{g[0].Value(1), g[0].Value(2)}, what+" LIN 1082, 1229")
				requireEDIFACTItem(t, g, field(l, "sku"), "", "", what)
				q := map[bool]string{true: "83", false: "113"}[field(l, "response") == "backordered"]
				qty, ok := g.Qual("QTY", q)
				require.True(t, ok, "%s QTY %s", what, q)
				requireDecimal(t, field(l, "quantity"), qty.Component(1, 2), what+" QTY")
				require.Equal(t, field(l, "unit"), edifactUnit(qty), what+" QTY 6411")
				requireDTM(t, g, "2", field(l, "promised_date"), what)
				require.Equal(t, field(l, "reason"), edifactTexts(g)["AAI"], what+" FTX")
				if p := field(l, "unit_price"); p != "" {
					pri, ok := g.Qual("PRI", "AAA")
					require.True(t, ok, what+" PRI AAA")
					requireDecimal(t, p, pri.Component(1, 2), what+" PRI AAA")
				}
			}
			require.Equal(t, []string{"2", strconv.Itoa(len(lines))}, tx.Seg(t, "CNT", 1).Elements[0], "CNT 2")
		})
	}
}

// edifactPackage is one package of a DESADV as read back through its
// CPS group: parent id, SSCC, and its lines.
type edifactPackage struct {
	parent, sscc string
	lines        []edifactShipLine
}

// edifactShipLine is one LIN group of a DESADV as read back.
type edifactShipLine struct{ sku, gtin, qty, unit, order, line, batch string }

// edifactCPS reads the CPS groups of a DESADV as the edifact package
// parsed them and checks the tree: ids unique, every parent an earlier
// CPS, the first CPS the root. It returns the packages in order.
func edifactCPS(t *testing.T, tx npmTransaction) []edifactPackage {
	t.Helper()
	seen := map[string]bool{}
	var out []edifactPackage
	for i, g := range tx.Segments.Loops("CPS", "UNS") {
		id, parent := g[0].Value(1), g[0].Value(2)
		require.Falsef(t, seen[id], "CPS %s twice", id)
		if i == 0 {
			require.Empty(t, parent, "the first CPS is the consignment, with no parent")
		} else {
			require.Truef(t, seen[parent], "CPS %s: parent %q is not an earlier CPS", id, parent)
		}
		seen[id] = true
		if i == 0 {
			continue
		}
		p := edifactPackage{parent: parent}
		if gin, ok := g.Qual("GIN", "BJ"); ok {
			p.sscc = gin.Value(2)
		}
		for _, lin := range g.Loops("LIN") {
			l := edifactShipLine{}
			if len(lin[0].Elements) >= 3 {
				l.gtin = lin[0].Component(3, 1)
			}
			for _, pia := range lin.All("PIA") {
				switch pia.Component(2, 2) {
				case "SA":
					l.sku = pia.Component(2, 1)
				case "NB":
					l.batch = pia.Component(2, 1)
				}
			}
			if qty, ok := lin.Qual("QTY", "12"); ok {
				l.qty, l.unit = qty.Component(1, 2), edifactUnit(qty)
			}
			if rff, ok := lin.Qual("RFF", "ON"); ok {
				l.order, l.line = rff.Component(1, 2), rff.Component(1, 3)
			}
			p.lines = append(p.lines, l)
		}
		out = append(out, p)
	}
	return out
}

// TestNPMCrossCheckEDIFACTDesadv checks DESADVs built from canonical
// shipments: BGM 351, DTM 11 and 17, RFF ON and CN, NAD SF and ST, TDT,
// the CPS tree, and each package's SSCC and LIN groups (ids, batch, QTY
// 12, RFF ON with the order line) against the canonical packages.
func TestNPMCrossCheckEDIFACTDesadv(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"acme_two_packages", "no_sscc"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := canonicalFixture(t, "shipment", name)
			tx := edifactCrossCheck(t, "shipment", doc, "UNOY", edifactmap.Options{})
			require.Equal(t, []string{"351", field(doc, "external_id"), "9"}, tx.Seg(t, "BGM", 1).Values(), "BGM")
			head := tx.Segments.Loops("BGM", "CPS")[0]
			requireDTM(t, head, "11", field(doc, "ship_date"), "heading")
			requireDTM(t, head, "17", field(doc, "estimated_delivery"), "heading")
			var orders []string
			for _, rff := range head.All("RFF") {
				if rff.Component(1, 1) == "ON" {
					orders = append(orders, rff.Component(1, 2))
				}
			}
			if doc["order_external_ids"] != nil {
				require.Equal(t, stringsOf(doc, "order_external_ids"), orders, "heading RFF ON")
			}
			if tn := field(doc, "tracking_number"); tn != "" {
				rff, ok := head.Qual("RFF", "CN")
				require.True(t, ok, "RFF CN")
				require.Equal(t, tn, rff.Component(1, 2))
			}
			for role, key := range map[string]string{"SF": "ship_from", "ST": "ship_to"} {
				if a := object(doc, key); a != nil {
					requireNAD(t, head, role, a)
				}
			}
			tdt := tx.Seg(t, "TDT", 1)
			require.Equal(t, []string{"20", field(doc, "carrier_service"), field(doc, "carrier")},
				[]string{tdt.Value(1), tdt.Component(4, 2), tdt.Component(5, 4)}, "TDT 8051, C228 8178, C040 3128")
			got := edifactCPS(t, tx)
			var want []edifactPackage
			count := 0
			for _, p := range objects(doc, "packages") {
				wp := edifactPackage{parent: "1", sscc: field(p, "sscc")}
				for _, l := range objects(p, "lines") {
					wp.lines = append(wp.lines, edifactShipLine{field(l, "sku"), field(l, "gtin"), field(l, "quantity"),
						field(l, "unit"), field(l, "order_external_id"), lineNo(l), field(l, "batch")})
					count++
				}
				want = append(want, wp)
			}
			require.Len(t, got, len(want), "packages")
			for i := range want {
				require.Len(t, got[i].lines, len(want[i].lines), "lines of package %d", i+1)
				for j := range want[i].lines {
					requireDecimal(t, want[i].lines[j].qty, got[i].lines[j].qty, "QTY 12")
					got[i].lines[j].qty = want[i].lines[j].qty
				}
			}
			require.Equal(t, want, got, "packages (parent CPS, GIN BJ, LIN groups) as the edifact package read them")
			require.Equal(t, []string{"2", strconv.Itoa(count)}, tx.Seg(t, "CNT", 1).Elements[0], "CNT 2")
		})
	}
}

// TestNPMCrossCheckEDIFACTInvrpt checks INVRPTs built from canonical stock
// levels: BGM 35, DTM 137 as the as_of instant, the LIN group's ids and
// IMD, and one QTY per quantity (145 on hand, 198 on order, 66 reserved,
// 97 safety stock; the partner code for available), each with LOC 18
// the warehouse and DTM 366 the instant.
func TestNPMCrossCheckEDIFACTInvrpt(t *testing.T) {
	t.Parallel()
	// EANCOM has no code of its own for "available"; edifactmap needs the
	// partner's, as its README says.
	o := edifactmap.Options{StockQuantities: map[string]string{"17": "available"}}
	codes := map[string]string{"145": "on_hand", "198": "on_order", "66": "reserved", "97": "safety_stock", "17": "available"}
	for _, name := range []string{"north_drill", "oversold_negative"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := canonicalFixture(t, "stock_level", name)
			tx := edifactCrossCheck(t, "stock_level", doc, "UNOY", o)
			asOf, err := time.Parse(time.RFC3339Nano, field(doc, "as_of"))
			require.NoError(t, err)
			// DTM formats 203 and 204 stop at the minute and the second:
			// oversold_negative's half second cannot be carried.
			asOf = asOf.Truncate(time.Second)
			require.Equal(t, []string{"35", field(doc, "external_id"), "9"}, tx.Seg(t, "BGM", 1).Values(), "BGM")
			head := tx.Segments.Loops("BGM", "LIN")[0]
			dtm, ok := head.Qual("DTM", "137")
			require.True(t, ok, "DTM 137")
			require.Truef(t, asOf.Equal(edifactInstant(t, dtm)), "DTM 137 %v is not as_of %s", dtm.Elements[0], asOf)
			groups := tx.Segments.Loops("LIN")
			require.Len(t, groups, 1, "LIN groups")
			g := groups[0]
			requireEDIFACTItem(t, g, field(doc, "supplier_sku"), field(doc, "gtin"), field(doc, "sku"), "LIN 1")
			require.Equal(t, field(doc, "description"), edifactIMD(g), "IMD C273")
			got := map[string]string{}
			for i, s := range g {
				if s.Tag != "QTY" {
					continue
				}
				key := codes[s.Component(1, 1)]
				require.NotEmptyf(t, key, "QTY %s is not a stock quantity", s.Component(1, 1))
				requireDecimal(t, field(doc, key), s.Component(1, 2), "QTY "+s.Component(1, 1))
				require.Equal(t, field(doc, "unit"), edifactUnit(s), "QTY %s unit", s.Component(1, 1))
				got[key] = field(doc, key)
				require.Greater(t, len(g), i+2, "LOC and DTM after QTY")
				require.Equal(t, []string{"18", field(doc, "location")}, g[i+1].Values(), "LOC after QTY %s", s.Component(1, 1))
				require.Equal(t, "366", g[i+2].Component(1, 1), "DTM after QTY %s", s.Component(1, 1))
				require.True(t, asOf.Equal(edifactInstant(t, g[i+2])), "DTM 366 after QTY %s", s.Component(1, 1))
			}
			want := map[string]string{}
			for _, key := range codes {
				if v := field(doc, key); v != "" {
					want[key] = v
				}
			}
			require.Equal(t, want, got, "every quantity once")
		})
	}
}

// TestNPMCrossCheckEDIFACTPricat checks PRICATs built from canonical price
// lists: BGM 9 with the list's name, DTM 157 and 36, CUX, TAX, and each
// LIN group's ids, IMD, QTY 53, dates, TAX, PRI AAA and tier PRI + RNG.
func TestNPMCrossCheckEDIFACTPricat(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"acme_q2_cny", "yongkang_usd_for_north"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := canonicalFixture(t, "price_list", name)
			tx := edifactCrossCheck(t, "price_list", doc, "UNOY", edifactmap.Options{})
			bgm := tx.Seg(t, "BGM", 1)
			require.Equal(t, []string{"9", field(doc, "name"), field(doc, "external_id"), "9"},
				[]string{bgm.Value(1), bgm.Component(1, 4), bgm.Value(2), bgm.Value(3)}, "BGM")
			head := tx.Segments.Loops("BGM", "LIN")[0]
			requireDTM(t, head, "157", field(doc, "valid_from"), "heading")
			requireDTM(t, head, "36", field(doc, "valid_to"), "heading")
			require.Equal(t, field(doc, "note"), edifactTexts(head)["AAI"], "FTX AAI")
			require.Equal(t, []string{"2", field(doc, "currency"), "10"}, tx.Seg(t, "CUX", 1).Elements[0], "CUX")
			requireTax(t, head, field(doc, "tax_rate"), "heading")
			lines := objects(doc, "lines")
			groups := tx.Segments.Loops("LIN", "UNS")
			require.Len(t, groups, len(lines), "LIN groups")
			for i, l := range lines {
				what := "line " + field(l, "sku")
				g := groups[i]
				requireEDIFACTItem(t, g, field(l, "sku"), field(l, "gtin"), "", what)
				require.Equal(t, field(l, "description"), edifactIMD(g), what+" IMD C273")
				qty, ok := g.Qual("QTY", "53")
				require.Equal(t, field(l, "min_quantity") != "", ok, what+" QTY 53")
				if ok {
					requireDecimal(t, field(l, "min_quantity"), qty.Component(1, 2), what+" QTY 53")
					require.Equal(t, field(l, "unit"), edifactUnit(qty), what+" QTY 53 unit")
				}
				requireDTM(t, g, "157", field(l, "valid_from"), what)
				requireTax(t, g, field(l, "tax_rate"), what)
				pris, rngs := g.All("PRI"), g.All("RNG")
				var tiers []map[string]any
				if l["tiers"] != nil {
					tiers = objects(l, "tiers")
				}
				require.Len(t, pris, 1+len(tiers), what+" PRI")
				require.Len(t, rngs, len(tiers), what+" RNG")
				requireDecimal(t, field(l, "unit_price"), pris[0].Component(1, 2), what+" PRI AAA")
				for j, tier := range tiers {
					requireDecimal(t, field(tier, "unit_price"), pris[j+1].Component(1, 2), what+" tier PRI")
					require.Equal(t, []string{"4", field(l, "unit")}, []string{rngs[j].Value(1), rngs[j].Component(2, 1)}, what+" RNG")
					requireDecimal(t, field(tier, "min_quantity"), rngs[j].Component(2, 2), what+" RNG minimum")
				}
			}
			require.Equal(t, []string{"2", strconv.Itoa(len(lines))}, tx.Seg(t, "CNT", 1).Elements[0], "CNT 2")
		})
	}
}

// requireTax checks that segs hold a TAX 7 VAT with the rate (C243 5278),
// or no TAX when rate is "".
func requireTax(t *testing.T, segs npmSegments, rate, what string) {
	t.Helper()
	taxes := segs.All("TAX")
	if rate == "" {
		require.Empty(t, taxes, what+" TAX")
		return
	}
	require.Len(t, taxes, 1, what+" TAX")
	require.Equal(t, []string{"7", "VAT"}, []string{taxes[0].Value(1), taxes[0].Value(2)}, what+" TAX")
	requireDecimal(t, rate, taxes[0].Component(5, 4), what+" TAX rate")
}

// TestNPMCrossCheckEDIFACTIftsta checks IFTSTAs built from canonical
// tracking events: BGM 23, CNI with the shipment, STS with a status code
// and the description, RFF CN, DTM 334 as the event's instant, DTM 17, and
// LOC with the place.
func TestNPMCrossCheckEDIFACTIftsta(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"sf_delivered_utc", "sf_in_transit"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := canonicalFixture(t, "tracking_event", name)
			tx := edifactCrossCheck(t, "tracking_event", doc, "UNOY", edifactmap.Options{})
			require.Equal(t, []string{"23", field(doc, "external_id"), "9"}, tx.Seg(t, "BGM", 1).Values(), "BGM")
			require.Equal(t, []string{"1", field(doc, "shipment_external_id")}, tx.Seg(t, "CNI", 1).Values(), "CNI")
			sts := tx.Seg(t, "STS", 1)
			require.Equal(t, "1", sts.Value(1), "STS 9015")
			require.NotEmpty(t, sts.Component(2, 1), "STS C555 4405")
			require.Equal(t, field(doc, "description"), sts.Component(2, 4)+edifactTexts(tx.Segments)["AAI"], "STS 4404 or FTX")
			rff, ok := tx.Segments.Qual("RFF", "CN")
			require.True(t, ok, "RFF CN")
			require.Equal(t, field(doc, "tracking_number"), rff.Component(1, 2))
			at, err := time.Parse(time.RFC3339, field(doc, "occurred_at"))
			require.NoError(t, err)
			var event npmSegment
			for _, dtm := range tx.All("DTM") {
				if dtm.Component(1, 1) == "334" {
					event = dtm
				}
			}
			require.Equal(t, "334", event.Component(1, 1), "DTM 334")
			require.Truef(t, at.Equal(edifactInstant(t, event)), "DTM 334 %v is not occurred_at %s", event.Elements[0], at)
			requireDTM(t, tx.Segments, "17", field(doc, "estimated_delivery"), "STS")
			if loc := object(doc, "location"); loc != nil {
				l := tx.Seg(t, "LOC", 1)
				require.Equal(t, []string{field(loc, "description"), field(loc, "city")}, []string{l.Component(2, 4), l.Component(3, 4)}, "LOC C517 3224, C519 3223")
			}
		})
	}
}
