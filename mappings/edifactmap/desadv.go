package edifactmap

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// desadv maps a DESADV message to a shipment.
//
// BGM 1004 is external_id; DTM 11 ship_date, 17/132 estimated_delivery;
// header RFF ON are order_external_ids, RFF CN/BM tracking_number; NAD SF
// is ship_from, ST (else DP) ship_to, CA the carrier unless TDT names
// one; TDT C040 3128 (else 3127) is carrier and C228 8178
// carrier_service. The CPS hierarchy becomes packages (see cpsTree).
func (r *reader) desadv(body []seg) []Doc {
	i := slices.IndexFunc(body, func(s seg) bool { return s.Tag == "CPS" || s.Tag == "LIN" || s.Tag == "UNS" })
	if i < 0 {
		i = len(body)
	}
	h := readHead(body[:i])
	doc, ext := map[string]any{}, map[string]any{}
	set(doc, "external_id", r.bgm(h))
	if h.bgm != nil {
		if name := h.bgm.Component(1, 1); name != "" && name != "351" {
			ext["edifact.document_name_code"] = name
		}
	}
	if _, ok := pick(h.dtms, r.c.ShipDateQualifiers); !ok {
		r.missing("DTM", fmt.Sprintf("ship date, qualifier %v", r.c.ShipDateQualifiers))
	}
	set(doc, "ship_date", r.date(h.dtms, r.c.ShipDateQualifiers, false))
	set(doc, "estimated_delivery", r.date(h.dtms, r.c.DeliveryDateQualifiers, false))
	if on := refsOf(h.refs, "ON"); len(on) > 0 {
		doc["order_external_ids"] = toAny(on)
	}
	for _, q := range r.c.TrackingRefQualifiers {
		if t := refsOf(h.refs, q); len(t) > 0 {
			doc["tracking_number"] = t[0]
			break
		}
	}
	set(doc, "note", note(h.ftxs))
	r.shipmentParties(h, doc, ext)
	tree, tail := r.cpsTree(body[i:], ext)
	r.checkCount(tail, tree.lines)
	if len(tree.nodes) == 0 {
		r.missing("LIN", "shipped lines")
	}
	doc["packages"] = r.packages(tree, ext)
	if len(ext) > 0 {
		doc["extensions"] = ext
	}
	return []Doc{{Doctype: "shipment", Body: doc, Pos: r.unh.Pos}}
}

// shipmentParties maps the DESADV's parties and transport.
func (r *reader) shipmentParties(h head, doc, ext map[string]any) {
	carrier := ""
	for _, pt := range h.parties {
		pt.keepID(ext)
		a := pt.address()
		switch {
		case pt.role == "SF" && a != nil:
			doc["ship_from"] = a
		case (pt.role == "ST" || pt.role == "DP" && doc["ship_to"] == nil) && a != nil:
			doc["ship_to"] = a
		case pt.role == "CA":
			carrier = pt.name
			pt.keepName(ext)
		default:
			pt.keepName(ext)
		}
	}
	for _, t := range h.tdts {
		if c := t.Component(5, 4); c != "" {
			carrier = c
		} else if c := t.Component(5, 1); c != "" && carrier == "" {
			carrier = c
		}
		set(doc, "carrier_service", t.Component(4, 2))
		break
	}
	set(doc, "carrier", carrier)
}

// desadv writes a shipment as an EANCOM DESADV.
func (w *writer) desadv(b map[string]any) {
	ext := extensions(b)
	name := str(ext, "edifact.document_name_code")
	if name == "" {
		name = "351"
	}
	w.add("BGM", name, w.need(b, "external_id", ""), "9")
	w.dtmDate(w.c.ShipDateQualifiers[0], w.need(b, "ship_date", ""), "/ship_date")
	w.dtmDate(w.c.DeliveryDateQualifiers[0], str(b, "estimated_delivery"), "/estimated_delivery")
	w.ftx(w.c.NoteQualifier, str(b, "note"))
	for _, on := range edimap.Strings(b["order_external_ids"]) {
		w.add("RFF", comp("ON", on))
	}
	if t := str(b, "tracking_number"); t != "" {
		w.add("RFF", comp(w.c.TrackingRefQualifiers[0], t))
	}
	carrier := str(b, "carrier")
	addrs := map[string]map[string]any{"SF": obj(b, "ship_from"), "ST": obj(b, "ship_to")}
	w.parties(ext, []string{"SU", "BY", "SF", "ST", "DP", "CA"}, addrs)
	if carrier != "" || str(b, "carrier_service") != "" {
		w.add("TDT", "20", "", "", comp("", str(b, "carrier_service")), comp("", "", "", carrier))
	}
	w.packages(b, ext)
}

