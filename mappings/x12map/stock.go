package x12map

import (
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// stockQuantities maps QTY01 codes to stock_level fields: 17 quantity on
// hand, 33 quantity available for sale, 63 on order. Other codes (02
// cumulative, BQ backorder, …) go to the document's extensions as
// "x12.qty.<code>"; Options.StockQuantities adds or overrides codes
// (reserved and safety_stock have none by default).
var stockQuantities = map[string]string{"17": "on_hand", "33": "available", "63": "on_order"}

// stockGroup is the quantities of one item at one location.
type stockGroup struct {
	at       connectors.EDISegment // the LIN, or the N1 that opened the group
	location string
	qtys     map[string]string
	unit     string
	unitSent bool // a QTY carried a unit code, known or not
	ext      map[string]string
}

// stockLevels maps an 846 to one stock_level per LIN and location. The
// location is the N1 (entity in LocationEntities) of the LIN loop that
// precedes the quantities, else the heading's; as_of is the LIN's DTM,
// else the heading's, else BIA04/BIA05.
func (r *reader) stockLevels() []Doc {
	var bia connectors.EDISegment
	var headLoc, headAsOf string
	var docs []Doc
	for i := 0; i < len(r.segs); i++ {
		s := r.segs[i]
		switch s.Tag {
		case "BIA":
			bia = s
		case "DTM":
			if headAsOf == "" && rank(r.o.AsOfDateQualifiers, text(s, 1)) < 1<<30 {
				headAsOf = r.instant(s, 2, 3, 4)
			}
		case "N1":
			if pt, _ := r.party(r.segs, i); slices.Contains(r.o.LocationEntities, pt.entity) && headLoc == "" {
				headLoc = locationOf(pt)
			}
		case "LIN":
			end := i + 1
			for end < len(r.segs) && r.segs[end].Tag != "LIN" && r.segs[end].Tag != "CTT" {
				end++
			}
			docs = append(docs, r.stockItem(r.segs[i:end], bia, headLoc, headAsOf)...)
			i = end - 1
		}
	}
	if bia.Tag == "" {
		r.missing("BIA", "the inventory report's heading")
	}
	if len(docs) == 0 && r.p.Len() == 0 {
		r.missing("LIN", "an 846 needs at least one item")
	}
	return docs
}

// locationOf is a location party's id, else its name.
func locationOf(pt party) string {
	if pt.id != "" {
		return pt.id
	}
	return pt.name
}

// stockItem maps one LIN loop to its stock levels.
func (r *reader) stockItem(segs []connectors.EDISegment, bia connectors.EDISegment, loc, asOf string) []Doc {
	lin := segs[0]
	ids := r.ids(lin, 2, "stock")
	if ids.sku == "" {
		r.p.At(lin, 3, 0, CodeMissingElement, "the item has no buyer's item code (qualifiers %s)", strings.Join(r.o.BuyerSKUQualifiers, ", "))
	}
	var descs []string
	var groups []*stockGroup
	cur := &stockGroup{at: lin, location: loc, qtys: map[string]string{}, ext: map[string]string{}}
	for i := 1; i < len(segs); i++ {
		s := segs[i]
		switch s.Tag {
		case "PID":
			if text(s, 1) == "F" {
				descs = append(descs, text(s, 5))
			}
		case "DTM":
			if rank(r.o.AsOfDateQualifiers, text(s, 1)) < 1<<30 {
				asOf = r.instant(s, 2, 3, 4)
			}
		case "N1":
			pt, next := r.party(segs, i)
			i = next - 1
			if slices.Contains(r.o.LocationEntities, pt.entity) {
				if len(cur.qtys) > 0 || len(cur.ext) > 0 {
					groups = append(groups, cur)
				}
				cur = &stockGroup{at: s, location: locationOf(pt), qtys: map[string]string{}, ext: map[string]string{}}
			}
		case "QTY":
			r.stockQty(s, cur)
		}
	}
	if len(cur.qtys) > 0 || len(cur.ext) > 0 {
		groups = append(groups, cur)
	}
	if len(groups) == 0 {
		r.p.At(lin, 0, 0, CodeMissingSegment, "the item has no QTY")
	}
	if asOf == "" && bia.Tag != "" {
		asOf = r.instant(bia, 4, 5, 0)
	}
	var docs []Doc
	for _, g := range groups {
		docs = append(docs, r.stockDoc(g, ids, strings.Join(descs, " "), asOf))
	}
	return docs
}

// stockQty reads one QTY into the group.
func (r *reader) stockQty(s connectors.EDISegment, g *stockGroup) {
	code := text(s, 1)
	field, ok := edimap.Lookup(code, r.o.StockQuantities, stockQuantities)
	v := r.decimal(s, 2, "quantity")
	if text(s, 2) == "" {
		r.p.At(s, 2, 0, CodeMissingElement, "quantity is missing")
	}
	if !ok {
		g.ext["x12.qty."+code] = v
		return
	}
	g.unitSent = g.unitSent || s.Component(3, 1) != ""
	if u := r.unit(s, 3, 1, true); u != "" {
		if g.unit != "" && g.unit != u {
			r.p.At(s, 3, 0, CodeBadValue, "unit %s differs from the item's other quantities (%s)", u, g.unit)
		}
		g.unit = u
	}
	if field != "on_hand" && field != "available" && strings.HasPrefix(v, "-") {
		r.p.At(s, 2, 0, CodeBadValue, "%s %s is negative", field, v)
	}
	g.qtys[field] = v
}

// stockDoc builds one stock_level. Without a QTY*17, on_hand is the
// available quantity (the only stock figure sent) and x12.on_hand_from
// says so.
func (r *reader) stockDoc(g *stockGroup, ids itemIDs, desc, asOf string) Doc {
	d := newDoc()
	b := d.body
	if g.location == "" {
		r.p.At(g.at, 0, 0, CodeMissingSegment, "the item has no location (an N1 with entity %s)", strings.Join(r.o.LocationEntities, ", "))
	}
	set(b, "location", g.location)
	set(b, "sku", ids.sku)
	d.noteSKUFrom(ids.skuFrom)
	if ids.sku != "" && g.location != "" {
		b["external_id"] = g.location + ":" + ids.sku
	}
	set(b, "gtin", ids.gtin)
	set(b, "supplier_sku", ids.supplier)
	set(b, "description", desc)
	for _, f := range edimap.StockFields {
		set(b, f, g.qtys[f])
	}
	if _, ok := g.qtys["on_hand"]; !ok {
		if a, ok := g.qtys["available"]; ok {
			b["on_hand"] = a
			d.setExt("x12.on_hand_from", "available")
		} else {
			r.p.At(g.at, 0, 0, CodeMissingSegment, "the item has no quantity on hand (QTY*17) nor available (QTY*33)")
		}
	}
	set(b, "unit", g.unit)
	if g.unit == "" && len(g.qtys) > 0 && !g.unitSent {
		r.p.At(g.at, 0, 0, CodeMissingElement, "the item's quantities carry no unit")
	}
	set(b, "as_of", asOf)
	if asOf == "" {
		r.p.At(g.at, 0, 0, CodeMissingElement, "the report has no date (DTM %s or BIA04)", strings.Join(r.o.AsOfDateQualifiers, ", "))
	}
	for k, v := range g.ext {
		d.setExt(k, v)
	}
	return Doc{Doctype: "stock_level", Body: d.finish(), Pos: g.at.Pos}
}

// stockLevel writes an 846 for one stock level: BIA, the as-of DTM, the
// location as N1*WH, one LIN with its QTYs.
func (w *writer) stockLevel() {
	doc, ext := w.doc, w.ext()
	date, tm, code, ok := splitInstant(str(doc, "as_of"))
	if !ok {
		w.p.Add("/as_of", "%q is not an RFC 3339 date-time", str(doc, "as_of"))
	}
	w.add("BIA", "00", "DD", w.need(doc, "", "external_id"), date, tm)
	w.add("DTM", w.o.AsOfDateQualifiers[0], date, tm, code)
	w.add("N1", "WH", "", "92", w.need(doc, "", "location"))
	// A sku that was read from a fallback qualifier goes back under it.
	sku, skuQual := w.need(doc, "", "sku"), w.o.BuyerSKUQualifiers[0]
	if f := str(ext, "x12.sku_from"); f != "" {
		skuQual = f
	}
	supplier, gtin := str(doc, "supplier_sku"), str(doc, "gtin")
	if supplier == sku && slices.Contains(w.o.SKUQualifiers, skuQual) {
		supplier = ""
	}
	if gtin == sku && slices.Contains(w.o.GTINQualifiers, skuQual) {
		gtin = ""
	}
	w.add("LIN", append([]string{"", skuQual, sku}, w.o.idPairs(supplier, "", gtin)...)...)
	if d := str(doc, "description"); d != "" {
		w.add("PID", "F", "", "", "", d)
	}
	unit := w.unit(doc, "", "unit", true)
	codes := w.stockCodes()
	for _, f := range edimap.StockFields {
		v := w.decimal(doc, "", f)
		if v == "" || (f == "on_hand" && str(ext, "x12.on_hand_from") == "available") {
			continue
		}
		if c := codes[f]; c != "" {
			w.add("QTY", c, v, unit)
		}
	}
	for _, k := range w.extKeys("x12.qty.") {
		w.add("QTY", strings.TrimPrefix(k, "x12.qty."), str(ext, k), unit)
	}
	w.add("CTT", "1")
}

// stockCodes is the QTY01 written for each stock field: the partner's
// codes first, then the built-in table.
func (w *writer) stockCodes() map[string]string {
	out := map[string]string{}
	for code, f := range stockQuantities {
		out[f] = code
	}
	keys := make([]string, 0, len(w.o.StockQuantities))
	for code := range w.o.StockQuantities {
		keys = append(keys, code)
	}
	slices.Sort(keys)
	for i := len(keys) - 1; i >= 0; i-- {
		out[w.o.StockQuantities[keys[i]]] = keys[i]
	}
	return out
}
