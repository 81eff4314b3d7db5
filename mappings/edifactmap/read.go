package edifactmap

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap"
)

type seg = connectors.EDISegment

// reader maps one message: the resolved options, the message's UNH (for
// missing-segment errors) and the problems found so far.
type reader struct {
	c   *config
	unh seg
	p   edimap.Problems
}

// missing reports that segment tag (what carries what) is absent from the
// message.
func (r *reader) missing(tag, what string) { r.p.Missing(r.unh, "message", tag, what) }

// text returns element el's components joined without a separator: FTX
// C108 and IMD 7008 are one text continued over several components.
func text(s seg, el int, from, to int) string {
	var b strings.Builder
	for j := from; j <= to; j++ {
		b.WriteString(s.Component(el, j))
	}
	return b.String()
}

// decimal reads component comp of element el as a decimal; "" and false
// when it is empty, and a bad_value problem when it is not a number.
func (r *reader) decimal(s seg, el, comp int, what string) (string, bool) {
	raw := s.Component(el, comp)
	if strings.TrimSpace(raw) == "" {
		return "", false
	}
	v, ok := edimap.ParseDecimal(raw, edimap.PointOrComma)
	if !ok {
		r.p.At(s, el, comp, CodeBadValue, "%s %q is not a number", what, raw)
	}
	return v, ok
}

// unitOf maps component comp of element el to a canonical unit: the
// default unit when it is empty, an unknown_unit problem when it has no
// canonical unit.
func (r *reader) unitOf(s seg, el, comp int) string {
	code := s.Component(el, comp)
	if strings.TrimSpace(code) == "" {
		return r.c.DefaultUnit
	}
	u, ok := r.c.unit(code)
	if !ok {
		r.p.At(s, el, comp, CodeUnknownUnit, "unit %q has no canonical unit; map it in the partner's units", code)
	}
	return u
}

// dtmOf reads a DTM segment's C507; ok is false (with a problem) when the
// value is not a date in its format.
func (r *reader) dtmOf(s seg) (dtm, bool) {
	value := s.Component(1, 2)
	if value == "" {
		r.p.At(s, 1, 2, CodeMissingElement, "DTM %s has no date", s.Component(1, 1))
		return dtm{}, false
	}
	d, err := parseDTM(value, s.Component(1, 3), r.c.zone)
	if err != nil {
		r.p.At(s, 1, 2, CodeBadValue, "%v", err)
		return dtm{}, false
	}
	return d, true
}

// date returns the calendar date (YYYY-MM-DD) of the first DTM whose
// qualifier is in quals (in the order of quals); end picks a period's
// last day.
func (r *reader) date(dtms []seg, quals []string, end bool) string {
	s, ok := pick(dtms, quals)
	if !ok {
		return ""
	}
	d, ok := r.dtmOf(s)
	if !ok {
		return ""
	}
	if end {
		return d.end.Format(time.DateOnly)
	}
	return d.start.Format(time.DateOnly)
}

// instant returns the RFC 3339 instant of the first DTM whose qualifier is
// in quals; a date alone is midnight in the partner's zone.
func (r *reader) instant(dtms []seg, quals []string) string {
	s, ok := pick(dtms, quals)
	if !ok {
		return ""
	}
	d, ok := r.dtmOf(s)
	if !ok {
		return ""
	}
	return d.start.Format(time.RFC3339)
}

// pick returns the first segment whose first component (the qualifier)
// is quals[0], else quals[1], …
func pick(segs []seg, quals []string) (seg, bool) {
	for _, q := range quals {
		for _, s := range segs {
			if s.Component(1, 1) == q {
				return s, true
			}
		}
	}
	return seg{}, false
}

// party is a NAD group: the party's role, its id and the address and
// contact of the group's NAD, CTA and COM.
type party struct {
	nad             seg
	role            string // 3035: BY, SU, DP, IV, SF, ST, CA …
	id, agency      string // C082 3039 and 3055 (9 = GLN)
	name            string
	lines           []string
	city, region    string
	postal, country string
	contact, phone  string
	locs            []seg // the LOCs of the NAD's group
}

