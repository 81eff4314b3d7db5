package mappings

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
)

// choosePrice picks the price column when the header row has price columns
// that say whether they include tax: a tax-included one first, then a
// tax-excluded one, over any price column that says nothing; the best
// tax-excluded column beside a tax-included one is returned as alt, to be
// checked. Columns claimed by other fields are left alone. as is returned
// unchanged when unit_price is not found by header or no price column
// speaks of tax.
func choosePrice(mt matcher, cells []string, as []assignment) ([]assignment, *assignment) {
	i := slices.IndexFunc(mt.fields, func(f matchField) bool { return f.name == "unit_price" })
	if i < 0 {
		return as, nil
	}
	f := mt.fields[i]
	claimed := map[int]bool{}
	for _, a := range as {
		if a.field != "unit_price" {
			claimed[a.col] = true
		}
	}
	type cand struct {
		assignment
		syn int
	}
	var incl, excl []cand
	for col, c := range cells {
		if claimed[col] || Trim(c) == "" {
			continue
		}
		conf, syn := f.score(c, normalizeHeader(c))
		if conf == 0 {
			continue
		}
		k := cand{assignment{"unit_price", col, Trim(c), conf}, syn}
		switch readTaxNote(c, "", false).included {
		case "true":
			incl = append(incl, k)
		case "false":
			excl = append(excl, k)
		}
	}
	best := func(cs []cand) assignment {
		return slices.MinFunc(cs, func(a, b cand) int {
			switch {
			case a.confidence != b.confidence:
				if a.confidence > b.confidence {
					return -1
				}
				return 1
			case a.syn != b.syn:
				return a.syn - b.syn
			}
			return a.col - b.col
		}).assignment
	}
	var price assignment
	var alt *assignment
	switch {
	case len(incl) > 0:
		price = best(incl)
		if len(excl) > 0 {
			a := best(excl)
			alt = &a
		}
	case len(excl) > 0:
		price = best(excl)
	default:
		return as, nil
	}
	out := slices.DeleteFunc(slices.Clone(as), func(a assignment) bool { return a.field == "unit_price" })
	out = append(out, price)
	slices.SortFunc(out, func(a, b assignment) int { return a.col - b.col })
	return out, alt
}

// bindAlt binds the checked price column, read like unit_price.
func (l *layout) bindAlt(a assignment) {
	for i := range l.fields {
		if l.fields[i].field == "unit_price" {
			l.alt = &bound{source: l.fields[i].source, col: a.col, header: a.header, confidence: a.confidence}
		}
	}
}

// readTax reads what the sheet says of tax: the price column's header,
// then the notes in the rows above the header row.
func (l *layout) readTax(above []connectors.Row) {
	if b := l.field("unit_price"); b != nil && b.col >= 0 && b.header != "" {
		l.priceTax = readTaxNote(b.header, fmt.Sprintf("column %s (%s)", connectors.ColumnLetter(b.col), b.header), false)
	}
	t := l.priceTax
	for _, r := range above {
		for i, c := range r.Cells {
			v := Trim(c.Value)
			if v == "" {
				continue
			}
			note := readTaxNote(v, fmt.Sprintf("the note in %s%d (%s)", connectors.ColumnLetter(i), r.Number, v), true)
			if !note.known() {
				continue
			}
			merged, conflict := t.merge(note)
			if conflict != "" {
				l.taxConflict = conflict
				return
			}
			t = merged
		}
	}
	l.tax = t
}

// field returns the bound field named name, nil when the plan has none.
func (l *layout) field(name string) *bound {
	for i := range l.fields {
		if l.fields[i].field == name {
			return &l.fields[i]
		}
	}
	return nil
}

// documentTax reads the mapping's document.tax_included and
// document.tax_rate.
func documentTax(doc map[string]string) (taxBasis, error) {
	t := taxBasis{where: "the mapping's document"}
	if v, ok := doc["tax_included"]; ok {
		b, err := Boolean(v)
		if err != nil {
			return t, fmt.Errorf("document.tax_included %q: %w", v, err)
		}
		t.included = b
	}
	if v, ok := doc["tax_rate"]; ok {
		r, err := Rate(v)
		if err != nil {
			return t, fmt.Errorf("document.tax_rate %q: %w", v, err)
		}
		t.rate = r
	}
	return t, nil
}

// applyTax gives a price-list line the tax basis its sheet states where
// its own columns (or constants) say nothing. They may refine a title
// note, but not contradict the header of the price column the line's price
// was read from: such a row is rejected. Then a tax-excluded price column
// is checked against the tax-included price.
func (rm *rowMapper) applyTax(r connectors.Row, v map[string]any, errs *[]FieldError) {
	ft, pt := rm.l.tax, rm.l.priceTax
	if cur, has := v["tax_included"].(bool); has {
		if pt.included != "" && fmt.Sprint(cur) != pt.included {
			b := rm.l.field("tax_included")
			*errs = append(*errs, rm.fieldError(r, *b, rm.cellValue(r, b),
				fmt.Sprintf("tax_included is %v but the price is in %s, which holds prices that %s tax", cur, pt.where, includesWord(pt.included))))
		}
	} else if ft.included != "" {
		v["tax_included"] = ft.included == "true"
	}
	if cur, has := v["tax_rate"].(string); has {
		if pt.rate != "" && compareRates(cur, pt.rate) != 0 {
			b := rm.l.field("tax_rate")
			*errs = append(*errs, rm.fieldError(r, *b, rm.cellValue(r, b),
				fmt.Sprintf("the tax rate is %s%% but the price is in %s, which holds prices with %s%% tax", cur, pt.where, pt.rate)))
		}
	} else if ft.rate != "" {
		v["tax_rate"] = ft.rate
	}
	rm.checkAlt(r, v, errs)
}

