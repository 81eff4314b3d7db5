package edifactmap

import (
	"fmt"
)

// orders maps an ORDERS message to an order.
//
// BGM 1004 is external_id; 1225 9 (original) or 5 (replace) is status
// "sent" and 1 (cancellation) "cancelled", any code but 9 and 1 being
// kept as "edifact.message_function"; a document name other than 220 is
// kept as "edifact.document_name_code". FTX AAB is payment_terms, every
// other FTX the note; NAD BY/SU ids and names go to extensions, the BY
// contact to buyer_contact, DP to ship_to, IV to bill_to.
func (r *reader) orders(body []seg) []Doc {
	hd, groups, tail := split(body, "LIN")
	h := readHead(hd)
	doc, ext := map[string]any{}, map[string]any{}
	set(doc, "external_id", r.bgm(h))
	doc["status"] = "sent"
	if h.bgm != nil {
		switch fn := h.bgm.Value(3); fn {
		case "", "9":
		case "1":
			doc["status"] = "cancelled"
		default:
			ext["edifact.message_function"] = fn
		}
		if name := h.bgm.Component(1, 1); name != "" && name != "220" {
			ext["edifact.document_name_code"] = name
		}
	}
	if _, ok := pick(h.dtms, r.c.DocumentDateQualifiers); !ok {
		r.missing("DTM", fmt.Sprintf("order date, qualifier %v", r.c.DocumentDateQualifiers))
	}
	set(doc, "order_date", r.date(h.dtms, r.c.DocumentDateQualifiers, false))
	set(doc, "requested_date", r.date(h.dtms, r.c.RequestedDateQualifiers, false))
	set(doc, "note", note(h.ftxs, "AAB"))
	set(doc, "payment_terms", ftxOf(h.ftxs, "AAB"))
	if h.cux != nil {
		set(doc, "currency", h.cux.Component(1, 2))
	}
	for _, pt := range h.parties {
		pt.keepID(ext)
		switch pt.role {
		case "DP":
			if a := pt.address(); a != nil {
				doc["ship_to"] = a
			}
		case "IV":
			if a := pt.address(); a != nil {
				doc["bill_to"] = a
			}
		case "BY":
			pt.keepName(ext)
			set(doc, "buyer_contact", pt.contact)
		default:
			pt.keepName(ext)
		}
	}
	lines := make([]any, 0, len(groups))
	for i, g := range groups {
		lines = append(lines, r.orderLine(readItem(g), i+1, ext))
	}
	if len(groups) == 0 {
		r.missing("LIN", "order lines")
	}
	r.checkCount(tail, len(groups))
	doc["lines"] = lines
	if len(ext) > 0 {
		doc["extensions"] = ext
	}
	return []Doc{{Doctype: "order", Body: doc, Pos: r.unh.Pos}}
}

// orderLine maps one LIN group of an ORDERS message.
//
// QTY 21 is the quantity; QTY 59 (number of consumer units in the traded
// unit: the ordered unit is a pack of that many) is kept as
// "edifact.line.<n>.consumer_units_per_trade_unit". PRI AAA (net) is
// unit_price, else AAB; an AAB beside an AAA is kept as
// "edifact.line.<n>.gross_price".
func (r *reader) orderLine(it item, ordinal int, ext map[string]any) map[string]any {
	n := r.lineNo(it.lin, ordinal)
	line := map[string]any{"line_no": n}
	gtin := r.gtin(it)
	set(line, "sku", r.sku(it, gtin, true, ext))
	set(line, "buyer_sku", r.buyerSKU(it))
	set(line, "gtin", gtin)
	set(line, "description", it.desc)
	q, unit, found := r.qty(it.qtys, "21")
	if !found {
		r.p.At(it.lin, 0, 0, CodeMissingSegment, "line %d has no QTY 21 (ordered quantity)", n)
	}
	set(line, "quantity", q)
	if found {
		line["unit"] = unit
	}
	if cu, _, found := r.qty(it.qtys, "59"); found && cu != "" {
		ext[lineKey(n, "consumer_units_per_trade_unit")] = cu
	}
	if p, pri, ok := r.netPrice(it.prices); ok {
		line["unit_price"] = p
		if pri.Component(1, 1) == "AAA" {
			for _, pg := range it.prices {
				if pg.pri.Component(1, 1) == "AAB" && pg.rng == nil && pg.qty == nil {
					if g, ok := r.price(pg.pri); ok {
						ext[lineKey(n, "gross_price")] = g
					}
					break
				}
			}
		}
	}
	set(line, "requested_date", r.date(it.dtms, r.c.RequestedDateQualifiers, false))
	set(line, "note", note(it.ftxs))
	return line
}

// orders writes an order as an EANCOM ORDERS.
func (w *writer) orders(b map[string]any) {
	ext := extensions(b)
	id := w.need(b, "external_id", "")
	fn := "9"
	if f := str(ext, "edifact.message_function"); f != "" {
		fn = f
	}
	if str(b, "status") == "cancelled" {
		fn = "1"
	}
	name := str(ext, "edifact.document_name_code")
	if name == "" {
		name = "220"
	}
	w.add("BGM", name, id, fn)
	w.dtmDate(w.c.DocumentDateQualifiers[0], w.need(b, "order_date", ""), "/order_date")
	w.dtmDate(w.c.RequestedDateQualifiers[0], str(b, "requested_date"), "/requested_date")
	w.ftx(w.c.NoteQualifier, str(b, "note"))
	w.ftx("AAB", str(b, "payment_terms"))
	addrs := map[string]map[string]any{"DP": obj(b, "ship_to"), "IV": obj(b, "bill_to")}
	if c := str(b, "buyer_contact"); c != "" {
		addrs["BY"] = map[string]any{"name": str(ext, "edifact.buyer_name"), "contact": c}
	}
	w.parties(ext, []string{"BY", "SU", "DP", "IV"}, addrs)
	w.cux(str(b, "currency"), "9")
	lines := objs(b, "lines")
	if len(lines) == 0 {
		w.p.Add("/lines", "an order needs at least one line")
	}
	for i, l := range lines {
		ptr := fmt.Sprintf("/lines/%d", i)
		n := intStr(l["line_no"])
		if n == "" {
			w.p.Add(ptr+"/line_no", "is required: a whole number")
		}
		w.itemIDs(n, "", w.need(l, "sku", ptr), str(l, "gtin"), str(l, "buyer_sku"))
		w.imd(str(l, "description"))
		w.qty("21", w.need(l, "quantity", ptr), str(l, "unit"), ptr+"/quantity")
		if cu := str(ext, lineKey(n, "consumer_units_per_trade_unit")); cu != "" {
			w.qty("59", cu, w.c.DefaultUnit, "/extensions")
		}
		w.dtmDate(w.c.RequestedDateQualifiers[0], str(l, "requested_date"), ptr+"/requested_date")
		w.ftx(w.c.NoteQualifier, str(l, "note"))
		if p := str(l, "unit_price"); p != "" {
			w.add("PRI", comp("AAA", w.num(p, ptr+"/unit_price")))
		}
		if g := str(ext, lineKey(n, "gross_price")); g != "" {
			w.add("PRI", comp("AAB", w.num(g, "/extensions")))
		}
	}
	w.summary(len(lines))
}
