package edifactmap

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// stockQuantities is the built-in INVRPT QTY 6063 table.
var stockQuantities = map[string]string{
	"145": "on_hand",      // actual stock
	"17":  "on_hand",      // quantity on hand (UN/EDIFACT)
	"198": "on_order",     // quantity in transit
	"66":  "reserved",     // committed quantity
	"97":  "safety_stock", // minimum inventory
}

// stockCodes are the QTY codes written for each stock_level quantity.
var stockCodes = map[string]string{"on_hand": "145", "on_order": "198", "reserved": "66", "safety_stock": "97"}

// stockQty is one QTY of a LIN group with the LOC and DTMs of its group.
type stockQty struct {
	qty  seg
	loc  *seg
	dtms []seg
}

// stockLevel collects the quantities of one line at one location.
type stockLevel struct {
	loc  string
	doc  map[string]any
	ext  map[string]any
	dtms []seg
	pos  int
}

// invrpt maps an INVRPT to stock levels: one per LIN and location.
//
// The location is the LOC (3225, else its name 3224) of the quantity's
// group (EANCOM: QTY-LOC-DTM), else a LOC of the line before its first
// QTY, else the header's (outside any group, else in a NAD group). QTY codes map to quantities by the
// StockQuantities table (145 actual stock → on_hand, 198 in transit →
// on_order, 66 committed → reserved, 97 minimum inventory →
// safety_stock); other codes are kept as "edifact.qty.<code>". The sku is
// the dealer's item number (PIA IN/BP), else the supplier's (SA), else
// the GTIN; supplier_sku is SA. as_of is the quantity group's DTM
// 366/137, else the line's, else the header's. external_id is
// "location:sku"; the BGM number is kept as "edifact.document_number".
func (r *reader) invrpt(body []seg) []Doc {
	hd, groups, _ := split(body, "LIN")
	h := readHead(hd)
	base := map[string]any{}
	set(base, "edifact.document_number", r.bgm(h))
	for _, pt := range h.parties {
		pt.keepID(base)
		pt.keepName(base)
	}
	var headLoc *seg
	if len(h.locs) > 0 {
		headLoc = &h.locs[0]
	}
	for i := 0; i < len(h.parties) && headLoc == nil; i++ {
		if len(h.parties[i].locs) > 0 {
			headLoc = &h.parties[i].locs[0]
		}
	}
	if len(groups) == 0 {
		r.missing("LIN", "stock lines")
	}
	var docs []Doc
	for _, g := range groups {
		for _, lv := range r.stockLine(readItem(g), headLoc, h.dtms, base) {
			docs = append(docs, Doc{Doctype: "stock_level", Body: lv.doc, Pos: lv.pos})
		}
	}
	return docs
}

// stockLine maps one LIN group to a stock level per location.
func (r *reader) stockLine(it item, headLoc *seg, headDTMs []seg, base map[string]any) []*stockLevel {
	var lineLoc *seg
	var lineDTMs []seg
	var qtys []*stockQty
	for i, s := range it.segs[1:] {
		cur := (*stockQty)(nil)
		if len(qtys) > 0 {
			cur = qtys[len(qtys)-1]
		}
		switch {
		case s.Tag == "QTY":
			qtys = append(qtys, &stockQty{qty: s})
		case s.Tag == "LOC" && cur == nil:
			lineLoc = &it.segs[i+1]
		case s.Tag == "LOC" && cur.loc == nil:
			cur.loc = &it.segs[i+1]
		case s.Tag == "DTM" && cur == nil:
			lineDTMs = append(lineDTMs, s)
		case s.Tag == "DTM":
			cur.dtms = append(cur.dtms, s)
		}
	}
	gtin := r.gtin(it)
	ext := maps.Clone(base)
	sku := r.buyerSKU(it)
	if sku == "" {
		sku = r.sku(it, gtin, true, ext)
	}
	supplierSKU := ""
	if id, ok := it.id(r.c.SKUQualifiers); ok {
		supplierSKU = id.number
	}
	var levels []*stockLevel
	for _, q := range qtys {
		loc := q.loc
		if loc == nil {
			loc = lineLoc
		}
		if loc == nil {
			loc = headLoc
		}
		if loc == nil {
			r.p.At(q.qty, 0, 0, CodeMissingSegment, "stock quantity %s has no LOC (warehouse) in its group, its line or the header", q.qty.Component(1, 1))
			continue
		}
		name := loc.Component(2, 1)
		if name == "" {
			name = loc.Component(2, 4)
		}
		i := slices.IndexFunc(levels, func(l *stockLevel) bool { return l.loc == name })
		if i < 0 {
			doc := map[string]any{"external_id": name + ":" + sku, "location": name}
			set(doc, "sku", sku)
			set(doc, "gtin", gtin)
			set(doc, "description", it.desc)
			set(doc, "supplier_sku", supplierSKU)
			levels = append(levels, &stockLevel{loc: name, doc: doc, ext: maps.Clone(ext), pos: it.lin.Pos})
			i = len(levels) - 1
		}
		r.stockQty(levels[i], q)
	}
	if len(qtys) == 0 {
		r.p.At(it.lin, 0, 0, CodeMissingSegment, "line has no QTY (stock quantity)")
	}
	for _, lv := range levels {
		r.finishLevel(lv, it, lineDTMs, headDTMs)
	}
	return levels
}