// cellValue is the cell a bound field read, "" for a constant.
func (rm *rowMapper) cellValue(r connectors.Row, b *bound) string {
	if b.col < 0 {
		return ""
	}
	return rm.cell(r, b.col).Value
}

// checkAlt checks the tax-excluded price column against the line's
// tax-included unit_price at the line's tax rate.
func (rm *rowMapper) checkAlt(r connectors.Row, v map[string]any, errs *[]FieldError) {
	alt := rm.l.alt
	if alt == nil {
		return
	}
	c := rm.cell(r, alt.col)
	incl, ok := v["unit_price"].(string)
	if !ok || Trim(c.Value) == "" {
		return
	}
	excl, err := alt.clean(c.Value, c.Type)
	if err != nil {
		*errs = append(*errs, rm.fieldError(r, *alt, c.Value, "the price before tax, checked against unit_price: "+err.Error()))
		return
	}
	rate, _ := v["tax_rate"].(string)
	if rate == "" {
		rate = rm.p.docTax.rate
	}
	if rate == "" {
		return // nothing to check against
	}
	if with, ok := taxConsistent(incl, excl, rate); !ok {
		price := rm.l.field("unit_price")
		*errs = append(*errs, rm.fieldError(r, *alt, c.Value, fmt.Sprintf(
			"%s before tax is %s with %s%% tax, but the price with tax in column %s (%s) is %s; check the prices or the tax rate",
			excl, with, rate, connectors.ColumnLetter(price.col), price.header, incl)))
	}
}

// taxConsistent reports whether incl is excl with rate percent of tax
// added, within the rounding both prices' written decimals allow (half a
// unit of the last place of each, the excluded one's grossed up). It
// returns excl with tax, to four more decimals than incl is written with.
func taxConsistent(incl, excl, rate string) (string, bool) {
	in, ok1 := new(big.Rat).SetString(incl)
	ex, ok2 := new(big.Rat).SetString(excl)
	r, ok3 := new(big.Rat).SetString(rate)
	if !ok1 || !ok2 || !ok3 {
		return "", true // the schema reports bad values
	}
	k := r.Quo(r, big.NewRat(100, 1))
	k.Add(k, big.NewRat(1, 1))
	with := new(big.Rat).Mul(ex, k)
	diff := new(big.Rat).Sub(in, with)
	diff.Abs(diff)
	tol := new(big.Rat).Mul(ulp(excl), k)
	tol.Add(tol, ulp(incl)).Quo(tol, big.NewRat(2, 1))
	_, frac, _ := strings.Cut(incl, ".")
	w := with.FloatString(len(frac) + 4)
	for strings.HasSuffix(w, "0") && len(w)-strings.IndexByte(w, '.')-1 > len(frac) {
		w = w[:len(w)-1]
	}
	return strings.TrimSuffix(w, "."), diff.Cmp(tol) <= 0
}

// ulp is one unit of the last decimal place d is written with: "12.50" →
// 0.01, "12" → 1.
func ulp(d string) *big.Rat {
	_, frac, _ := strings.Cut(d, ".")
	return new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(frac))), nil))
}

// describe says what t states, for reports: "prices include tax at 13%
// (column B (含税单价))".
func (t taxBasis) describe() string {
	var parts []string
	if t.included != "" {
		parts = append(parts, "prices "+includesWord(t.included)+" tax")
	}
	if t.rate != "" {
		parts = append(parts, "tax rate "+t.rate+"%")
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ", ") + " (" + t.where + ")"
}

// taxErrors reports a sheet whose tax statements disagree with each other
// or with the mapping's document constants: errors of the list's header.
func (l *layout) taxErrors(doc taxBasis) []FieldError {
	if l.taxConflict != "" {
		return []FieldError{{Sheet: l.sheet, Field: "tax_included", Reason: l.taxConflict}}
	}
	if _, conflict := doc.merge(l.tax); conflict != "" {
		e := FieldError{Sheet: l.sheet, Field: "tax_included", Reason: conflict + "; fix the mapping or the file"}
		if b := l.field("unit_price"); b != nil && b.col >= 0 && strings.HasPrefix(l.tax.where, "column") {
			e.Column, e.Header = connectors.ColumnLetter(b.col), b.header
		}
		if doc.included == "" || l.tax.included == "" || doc.included == l.tax.included {
			e.Field = "tax_rate" // merge reports the rates only when tax_included agrees
		}
		return []FieldError{e}
	}
	return nil
}
