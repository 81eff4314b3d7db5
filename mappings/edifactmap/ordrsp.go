package edifactmap

import (
	"fmt"

	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// responseStatuses maps ORDRSP BGM 1225 to the response's status.
var responseStatuses = map[string]string{"29": "confirmed", "27": "rejected", "4": "changed"}

// statusFunctions maps a response's status to BGM 1225.
var statusFunctions = map[string]string{"confirmed": "29", "rejected": "27", "changed": "4", "partially_confirmed": "4"}

// lineResponses is the built-in ORDRSP LIN 1229 table.
var lineResponses = map[string]string{
	"5": "accepted", // accepted without amendment
	"4": "accepted", // no action
	"3": "changed",  // changed
	"6": "changed",  // accepted with amendment
	"7": "rejected", // not accepted
	"2": "rejected", // deleted
}

// responseActions are the LIN 1229 codes written for each line response;
// a backordered line is a changed one with its quantity as QTY 83
// (backorder quantity).
var responseActions = map[string]string{"accepted": "5", "changed": "3", "rejected": "7", "backordered": "3"}

// ordrsp maps an ORDRSP message to an order_response.
//
// BGM 1225 29 is status confirmed, 27 rejected, 4 changed; another code
// leaves the status out and is kept as "edifact.message_function". RFF
// ON is order_external_id. A line's LIN 1229 is its response; QTY 113
// (else 21) its confirmed quantity; a changed line with only a QTY 83
// (backorder quantity) is backordered, with that quantity.
func (r *reader) ordrsp(body []seg) []Doc {
	hd, groups, tail := split(body, "LIN")
	h := readHead(hd)
	doc, ext := map[string]any{}, map[string]any{}
	set(doc, "external_id", r.bgm(h))
	if h.bgm != nil {
		fn := h.bgm.Value(3)
		if st, ok := responseStatuses[fn]; ok {
			doc["status"] = st
		} else if fn != "" {
			ext["edifact.message_function"] = fn
		}
		if name := h.bgm.Component(1, 1); name != "" && name != "231" {
			ext["edifact.document_name_code"] = name
		}
	}
	set(doc, "response_date", r.date(h.dtms, r.c.DocumentDateQualifiers, false))
	if on := refsOf(h.refs, "ON"); len(on) > 0 {
		doc["order_external_id"] = on[0]
	} else {
		r.missing("RFF", "the order number, RFF ON")
	}
	set(doc, "note", note(h.ftxs))
	if h.cux != nil {
		set(doc, "currency", h.cux.Component(1, 2))
	}
	for _, pt := range h.parties {
		pt.keepID(ext)
		pt.keepName(ext)
	}
	lines := make([]any, 0, len(groups))
	for i, g := range groups {
		lines = append(lines, r.responseLine(readItem(g), i+1, ext))
	}
	r.checkCount(tail, len(groups))
	if len(lines) > 0 {
		doc["lines"] = lines
	}
	if len(ext) > 0 {
		doc["extensions"] = ext
	}
	return []Doc{{Doctype: "order_response", Body: doc, Pos: r.unh.Pos}}
}

// responseLine maps one LIN group of an ORDRSP.
func (r *reader) responseLine(it item, ordinal int, ext map[string]any) map[string]any {
	line := map[string]any{"line_no": r.lineNo(it.lin, ordinal)}
	action := it.lin.Value(2)
	resp, ok := edimap.Lookup(action, r.c.LineResponseCodes, lineResponses)
	if !ok {
		r.p.At(it.lin, 2, 1, CodeBadValue, "action %q (1229) is not a line response this mapping knows; map it in line_response_codes", action)
	}
	set(line, "sku", r.sku(it, r.gtin(it), false, ext))
	q, unit, found := r.qty(it.qtys, "113", "21")
	if !found && resp == "changed" {
		if q, unit, found = r.qty(it.qtys, "83"); found {
			resp = "backordered"
		}
	}
	set(line, "response", resp)
	set(line, "quantity", q)
	if found {
		line["unit"] = unit
	}
	if p, _, ok := r.netPrice(it.prices); ok {
		line["unit_price"] = p
	}
	set(line, "promised_date", r.date(it.dtms, r.c.PromisedDateQualifiers, false))
	set(line, "reason", note(it.ftxs))
	return line
}

// ordrsp writes an order_response as an EANCOM ORDRSP.
func (w *writer) ordrsp(b map[string]any) {
	ext := extensions(b)
	fn := str(ext, "edifact.message_function")
	if st := str(b, "status"); fn == "" && st != "" {
		var ok bool
		if fn, ok = statusFunctions[st]; !ok {
			w.p.Add("/status", "status %q has no ORDRSP message function (written: confirmed, rejected, changed, partially_confirmed)", st)
		}
	}
	name := str(ext, "edifact.document_name_code")
	if name == "" {
		name = "231"
	}
	w.add("BGM", name, w.need(b, "external_id", ""), fn)
	w.dtmDate(w.c.DocumentDateQualifiers[0], str(b, "response_date"), "/response_date")
	w.ftx(w.c.NoteQualifier, str(b, "note"))
	w.add("RFF", comp("ON", w.need(b, "order_external_id", "")))
	w.parties(ext, []string{"BY", "SU"}, nil)
	w.cux(str(b, "currency"), "9")
	lines := objs(b, "lines")
	for i, l := range lines {
		ptr := fmt.Sprintf("/lines/%d", i)
		n := intStr(l["line_no"])
		if n == "" {
			n = fmt.Sprint(i + 1)
		}
		resp := w.need(l, "response", ptr)
		action, ok := edimap.CodeFor(w.c.LineResponseCodes, resp)
		if !ok {
			if action, ok = responseActions[resp]; !ok && resp != "" {
				w.p.Add(ptr+"/response", "%q is not a line response", resp)
			}
		}
		w.itemIDs(n, action, str(l, "sku"), "", "")
		q := "113"
		if resp == "backordered" {
			q = "83"
			if str(l, "quantity") == "" {
				w.p.Add(ptr+"/quantity", "a backordered line needs the quantity to follow (written as QTY 83)")
			}
		}
		w.qty(q, str(l, "quantity"), str(l, "unit"), ptr+"/quantity")
		w.dtmDate(w.c.PromisedDateQualifiers[0], str(l, "promised_date"), ptr+"/promised_date")
		w.ftx(w.c.NoteQualifier, str(l, "reason"))
		if p := str(l, "unit_price"); p != "" {
			w.add("PRI", comp("AAA", w.num(p, ptr+"/unit_price")))
		}
	}
	w.summary(len(lines))
}
