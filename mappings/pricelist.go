package mappings

import (
	"fmt"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/schemas"
)

// headerState builds a price list's header while lines stream past: the
// mapping's constants, and the one currency every line must share.
type headerState struct {
	p        *plan
	opt      *Options
	currency string // "" until known
	from     string // where the currency came from, for messages
	sheet    string
	// earliest is the earliest valid_from of the valid lines: the list's
	// own valid_from when the mapping sets none.
	earliest string
}

func newHeaderState(p *plan, opt *Options) *headerState {
	hs := &headerState{p: p, opt: opt}
	if c, ok := p.m.Document["currency"]; ok {
		if code, err := Currency(c); err == nil {
			hs.currency, hs.from = code, "the mapping's document.currency"
		}
	}
	for _, s := range p.sources {
		if s.field == "currency" && s.constant != nil {
			hs.currency, hs.from = *s.constant, "the mapping's fields.currency.const"
		}
	}
	return hs
}

// line checks the currency of one line against the list's, taking the
// first one seen when the mapping sets none.
func (hs *headerState) line(o *outcome) {
	if hs.sheet == "" {
		hs.sheet = o.rec.Location.Sheet
	}
	check := func(c string, b bound, what string) {
		if c == "" {
			return
		}
		if hs.currency == "" {
			hs.currency, hs.from = c, fmt.Sprintf("%s in row %d", what, o.rec.Location.Row)
			return
		}
		if c != hs.currency {
			e := FieldError{Sheet: o.rec.Location.Sheet, Row: o.rec.Location.Row, Field: b.field, Header: b.header,
				Reason: fmt.Sprintf("%s is %s but the list's currency is %s (from %s); a price list has one currency", what, c, hs.currency, hs.from)}
			if b.col >= 0 {
				e.Column = connectors.ColumnLetter(b.col)
			}
			o.rec.Errors = append(o.rec.Errors, e)
		}
	}
	check(o.currency, o.currCol, "the currency")
	check(o.symbol, o.priceCol, "the price's currency symbol")
	if len(o.rec.Errors) == 0 {
		// Dates are YYYY-MM-DD here, so text order is date order.
		if d, _ := o.rec.Value["valid_from"].(string); d != "" && (hs.earliest == "" || d < hs.earliest) {
			hs.earliest = d
		}
	}
}

// finish builds and validates the header.
func (hs *headerState) finish(reg *schemas.Registry) (map[string]any, []FieldError) {
	get := func(name string) (string, bool) {
		switch name {
		case "partner":
			return hs.opt.Partner, true
		case "file":
			return hs.opt.File, true
		case "sheet":
			return hs.sheet, true
		case "today":
			return hs.opt.Now.Format(time.DateOnly), true
		}
		return "", false
	}
	h := map[string]any{}
	for _, k := range sortedKeys(hs.p.m.Document) {
		h[k] = expand(hs.p.m.Document[k], get)
	}
	// compile read the tax constants: the header holds them as the schema
	// wants them, a boolean and a rate in percent.
	if t := hs.p.docTax; t.included != "" {
		h["tax_included"] = t.included == "true"
	}
	if t := hs.p.docTax; t.rate != "" {
		h["tax_rate"] = t.rate
	}
	if hs.opt.Partner != "" {
		h["sender"] = hs.opt.Partner
	}
	if hs.currency != "" {
		h["currency"] = hs.currency
	}
	if _, ok := h["external_id"]; !ok && hs.opt.File != "" {
		name := hs.opt.File
		if i := strings.LastIndexAny(name, `/\`); i >= 0 {
			name = name[i+1:]
		}
		h["external_id"] = name
	}
	if _, ok := h["valid_from"]; !ok {
		// A list is valid from its earliest line's date (a supplier's
		// 生效日期 column), else from the day it arrived.
		h["valid_from"] = hs.opt.Now.Format(time.DateOnly)
		if hs.earliest != "" {
			h["valid_from"] = hs.earliest
		}
	}
	for _, k := range []string{"valid_from", "valid_to"} {
		if s, ok := h[k].(string); ok {
			if d, err := Date(s, 0); err == nil {
				h[k] = d
			}
		}
	}
	doc := map[string]any{"lines": []any{map[string]any{"sku": "x", "unit": "EA", "unit_price": "0"}}}
	for k, v := range h {
		doc[k] = v
	}
	var errs []FieldError
	for _, v := range reg.Validate("price_list", doc) {
		field := strings.SplitN(strings.TrimPrefix(v.Pointer, "/"), "/", 2)[0]
		reason := v.Reason
		if field == "currency" && hs.currency == "" {
			reason += " (no currency column, no ¥ or US$ in the prices: set document.currency in the mapping)"
		}
		errs = append(errs, FieldError{Field: field, Reason: reason})
	}
	return h, errs
}
