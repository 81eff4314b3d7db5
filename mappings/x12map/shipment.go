package x12map

import (
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// packageWords names the X12 packaging codes (TD101, the first three
// characters) in package_type; other codes are kept as sent.
var packageWords = map[string]string{
	"CTN": "carton", "PLT": "pallet", "BOX": "box", "CAS": "case", "BAG": "bag",
	"DRM": "drum", "CRT": "crate", "BDL": "bundle", "ROL": "roll", "PCS": "piece",
}

// pack is a package being read: a P (or T) level, or the loose items.
type pack struct {
	node  *hlNode
	m     map[string]any
	lines []any
}

// shipment maps an 856 to one canonical shipment.
func (r *reader) shipment() []Doc {
	d := newDoc()
	header, nodes, ctt := splitHL(r.segs)
	bsn := r.bsn(header, d)
	root := r.linkHL(nodes)
	if root == nil {
		return nil
	}
	r.shipLevel(d, bsn, append(slices.Clip(header), root.segs...))
	var orders []any
	packs := map[*hlNode]*pack{}
	loose := &pack{m: map[string]any{}}
	items := 0
	for _, n := range nodes {
		switch n.level {
		case "O":
			if po := r.orderLevel(d, n); po != "" && !slices.Contains(orders, any(po)) {
				orders = append(orders, po)
			}
		case "P", "T":
			packs[n] = r.packLevel(n)
		}
	}
	// Items come second: a pack may be written after its items.
	for _, n := range nodes {
		if n.level == "I" || n.has("LIN") {
			items++
			line := r.itemLevel(d, n)
			p := loose
			if n.level == "P" || n.level == "T" {
				p = packs[n]
			} else if a := n.ancestor("P", "T"); a != nil {
				p = packs[a]
			}
			p.lines = append(p.lines, line)
		}
	}
	if ctt.Tag != "" {
		if v := text(ctt, 1); v != "" && atoi(v) != len(nodes) && atoi(v) != items {
			r.p.At(ctt, 1, 0, CodeCountMismatch, "CTT01 says %s but the set has %d HL levels and %d items", v, len(nodes), items)
		}
	}
	if len(orders) > 0 {
		d.body["order_external_ids"] = orders
	}
	d.body["packages"] = r.packages(d, nodes, packs, loose)
	return []Doc{{Doctype: "shipment", Body: d.finish(), Pos: r.st.Pos}}
}

// bsn reads the BSN: BSN02 the ASN number, BSN03 its date.
func (r *reader) bsn(header []connectors.EDISegment, d *doc) connectors.EDISegment {
	i := slices.IndexFunc(header, func(s connectors.EDISegment) bool { return s.Tag == "BSN" })
	if i < 0 {
		r.missing("BSN", "the ASN's number and date")
		return connectors.EDISegment{}
	}
	s := header[i]
	if p := text(s, 1); p != "00" {
		d.setExt("x12.purpose", p)
	}
	if text(s, 2) == "" {
		r.p.At(s, 2, 0, CodeMissingElement, "shipment identification (BSN02) is missing")
	}
	set(d.body, "external_id", text(s, 2))
	return s
}

// shipLevel reads the heading and the shipment level: dates, carrier,
// references, parties and the shipment totals.
func (r *reader) shipLevel(d *doc, bsn connectors.EDISegment, segs []connectors.EDISegment) {
	var refs [][2]string
	for i := 0; i < len(segs); i++ {
		s := segs[i]
		switch s.Tag {
		case "DTM":
			q, date := r.dtm(s)
			switch {
			case rank(r.o.ShipDateQualifiers, q) < 1<<30 && str(d.body, "ship_date") == "":
				set(d.body, "ship_date", date)
			case rank(r.o.DeliveryDateQualifiers, q) < 1<<30 && str(d.body, "estimated_delivery") == "":
				set(d.body, "estimated_delivery", date)
			default:
				d.setExt("x12.date."+q, date)
			}
		case "TD1":
			d.setExt("x12.packaging", text(s, 1))
			d.setExt("x12.lading_quantity", text(s, 2))
			d.setExt("x12.gross_weight", text(s, 7))
			d.setExt("x12.gross_weight_unit", text(s, 8))
		case "TD5":
			r.td5(s, d)
		case "TD3":
			d.setExt("x12.equipment_type", text(s, 1))
			d.setExt("x12.equipment", text(s, 3))
		case "REF":
			refs = append(refs, [2]string{text(s, 1), refValue(s)})
		case "FOB":
			d.setExt("x12.fob", text(s, 1))
		case "N1":
			pt, next := r.party(segs, i)
			i = next - 1
			switch key := map[string]string{"SF": "ship_from", "ST": "ship_to"}[pt.entity]; {
			case key != "" && d.body[key] == nil:
				if len(pt.address) > 0 {
					d.body[key] = pt.address
				}
				d.keepIDs("x12.", pt)
			default:
				d.keepParty("x12.", pt)
			}
		}
	}
	r.tracking(d, refs)
	asnDate := ""
	if bsn.Tag != "" {
		if asnDate = r.date(bsn, 3); text(bsn, 3) == "" {
			r.p.At(bsn, 3, 0, CodeMissingElement, "date (BSN03) is missing")
		}
	}
	if str(d.body, "ship_date") == "" {
		set(d.body, "ship_date", asnDate)
	} else if asnDate != str(d.body, "ship_date") {
		d.setExt("x12.asn_date", asnDate)
	}
}

// td5 reads the carrier: TD503 (the SCAC when TD502 is 2) else TD505
// (routing) is the carrier; TD505 beside a TD503 is kept as x12.routing;
// TD512 (service level) is the carrier service.
func (r *reader) td5(s connectors.EDISegment, d *doc) {
	if _, done := d.body["carrier"]; done {
		return
	}
	id, routing := text(s, 3), text(s, 5)
	if id != "" {
		d.body["carrier"] = id
		if q := text(s, 2); q != "2" {
			d.setExt("x12.carrier_id_qualifier", q)
		}
		d.setExt("x12.routing", routing)
	} else {
		set(d.body, "carrier", routing)
	}
	d.setExt("x12.transport_method", text(s, 4))
	set(d.body, "carrier_service", text(s, 12))
}

// tracking picks the tracking number from the shipment's REFs by
// TrackingRefQualifiers; every other REF goes to the extensions.
func (r *reader) tracking(d *doc, refs [][2]string) {
	best := -1
	for i, ref := range refs {
		if rank(r.o.TrackingRefQualifiers, ref[0]) < 1<<30 && (best < 0 || rank(r.o.TrackingRefQualifiers, ref[0]) < rank(r.o.TrackingRefQualifiers, refs[best][0])) {
			best = i
		}
	}
	for i, ref := range refs {
		if i == best {
			set(d.body, "tracking_number", ref[1])
		} else {
			d.setExt("x12.ref."+ref[0], ref[1])
		}
	}
}

// orderLevel reads an O level: PRF01 is the order, its REFs and parties
// go to the extensions under "x12.order.<PO>.".
func (r *reader) orderLevel(d *doc, n *hlNode) string {
	i := slices.IndexFunc(n.segs, func(s connectors.EDISegment) bool { return s.Tag == "PRF" })
	if i < 0 || text(n.segs[i], 1) == "" {
		r.p.At(n.hl, 0, 0, CodeMissingSegment, "order level HL %s has no PRF with the purchase order number", n.id)
		return ""
	}
	po := text(n.segs[i], 1)
	prefix := "x12.order." + po + "."
	d.setExt(prefix+"date", r.date(n.segs[i], 4))
	for j := 0; j < len(n.segs); j++ {
		s := n.segs[j]
		switch s.Tag {
		case "REF":
			d.setExt(prefix+"ref."+text(s, 1), refValue(s))
		case "N1":
			pt, next := r.party(n.segs, j)
			j = next - 1
			d.keepParty(prefix, pt)
		}
	}
	return po
}

// packLevel reads a P or T level: MAN*GM is the SSCC, TD1 the packaging
// and gross weight, else PO4's gross weight per pack.
func (r *reader) packLevel(n *hlNode) *pack {
	m := map[string]any{}
	for _, s := range n.segs {
		switch s.Tag {
		case "MAN":
			if text(s, 1) == "GM" && m["sscc"] == nil {
				set(m, "sscc", r.sscc(s, 2))
			}
		case "TD1":
			if code := text(s, 1); code != "" {
				w, ok := packageWords[code[:min(3, len(code))]]
				if !ok {
					w = code
				}
				m["package_type"] = w
			}
			r.packWeight(m, s, 7, 8)
		case "PO4":
			r.packWeight(m, s, 6, 7)
		}
	}
	return &pack{node: n, m: m}
}

// packWeight stores the weight in element we with its unit in ue, unless
// the package has one already.
func (r *reader) packWeight(m map[string]any, s connectors.EDISegment, we, ue int) {
	if m["gross_weight"] != nil || text(s, we) == "" {
		return
	}
	v := r.nonNegative(s, we, "weight")
	unit := text(s, ue)
	if v == "" {
		return
	}
	if unit == "" {
		m["gross_weight"] = v
		return
	}
	v, u, ok := r.o.weight(v, unit)
	if !ok {
		r.p.At(s, ue, 0, CodeUnknownUnit, "weight unit %q has no canonical unit", unit)
		return
	}
	m["gross_weight"], m["weight_unit"] = v, u
}

// sscc reads an SSCC, 18 digits, or 20 with the GS1 application
// identifier 00 in front.
func (r *reader) sscc(s connectors.EDISegment, el int) string {
	v := text(s, el)
	if len(v) == 20 && strings.HasPrefix(v, "00") {
		v = v[2:]
	}
	if len(v) != 18 || !edimap.Digits(v) {
		r.p.At(s, el, 0, CodeBadValue, "SSCC %q is not 18 digits (or 20 with the application identifier 00)", text(s, el))
		return ""
	}
	return v
}

// itemLevel reads an item: LIN ids (LIN01 or a PL id is the PO line),
// SN1 quantity and unit, PID description, REF LT batch and REF SE serial
// numbers; its order is its O ancestor's.
func (r *reader) itemLevel(d *doc, n *hlNode) map[string]any {
	m := map[string]any{}
	var lin, sn1 connectors.EDISegment
	var descs []string
	var serials []any
	for _, s := range n.segs {
		switch s.Tag {
		case "LIN":
			if lin.Tag == "" {
				lin = s
			}
		case "SN1":
			if sn1.Tag == "" {
				sn1 = s
			}
		case "PID":
			if text(s, 1) == "F" {
				descs = append(descs, text(s, 5))
			}
		case "REF":
			switch text(s, 1) {
			case "LT":
				set(m, "batch", refValue(s))
			case "SE":
				serials = append(serials, refValue(s))
			}
		}
	}
	if lin.Tag == "" {
		r.p.At(n.hl, 0, 0, CodeMissingSegment, "item level HL %s has no LIN", n.id)
	} else {
		ids := r.ids(lin, 2, "shipment")
		r.lineIDs(lin, 3, d, m, ids, 0, true)
		if no := lineNo(text(lin, 1)); no > 0 {
			m["line_no"] = no
		} else if ids.lineNo > 0 {
			m["line_no"] = ids.lineNo
		}
		if ids.batch != "" && m["batch"] == nil {
			m["batch"] = ids.batch
		}
		for _, sn := range ids.serials {
			serials = append(serials, sn)
		}
	}
	if sn1.Tag == "" {
		r.p.At(n.hl, 0, 0, CodeMissingSegment, "item level HL %s has no SN1 with the quantity shipped", n.id)
	} else {
		set(m, "quantity", r.quantity(sn1, 2, "quantity shipped"))
		set(m, "unit", r.unit(sn1, 3, 1, true))
	}
	set(m, "description", strings.Join(descs, " "))
	if len(serials) > 0 {
		m["serial_numbers"] = serials
	}
	if o := n.ancestor("O"); o != nil {
		if i := slices.IndexFunc(o.segs, func(s connectors.EDISegment) bool { return s.Tag == "PRF" }); i >= 0 {
			set(m, "order_external_id", text(o.segs[i], 1))
		}
	}
	return m
}

// packages lists the packages in HL order (the loose items last),
// merging levels that carry the same SSCC (a pack written under two
// orders). A pack level with no items of its own is a container: its
// SSCC is kept in x12.pallet_sscc when packs below it hold the items, and
// it is an error when nothing below it does.
func (r *reader) packages(d *doc, nodes []*hlNode, packs map[*hlNode]*pack, loose *pack) []any {
	var out []any
	bySSCC := map[string]*pack{}
	for _, n := range nodes {
		p := packs[n]
		if p == nil {
			continue
		}
		if len(p.lines) == 0 {
			inner := slices.ContainsFunc(nodes, func(c *hlNode) bool {
				return c != n && packs[c] != nil && slices.Contains(c.ancestorsOf(), n)
			})
			if !inner {
				r.p.At(n.hl, 0, 0, CodeBadHierarchy, "pack level HL %s holds no items", n.id)
			}
			d.setExt("x12.pallet_sscc", str(p.m, "sscc"))
			continue
		}
		sscc := str(p.m, "sscc")
		if first := bySSCC[sscc]; sscc != "" && first != nil {
			first.lines = append(first.lines, p.lines...)
			first.m["lines"] = first.lines
			continue
		}
		bySSCC[sscc] = p
		p.m["lines"] = p.lines
		out = append(out, p.m)
	}
	if len(loose.lines) > 0 {
		loose.m["lines"] = loose.lines
		out = append(out, loose.m)
	}
	if len(out) == 0 && r.p.Len() == 0 {
		r.missing("HL", "the shipment holds no items")
	}
	return out
}

// ancestorsOf lists n's ancestors, nearest first.
func (n *hlNode) ancestorsOf() []*hlNode {
	var out []*hlNode
	for a := n.parent; a != nil; a = a.parent {
		out = append(out, a)
	}
	return out
}
