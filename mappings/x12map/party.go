package x12map

import (
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// party is an N1 loop: N1 with its N2, N3, N4, PER and REF segments.
type party struct {
	n1      connectors.EDISegment
	entity  string
	name    string
	idQual  string
	id      string
	address map[string]any
	refs    [][2]string
}

// partyLoop tags are the segments of an N1 loop after its N1.
var partyLoop = []string{"N2", "N3", "N4", "PER", "REF"}

// party reads the N1 loop starting at segs[i]; next is the index after it.
func (r *reader) party(segs []connectors.EDISegment, i int) (pt party, next int) {
	n1 := segs[i]
	pt = party{n1: n1, entity: text(n1, 1), name: text(n1, 2), address: map[string]any{}}
	if q, id := text(n1, 3), text(n1, 4); q != "" && id != "" {
		pt.idQual, pt.id = q, id
	}
	names := []string{pt.name}
	var lines []any
	for next = i + 1; next < len(segs) && slices.Contains(partyLoop, segs[next].Tag); next++ {
		s := segs[next]
		switch s.Tag {
		case "N2":
			names = append(names, text(s, 1), text(s, 2))
		case "N3":
			for _, v := range []string{text(s, 1), text(s, 2)} {
				if v != "" {
					lines = append(lines, v)
				}
			}
		case "N4":
			set(pt.address, "city", text(s, 1))
			set(pt.address, "region", text(s, 2))
			set(pt.address, "postal_code", text(s, 3))
			set(pt.address, "country", r.country(s, 4))
		case "PER":
			set(pt.address, "contact", text(s, 2))
			set(pt.address, "phone", perNumber(s, "TE"))
		case "REF":
			pt.refs = append(pt.refs, [2]string{text(s, 1), refValue(s)})
		}
	}
	set(pt.address, "name", joinNonEmpty(names, " "))
	if len(lines) > 0 {
		pt.address["address_lines"] = lines
	}
	return pt, next
}

// alpha3 maps the ISO 3166 alpha-3 codes US partners often write in N404
// to alpha-2.
var alpha3 = map[string]string{
	"USA": "US", "CAN": "CA", "MEX": "MX", "CHN": "CN", "GBR": "GB", "DEU": "DE",
	"FRA": "FR", "JPN": "JP", "KOR": "KR", "TWN": "TW", "HKG": "HK", "VNM": "VN",
}

// country reads an N4 country code as ISO 3166-1 alpha-2.
func (r *reader) country(s connectors.EDISegment, el int) string {
	v := strings.ToUpper(text(s, el))
	if v == "" {
		return ""
	}
	if a2, ok := alpha3[v]; ok {
		return a2
	}
	if len(v) != 2 || !isCode(v, 2) {
		r.p.At(s, el, 0, CodeBadValue, "country %q is not an ISO 3166 country code", v)
		return ""
	}
	return v
}

// perNumber returns the communication number of type q (TE, EM, FX) of a
// PER segment.
func perNumber(s connectors.EDISegment, q string) string {
	for el := 3; el+1 <= len(s.Elements); el += 2 {
		if text(s, el) == q {
			return text(s, el+1)
		}
	}
	return ""
}

// refValue is REF02, else REF03 (the description).
func refValue(s connectors.EDISegment) string {
	if v := text(s, 2); v != "" {
		return v
	}
	return text(s, 3)
}

func joinNonEmpty(vs []string, sep string) string {
	out := vs[:0:0]
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return strings.Join(out, sep)
}

// roles names the N1 entity codes in extension keys.
var roles = map[string]string{
	"ST": "ship_to", "BT": "bill_to", "BY": "buyer", "SE": "seller", "SU": "supplier",
	"VN": "vendor", "SF": "ship_from", "RE": "remit_to", "SH": "shipper", "CN": "consignee",
	"CA": "carrier", "WH": "warehouse", "SN": "store", "RL": "reporting_location",
	"MA": "party_to_receive", "OB": "ordered_by", "Z7": "mark_for",
}

// roleEntities lists the entity codes of roles in a fixed order, for
// writing.
var roleEntities = []string{"BY", "SE", "SU", "VN", "RE", "SH", "CN", "CA", "WH", "SN", "RL", "MA", "OB", "Z7"}

func role(entity string) string {
	if r, ok := roles[entity]; ok {
		return r
	}
	return strings.ToLower(entity)
}

// keepIDs stores a party's id in the extensions: "x12.ship_to_id" and
// "x12.ship_to_id_qualifier", under prefix ("x12." or
// "x12.order.PO1.").
func (d *doc) keepIDs(prefix string, pt party) {
	if pt.id == "" {
		return
	}
	d.setExt(prefix+role(pt.entity)+"_id", pt.id)
	d.setExt(prefix+role(pt.entity)+"_id_qualifier", pt.idQual)
}

// keepParty stores a party that has no canonical field: its name and id.
func (d *doc) keepParty(prefix string, pt party) {
	d.setExt(prefix+role(pt.entity)+"_name", str(pt.address, "name"))
	d.keepIDs(prefix, pt)
	for _, ref := range pt.refs {
		d.setExt(prefix+role(pt.entity)+"_ref."+ref[0], ref[1])
	}
}

// partySegs writes an N1 loop for entity: N1 from the address's name and
// the "x12.<role>_id" extensions, N3 for the address lines (two a
// segment), N4, PER with the contact and phone.
func (w *writer) partySegs(entity string, addr map[string]any, ext map[string]any, prefix string) {
	r := role(entity)
	name := str(addr, "name")
	if name == "" {
		name = str(ext, prefix+r+"_name")
	}
	id, qual := str(ext, prefix+r+"_id"), str(ext, prefix+r+"_id_qualifier")
	if id != "" && qual == "" {
		qual = "92"
	}
	if id == "" {
		qual = ""
	}
	w.add("N1", entity, name, qual, id)
	lines := edimap.Strings(addr["address_lines"])
	for i := 0; i < len(lines); i += 2 {
		second := ""
		if i+1 < len(lines) {
			second = lines[i+1]
		}
		w.add("N3", lines[i], second)
	}
	if city, region, postal, country := str(addr, "city"), str(addr, "region"), str(addr, "postal_code"), str(addr, "country"); city+region+postal+country != "" {
		w.add("N4", city, region, postal, country)
	}
	if contact, phone := str(addr, "contact"), str(addr, "phone"); contact != "" || phone != "" {
		if phone != "" {
			w.add("PER", "IC", contact, "TE", phone)
		} else {
			w.add("PER", "IC", contact)
		}
	}
	for _, k := range w.extKeys(prefix + r + "_ref.") {
		w.add("REF", strings.TrimPrefix(k, prefix+r+"_ref."), str(ext, k))
	}
}

// extParties writes an N1 loop for every role with a name or id kept in
// the extensions under prefix, in roleEntities order, skipping entities
// in except.
func (w *writer) extParties(ext map[string]any, prefix string, except ...string) {
	if len(w.extKeys(prefix)) == 0 {
		return
	}
	for _, e := range roleEntities {
		if slices.Contains(except, e) {
			continue
		}
		r := role(e)
		if str(ext, prefix+r+"_name") != "" || str(ext, prefix+r+"_id") != "" {
			w.partySegs(e, nil, ext, prefix)
		}
	}
}
