package x12map

import (
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// orderLine is a PO1 loop being read.
type orderLine struct {
	po1   connectors.EDISegment
	n     int
	m     map[string]any
	descs []string
	notes []string
}

// order maps an 850 to one canonical order.
func (r *reader) order() []Doc {
	d := newDoc()
	var lines []any
	var cur *orderLine
	var notes []string
	seenBEG := false
	finish := func() {
		if cur != nil {
			set(cur.m, "description", strings.Join(cur.descs, " "))
			set(cur.m, "note", strings.Join(cur.notes, "\n"))
			lines = append(lines, cur.m)
			cur = nil
		}
	}
	for i := 0; i < len(r.segs); i++ {
		s := r.segs[i]
		switch s.Tag {
		case "BEG":
			seenBEG = true
			r.beg(s, d)
		case "PO1":
			finish()
			cur = r.po1(s, d, len(lines)+1)
		case "N1":
			pt, next := r.party(r.segs, i)
			i = next - 1
			r.orderParty(d, cur, pt)
		case "CTT":
			finish()
			r.checkCount(s, len(lines), "PO1 line items")
		case "MSG", "NTE":
			v := text(s, 1)
			if s.Tag == "NTE" {
				v = text(s, 2)
			}
			if cur != nil {
				cur.notes = append(cur.notes, v)
			} else {
				notes = append(notes, v)
			}
		default:
			if cur != nil {
				r.orderLineSeg(s, d, cur)
			} else {
				r.orderHeaderSeg(s, d)
			}
		}
	}
	finish()
	r.require(seenBEG, "BEG", "the purchase order's number and date")
	r.require(len(lines) > 0, "PO1", "an order needs at least one line")
	set(d.body, "note", strings.Join(notes, "\n"))
	if len(lines) > 0 {
		d.body["lines"] = lines
	}
	return []Doc{{Doctype: "order", Body: d.finish(), Pos: r.st.Pos}}
}

// beg reads the BEG: purpose (00 original → sent, 01 cancellation →
// cancelled; any other purpose is also a new order, status sent, with the
// code kept in x12.purpose), PO number, date.
func (r *reader) beg(s connectors.EDISegment, d *doc) {
	switch purpose := text(s, 1); purpose {
	case "":
		r.p.At(s, 1, 0, CodeMissingElement, "transaction set purpose (BEG01) is missing")
	case "01":
		d.body["status"] = "cancelled"
	default:
		d.body["status"] = "sent"
		if purpose != "00" {
			d.setExt("x12.purpose", purpose)
		}
	}
	if t := text(s, 2); t != "SA" {
		d.setExt("x12.po_type", t)
	}
	set(d.body, "external_id", text(s, 3))
	if text(s, 3) == "" {
		r.p.At(s, 3, 0, CodeMissingElement, "purchase order number (BEG03) is missing")
	}
	d.setExt("x12.release", text(s, 4))
	if text(s, 5) == "" {
		r.p.At(s, 5, 0, CodeMissingElement, "purchase order date (BEG05) is missing")
	}
	set(d.body, "order_date", r.date(s, 5))
	d.setExt("x12.contract", text(s, 6))
}

// orderHeaderSeg reads a heading segment of an 850.
func (r *reader) orderHeaderSeg(s connectors.EDISegment, d *doc) {
	switch s.Tag {
	case "CUR":
		set(d.body, "currency", r.currency(s))
	case "REF":
		d.setExt("x12.ref."+text(s, 1), refValue(s))
	case "PER":
		if _, ok := d.body["buyer_contact"]; !ok {
			set(d.body, "buyer_contact", text(s, 2))
			d.setExt("x12.buyer_phone", perNumber(s, "TE"))
			d.setExt("x12.buyer_email", perNumber(s, "EM"))
		}
	case "ITD":
		if t := itdText(s); t != "" {
			if old := str(d.body, "payment_terms"); old != "" {
				t = old + "; " + t
			}
			d.body["payment_terms"] = t
		}
	case "DTM":
		q, date := r.dtm(s)
		if rank(r.o.RequestedDateQualifiers, q) < 1<<30 && str(d.body, "requested_date") == "" {
			set(d.body, "requested_date", date)
		} else {
			d.setExt("x12.date."+q, date)
		}
	case "TD5":
		d.setExt("x12.carrier_code", text(s, 3))
		d.setExt("x12.routing", text(s, 5))
	case "FOB":
		d.setExt("x12.fob", text(s, 1))
	case "AMT":
		d.setExt("x12.amount."+text(s, 1), r.decimal(s, 2, "amount"))
	}
}

// currency reads CUR02.
func (r *reader) currency(s connectors.EDISegment) string {
	c := strings.ToUpper(text(s, 2))
	if len(c) != 3 || !isCode(c, 3) {
		r.p.At(s, 2, 0, CodeBadValue, "currency %q is not an ISO 4217 code", text(s, 2))
		return ""
	}
	return c
}

// itdText is the payment terms text of an ITD: ITD12 when sent, else
// composed from the discount and net terms ("2% within 10 days, net 30
// days").
func itdText(s connectors.EDISegment) string {
	if v := text(s, 12); v != "" {
		return v
	}
	var parts []string
	if pct := text(s, 3); pct != "" {
		switch {
		case text(s, 5) != "":
			parts = append(parts, pct+"% within "+text(s, 5)+" days")
		case text(s, 4) != "":
			parts = append(parts, pct+"% until "+dashed(text(s, 4)))
		default:
			parts = append(parts, pct+"% discount")
		}
	}
	switch {
	case text(s, 7) != "":
		parts = append(parts, "net "+text(s, 7)+" days")
	case text(s, 6) != "":
		parts = append(parts, "net due "+dashed(text(s, 6)))
	}
	return strings.Join(parts, ", ")
}

// dashed writes an X12 date as YYYY-MM-DD when it is one.
func dashed(v string) string {
	if d, ok := parseDate(v); ok {
		return d
	}
	return v
}

// po1 reads a PO1 and starts a line; seq is its position among the lines.
func (r *reader) po1(s connectors.EDISegment, d *doc, seq int) *orderLine {
	n := lineNo(text(s, 1))
	if n == 0 {
		n = seq
		d.setExt(lineExtKey(n, "assigned_id"), text(s, 1))
	}
	m := make(map[string]any, 10)
	m["line_no"] = n
	set(m, "quantity", r.quantity(s, 2, "quantity ordered"))
	set(m, "unit", r.unit(s, 3, 1, true))
	set(m, "unit_price", r.nonNegative(s, 4, "unit price"))
	if b := text(s, 5); b != "PE" {
		d.setExt(lineExtKey(n, "price_basis"), b)
	}
	ids := r.ids(s, 6, "order")
	r.lineIDs(s, 7, d, m, ids, n, true)
	set(m, "buyer_sku", ids.buyer)
	return &orderLine{po1: s, n: n, m: m}
}

// lineIDs stores a line's sku and GTIN, reports a missing sku when
// required, and keeps the ids with no field in the extensions of line n
// (none when n is 0).
func (r *reader) lineIDs(s connectors.EDISegment, el int, d *doc, m map[string]any, ids itemIDs, n int, required bool) {
	if ids.sku == "" && required {
		r.p.At(s, el, 0, CodeMissingElement, "the line has no supplier SKU (qualifiers %s)%s",
			strings.Join(r.o.SKUQualifiers, ", "), map[bool]string{true: "", false: " nor a GTIN or buyer's item code"}[r.o.StrictSKU])
	}
	set(m, "sku", ids.sku)
	set(m, "gtin", ids.gtin)
	d.noteSKUFrom(ids.skuFrom)
	if n == 0 {
		return
	}
	for _, o := range ids.other {
		d.setExt(lineExtKey(n, "id."+o[0]), o[1])
	}
}

// orderLineSeg reads a segment of a PO1 loop.
func (r *reader) orderLineSeg(s connectors.EDISegment, d *doc, l *orderLine) {
	switch s.Tag {
	case "PID":
		if text(s, 1) == "F" {
			l.descs = append(l.descs, text(s, 5))
		}
	case "PO4":
		d.setExt(lineExtKey(l.n, "pack"), text(s, 1))
		d.setExt(lineExtKey(l.n, "pack_size"), text(s, 2))
		d.setExt(lineExtKey(l.n, "pack_unit"), text(s, 3))
	case "DTM":
		q, date := r.dtm(s)
		if rank(r.o.RequestedDateQualifiers, q) < 1<<30 && str(l.m, "requested_date") == "" {
			set(l.m, "requested_date", date)
		} else {
			d.setExt(lineExtKey(l.n, "date."+q), date)
		}
	case "REF":
		d.setExt(lineExtKey(l.n, "ref."+text(s, 1)), refValue(s))
	case "AMT":
		d.setExt("x12.amount."+text(s, 1), r.decimal(s, 2, "amount"))
	}
}

// orderParty places an N1 loop: ST is the ship-to address, BT the bill-to
// address, any other party goes to the extensions with its name and id.
func (r *reader) orderParty(d *doc, cur *orderLine, pt party) {
	if cur != nil {
		d.keepParty("x12.line."+itoa(cur.n)+".", pt)
		return
	}
	switch pt.entity {
	case "ST", "BT":
		key := map[string]string{"ST": "ship_to", "BT": "bill_to"}[pt.entity]
		if _, dup := d.body[key]; !dup && len(pt.address) > 0 {
			d.body[key] = pt.address
		}
		d.keepIDs("x12.", pt)
		for _, ref := range pt.refs {
			d.setExt("x12."+key+"_ref."+ref[0], ref[1])
		}
	default:
		d.keepParty("x12.", pt)
	}
}

// checkCount compares CTT01 with the count of what it counts.
func (r *reader) checkCount(s connectors.EDISegment, n int, what string) {
	v := text(s, 1)
	if v == "" {
		return
	}
	if !edimap.Digits(v) {
		r.p.At(s, 1, 0, CodeBadValue, "number of line items %q is not a whole number", v)
		return
	}
	if atoi(v) != n {
		r.p.At(s, 1, 0, CodeCountMismatch, "CTT01 says %s but the set has %d %s", v, n, what)
	}
}
