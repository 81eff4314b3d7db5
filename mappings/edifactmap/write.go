package edifactmap

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// writer builds one message body from a canonical document and collects
// the document's problems.
type writer struct {
	c    *config
	segs []connectors.EDISegment
	p    edimap.BodyProblems
}

// add appends a segment; trailing empty elements are left out, and each
// value's trailing empty components (see comp).
func (w *writer) add(tag string, values ...string) {
	for len(values) > 0 && values[len(values)-1] == "" {
		values = values[:len(values)-1]
	}
	w.segs = append(w.segs, connectors.Seg(tag, values...))
}

// comp joins components, leaving out the trailing empty ones.
func comp(components ...string) string {
	for len(components) > 0 && components[len(components)-1] == "" {
		components = components[:len(components)-1]
	}
	return connectors.Comp(components...)
}

// chunks cuts s into pieces of at most n characters (not bytes: UNOY
// Chinese text counts characters).
func chunks(s string, n int) []string {
	var out []string
	for s != "" {
		if utf8.RuneCountInString(s) <= n {
			return append(out, s)
		}
		i, count := 0, 0
		for i < len(s) && count < n {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			count++
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}

// ftx writes text as FTX segments of subject q: one FTX a line of text,
// each line in components of 70 characters, five to an FTX.
func (w *writer) ftx(q, text string) {
	if text == "" {
		return
	}
	for _, line := range strings.Split(text, "\n") {
		parts := chunks(line, 70)
		if len(parts) == 0 {
			parts = []string{""}
		}
		for len(parts) > 0 {
			n := min(5, len(parts))
			w.add("FTX", q, "", "", comp(parts[:n]...))
			parts = parts[n:]
		}
	}
}

// imd writes a description as IMD+F segments, two 35-character 7008
// components each.
func (w *writer) imd(desc string) {
	parts := chunks(desc, 35)
	for len(parts) > 0 {
		n := min(2, len(parts))
		w.add("IMD", "F", "", comp(append([]string{"", "", ""}, parts[:n]...)...))
		parts = parts[n:]
	}
}

// dtmDate writes DTM q with a canonical date (format 102).
func (w *writer) dtmDate(q, date, ptr string) {
	if date == "" {
		return
	}
	v, ok := edimap.FormatDate(date)
	if !ok {
		w.p.Add(ptr, "%q is not a date YYYY-MM-DD", date)
		return
	}
	w.add("DTM", comp(q, v, "102"))
}

// dtmInstant writes DTM q with a canonical instant in the partner's zone
// (format 203, or 204 with seconds).
func (w *writer) dtmInstant(q, instant, ptr string) {
	if instant == "" {
		return
	}
	v, f, ok := canonicalInstant(instant, w.c.zone)
	if !ok {
		w.p.Add(ptr, "%q is not an RFC 3339 date-time", instant)
		return
	}
	w.add("DTM", comp(q, v, f))
}

// num returns a canonical decimal as written to the partner, checked.
func (w *writer) num(v, ptr string) string {
	if v == "" {
		return ""
	}
	n, ok := edimap.ParseDecimal(v, edimap.PointMark)
	if !ok {
		w.p.Add(ptr, "%q is not a decimal", v)
		return ""
	}
	if w.c.DecimalComma {
		n = strings.Replace(n, ".", ",", 1)
	}
	return n
}

// unitCode is the 6411 written for a canonical unit: empty for the
// default unit.
func (w *writer) unitCode(u string) string {
	if u == w.c.DefaultUnit {
		return ""
	}
	return u
}

// qty writes QTY q with a quantity and its unit.
func (w *writer) qty(q, quantity, unit, ptr string) {
	if quantity == "" {
		return
	}
	w.add("QTY", comp(q, w.num(quantity, ptr), w.unitCode(unit)))
}

// itemIDs writes the LIN and PIA of a line: LIN with the GTIN, PIA 5 with
// the supplier's article number (unless it is the GTIN) and PIA 1 with
// the buyer's item number.
func (w *writer) itemIDs(lineNo, action, sku, gtin, buyerSKU string) {
	lin := ""
	if gtin != "" {
		lin = comp(gtin, w.c.GTINQualifiers[0])
	}
	w.add("LIN", lineNo, action, lin)
	if sku != "" && sku != gtin {
		w.add("PIA", "5", comp(sku, w.c.SKUQualifiers[0]))
	}
	if buyerSKU != "" {
		w.add("PIA", "1", comp(buyerSKU, w.c.BuyerSKUQualifiers[0]))
	}
}

// parties writes a NAD for each party role kept in the extensions
// ("edifact.<role>_gln", "_id", "_name"), in the order of roles, and for
// each address given: addrs maps a role to its canonical address.
func (w *writer) parties(ext map[string]any, roles []string, addrs map[string]map[string]any) {
	for _, role := range roles {
		key := "edifact." + roleName(role)
		id, agency := str(ext, key+"_gln"), "9"
		if id == "" {
			id, agency = str(ext, key+"_id"), str(ext, key+"_id_agency")
		}
		a := addrs[role]
		if a == nil && id == "" && str(ext, key+"_name") == "" {
			continue
		}
		if a == nil {
			a = map[string]any{"name": str(ext, key+"_name")}
		}
		w.nad(role, id, agency, a)
	}
}

// nad writes a NAD with a party id and a canonical address, and a CTA and
// COM for its contact and phone.
func (w *writer) nad(role, id, agency string, a map[string]any) {
	idc := ""
	if id != "" {
		idc = comp(id, "", agency)
	}
	lines := edimap.Strings(a["address_lines"])
	if len(lines) > 4 {
		lines = append(lines[:3:3], strings.Join(lines[3:], ", "))
	}
	w.add("NAD", role, idc, "", comp(str(a, "name")), comp(lines...),
		str(a, "city"), str(a, "region"), str(a, "postal_code"), str(a, "country"))
	if c := str(a, "contact"); c != "" {
		w.add("CTA", "IC", comp("", c))
	}
	if ph := str(a, "phone"); ph != "" {
		w.add("COM", comp(ph, "TE"))
	}
}

// cux writes the currency as the reference currency (6347 2) of use q.
func (w *writer) cux(currency, q string) {
	if currency != "" {
		w.add("CUX", comp("2", currency, q))
	}
}

// str returns m[key] when it is a string.
func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// obj returns m[key] when it is an object.
func obj(m map[string]any, key string) map[string]any {
	o, _ := m[key].(map[string]any)
	return o
}

// objs returns the objects in the array m[key].
func objs(m map[string]any, key string) []map[string]any {
	var out []map[string]any
	switch v := m[key].(type) {
	case []any:
		for _, x := range v {
			if o, ok := x.(map[string]any); ok {
				out = append(out, o)
			}
		}
	case []map[string]any:
		out = v
	}
	return out
}

// intStr returns a whole number (as JSON decoders give it) as a string;
// "" when absent or not whole.
func intStr(v any) string {
	switch n := v.(type) {
	case int:
		return strconv.Itoa(n)
	case int64:
		return strconv.FormatInt(n, 10)
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1e15 {
			return strconv.FormatInt(int64(n), 10)
		}
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return strconv.FormatInt(i, 10)
		}
	}
	return ""
}

// need returns the string field key of m, and records a problem when it
// is missing.
func (w *writer) need(m map[string]any, key, ptr string) string {
	v := str(m, key)
	if v == "" {
		w.p.Add(ptr+"/"+key, "is required")
	}
	return v
}

// extensions returns the document's extensions.
func extensions(body map[string]any) map[string]any {
	if e := obj(body, "extensions"); e != nil {
		return e
	}
	return map[string]any{}
}

// lineKey is the extension key of a per-line fact: "edifact.line.<n>.<name>".
func lineKey(n any, name string) string { return fmt.Sprintf("edifact.line.%v.%s", n, name) }

// summary writes UNS and CNT 2 (number of line items).
func (w *writer) summary(lines int) {
	w.add("UNS", "S")
	w.add("CNT", comp("2", strconv.Itoa(lines)))
}
