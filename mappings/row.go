package mappings

import (
	"fmt"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/schemas"
)

// Record is one data row mapped: a price-list line, or a whole product or
// stock_level document. A record with Errors is rejected; Value then holds
// what could be read.
type Record struct {
	Location Location       `json:"location"`
	Value    map[string]any `json:"value"`
	Errors   []FieldError   `json:"errors,omitempty"`
}

// outcome is a worker's result for one row.
type outcome struct {
	rec      Record
	skip     bool
	currency string // price_list: the currency column's value
	symbol   string // price_list: the currency the price cell's symbol implies
	priceCol bound
	currCol  bound
}

// rowMapper maps rows of one sheet with one layout.
type rowMapper struct {
	p   *plan
	l   *layout
	reg *schemas.Registry
	opt *Options
}

func (rm *rowMapper) cell(r connectors.Row, col int) connectors.Cell {
	if col < 0 || col >= len(r.Cells) {
		return connectors.Cell{}
	}
	return r.Cells[col]
}

// skip reports whether a row is empty (in every bound column), a total
// row, or the header row repeated.
func (rm *rowMapper) skip(r connectors.Row) bool {
	empty, repeat, bound := true, true, 0
	for _, b := range rm.l.fields {
		if b.col < 0 {
			continue
		}
		bound++
		v := Trim(rm.cell(r, b.col).Value)
		if v != "" {
			empty = false
		}
		if b.col >= len(rm.l.header) || v != Trim(rm.l.header[b.col]) {
			repeat = false
		}
	}
	if empty || (repeat && bound > 0 && rm.l.headerRow > 0) {
		return true
	}
	first := true
	for _, c := range r.Cells {
		v := Trim(c.Value)
		if v == "" {
			continue
		}
		for _, w := range rm.p.skipAny {
			if strings.HasPrefix(v, w) {
				return true
			}
		}
		if first {
			for _, w := range rm.p.skipFirst {
				if strings.HasPrefix(v, w) {
					return true
				}
			}
			first = false
		}
	}
	return false
}

// read fills one field from its column, constant or default.
func (rm *rowMapper) read(r connectors.Row, b bound, errs *[]FieldError) (string, bool) {
	if b.constant != nil {
		return *b.constant, true
	}
	c := rm.cell(r, b.col)
	v, t := c.Value, c.Type
	if Trim(v) == "" {
		if !b.hasDef {
			return "", false
		}
		v, t = b.def, connectors.CellText
	}
	if c.Type == connectors.CellError {
		*errs = append(*errs, rm.fieldError(r, b, c.Value, "the cell holds the formula error "+c.Value))
		return "", false
	}
	out, err := b.clean(v, t)
	if err != nil {
		*errs = append(*errs, rm.fieldError(r, b, c.Value, err.Error()))
		return "", false
	}
	return out, true
}

func (rm *rowMapper) fieldError(r connectors.Row, b bound, value, reason string) FieldError {
	e := FieldError{Sheet: r.Sheet, Row: r.Number, Field: b.field, Header: b.header, Value: value, Reason: reason}
	if b.col >= 0 {
		e.Column = connectors.ColumnLetter(b.col)
	}
	return e
}

// mapRow turns one data row into an outcome.
func (rm *rowMapper) mapRow(r connectors.Row) outcome {
	if rm.skip(r) {
		return outcome{skip: true}
	}
	o := outcome{rec: Record{Location: Location{Sheet: r.Sheet, Row: r.Number}}}
	var errs []FieldError
	v := make(map[string]any, len(rm.l.fields)+4)
	for _, b := range rm.l.fields {
		s, ok := rm.read(r, b, &errs)
		if !ok {
			continue
		}
		switch {
		case b.field == "currency" && rm.p.m.DocType == "price_list":
			o.currency, o.currCol = s, b
		case b.field == "tax_included" && rm.p.m.DocType == "price_list":
			if s != "true" && s != "false" {
				errs = append(errs, rm.fieldError(r, b, rm.cellValue(r, &b), fmt.Sprintf("tax_included reads as %q, not true or false: end its transforms with boolean", s)))
				continue
			}
			v[b.field] = s == "true"
		default:
			v[b.field] = s
		}
		if b.field == "unit_price" && b.col >= 0 {
			o.symbol, o.priceCol = currencyOf(rm.cell(r, b.col).Value), b
		}
	}
	var tiers []any
	for _, t := range rm.l.tiers {
		q, okq := rm.read(r, t[0], &errs)
		pr, okp := rm.read(r, t[1], &errs)
		if okq || okp {
			tier := map[string]any{}
			if okq {
				tier["min_quantity"] = q
			}
			if okp {
				tier["unit_price"] = pr
			}
			tiers = append(tiers, tier)
		}
	}
	if len(tiers) > 0 {
		v["tiers"] = tiers
	}
	if rm.p.m.DocType == "price_list" {
		rm.applyTax(r, v, &errs)
	}
	var vs []schemas.Violation
	if rm.p.m.DocType == "price_list" {
		vs = rm.reg.ValidatePriceLine(v)
	} else {
		rm.fillDocument(r, v)
		vs = rm.reg.Validate(rm.p.m.DocType, v)
	}
	for _, viol := range vs {
		errs = append(errs, rm.violation(r, v, viol.Pointer, viol.Reason))
	}
	o.rec.Value, o.rec.Errors = v, dedupe(errs)
	return o
}