// readParty reads a NAD and the CTA/COM segments of its group.
func readParty(group []seg) party {
	n := group[0]
	pt := party{nad: n, role: n.Value(1), id: n.Component(2, 1), agency: n.Component(2, 3)}
	pt.name = joinNonEmpty(n.Repeats(4), 1, 5, " ")
	for j := 1; j <= 4; j++ {
		if l := n.Component(5, j); l != "" {
			pt.lines = append(pt.lines, l)
		}
	}
	if pt.name == "" && len(pt.lines) == 0 {
		// C058: the unstructured name and address, one line a component.
		for j := 1; j <= 5; j++ {
			l := n.Component(3, j)
			switch {
			case l == "":
			case pt.name == "":
				pt.name = l
			default:
				pt.lines = append(pt.lines, l)
			}
		}
	}
	pt.city, pt.postal, pt.country = n.Value(6), n.Value(8), n.Value(9)
	pt.region = n.Component(7, 1)
	if pt.region == "" {
		pt.region = n.Component(7, 2)
	}
	for _, s := range group[1:] {
		switch s.Tag {
		case "CTA":
			if pt.contact == "" {
				pt.contact = s.Component(2, 2)
			}
		case "COM":
			if pt.phone == "" && s.Component(1, 2) == "TE" {
				pt.phone = s.Component(1, 1)
			}
		case "LOC":
			pt.locs = append(pt.locs, s)
		}
	}
	return pt
}

// joinNonEmpty joins the non-empty components from..to of an element's
// first repetition.
func joinNonEmpty(el [][]string, from, to int, sep string) string {
	if len(el) == 0 {
		return ""
	}
	var out []string
	for j := from; j <= to && j <= len(el[0]); j++ {
		if v := strings.TrimSpace(el[0][j-1]); v != "" {
			out = append(out, el[0][j-1])
		}
	}
	return strings.Join(out, sep)
}

// address is the party's canonical address; nil when it has none.
func (pt party) address() map[string]any {
	a := map[string]any{}
	set(a, "name", pt.name)
	if len(pt.lines) > 0 {
		a["address_lines"] = toAny(pt.lines)
	}
	set(a, "city", pt.city)
	set(a, "region", pt.region)
	set(a, "postal_code", pt.postal)
	set(a, "country", pt.country)
	set(a, "contact", pt.contact)
	set(a, "phone", pt.phone)
	if len(a) == 0 {
		return nil
	}
	return a
}

// roleNames name the party roles in extension keys.
var roleNames = map[string]string{
	"BY": "buyer", "SU": "supplier", "DP": "delivery_party", "IV": "invoicee",
	"SF": "ship_from", "ST": "ship_to", "CA": "carrier", "GY": "inventory_reporter",
}

func roleName(role string) string {
	if n, ok := roleNames[role]; ok {
		return n
	}
	return "nad_" + strings.ToLower(role)
}

// keepID records the party's id in ext: "edifact.<role>_gln" for a GLN
// (agency 9), else "edifact.<role>_id" and its agency.
func (pt party) keepID(ext map[string]any) {
	if pt.id == "" {
		return
	}
	key := "edifact." + roleName(pt.role)
	if pt.agency == "9" {
		ext[key+"_gln"] = pt.id
		return
	}
	ext[key+"_id"] = pt.id
	if pt.agency != "" {
		ext[key+"_id_agency"] = pt.agency
	}
}

// keepName records the name of a party that has no canonical address
// field: "edifact.<role>_name".
func (pt party) keepName(ext map[string]any) {
	if pt.name != "" {
		ext["edifact."+roleName(pt.role)+"_name"] = pt.name
	}
}

// head is a message's header section, before its first detail group.
type head struct {
	bgm     *seg
	dtms    []seg // DTMs outside any segment group
	ftxs    []seg
	refs    []seg // RFFs of segment group 1 (before the parties)
	parties []party
	cux     *seg
	taxes   []seg
	tdts    []seg
	locs    []seg // LOCs outside any segment group
}

// partyGroup are the segments a NAD's group may hold.
var partyGroup = []string{"LOC", "FII", "RFF", "DTM", "DOC", "CTA", "COM"}

