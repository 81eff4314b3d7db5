package x12map

import (
	"strings"
)

// order writes an 850 from a canonical order.
func (w *writer) order() {
	doc, ext := w.doc, w.ext()
	purpose := "00"
	if p := str(ext, "x12.purpose"); p != "" {
		purpose = p
	}
	if str(doc, "status") == "cancelled" {
		purpose = "01"
	}
	poType := str(ext, "x12.po_type")
	if poType == "" {
		poType = "SA"
	}
	id := w.need(doc, "", "external_id")
	date := w.date(doc, "", "order_date")
	if str(doc, "order_date") == "" {
		w.p.Add("/order_date", "is missing")
	}
	w.add("BEG", purpose, poType, id, str(ext, "x12.release"), date, str(ext, "x12.contract"))
	if c := str(doc, "currency"); c != "" {
		w.add("CUR", "BY", c)
	}
	w.refs(ext, "x12.ref.")
	if contact, phone, email := str(doc, "buyer_contact"), str(ext, "x12.buyer_phone"), str(ext, "x12.buyer_email"); contact+phone+email != "" {
		per := []string{"BD", contact}
		if phone != "" {
			per = append(per, "TE", phone)
		}
		if email != "" {
			per = append(per, "EM", email)
		}
		w.add("PER", per...)
	}
	if f := str(ext, "x12.fob"); f != "" {
		w.add("FOB", f)
	}
	if t := str(doc, "payment_terms"); t != "" {
		w.add("ITD", "", "", "", "", "", "", "", "", "", "", "", t)
	}
	if d := w.date(doc, "", "requested_date"); d != "" {
		w.add("DTM", w.o.RequestedDateQualifiers[0], d)
	}
	w.dates(ext, "x12.date.")
	if code, routing := str(ext, "x12.carrier_code"), str(ext, "x12.routing"); code+routing != "" {
		q := ""
		if code != "" {
			q = "2"
		}
		w.add("TD5", "", q, code, "", routing)
	}
	if note := str(doc, "note"); note != "" {
		w.add("N9", "L1", "NOTES")
		w.notes("MSG", note)
	}
	if a := obj(doc, "ship_to"); a != nil || str(ext, "x12.ship_to_id") != "" {
		w.partySegs("ST", a, ext, "x12.")
	}
	if a := obj(doc, "bill_to"); a != nil || str(ext, "x12.bill_to_id") != "" {
		w.partySegs("BT", a, ext, "x12.")
	}
	w.extParties(ext, "x12.")
	lines := list(doc, "lines")
	if len(lines) == 0 {
		w.p.Add("/lines", "an order needs at least one line")
	}
	var qtys []string
	for i, l := range lines {
		qtys = append(qtys, w.orderLine(l, i, ext))
	}
	w.add("CTT", itoa(len(lines)), decimalSum(qtys))
	for _, k := range w.extKeys("x12.amount.") {
		w.add("AMT", strings.TrimPrefix(k, "x12.amount."), str(ext, k))
	}
}

// orderLine writes the PO1 loop of line i and returns its quantity.
func (w *writer) orderLine(l map[string]any, i int, ext map[string]any) string {
	ptr := ptrf("/lines/%d", i)
	n, ok := integer(l, "line_no")
	if !ok || n < 1 {
		w.p.Add(ptr+"/line_no", "is missing or not a whole number of 1 or more")
	}
	assigned := itoa(n)
	if a := str(ext, lineExtKey(n, "assigned_id")); a != "" {
		assigned = a
	}
	qty := w.decimal(l, ptr, "quantity")
	if str(l, "quantity") == "" {
		w.p.Add(ptr+"/quantity", "is missing")
	}
	unit := w.unit(l, ptr, "unit", true)
	price := w.decimal(l, ptr, "unit_price")
	basis := ""
	if price != "" {
		basis = "PE"
		if b := str(ext, lineExtKey(n, "price_basis")); b != "" {
			basis = b
		}
	}
	sku := w.need(l, ptr, "sku")
	ids := w.o.idPairs(sku, str(l, "buyer_sku"), str(l, "gtin"))
	for _, k := range w.extKeys(lineExtKey(n, "id.")) {
		ids = append(ids, strings.TrimPrefix(k, lineExtKey(n, "id.")), str(ext, k))
	}
	w.add("PO1", append([]string{assigned, qty, unit, price, basis}, ids...)...)
	if d := str(l, "description"); d != "" {
		w.add("PID", "F", "", "", "", d)
	}
	lineExt := len(w.extKeys(lineExtKey(n, ""))) > 0
	if pack, size, pu := str(ext, lineExtKey(n, "pack")), str(ext, lineExtKey(n, "pack_size")), str(ext, lineExtKey(n, "pack_unit")); lineExt && pack+size+pu != "" {
		w.add("PO4", pack, size, pu)
	}
	w.refs(ext, lineExtKey(n, "ref."))
	if d := w.date(l, ptr, "requested_date"); d != "" {
		w.add("DTM", w.o.RequestedDateQualifiers[0], d)
	}
	w.dates(ext, lineExtKey(n, "date."))
	w.notes("MSG", str(l, "note"))
	w.extParties(ext, "x12.line."+itoa(n)+".")
	return qty
}
