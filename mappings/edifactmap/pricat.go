package edifactmap

import (
	"fmt"
	"maps"
	"math/big"
	"slices"
)

// tierPrice is one price of a line: its minimum quantity ("" for none).
type tierPrice struct {
	min, price string
}

// pricat maps a PRICAT to a price_list and, when Options.CatalogDocs asks
// for them, a product per line.
//
// BGM 1004 is external_id and C002 1000 (the document name) name; DTM
// 157 valid_from (else 137, the document date), 36 valid_to; CUX the
// currency; TAX C243 5278 tax_rate. Per line: PIA SA sku (else the
// GTIN), IMD description, QTY 53 min_quantity, DTM 157/36 the line's
// validity, PRI AAA (else AAB) unit_price, divided by its unit price
// basis, with the unit of the PRI (6411, else the default unit). More
// PRIs of the same qualifier with a minimum quantity (RNG 4, or a QTY 53
// right after the PRI) are tiers. A line with LIN action 2 (deleted) is
// left out of the price list; as a product it is "discontinued".
func (r *reader) pricat(body []seg) []Doc {
	hd, groups, tail := split(body, "LIN")
	h := readHead(hd)
	doc, ext := map[string]any{}, map[string]any{}
	set(doc, "external_id", r.bgm(h))
	if h.bgm != nil {
		set(doc, "name", h.bgm.Component(1, 4))
		if code := h.bgm.Component(1, 1); code != "" && code != "9" {
			ext["edifact.document_name_code"] = code
		}
	}
	from := r.date(h.dtms, r.c.EffectiveDateQualifiers, false)
	if from == "" {
		from = r.date(h.dtms, r.c.DocumentDateQualifiers, false)
	}
	if _, ok := pick(h.dtms, append(slices.Clone(r.c.EffectiveDateQualifiers), r.c.DocumentDateQualifiers...)); !ok {
		r.missing("DTM", fmt.Sprintf("valid from, qualifier %v", r.c.EffectiveDateQualifiers))
	}
	set(doc, "valid_from", from)
	set(doc, "valid_to", r.date(h.dtms, r.c.ExpiryDateQualifiers, true))
	if h.cux == nil || h.cux.Component(1, 2) == "" {
		r.missing("CUX", "the price list's currency")
	} else {
		doc["currency"] = h.cux.Component(1, 2)
	}
	set(doc, "note", note(h.ftxs))
	set(doc, "tax_rate", r.taxRate(h.taxes))
	for _, pt := range h.parties {
		pt.keepID(ext)
		pt.keepName(ext)
	}
	var lines []any
	var products []Doc
	for _, g := range groups {
		it := readItem(g)
		line := r.priceLine(it, ext)
		if r.c.wants("product") {
			products = append(products, Doc{Doctype: "product", Body: r.product(it, line, ext), Pos: it.lin.Pos})
		}
		if it.lin.Value(2) != "2" {
			lines = append(lines, line)
		}
	}
	if len(groups) == 0 {
		r.missing("LIN", "price lines")
	}
	r.checkCount(tail, len(groups))
	doc["lines"] = lines
	if len(ext) > 0 {
		doc["extensions"] = ext
	}
	var docs []Doc
	if r.c.wants("price_list") {
		docs = append(docs, Doc{Doctype: "price_list", Body: doc, Pos: r.unh.Pos})
	}
	return append(docs, products...)
}

// priceLine maps one LIN group of a PRICAT.
func (r *reader) priceLine(it item, ext map[string]any) map[string]any {
	line := map[string]any{}
	gtin := r.gtin(it)
	set(line, "sku", r.sku(it, gtin, true, ext))
	set(line, "gtin", gtin)
	set(line, "description", it.desc)
	minQty, _, _ := r.qty(it.qtys, "53")
	prices, unitSeg := r.tierPrices(it)
	unit := r.c.DefaultUnit
	if unitSeg.Component(1, 6) != "" {
		unit = r.unitOf(unitSeg, 1, 6)
	}
	line["unit"] = unit
	if len(prices) == 0 {
		r.p.At(it.lin, 0, 0, CodeMissingSegment, "line has no PRI AAA or AAB (price)")
	} else {
		base := prices[0]
		line["unit_price"] = base.price
		if minQty == "" {
			minQty = base.min
		}
		var tiers []any
		for _, t := range prices[1:] {
			tiers = append(tiers, map[string]any{"min_quantity": t.min, "unit_price": t.price})
		}
		if len(tiers) > 0 {
			line["tiers"] = tiers
		}
	}
	set(line, "min_quantity", minQty)
	dtms := it.dtms
	if len(it.prices) > 0 {
		dtms = append(slices.Clone(dtms), it.prices[0].dtms...)
	}
	set(line, "valid_from", r.date(dtms, r.c.EffectiveDateQualifiers, false))
	set(line, "valid_to", r.date(dtms, r.c.ExpiryDateQualifiers, true))
	set(line, "tax_rate", r.taxRate(it.taxes))
	return line
}

