package x12map

import (
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// shipmentStatus maps AT701 shipment status codes (element 1650) and
// AT703 appointment status codes (1652) to tracking statuses. The
// choices that need a reason:
//   - AG (estimated delivery), X2 (estimated arrival at consignee) and the
//     appointment codes are announcements, not movements: info_received,
//     the lowest rank, so they never move a shipment's status back; their
//     date is also the event's estimated_delivery.
//   - X1 (arrived at delivery location) is out_for_delivery, not
//     delivered: the truck is at the door, unloading (D1) or departure
//     (CD) confirms the delivery. A carrier that sends only X1 can be
//     mapped to delivered with Options.StatusCodes.
//   - AH (attempted delivery) and AP (delivery not completed) are not
//     exceptions here: exception ranks above delivered and would keep a
//     later delivery from showing; they stay out_for_delivery. A7
//     (refused), A9 (damaged) and CA (cancelled) are exceptions.
//
// A code in neither this table nor Options.StatusCodes is an error, not a
// guess: a new code might be a delivery or an exception.
var shipmentStatus = map[string]string{
	"XB": "info_received", "AG": "info_received", "X2": "info_received",
	"X3": "info_received", "X8": "info_received", "OO": "info_received",
	"AF": "picked_up", "CP": "picked_up", "AM": "picked_up", "L1": "picked_up",
	"X6": "in_transit", "P1": "in_transit", "X4": "in_transit", "I1": "in_transit",
	"OA": "in_transit", "AI": "in_transit", "AN": "in_transit", "AR": "in_transit",
	"AV": "in_transit", "B6": "in_transit", "BA": "in_transit", "BB": "in_transit",
	"C1": "in_transit", "CL": "in_transit", "J1": "in_transit", "K1": "in_transit",
	"PR": "in_transit", "R1": "in_transit", "RL": "in_transit", "SD": "in_transit",
	"X1": "out_for_delivery", "X5": "out_for_delivery", "AJ": "out_for_delivery",
	"S1": "out_for_delivery", "AH": "out_for_delivery", "AP": "out_for_delivery",
	"D1": "delivered", "CD": "delivered", "CB": "delivered",
	"A7": "exception", "A9": "exception", "CA": "exception",
	"A3": "returned",
	// appointment status codes (AT703)
	"AA": "info_received", "AB": "info_received", "AC": "info_received", "AD": "info_received",
	"AE": "info_received",
}

// estimateCodes are the codes whose AT7 date is an estimate of delivery.
var estimateCodes = map[string]bool{"AG": true, "X2": true, "AB": true}

// statusCode is the AT701 written for a tracking status when the event
// carries no usable carrier code.
var statusCode = map[string]string{
	"info_received": "XB", "picked_up": "AF", "in_transit": "X6", "out_for_delivery": "X1",
	"delivered": "D1", "exception": "A9", "returned": "A3",
}

// trackingEvents maps a 214 to one tracking_event per AT7. The MS1 and
// MS2 after an AT7 are its location and equipment; the L11s of an LX loop
// go to the extensions of the LX's events, those of the heading (and its
// N1 parties) to every event's.
func (r *reader) trackingEvents() []Doc {
	head := newDoc()
	var b10 connectors.EDISegment
	var events []*doc
	var pos []int
	var cur *doc
	seenLX := false
	var lxRefs [][2]string // L11s of the current LX
	var inLX []*doc
	flushLX := func() {
		for _, e := range inLX {
			for _, kv := range lxRefs {
				e.setExt(kv[0], kv[1])
			}
		}
		inLX, lxRefs = nil, nil
	}
	for i := 0; i < len(r.segs); i++ {
		s := r.segs[i]
		switch s.Tag {
		case "B10":
			b10 = s
			head.setExt("x12.scac", text(s, 3))
		case "L11":
			if !seenLX {
				head.setExt("x12.ref."+text(s, 2), text(s, 1))
			} else {
				lxRefs = append(lxRefs, [2]string{"x12.ref." + text(s, 2), text(s, 1)})
			}
		case "N1":
			pt, next := r.party(r.segs, i)
			i = next - 1
			if !seenLX {
				head.keepParty("x12.", pt)
			}
		case "LX":
			flushLX()
			seenLX, cur = true, nil
		case "AT7":
			cur = r.at7(s, head, b10)
			inLX = append(inLX, cur)
			events, pos = append(events, cur), append(pos, s.Pos)
		case "MS1":
			if cur != nil {
				r.ms1(s, cur)
			}
		case "MS2":
			if cur != nil {
				cur.setExt("x12.equipment_owner", text(s, 1))
				cur.setExt("x12.equipment", text(s, 2))
				cur.setExt("x12.equipment_type", text(s, 3))
			}
		}
	}
	flushLX()
	if b10.Tag == "" {
		r.missing("B10", "the shipment's references")
	}
	if len(events) == 0 {
		r.missing("AT7", "a 214 needs at least one status")
	}
	docs := make([]Doc, len(events))
	for i, e := range events {
		docs[i] = Doc{Doctype: "tracking_event", Body: e.finish(), Pos: pos[i]}
	}
	return docs
}

// at7 starts the event of one AT7: its status, time and ids.
func (r *reader) at7(s connectors.EDISegment, head *doc, b10 connectors.EDISegment) *doc {
	d := newDoc()
	for k, v := range head.ext {
		d.ext[k] = v
	}
	b := d.body
	code, el := text(s, 1), 1
	if code == "" {
		code, el = text(s, 3), 3
		d.setExt("x12.appointment", "true")
	}
	status, ok := edimap.Lookup(code, r.o.StatusCodes, shipmentStatus)
	switch {
	case code == "":
		r.p.At(s, 1, 0, CodeMissingElement, "the AT7 has neither a shipment status (AT701) nor an appointment status (AT703)")
	case !ok:
		r.p.At(s, el, 0, CodeBadValue, "status code %q is not known (add it to the partner's status_codes)", code)
	default:
		b["status"] = status
	}
	set(b, "carrier_status_code", code)
	if reason := text(s, el+1); reason != "" && reason != "NS" {
		d.setExt("x12.status_reason", reason)
	}
	if text(s, 5) == "" {
		r.p.At(s, 5, 0, CodeMissingElement, "the status date (AT705) is missing")
	}
	at := r.instant(s, 5, 6, 7)
	set(b, "occurred_at", at)
	if estimateCodes[code] {
		set(b, "estimated_delivery", r.date(s, 5))
	}
	ref, shipment := text(b10, 1), text(b10, 2)
	if q := r.o.ShipmentRefQualifier; q != "" {
		shipment, _ = head.ext["x12.ref."+q].(string)
	}
	if shipment == "" {
		r.p.At(b10, 2, 0, CodeMissingElement, "the shipment's identification is missing")
	}
	set(b, "shipment_external_id", shipment)
	set(b, "tracking_number", ref)
	if ref == "" {
		ref = shipment
	}
	if at != "" {
		b["external_id"] = ref + ":" + code + ":" + text(s, 5) + text(s, 6)
	}
	return d
}

// ms1 reads the event's location: city, state or province, country.
func (r *reader) ms1(s connectors.EDISegment, d *doc) {
	loc := map[string]any{}
	set(loc, "city", text(s, 1))
	set(loc, "region", text(s, 2))
	set(loc, "country", r.country(s, 3))
	if len(loc) > 0 {
		d.body["location"] = loc
	}
}

// trackingEvent writes a 214 of one status: B10, the references and
// parties kept in the extensions, LX*1, AT7, MS1, MS2.
func (w *writer) trackingEvent() {
	doc, ext := w.doc, w.ext()
	ship := w.need(doc, "", "shipment_external_id")
	ref := str(doc, "tracking_number")
	w.add("B10", ref, ship, str(ext, "x12.scac"))
	for _, k := range w.extKeys("x12.ref.") {
		w.add("L11", str(ext, k), strings.TrimPrefix(k, "x12.ref."))
	}
	w.extParties(ext, "x12.")
	w.add("LX", "1")
	status := str(doc, "status")
	code := str(doc, "carrier_status_code")
	if st, ok := w.statusOf(code); !ok || st != status {
		code = statusCode[status]
		if code == "" {
			w.p.Add("/status", "%q is not a tracking status", status)
		}
	}
	date, tm, tc, ok := splitInstant(str(doc, "occurred_at"))
	if !ok {
		w.p.Add("/occurred_at", "%q is not an RFC 3339 date-time", str(doc, "occurred_at"))
	}
	reason := "NS"
	if v := str(ext, "x12.status_reason"); v != "" {
		reason = v
	}
	if str(ext, "x12.appointment") == "true" {
		w.add("AT7", "", "", code, reason, date, tm, tc)
	} else {
		w.add("AT7", code, reason, "", "", date, tm, tc)
	}
	if loc := obj(doc, "location"); loc != nil {
		w.add("MS1", str(loc, "city"), str(loc, "region"), str(loc, "country"))
	}
	if o, e, t := str(ext, "x12.equipment_owner"), str(ext, "x12.equipment"), str(ext, "x12.equipment_type"); o+e+t != "" {
		w.add("MS2", o, e, t)
	}
}

// statusOf looks a carrier code up in the partner's and the built-in
// tables.
func (w *writer) statusOf(code string) (string, bool) {
	return edimap.Lookup(code, w.o.StatusCodes, shipmentStatus)
}