// readHead splits the header segments into what the mappings use; ctx is
// the trigger of the group a segment is in ("" outside any group).
func readHead(segs []seg) head {
	var h head
	ctx := ""
	for i := 0; i < len(segs); i++ {
		s := segs[i]
		switch s.Tag {
		case "BGM":
			if h.bgm == nil {
				h.bgm = &segs[i]
			}
		case "DTM":
			if ctx == "" {
				h.dtms = append(h.dtms, s)
			}
		case "FTX":
			h.ftxs = append(h.ftxs, s)
		case "RFF":
			if ctx == "" || ctx == "RFF" {
				h.refs = append(h.refs, s)
				ctx = "RFF"
			}
		case "NAD":
			j := i + 1
			for j < len(segs) && slices.Contains(partyGroup, segs[j].Tag) {
				j++
			}
			h.parties = append(h.parties, readParty(segs[i:j]))
			i, ctx = j-1, "NAD"
		case "CUX":
			if h.cux == nil {
				h.cux = &segs[i]
			}
			ctx = "CUX"
		case "TAX":
			h.taxes = append(h.taxes, s)
			ctx = "TAX"
		case "TDT":
			h.tdts = append(h.tdts, s)
			ctx = "TDT"
		case "LOC":
			if ctx == "" || ctx == "LOC" {
				h.locs = append(h.locs, s)
				ctx = "LOC"
			}
		case "UNH", "UNT", "ALI", "IMD", "PAI", "MEA", "MOA", "GIS":
		default:
			ctx = s.Tag
		}
	}
	return h
}

// note joins the texts of the FTXs whose subject (4451) is not one of
// skip, one FTX a line.
func note(ftxs []seg, skip ...string) string {
	var lines []string
	for _, f := range ftxs {
		if !slices.Contains(skip, f.Value(1)) {
			lines = append(lines, text(f, 4, 1, 5))
		}
	}
	return strings.Join(lines, "\n")
}

// ftxOf returns the text of the FTXs with subject q.
func ftxOf(ftxs []seg, q string) string {
	var lines []string
	for _, f := range ftxs {
		if f.Value(1) == q {
			lines = append(lines, text(f, 4, 1, 5))
		}
	}
	return strings.Join(lines, "\n")
}

// refsOf returns the numbers (1154) of the RFFs qualified q, in order,
// without repeats.
func refsOf(refs []seg, quals ...string) []string {
	var out []string
	for _, f := range refs {
		if slices.Contains(quals, f.Component(1, 1)) {
			if v := f.Component(1, 2); v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// bgm checks that the message has a BGM with a document number and
// returns the number.
func (r *reader) bgm(h head) string {
	if h.bgm == nil {
		r.missing("BGM", "beginning of message")
		return ""
	}
	n := h.bgm.Component(2, 1)
	if n == "" {
		r.p.At(*h.bgm, 2, 1, CodeMissingElement, "BGM has no document number (1004)")
	}
	return n
}

// lineNo reads LIN 1082 as a line number; ordinal (1-based) when it is
// empty.
func (r *reader) lineNo(lin seg, ordinal int) int {
	v := lin.Value(1)
	if v == "" {
		return ordinal
	}
	n, err := strconv.Atoi(strings.TrimLeft(v, "0"))
	if err != nil || n < 1 {
		r.p.At(lin, 1, 1, CodeBadValue, "line number %q is not a whole number of 1 or more", v)
		return ordinal
	}
	return n
}

// checkCount compares CNT 2 (number of line items), if present, with
// lines.
func (r *reader) checkCount(tail []seg, lines int) {
	for _, s := range tail {
		if s.Tag != "CNT" || s.Component(1, 1) != "2" {
			continue
		}
		if n, err := strconv.Atoi(s.Component(1, 2)); err != nil || n != lines {
			r.p.At(s, 1, 2, CodeCountMismatch, "CNT says %q line items, the message has %d", s.Component(1, 2), lines)
		}
	}
}

// split cuts a message body into its header (before the first segment
// tagged start), the groups that begin with start, and the summary
// (from UNS on).
func split(body []seg, start string) (hd []seg, groups [][]seg, tail []seg) {
	i := 0
	for i < len(body) && body[i].Tag != start && body[i].Tag != "UNS" {
		i++
	}
	hd = body[:i]
	for i < len(body) && body[i].Tag != "UNS" {
		j := i + 1
		for j < len(body) && body[j].Tag != start && body[j].Tag != "UNS" {
			j++
		}
		groups = append(groups, body[i:j])
		i = j
	}
	return hd, groups, body[i:]
}

func set(m map[string]any, key, v string) {
	if v != "" {
		m[key] = v
	}
}

func toAny[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
