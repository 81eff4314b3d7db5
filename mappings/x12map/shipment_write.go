package x12map

import (
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// hlWriter numbers HL levels as they are written.
type hlWriter struct {
	w     *writer
	count int
}

// open writes an HL under parent ("" for the root) and returns its id;
// HL04 says whether children follow.
func (h *hlWriter) open(parent, level string, children bool) string {
	h.count++
	id := itoa(h.count)
	h.w.add("HL", id, parent, level, map[bool]string{true: "1", false: "0"}[children])
	return id
}

// shipment writes an 856 as S/O/P/I: the shipment, then each order (the
// document's order_external_ids first, then those only its lines name),
// under it each package holding lines of that order, under each package
// those lines. A package holding lines of two orders is written under
// both with the same SSCC (reading merges them back). Lines of no order
// hang from packages directly under the shipment.
func (w *writer) shipment() {
	doc, ext := w.doc, w.ext()
	id := w.need(doc, "", "external_id")
	ship := w.date(doc, "", "ship_date")
	if str(doc, "ship_date") == "" {
		w.p.Add("/ship_date", "is missing")
	}
	asn := ship
	if d, ok := edimap.FormatDate(str(ext, "x12.asn_date")); ok {
		asn = d
	}
	purpose := "00"
	if p := str(ext, "x12.purpose"); p != "" {
		purpose = p
	}
	w.add("BSN", purpose, id, asn, "0000", "0001")
	h := &hlWriter{w: w}
	pkgs := list(doc, "packages")
	if len(pkgs) == 0 {
		w.p.Add("/packages", "a shipment needs at least one package")
	}
	root := h.open("", "S", len(pkgs) > 0 || len(edimap.Strings(doc["order_external_ids"])) > 0)
	w.shipHeader(doc, ext, ship)
	orders := slices.Clone(edimap.Strings(doc["order_external_ids"]))
	for _, p := range pkgs {
		for _, l := range list(p, "lines") {
			if o := str(l, "order_external_id"); o != "" && !slices.Contains(orders, o) {
				orders = append(orders, o)
			}
		}
	}
	for _, o := range orders {
		oid := h.open(root, "O", holdsOrder(pkgs, o))
		w.add("PRF", o, "", "", w.date(ext, "/extensions", "x12.order."+o+".date"))
		prefix := "x12.order." + o + "."
		w.refs(ext, prefix+"ref.")
		w.extParties(ext, prefix)
		w.packs(h, oid, pkgs, o)
	}
	w.packs(h, root, pkgs, "")
	w.add("CTT", itoa(h.count))
}

// holdsOrder reports whether a line of the packages belongs to order.
func holdsOrder(pkgs []map[string]any, order string) bool {
	for _, p := range pkgs {
		for _, l := range list(p, "lines") {
			if str(l, "order_external_id") == order {
				return true
			}
		}
	}
	return false
}

// shipHeader writes the shipment level's TD1, TD5, TD3, REFs, dates and
// parties.
func (w *writer) shipHeader(doc, ext map[string]any, ship string) {
	if pk, q, wt, wu := str(ext, "x12.packaging"), str(ext, "x12.lading_quantity"), str(ext, "x12.gross_weight"), str(ext, "x12.gross_weight_unit"); pk+q+wt+wu != "" {
		g := ""
		if wt != "" {
			g = "G"
		}
		w.add("TD1", pk, q, "", "", "", g, wt, wu)
	}
	carrier, routing := str(doc, "carrier"), str(ext, "x12.routing")
	if carrier != "" || routing != "" || str(doc, "carrier_service") != "" {
		td5 := make([]string, 12)
		if isCode(carrier, 4) && len(carrier) >= 2 {
			td5[1], td5[2], td5[4] = "2", carrier, routing
			if q := str(ext, "x12.carrier_id_qualifier"); q != "" {
				td5[1] = q
			}
		} else {
			td5[4] = carrier
		}
		td5[3], td5[11] = str(ext, "x12.transport_method"), str(doc, "carrier_service")
		w.add("TD5", td5...)
	}
	if t, e := str(ext, "x12.equipment_type"), str(ext, "x12.equipment"); t+e != "" {
		w.add("TD3", t, "", e)
	}
	if t := str(doc, "tracking_number"); t != "" {
		w.add("REF", w.o.TrackingRefQualifiers[0], t)
	}
	w.refs(ext, "x12.ref.")
	w.add("DTM", w.o.ShipDateQualifiers[0], ship)
	if d := w.date(doc, "", "estimated_delivery"); d != "" {
		w.add("DTM", w.o.DeliveryDateQualifiers[0], d)
	}
	w.dates(ext, "x12.date.")
	if f := str(ext, "x12.fob"); f != "" {
		w.add("FOB", f)
	}
	if a := obj(doc, "ship_from"); a != nil || str(ext, "x12.ship_from_id") != "" {
		w.partySegs("SF", a, ext, "x12.")
	}
	if a := obj(doc, "ship_to"); a != nil || str(ext, "x12.ship_to_id") != "" {
		w.partySegs("ST", a, ext, "x12.")
	}
	w.extParties(ext, "x12.")
}

// packs writes, under parent, a P level for each package holding lines of
// order ("" for lines of no order) and an I level for each such line.
func (w *writer) packs(h *hlWriter, parent string, pkgs []map[string]any, order string) {
	for i, p := range pkgs {
		ptr := ptrf("/packages/%d", i)
		var lines []int
		all := list(p, "lines")
		for j, l := range all {
			if str(l, "order_external_id") == order {
				lines = append(lines, j)
			}
		}
		if len(all) == 0 && order == "" {
			w.p.Add(ptr+"/lines", "a package needs at least one line")
		}
		if len(lines) == 0 {
			continue
		}
		pid := h.open(parent, "P", true)
		w.packSegs(p, ptr)
		for _, j := range lines {
			h.open(pid, "I", false)
			w.item(all[j], ptrf("%s/lines/%d", ptr, j))
		}
	}
}

// packSegs writes a package's TD1 (type and gross weight) and MAN*GM.
func (w *writer) packSegs(p map[string]any, ptr string) {
	typ := str(p, "package_type")
	for code, word := range packageWords {
		if word == typ {
			typ = code
		}
	}
	weight := w.decimal(p, ptr, "gross_weight")
	unit := w.unit(p, ptr, "weight_unit", false)
	if typ != "" || weight != "" {
		g := ""
		if weight != "" {
			g = "G"
		}
		w.add("TD1", typ, "1", "", "", "", g, weight, unit)
	}
	if s := str(p, "sscc"); s != "" {
		if len(s) != 18 || !edimap.Digits(s) {
			w.p.Add(ptr+"/sscc", "%q is not 18 digits", s)
		}
		if !w.o.SSCCPlain {
			s = "00" + s
		}
		w.add("MAN", "GM", s)
	}
}

// item writes an I level's LIN, SN1, PID and REFs.
func (w *writer) item(l map[string]any, ptr string) {
	no := ""
	if n, ok := integer(l, "line_no"); ok && n > 0 {
		no = itoa(n)
	}
	lin := append([]string{no}, w.o.idPairs(w.need(l, ptr, "sku"), "", str(l, "gtin"))...)
	if b := str(l, "batch"); b != "" {
		lin = append(lin, "LT", b)
	}
	w.add("LIN", lin...)
	qty := w.decimal(l, ptr, "quantity")
	if qty == "" {
		w.p.Add(ptr+"/quantity", "is missing")
	}
	w.add("SN1", "", qty, w.unit(l, ptr, "unit", true))
	if d := str(l, "description"); d != "" {
		w.add("PID", "F", "", "", "", d)
	}
	for _, sn := range edimap.Strings(l["serial_numbers"]) {
		w.add("REF", "SE", strings.TrimSpace(sn))
	}
}