// stockQty records one quantity on its level.
func (r *reader) stockQty(lv *stockLevel, q *stockQty) {
	code := q.qty.Component(1, 1)
	field, ok := edimap.Lookup(code, r.c.StockQuantities, stockQuantities)
	v, valid := r.decimal(q.qty, 1, 2, "quantity")
	if !valid {
		if q.qty.Component(1, 2) == "" {
			r.p.At(q.qty, 1, 2, CodeMissingElement, "QTY %s has no quantity", code)
		}
		return
	}
	lv.dtms = append(lv.dtms, q.dtms...)
	if !ok || lv.doc[field] != nil {
		lv.ext["edifact.qty."+code] = v
		return
	}
	lv.doc[field] = v
	if field == "on_hand" {
		lv.doc["unit"] = r.unitOf(q.qty, 1, 3)
	}
}

// finishLevel checks the level's on_hand and sets its as_of and unit.
func (r *reader) finishLevel(lv *stockLevel, it item, lineDTMs, headDTMs []seg) {
	if lv.doc["on_hand"] == nil {
		r.p.At(it.lin, 0, 0, CodeMissingSegment, "line has no actual stock (QTY %s) at %s", strings.Join(r.onHandCodes(), "/"), lv.loc)
	}
	if lv.doc["unit"] == nil {
		lv.doc["unit"] = r.c.DefaultUnit
	}
	asOf := ""
	for _, dtms := range [][]seg{lv.dtms, lineDTMs, headDTMs} {
		if asOf = r.instant(dtms, r.c.AsOfDateQualifiers); asOf != "" {
			break
		}
	}
	if asOf == "" {
		r.p.At(it.lin, 0, 0, CodeMissingSegment, "stock at %s has no DTM %v (as of)", lv.loc, r.c.AsOfDateQualifiers)
	}
	set(lv.doc, "as_of", asOf)
	if len(lv.ext) > 0 {
		lv.doc["extensions"] = lv.ext
	}
}

// onHandCodes lists the QTY codes read as on_hand.
func (r *reader) onHandCodes() []string {
	var codes []string
	for _, m := range []map[string]string{r.c.StockQuantities, stockQuantities} {
		for k, v := range m {
			if v == "on_hand" && !slices.Contains(codes, k) {
				codes = append(codes, k)
			}
		}
	}
	slices.Sort(codes)
	return codes
}

// invrpt writes a stock_level as an EANCOM INVRPT with one line: each
// quantity is a QTY followed by the location (LOC 18, warehouse) and the
// as_of (DTM 366).
func (w *writer) invrpt(b map[string]any) {
	ext := extensions(b)
	number := str(ext, "edifact.document_number")
	if number == "" {
		number = w.need(b, "external_id", "")
	}
	w.add("BGM", "35", number, "9")
	asOf := w.need(b, "as_of", "")
	w.dtmInstant("137", asOf, "/as_of")
	w.parties(ext, []string{"GY", "BY", "SU"}, nil)
	w.itemIDs("1", "", str(b, "supplier_sku"), str(b, "gtin"), w.need(b, "sku", ""))
	w.imd(str(b, "description"))
	loc := w.need(b, "location", "")
	unit := str(b, "unit")
	group := func(code, v, ptr string) {
		w.add("QTY", comp(code, w.num(v, ptr), w.unitCode(unit)))
		w.add("LOC", "18", loc)
		if w.c.AsOfDateQualifiers[0] != "137" {
			w.dtmInstant(w.c.AsOfDateQualifiers[0], asOf, "/as_of")
		}
	}
	w.need(b, "on_hand", "")
	for _, f := range edimap.StockFields {
		v := str(b, f)
		if v == "" {
			continue
		}
		code, ok := edimap.CodeFor(w.c.StockQuantities, f)
		if !ok {
			if code, ok = stockCodes[f]; !ok {
				w.p.Add("/"+f, "no INVRPT quantity code is known for %s; set one in stock_quantities", f)
				continue
			}
		}
		group(code, v, "/"+f)
	}
	for _, k := range slices.Sorted(maps.Keys(ext)) {
		if code, ok := strings.CutPrefix(k, "edifact.qty."); ok {
			group(code, str(ext, k), fmt.Sprintf("/extensions/%s", k))
		}
	}
}
