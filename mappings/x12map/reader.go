package x12map

import (
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// reader maps one transaction set; it collects every problem in p.
type reader struct {
	o    Options
	zone zone
	st   connectors.EDISegment
	segs []connectors.EDISegment
	p    edimap.Problems
}

// doc is a canonical document being built.
type doc struct {
	body    map[string]any
	ext     map[string]any
	skuFrom []string
}

func newDoc() *doc { return &doc{body: map[string]any{}, ext: map[string]any{}} }

// set stores a non-empty value.
func set(m map[string]any, key, v string) {
	if v != "" {
		m[key] = v
	}
}

// setExt stores a non-empty extension; a second value for the same key
// is appended after a comma.
func (d *doc) setExt(key, v string) {
	if v == "" {
		return
	}
	if old, ok := d.ext[key].(string); ok && old != "" && old != v {
		v = old + "," + v
	}
	d.ext[key] = v
}

// noteSKUFrom records that a line's sku came from a fallback qualifier.
func (d *doc) noteSKUFrom(q string) {
	if q != "" && !slices.Contains(d.skuFrom, q) {
		d.skuFrom = append(d.skuFrom, q)
	}
}

// finish puts the extensions into the body and returns it.
func (d *doc) finish() map[string]any {
	if len(d.skuFrom) > 0 {
		d.ext["x12.sku_from"] = strings.Join(d.skuFrom, ",")
	}
	if len(d.ext) > 0 {
		d.body["extensions"] = d.ext
	}
	return d.body
}

// text returns element el of s, trimmed of padding spaces.
func text(s connectors.EDISegment, el int) string { return strings.TrimSpace(s.Value(el)) }

// decimal reads element el as a decimal; "" when empty. what names the
// value in the error.
func (r *reader) decimal(s connectors.EDISegment, el int, what string) string {
	v := text(s, el)
	if v == "" {
		return ""
	}
	d, ok := edimap.ParseDecimal(v, edimap.PointMark)
	if !ok {
		r.p.At(s, el, 0, CodeBadValue, "%s %q is not a number", what, v)
		return ""
	}
	return d
}

// nonNegative reads a decimal that must not be below zero.
func (r *reader) nonNegative(s connectors.EDISegment, el int, what string) string {
	d := r.decimal(s, el, what)
	if strings.HasPrefix(d, "-") {
		r.p.At(s, el, 0, CodeBadValue, "%s %s is negative", what, d)
		return ""
	}
	return d
}

// quantity reads a mandatory quantity above zero.
func (r *reader) quantity(s connectors.EDISegment, el int, what string) string {
	if text(s, el) == "" {
		r.p.At(s, el, 0, CodeMissingElement, "%s is missing", what)
		return ""
	}
	d := r.decimal(s, el, what)
	if d != "" && !isPositive(d) {
		r.p.At(s, el, 0, CodeBadValue, "%s %s is not above zero", what, d)
		return ""
	}
	return d
}

// date reads element el as a date; "" when empty.
func (r *reader) date(s connectors.EDISegment, el int) string {
	v := text(s, el)
	if v == "" {
		return ""
	}
	d, ok := parseDate(v)
	if !ok {
		r.p.At(s, el, 0, CodeBadValue, "date %q is not a calendar date written CCYYMMDD or YYMMDD", v)
	}
	return d
}

// instant reads a date, time and time code (elements de, te, ce; ce 0
// when the segment has no code) as an RFC 3339 date-time.
func (r *reader) instant(s connectors.EDISegment, de, te, ce int) string {
	code := ""
	if ce > 0 {
		code = text(s, ce)
	}
	v, why := instant(text(s, de), text(s, te), code, r.zone)
	if why != "" {
		el := de
		switch {
		case strings.HasPrefix(why, "time zone "):
			el = ce
		case strings.HasPrefix(why, "time "):
			el = te
		}
		r.p.At(s, el, 0, CodeBadValue, "%s", why)
	}
	return v
}

// unit reads the unit code in element el (component comp) as a
// canonical unit; a missing or unknown code is an error when required.
func (r *reader) unit(s connectors.EDISegment, el, comp int, required bool) string {
	code := strings.TrimSpace(s.Component(el, comp))
	if code == "" {
		if required {
			r.p.At(s, el, compOf(comp), CodeMissingElement, "unit of measure is missing")
		}
		return ""
	}
	u, ok := r.o.unitOf(code)
	if !ok {
		r.p.At(s, el, compOf(comp), CodeUnknownUnit, "unit %q has no canonical unit (add it to the partner's units)", code)
	}
	return u
}

// compOf reports component 1 as 0: a simple element has no component.
func compOf(c int) int {
	if c == 1 {
		return 0
	}
	return c
}

// lineNo reads an assigned identification (PO101, LIN01) as a line
// number; 0 when it is not a positive whole number.
func lineNo(v string) int {
	v = strings.TrimSpace(v)
	if !edimap.Digits(v) || len(v) > 9 {
		return 0
	}
	return atoi(v)
}

// dtm reads a DTM's qualifier and date.
func (r *reader) dtm(s connectors.EDISegment) (qual, date string) {
	return text(s, 1), r.date(s, 2)
}

// require reports a missing segment when seen is false.
func (r *reader) require(seen bool, tag, what string) {
	if !seen {
		r.missing(tag, what)
	}
}

// missing reports that segment tag (what carries what) is absent from the
// set.
func (r *reader) missing(tag, what string) { r.p.Missing(r.st, "set", tag, what) }
