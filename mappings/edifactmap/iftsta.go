package edifactmap

import (
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// trackingStatuses is the built-in IFTSTA STS 4405 table: UN/ECE
// Recommendation 24 transport status codes. A delay stays in_transit:
// exception ranks above delivered, so a delayed shipment could never be
// reported delivered.
var trackingStatuses = map[string]string{
	"6":  "info_received", // booking, completed
	"13": "picked_up",     // collection/pick-up, completed
	"27": "picked_up",     // despatch, completed
	"1":  "in_transit",    // arrival, completed
	"15": "in_transit",    // consolidated
	"16": "in_transit",    // crossed border
	"20": "in_transit",    // delayed, in the course of transport
	"24": "in_transit",    // departure, completed
	"25": "in_transit",    // departure, delayed
	"29": "in_transit",    // unloaded
	"31": "in_transit",    // en route
	"35": "in_transit",    // forwarded to destination
	"40": "in_transit",    // arrival, at port
	"41": "in_transit",    // handed over under continued responsibility
	"45": "in_transit",    // arrival, consignee informed
	"21": "delivered",     // delivery, completed
	"22": "delivered",     // delivery, completed as per instruction
	"17": "exception",     // customs clearance, refused
	"18": "exception",     // damaged in the course of transport
	"23": "exception",     // delivery, not completed
	"36": "exception",     // not found
}

// statusCodes are the STS codes written for each tracking status. Rec 24
// has no code for out_for_delivery and returned: a partner that reports
// them maps its codes in Options.StatusCodes.
var statusCodes = map[string]string{
	"info_received": "6", "picked_up": "13", "in_transit": "31", "delivered": "21", "exception": "23",
}

// iftsta maps an IFTSTA to tracking events: one per STS.
//
// external_id is the BGM number, with "-<n>" (the STS's ordinal) when
// the message holds several statuses. The shipment is RFF AAK (despatch
// advice) of the CNI group, else CNI C503 1004; the tracking number RFF
// CN/BM of the STS or CNI group. STS C555 4405 is carrier_status_code
// and gives status through the table (unknown codes are errors), 4404
// (else the STS group's FTX) description; C556 is kept as
// "edifact.status_reason_code" and "edifact.status_reason". DTM 334 is
// occurred_at, 17/132 estimated_delivery; LOC C517 3224 is the
// location's description, C519 3222 its city, C517 3225 kept as
// "edifact.location_code" and 3227 as "edifact.location_qualifier".
func (r *reader) iftsta(body []seg) []Doc {
	i := slices.IndexFunc(body, func(s seg) bool { return s.Tag == "CNI" })
	if i < 0 {
		i = len(body)
	}
	h := readHead(body[:i])
	number := r.bgm(h)
	base := map[string]any{}
	for _, pt := range h.parties {
		pt.keepID(base)
		pt.keepName(base)
	}
	_, cnis, _ := split(body[i:], "CNI")
	type status struct{ cni, sts []seg }
	var all []status
	for _, g := range cnis {
		cniHead, stss, _ := split(g, "STS")
		if len(stss) == 0 {
			r.p.At(g[0], 0, 0, CodeMissingSegment, "consignment has no STS (status)")
		}
		for _, st := range stss {
			all = append(all, status{cniHead, st})
		}
	}
	if len(cnis) == 0 {
		r.missing("CNI", "the consignment")
	}
	var docs []Doc
	for n, st := range all {
		id := number
		if len(all) > 1 {
			id = fmt.Sprintf("%s-%d", number, n+1)
		}
		docs = append(docs, Doc{Doctype: "tracking_event", Body: r.trackingEvent(id, st.cni, st.sts, base), Pos: st.sts[0].Pos})
	}
	return docs
}

// trackingEvent maps one STS group and the CNI group it is in.
func (r *reader) trackingEvent(id string, cni, sts []seg, base map[string]any) map[string]any {
	doc, ext := map[string]any{"external_id": id}, map[string]any{}
	for k, v := range base {
		ext[k] = v
	}
	c, st := byTag(cni[1:]), byTag(sts[1:])
	cniRefs, stsRefs := c["RFF"], st["RFF"]
	shipment := cni[0].Component(2, 1)
	if aak := refsOf(cniRefs, "AAK"); len(aak) > 0 {
		shipment = aak[0]
	}
	if shipment == "" {
		r.p.At(cni[0], 2, 1, CodeMissingElement, "consignment has no shipment number (CNI C503 1004 or RFF AAK)")
	}
	set(doc, "shipment_external_id", shipment)
	for _, q := range r.c.TrackingRefQualifiers {
		if t := refsOf(append(slices.Clone(stsRefs), cniRefs...), q); len(t) > 0 {
			doc["tracking_number"] = t[0]
			break
		}
	}
	s := sts[0]
	code := s.Component(2, 1)
	set(doc, "carrier_status_code", code)
	status, ok := r.c.trackingStatus(code)
	switch {
	case code == "":
		r.p.At(s, 2, 1, CodeMissingElement, "STS has no status code (4405)")
	case !ok:
		r.p.At(s, 2, 1, CodeBadValue, "status code %q is not in the status table; map it in status_codes", code)
	}
	set(doc, "status", status)
	desc := s.Component(2, 4)
	if desc == "" {
		desc = note(st["FTX"])
	}
	set(doc, "description", desc)
	set(ext, "edifact.status_reason_code", s.Component(3, 1))
	set(ext, "edifact.status_reason", s.Component(3, 4))
	dtms := append(slices.Clone(st["DTM"]), c["DTM"]...)
	at := r.instant(dtms, r.c.EventDateQualifiers)
	if _, found := pick(dtms, r.c.EventDateQualifiers); !found {
		r.p.At(s, 0, 0, CodeMissingSegment, "status has no DTM %v (when it happened)", r.c.EventDateQualifiers)
	}
	set(doc, "occurred_at", at)
	set(doc, "estimated_delivery", r.date(dtms, r.c.DeliveryDateQualifiers, false))
	if locs := append(slices.Clone(st["LOC"]), c["LOC"]...); len(locs) > 0 {
		l := locs[0]
		loc := map[string]any{}
		set(loc, "description", l.Component(2, 4))
		set(loc, "city", l.Component(3, 4))
		if len(loc) > 0 {
			doc["location"] = loc
		}
		set(ext, "edifact.location_code", l.Component(2, 1))
		set(ext, "edifact.location_qualifier", l.Value(1))
	}
	if len(ext) > 0 {
		doc["extensions"] = ext
	}
	return doc
}

// byTag sorts segments by tag.
func byTag(segs []seg) map[string][]seg {
	m := map[string][]seg{}
	for _, s := range segs {
		m[s.Tag] = append(m[s.Tag], s)
	}
	return m
}

// iftsta writes a tracking_event as an EANCOM IFTSTA with one CNI and one
// STS. The status code is carrier_status_code when the table maps it to
// the event's status, else the partner's code for the status
// (StatusCodes), else the built-in one.
func (w *writer) iftsta(b map[string]any) {
	ext := extensions(b)
	w.add("BGM", "23", w.need(b, "external_id", ""), "9")
	w.parties(ext, []string{"CA", "CZ", "CN"}, nil)
	w.add("CNI", "1", comp(w.need(b, "shipment_external_id", "")))
	status := w.need(b, "status", "")
	code := str(b, "carrier_status_code")
	if st, _ := w.c.trackingStatus(code); code == "" || st != status {
		var found bool
		if code, found = edimap.CodeFor(w.c.StatusCodes, status); !found {
			if code, found = statusCodes[status]; !found && status != "" {
				w.p.Add("/status", "no IFTSTA status code is known for %q; map the partner's code in status_codes", status)
			}
		}
	}
	desc := str(b, "description")
	short := desc
	if utf8.RuneCountInString(desc) > 35 {
		short = ""
	}
	w.add("STS", "1", comp(code, "", "", short), comp(str(ext, "edifact.status_reason_code"), "", "", str(ext, "edifact.status_reason")))
	if t := str(b, "tracking_number"); t != "" {
		w.add("RFF", comp(w.c.TrackingRefQualifiers[0], t))
	}
	w.dtmInstant(w.c.EventDateQualifiers[0], w.need(b, "occurred_at", ""), "/occurred_at")
	w.dtmDate(w.c.DeliveryDateQualifiers[0], str(b, "estimated_delivery"), "/estimated_delivery")
	if short == "" {
		w.ftx(w.c.NoteQualifier, desc)
	}
	loc := obj(b, "location")
	if lc := str(ext, "edifact.location_code"); loc != nil || lc != "" {
		q := str(ext, "edifact.location_qualifier")
		if q == "" {
			q = "ZZZ"
		}
		w.add("LOC", q, comp(lc, "", "", str(loc, "description")), comp("", "", "", str(loc, "city")))
	}
}

// trackingStatus maps an STS code: the partner's table, then the built-in
// one.
func (c *config) trackingStatus(code string) (string, bool) {
	return edimap.Lookup(code, c.StatusCodes, trackingStatuses)
}
