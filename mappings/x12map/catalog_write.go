package x12map

import (
	"strings"
)

// priceList writes an 832 from a price list: BCT, currency, dates, one LIN
// loop a line with its CTP prices (the unit price with its minimum
// quantity, then one CTP a tier, then the other price types kept in the
// line's attributes). Tax fields have no X12 place and are not written.
func (w *writer) priceList() {
	doc, ext := w.doc, w.ext()
	purpose := str(ext, "x12.purpose")
	w.add("BCT", "PC", w.need(doc, "", "external_id"), "", "", "", "", "", "", str(doc, "name"), purpose)
	w.add("CUR", "SE", w.need(doc, "", "currency"))
	if str(doc, "valid_from") == "" {
		w.p.Add("/valid_from", "is missing")
	}
	w.add("DTM", w.o.EffectiveDateQualifiers[0], w.date(doc, "", "valid_from"))
	if d := w.date(doc, "", "valid_to"); d != "" {
		w.add("DTM", w.o.ExpiryDateQualifiers[0], d)
	}
	w.dates(ext, "x12.date.")
	w.refs(ext, "x12.ref.")
	w.extParties(ext, "x12.")
	lines := list(doc, "lines")
	if len(lines) == 0 {
		w.p.Add("/lines", "a price list needs at least one line")
	}
	for i, l := range lines {
		ptr := ptrf("/lines/%d", i)
		attrs := obj(l, "attributes")
		w.catalogLIN(l, ptr, attrs)
		if d := w.date(l, ptr, "valid_from"); d != "" {
			w.add("DTM", w.o.EffectiveDateQualifiers[0], d)
		}
		if d := w.date(l, ptr, "valid_to"); d != "" {
			w.add("DTM", w.o.ExpiryDateQualifiers[0], d)
		}
		if d := str(l, "description"); d != "" {
			w.add("PID", "F", "", "", "", d)
		}
		w.pidAttributes(attrs)
		code := w.o.PriceCodes[0]
		unit := w.unit(l, ptr, "unit", true)
		price := w.decimal(l, ptr, "unit_price")
		if price == "" {
			w.p.Add(ptr+"/unit_price", "is missing")
		}
		w.add("CTP", "", code, price, w.decimal(l, ptr, "min_quantity"), unit)
		for j, t := range list(l, "tiers") {
			tp := ptrf("%s/tiers/%d", ptr, j)
			w.add("CTP", "", code, w.decimal(t, tp, "unit_price"), w.decimal(t, tp, "min_quantity"), unit)
		}
		for _, k := range sortedKeys(attrs, "x12.price.") {
			w.add("CTP", "", strings.TrimPrefix(k, "x12.price."), str(attrs, k))
		}
	}
	w.add("CTT", itoa(len(lines)))
}

// catalogLIN writes a LIN with the line's sku, GTIN, and the buyer's code
// and other ids kept in its attributes.
func (w *writer) catalogLIN(l map[string]any, ptr string, attrs map[string]any) {
	ids := w.o.idPairs(w.need(l, ptr, "sku"), str(attrs, "x12.buyer_sku"), str(l, "gtin"))
	for _, k := range sortedKeys(attrs, "x12.id.") {
		ids = append(ids, strings.TrimPrefix(k, "x12.id."), str(attrs, k))
	}
	w.add("LIN", append([]string{""}, ids...)...)
}

// pidAttributes writes color and size as PID*F*73 and *74, and the
// "x12.pid.<code>" attributes under their code.
func (w *writer) pidAttributes(attrs map[string]any) {
	if v := str(attrs, "color"); v != "" {
		w.add("PID", "F", "73", "", "", v)
	}
	if v := str(attrs, "size"); v != "" {
		w.add("PID", "F", "74", "", "", v)
	}
	for _, k := range sortedKeys(attrs, "x12.pid.") {
		w.add("PID", "F", strings.TrimPrefix(k, "x12.pid."), "", "", str(attrs, k))
	}
}

// product writes an 832 of one LIN for a product: PID*F*08 its name,
// PID*F its description, PO4 its pack quantity and unit.
func (w *writer) product() {
	doc := w.doc
	w.add("BCT", "PC", w.need(doc, "", "external_id"))
	attrs := obj(doc, "attributes")
	w.catalogLIN(doc, "", attrs)
	w.add("PID", "F", "08", "", "", w.need(doc, "", "name"))
	if d := str(doc, "description"); d != "" {
		for _, line := range strings.Split(d, "\n") {
			w.add("PID", "F", "", "", "", line)
		}
	}
	w.pidAttributes(attrs)
	w.add("PO4", w.decimal(doc, "", "pack_quantity"), "", w.unit(doc, "", "unit", true))
	w.add("CTT", "1")
}