// packages writes the CPS hierarchy: CPS 1 the consignment, a CPS under
// it for each parent SSCC ("edifact.package.<n>.parent_sscc", a pallet)
// and a CPS for each package under its parent, with PAC, MEA, GIN BJ and
// the package's LIN groups.
func (w *writer) packages(b map[string]any, ext map[string]any) {
	pkgs := objs(b, "packages")
	if len(pkgs) == 0 {
		w.p.Add("/packages", "a shipment needs at least one package")
	}
	w.add("CPS", "1")
	next, lines := 2, 0
	parents := map[string]int{}
	for i, p := range pkgs {
		ptr := fmt.Sprintf("/packages/%d", i)
		parent := 1
		if ps := str(ext, fmt.Sprintf("edifact.package.%d.parent_sscc", i+1)); ps != "" {
			if parents[ps] == 0 {
				parents[ps] = next
				w.add("CPS", fmt.Sprint(next), "1")
				w.add("PAC", "1")
				w.add("PCI", "33E")
				w.add("GIN", "BJ", ps)
				next++
			}
			parent = parents[ps]
		}
		w.add("CPS", fmt.Sprint(next), fmt.Sprint(parent))
		next++
		w.add("PAC", "1", "", packageCode(str(p, "package_type")))
		if g := str(p, "gross_weight"); g != "" {
			w.add("MEA", "PD", "AAB", comp(str(p, "weight_unit"), w.num(g, ptr+"/gross_weight")))
		}
		if s := str(p, "sscc"); s != "" {
			w.add("PCI", "33E")
			w.add("GIN", "BJ", s)
		}
		ls := objs(p, "lines")
		if len(ls) == 0 {
			w.p.Add(ptr+"/lines", "a package needs at least one line")
		}
		for j, l := range ls {
			lines++
			w.shipmentLine(l, lines, fmt.Sprintf("%s/lines/%d", ptr, j))
		}
	}
	w.summary(lines)
}

// shipmentLine writes one LIN group of a DESADV.
func (w *writer) shipmentLine(l map[string]any, n int, ptr string) {
	w.itemIDs(fmt.Sprint(n), "", w.need(l, "sku", ptr), str(l, "gtin"), "")
	if bt := str(l, "batch"); bt != "" {
		w.add("PIA", "1", comp(bt, "NB"))
	}
	w.imd(str(l, "description"))
	w.qty("12", w.need(l, "quantity", ptr), str(l, "unit"), ptr+"/quantity")
	if sn := edimap.Strings(l["serial_numbers"]); len(sn) > 0 {
		for len(sn) > 0 {
			k := min(5, len(sn))
			w.add("GIN", append([]string{"BN"}, sn[:k]...)...)
			sn = sn[k:]
		}
	}
	on, no := str(l, "order_external_id"), intStr(l["line_no"])
	switch {
	case on != "":
		w.add("RFF", comp("ON", on, no))
	case no != "":
		w.add("RFF", comp("LI", no))
	}
}

// packageTypes maps PAC C202 7065 codes to package_type words; a code
// not listed is kept as it is.
var packageTypes = map[string]string{
	"PX": "pallet", "201": "pallet", "200": "pallet", "202": "pallet", "09": "pallet",
	"CT": "carton", "BX": "box", "CS": "case", "BG": "bag", "PK": "package", "CR": "crate",
}

// packageCodes maps package_type words back to the code written.
var packageCodes = map[string]string{
	"pallet": "PX", "carton": "CT", "box": "BX", "case": "CS", "bag": "BG", "package": "PK", "crate": "CR",
}

// packageCode is the PAC C202 written for a package_type: a code for a
// known word, the word itself as 7064 (type description) otherwise.
func packageCode(t string) string {
	if t == "" {
		return ""
	}
	if c, ok := packageCodes[strings.ToLower(t)]; ok {
		return c
	}
	return comp("", "", "", t)
}

// packageType reads a PAC's C202: the word for a known code, the code, or
// the type description.
func packageType(pac seg) string {
	code := pac.Component(3, 1)
	if t, ok := packageTypes[code]; ok {
		return t
	}
	if code != "" {
		return code
	}
	return pac.Component(3, 4)
}