// tierPrices returns the prices of the line's first price qualifier
// (AAA, else AAB), the base price (no minimum, else the smallest) first
// and the tiers after it by minimum quantity, and the base's PRI.
func (r *reader) tierPrices(it item) ([]tierPrice, seg) {
	var out []tierPrice
	var pris []seg
	for _, q := range []string{"AAA", "AAB"} {
		for _, pg := range it.prices {
			if pg.pri.Component(1, 1) != q {
				continue
			}
			p, ok := r.price(pg.pri)
			if !ok {
				continue
			}
			t := tierPrice{price: p}
			switch {
			case pg.rng != nil && pg.rng.Value(1) == "4":
				t.min, _ = r.decimal(*pg.rng, 2, 2, "range minimum")
			case pg.qty != nil && pg.qty.Component(1, 1) == "53":
				t.min, _ = r.decimal(*pg.qty, 1, 2, "minimum quantity")
			}
			out = append(out, t)
			pris = append(pris, pg.pri)
		}
		if len(out) > 0 {
			break
		}
	}
	if len(out) == 0 {
		return nil, seg{}
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmpMin(out[a].min, out[b].min) })
	sorted := make([]tierPrice, len(out))
	for i, j := range idx {
		sorted[i] = out[j]
	}
	return sorted, pris[idx[0]]
}

// cmpMin orders minimum quantities, "" (none) first.
func cmpMin(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return -1
	case b == "":
		return 1
	}
	x, _ := new(big.Rat).SetString(a)
	y, _ := new(big.Rat).SetString(b)
	return x.Cmp(y)
}

// taxRate reads the rate (C243 5278) of the first TAX that has one.
func (r *reader) taxRate(taxes []seg) string {
	for _, t := range taxes {
		if v, ok := r.decimal(t, 5, 4, "tax rate"); ok {
			return v
		}
	}
	return ""
}

// product maps a PRICAT line to a product: QTY 52 (quantity per pack) is
// pack_quantity, QTY 53 min_order_quantity; the name is the description,
// else the sku.
func (r *reader) product(it item, line, ext map[string]any) map[string]any {
	p := map[string]any{}
	for _, k := range []string{"sku", "gtin", "description", "unit"} {
		if v, ok := line[k]; ok {
			p[k] = v
		}
	}
	set(p, "external_id", str(line, "sku"))
	name := it.desc
	if name == "" {
		name = str(line, "sku")
	}
	set(p, "name", name)
	if v, _, _ := r.qty(it.qtys, "52"); v != "" {
		p["pack_quantity"] = v
	}
	if v, _, _ := r.qty(it.qtys, "53"); v != "" {
		p["min_order_quantity"] = v
	}
	if it.lin.Value(2) == "2" {
		p["status"] = "discontinued"
	}
	if len(ext) > 0 {
		p["extensions"] = maps.Clone(ext)
	}
	return p
}

// pricat writes a price_list as an EANCOM PRICAT.
func (w *writer) pricat(b map[string]any) {
	ext := extensions(b)
	code := str(ext, "edifact.document_name_code")
	if code == "" {
		code = "9"
	}
	w.add("BGM", comp(code, "", "", str(b, "name")), w.need(b, "external_id", ""), "9")
	w.dtmDate(w.c.EffectiveDateQualifiers[0], w.need(b, "valid_from", ""), "/valid_from")
	w.dtmDate(w.c.ExpiryDateQualifiers[0], str(b, "valid_to"), "/valid_to")
	w.ftx(w.c.NoteQualifier, str(b, "note"))
	w.parties(ext, []string{"SU", "BY"}, nil)
	w.cux(w.need(b, "currency", ""), "10")
	w.tax(str(b, "tax_rate"), "/tax_rate")
	lines := objs(b, "lines")
	if len(lines) == 0 {
		w.p.Add("/lines", "a price list needs at least one line")
	}
	for i, l := range lines {
		ptr := fmt.Sprintf("/lines/%d", i)
		w.itemIDs(fmt.Sprint(i+1), "", w.need(l, "sku", ptr), str(l, "gtin"), "")
		w.imd(str(l, "description"))
		unit := w.need(l, "unit", ptr)
		w.qty("53", str(l, "min_quantity"), unit, ptr+"/min_quantity")
		w.dtmDate(w.c.EffectiveDateQualifiers[0], str(l, "valid_from"), ptr+"/valid_from")
		w.dtmDate(w.c.ExpiryDateQualifiers[0], str(l, "valid_to"), ptr+"/valid_to")
		w.tax(str(l, "tax_rate"), ptr+"/tax_rate")
		w.add("PRI", comp("AAA", w.num(w.need(l, "unit_price", ptr), ptr+"/unit_price"), "", "", "", w.unitCode(unit)))
		for j, t := range objs(l, "tiers") {
			tp := fmt.Sprintf("%s/tiers/%d", ptr, j)
			w.add("PRI", comp("AAA", w.num(w.need(t, "unit_price", tp), tp+"/unit_price")))
			w.add("RNG", "4", comp(unit, w.num(w.need(t, "min_quantity", tp), tp+"/min_quantity")))
		}
	}
	w.summary(len(lines))
}

// tax writes a VAT rate as TAX 7 VAT.
func (w *writer) tax(rate, ptr string) {
	if rate != "" {
		w.add("TAX", "7", "VAT", "", "", comp("", "", "", w.num(rate, ptr)))
	}
}
