package x12map

import (
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// bakStatus maps BAK02 (acknowledgment type) to an order status. AC, AE
// and RO (changes, exceptions, counter-offer) become "changed", or
// "partially_confirmed" when some lines are rejected and others are not.
var bakStatus = map[string]string{
	"AC": "changed", "AE": "changed", "RO": "changed",
	"AD": "confirmed", "AK": "confirmed", "AP": "confirmed", "AT": "confirmed",
	"AH": "acknowledged", "NA": "acknowledged", "ZZ": "acknowledged",
	"RD": "rejected", "RF": "rejected", "RJ": "rejected",
}

// ackCodes maps ACK01 (line item status) to a line response.
var ackCodes = map[string]string{
	"IA": "accepted", "AC": "accepted", "AR": "accepted", "IE": "accepted",
	"IC": "changed", "IP": "changed", "IQ": "changed", "DR": "changed", "IS": "changed",
	"IR": "rejected", "ID": "rejected", "R1": "rejected", "R2": "rejected", "R3": "rejected",
	"R4": "rejected", "R5": "rejected", "R6": "rejected", "R7": "rejected", "R8": "rejected",
	"IB": "backordered", "BP": "backordered", "SP": "backordered", "IH": "backordered",
}

// ackFor is the ACK01 written for a line response.
var ackFor = map[string]string{"accepted": "IA", "changed": "IC", "rejected": "IR", "backordered": "IB"}

// respLine is a PO1 loop of an 855 being read.
type respLine struct {
	po1   connectors.EDISegment
	base  map[string]any // line_no, sku, unit_price from the PO1
	qty   string
	unit  string
	acks  []map[string]any
	dates []string // promised dates from the loop's DTMs
	notes []string
}

// orderResponse maps an 855 to one canonical order response.
func (r *reader) orderResponse() []Doc {
	d := newDoc()
	var loops []*respLine
	var cur *respLine
	var bak connectors.EDISegment
	for i := 0; i < len(r.segs); i++ {
		s := r.segs[i]
		switch s.Tag {
		case "BAK":
			bak = s
			r.bak(s, d)
		case "PO1":
			cur = r.respPO1(s, d, len(loops)+1)
			loops = append(loops, cur)
		case "ACK":
			if cur != nil {
				cur.acks = append(cur.acks, r.ack(s))
			}
		case "N1":
			pt, next := r.party(r.segs, i)
			i = next - 1
			d.keepParty("x12.", pt)
		case "CTT":
			r.checkCount(s, len(loops), "PO1 line items")
		case "MSG", "NTE":
			v := map[bool]string{true: text(s, 2), false: text(s, 1)}[s.Tag == "NTE"]
			if cur != nil {
				cur.notes = append(cur.notes, v)
			} else {
				d.body["note"] = joinNonEmpty([]string{str(d.body, "note"), v}, "\n")
			}
		case "DTM":
			q, date := r.dtm(s)
			if cur != nil && rank(r.o.PromisedDateQualifiers, q) < 1<<30 {
				cur.dates = append(cur.dates, date)
			} else if cur == nil {
				d.setExt("x12.date."+q, date)
			}
		case "CUR":
			if cur == nil {
				set(d.body, "currency", r.currency(s))
			}
		case "REF":
			if cur == nil {
				d.setExt("x12.ref."+text(s, 1), refValue(s))
			}
		}
	}
	if bak.Tag == "" {
		r.missing("BAK", "the acknowledgment's type and PO number")
	}
	lines := r.respLines(loops, str(d.body, "status"), text(bak, 2))
	if st := str(d.body, "status"); st == "changed" && mixed(lines) {
		d.body["status"] = "partially_confirmed"
	}
	if len(lines) > 0 {
		d.body["lines"] = lines
	}
	return []Doc{{Doctype: "order_response", Body: d.finish(), Pos: r.st.Pos}}
}

// bak reads the BAK: purpose 01 (cancellation) → cancelled, else the
// BAK02 table; BAK03 the PO number; BAK09 (else BAK04) the response date;
// BAK08 the supplier's number (else the PO number).
func (r *reader) bak(s connectors.EDISegment, d *doc) {
	purpose, typ := text(s, 1), text(s, 2)
	if purpose != "00" {
		d.setExt("x12.purpose", purpose)
	}
	switch st, ok := bakStatus[typ]; {
	case purpose == "01":
		d.body["status"] = "cancelled"
		d.setExt("x12.ack_type", typ)
	case typ == "":
		r.p.At(s, 2, 0, CodeMissingElement, "acknowledgment type (BAK02) is missing")
	case !ok:
		r.p.At(s, 2, 0, CodeBadValue, "acknowledgment type %q is not known", typ)
	default:
		d.body["status"] = st
		if typ != ackTypeFor(st, true) && typ != ackTypeFor(st, false) {
			d.setExt("x12.ack_type", typ)
		}
	}
	po := text(s, 3)
	if po == "" {
		r.p.At(s, 3, 0, CodeMissingElement, "purchase order number (BAK03) is missing")
	}
	set(d.body, "order_external_id", po)
	orderDate, ackDate := r.date(s, 4), r.date(s, 9)
	if ackDate != "" {
		set(d.body, "response_date", ackDate)
		if orderDate != ackDate {
			d.setExt("x12.order_date", orderDate)
		}
	} else {
		set(d.body, "response_date", orderDate)
	}
	id := text(s, 8)
	if id == "" {
		id = po
	}
	set(d.body, "external_id", id)
	d.setExt("x12.release", text(s, 5))
	d.setExt("x12.contract", text(s, 7))
}

// respPO1 reads the PO1 of an 855 line.
func (r *reader) respPO1(s connectors.EDISegment, d *doc, seq int) *respLine {
	base := map[string]any{}
	if n := lineNo(text(s, 1)); n > 0 {
		base["line_no"] = n
	} else if text(s, 1) != "" {
		d.setExt(lineExtKey(seq, "assigned_id"), text(s, 1))
	}
	l := &respLine{po1: s, base: base, qty: r.nonNegative(s, 2, "quantity"), unit: r.unit(s, 3, 1, false)}
	set(base, "unit_price", r.nonNegative(s, 4, "unit price"))
	ids := r.ids(s, 6, "response")
	set(base, "sku", ids.sku)
	return l
}

// ack reads one ACK: status, quantity, unit and the promised date.
func (r *reader) ack(s connectors.EDISegment) map[string]any {
	m := map[string]any{}
	code := text(s, 1)
	resp, ok := edimap.Lookup(code, r.o.AckCodes, ackCodes)
	switch {
	case code == "":
		r.p.At(s, 1, 0, CodeMissingElement, "line item status (ACK01) is missing")
	case !ok:
		r.p.At(s, 1, 0, CodeBadValue, "line item status %q is not known (add it to the partner's ack_codes)", code)
	default:
		m["response"] = resp
	}
	set(m, "quantity", r.nonNegative(s, 2, "quantity"))
	set(m, "unit", r.unit(s, 3, 1, false))
	if q := text(s, 4); q != "" && rank(r.o.PromisedDateQualifiers, q) < 1<<30 {
		set(m, "promised_date", r.date(s, 5))
	}
	return m
}

// respLines makes one canonical line per ACK (a PO1 with an accepted and
// a backordered quantity becomes two lines with its line_no). A PO1
// without ACK is accepted or rejected as the whole acknowledgment is
// (BAK02 AD, AK, AP, AT or RD, RF, RJ); otherwise it is an error.
func (r *reader) respLines(loops []*respLine, status, typ string) []any {
	var out []any
	for _, l := range loops {
		acks := l.acks
		if len(acks) == 0 {
			resp := map[string]string{"confirmed": "accepted", "rejected": "rejected"}[status]
			if resp == "" {
				r.p.At(l.po1, 0, 0, CodeMissingSegment, "the line has no ACK and the acknowledgment type %q says nothing of its lines", typ)
				continue
			}
			acks = []map[string]any{{"response": resp}}
		}
		for _, a := range acks {
			m := map[string]any{}
			for k, v := range l.base {
				m[k] = v
			}
			for k, v := range a {
				m[k] = v
			}
			if _, ok := m["quantity"]; !ok && str(m, "response") != "rejected" {
				set(m, "quantity", l.qty)
			}
			if _, ok := m["unit"]; !ok {
				set(m, "unit", l.unit)
			}
			if _, ok := m["promised_date"]; !ok && len(l.dates) > 0 {
				set(m, "promised_date", l.dates[0])
			}
			set(m, "reason", strings.Join(l.notes, "\n"))
			out = append(out, m)
		}
	}
	return out
}

// mixed reports whether some lines are rejected and some are not.
func mixed(lines []any) bool {
	var rejected, other bool
	for _, l := range lines {
		if str(l.(map[string]any), "response") == "rejected" {
			rejected = true
		} else {
			other = true
		}
	}
	return rejected && other
}

// ackTypeFor is the BAK02 written for an order status, with or without
// lines.
func ackTypeFor(status string, withLines bool) string {
	switch status {
	case "confirmed":
		if withLines {
			return "AD"
		}
		return "AK"
	case "changed", "partially_confirmed":
		return "AC"
	case "rejected":
		if withLines {
			return "RD"
		}
		return "RJ"
	case "acknowledged":
		return "AH"
	}
	return ""
}

// orderResponse writes an 855 from a canonical order response.
func (w *writer) orderResponse() {
	doc, ext := w.doc, w.ext()
	lines := list(doc, "lines")
	status := str(doc, "status")
	purpose, typ := "00", str(ext, "x12.ack_type")
	if p := str(ext, "x12.purpose"); p != "" {
		purpose = p
	}
	switch {
	case status == "cancelled":
		purpose = "01"
		if typ == "" {
			typ = "RJ"
		}
	case typ != "":
	case status == "":
		typ = ackTypeFor(derivedStatus(lines), len(lines) > 0)
	default:
		if typ = ackTypeFor(status, len(lines) > 0); typ == "" {
			w.p.Add("/status", "status %q has no 855 acknowledgment type", status)
		}
	}
	po := w.need(doc, "", "order_external_id")
	respDate := w.date(doc, "", "response_date")
	orderDate := respDate
	if d, ok := edimap.FormatDate(str(ext, "x12.order_date")); ok {
		orderDate = d
	}
	if orderDate == "" {
		w.p.Add("/response_date", "is needed for BAK04")
	}
	w.add("BAK", purpose, typ, po, orderDate, str(ext, "x12.release"), "", str(ext, "x12.contract"), w.need(doc, "", "external_id"), respDate)
	if c := str(doc, "currency"); c != "" {
		w.add("CUR", "SE", c)
	}
	w.refs(ext, "x12.ref.")
	w.dates(ext, "x12.date.")
	w.notes("NTE", str(doc, "note"))
	w.extParties(ext, "x12.")
	for i, l := range lines {
		w.responseLine(l, i)
	}
	w.add("CTT", itoa(len(lines)))
}

// derivedStatus is the status of a response that states none: confirmed
// when every line is accepted, else changed.
func derivedStatus(lines []map[string]any) string {
	for _, l := range lines {
		if str(l, "response") != "accepted" {
			return "changed"
		}
	}
	return "confirmed"
}

// responseLine writes one PO1 and its ACK for line i.
func (w *writer) responseLine(l map[string]any, i int) {
	ptr := ptrf("/lines/%d", i)
	n := ""
	if v, ok := integer(l, "line_no"); ok && v > 0 {
		n = itoa(v)
	}
	resp := str(l, "response")
	code := ackFor[resp]
	if code == "" {
		w.p.Add(ptr+"/response", "%q is not a line response", resp)
	}
	qty := w.decimal(l, ptr, "quantity")
	unit := w.unit(l, ptr, "unit", false)
	if qty != "" && unit == "" {
		w.p.Add(ptr+"/unit", "is needed with a quantity")
	}
	price := w.decimal(l, ptr, "unit_price")
	basis := ""
	if price != "" {
		basis = "PE"
	}
	po1 := append([]string{n, qty, unit, price, basis}, w.o.idPairs(str(l, "sku"), "", "")...)
	w.add("PO1", po1...)
	ack := []string{code, qty, unit}
	if d := w.date(l, ptr, "promised_date"); d != "" {
		ack = append(ack, w.o.PromisedDateQualifiers[0], d)
	}
	w.add("ACK", ack...)
	w.notes("MSG", str(l, "reason"))
}