// fillDocument completes a product or stock_level document with the
// mapping's constants, the sender and the defaults.
func (rm *rowMapper) fillDocument(r connectors.Row, v map[string]any) {
	get := func(name string) (string, bool) {
		switch name {
		case "partner":
			return rm.opt.Partner, true
		case "file":
			return rm.opt.File, true
		case "sheet":
			return r.Sheet, true
		case "today":
			return rm.opt.Now.Format(time.DateOnly), true
		}
		s, ok := v[name].(string)
		return s, ok
	}
	for _, k := range sortedKeys(rm.p.m.Document) {
		if _, set := v[k]; !set {
			v[k] = expand(rm.p.m.Document[k], get)
		}
	}
	if rm.opt.Partner != "" {
		v["sender"] = rm.opt.Partner
	}
	if _, ok := v["external_id"]; !ok {
		switch rm.p.m.DocType {
		case "product":
			if s, ok := v["sku"]; ok {
				v["external_id"] = s
			}
		case "stock_level":
			loc, okl := v["location"].(string)
			sku, oks := v["sku"].(string)
			if okl && oks {
				v["external_id"] = loc + ":" + sku
			}
		}
	}
	if _, ok := v["as_of"]; !ok && rm.p.m.DocType == "stock_level" {
		v["as_of"] = rm.opt.Now.Format(time.RFC3339)
	}
}

// expand replaces {name} placeholders by get(name); unknown ones stay.
func expand(tmpl string, get func(string) (string, bool)) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		j := strings.IndexByte(tmpl[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j += i
		b.WriteString(tmpl[:i])
		if s, ok := get(tmpl[i+1 : j]); ok {
			b.WriteString(s)
		} else {
			b.WriteString(tmpl[i : j+1])
		}
		tmpl = tmpl[j+1:]
	}
}

// violation locates a schema violation at ptr (relative to the record) on
// the column its field came from.
func (rm *rowMapper) violation(r connectors.Row, v map[string]any, ptr, reason string) FieldError {
	toks := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	field := toks[0]
	var b *bound
	if field == "tiers" && len(toks) >= 3 {
		var i int
		for _, c := range toks[1] {
			i = i*10 + int(c-'0')
		}
		if i < len(rm.l.tiers) {
			k := 0
			if toks[2] == "unit_price" {
				k = 1
			}
			b = &rm.l.tiers[i][k]
		}
	} else {
		for i := range rm.l.fields {
			if rm.l.fields[i].field == field {
				b = &rm.l.fields[i]
			}
		}
	}
	if b == nil {
		return FieldError{Sheet: r.Sheet, Row: r.Number, Field: field, Reason: reason}
	}
	val := rm.cell(r, b.col).Value
	if b.col < 0 {
		val = ""
	}
	e := rm.fieldError(r, *b, val, reason)
	if _, has := v[field]; !has && b.col < 0 && len(b.synonyms) > 0 {
		e.Reason += " (no column named " + strings.Join(b.synonyms, ", ") + ")"
	}
	return e
}

// dedupe drops a schema violation for a field that already has a
// transform error (the field is missing because it could not be read).
func dedupe(errs []FieldError) []FieldError {
	if len(errs) < 2 {
		return errs
	}
	out := errs[:0]
	seen := map[string]bool{}
	for _, e := range errs {
		if e.Field != "" && seen[e.Field] && strings.HasPrefix(e.Reason, "required property") {
			continue
		}
		seen[e.Field] = true
		out = append(out, e)
	}
	return out
}
