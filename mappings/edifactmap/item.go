package edifactmap

import (
	"slices"

	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// itemID is an item number from LIN or PIA (C212): the number, its type
// code (7143) and where it was read.
type itemID struct {
	number, qual string
	s            seg
	el           int
}

// priceGroup is a PRI and the segments of its group a mapping uses: a
// range (RNG) or a quantity that makes it a tier, and its dates.
type priceGroup struct {
	pri  seg
	rng  *seg
	qty  *seg
	dtms []seg
}

// item is a LIN group: the line's item numbers, description and the
// segments of the group, sorted by the sub-group they are in.
type item struct {
	lin    seg
	segs   []seg
	ids    []itemID
	desc   string
	qtys   []seg // QTYs of the LIN itself, not of a sub-group
	dtms   []seg // likewise DTMs
	ftxs   []seg
	refs   []seg
	prices []priceGroup
	taxes  []seg
	gins   []seg
}

// itemSubGroups are the triggers of the LIN group's sub-groups: a QTY or
// DTM after one of them belongs to it, not to the line.
var itemSubGroups = []string{"PRI", "RFF", "TAX", "NAD", "ALC", "LOC", "SCC", "PAC", "PCI", "QVR", "DOC", "RCS", "TDT", "TOD", "EQD", "APR", "HAN", "RJL", "STG", "CCI"}

// readItem sorts a LIN group's segments.
func readItem(group []seg) item {
	it := item{lin: group[0], segs: group}
	if n := group[0].Component(3, 1); n != "" {
		it.ids = append(it.ids, itemID{number: n, qual: group[0].Component(3, 2), s: group[0], el: 3})
	}
	ctx, descType, descOpen := "", "", false
	for i := 1; i < len(group); i++ {
		s := group[i]
		if s.Tag != "IMD" {
			descOpen = false
		}
		switch s.Tag {
		case "PIA":
			for el := 2; el <= 6; el++ {
				if n := s.Component(el, 1); n != "" {
					it.ids = append(it.ids, itemID{number: n, qual: s.Component(el, 2), s: s, el: el})
				}
			}
		case "IMD":
			t := text(s, 3, 4, 5)
			switch {
			case t == "":
			case it.desc == "":
				it.desc, descType, descOpen = t, s.Value(1), true
			case descOpen && s.Value(1) == descType:
				it.desc += t
			default:
				descOpen = false
			}
		case "QTY":
			switch {
			case ctx == "":
				it.qtys = append(it.qtys, s)
			case ctx == "PRI" && len(it.prices) > 0:
				it.prices[len(it.prices)-1].qty = &group[i]
			}
		case "DTM":
			switch {
			case ctx == "":
				it.dtms = append(it.dtms, s)
			case ctx == "PRI" && len(it.prices) > 0:
				pg := &it.prices[len(it.prices)-1]
				pg.dtms = append(pg.dtms, s)
			}
		case "FTX":
			it.ftxs = append(it.ftxs, s)
		case "GIN":
			it.gins = append(it.gins, s)
		case "RNG":
			if ctx == "PRI" && len(it.prices) > 0 {
				it.prices[len(it.prices)-1].rng = &group[i]
			}
		case "PRI":
			it.prices = append(it.prices, priceGroup{pri: s})
			ctx = "PRI"
		case "RFF":
			it.refs = append(it.refs, s)
			ctx = "RFF"
		case "TAX":
			it.taxes = append(it.taxes, s)
			ctx = "TAX"
		default:
			if slices.Contains(itemSubGroups, s.Tag) {
				ctx = s.Tag
			}
		}
	}
	return it
}

// id returns the first item number whose type code is in quals.
func (it item) id(quals []string) (itemID, bool) {
	for _, id := range it.ids {
		if slices.Contains(quals, id.qual) {
			return id, true
		}
	}
	return itemID{}, false
}

// gtin returns the line's GTIN, checked (8, 12, 13 or 14 digits).
func (r *reader) gtin(it item) string {
	id, ok := it.id(r.c.GTINQualifiers)
	if !ok {
		return ""
	}
	if !edimap.IsGTIN(id.number) {
		r.p.At(id.s, id.el, 1, CodeBadValue, "GTIN %q is not 8, 12, 13 or 14 digits", id.number)
		return ""
	}
	return id.number
}

// sku returns the supplier's article number of the line; without one,
// its GTIN (recording "edifact.sku_from" in ext) unless StrictSKU, and a
// problem when required and neither is there.
func (r *reader) sku(it item, gtin string, required bool, ext map[string]any) string {
	if id, ok := it.id(r.c.SKUQualifiers); ok {
		return id.number
	}
	if gtin != "" && !r.c.StrictSKU {
		ext["edifact.sku_from"] = "gtin"
		return gtin
	}
	if required {
		r.p.At(it.lin, 3, 1, CodeMissingElement, "line has no supplier's article number (%v)%s",
			r.c.SKUQualifiers, map[bool]string{true: "", false: " or GTIN"}[r.c.StrictSKU])
	}
	return ""
}

// buyerSKU returns the buyer's own item number of the line, if any.
func (r *reader) buyerSKU(it item) string {
	if id, ok := it.id(r.c.BuyerSKUQualifiers); ok {
		return id.number
	}
	return ""
}

// qty returns the first QTY of the line qualified by one of quals: its
// value and canonical unit. found is false when there is no such QTY; a
// QTY without a number is a problem.
func (r *reader) qty(qtys []seg, quals ...string) (value, unit string, found bool) {
	s, found := pick(qtys, quals)
	if !found {
		return "", "", false
	}
	value, ok := r.decimal(s, 1, 2, "quantity")
	if !ok && s.Component(1, 2) == "" {
		r.p.At(s, 1, 2, CodeMissingElement, "QTY %s has no quantity", s.Component(1, 1))
	}
	return value, r.unitOf(s, 1, 3), true
}

// price returns the price of a PRI (C509 5118) divided by its unit price
// basis (5284), so that it is the price of one unit.
func (r *reader) price(p seg) (string, bool) {
	v, ok := r.decimal(p, 1, 2, "price")
	if !ok {
		if p.Component(1, 2) == "" {
			r.p.At(p, 1, 2, CodeMissingElement, "PRI %s has no price", p.Component(1, 1))
		}
		return "", false
	}
	basis, ok := r.decimal(p, 1, 5, "unit price basis")
	if !ok || basis == "1" {
		return v, true
	}
	q, ok := divDecimal(v, basis)
	if !ok {
		r.p.At(p, 1, 5, CodeBadValue, "price %s per %s units has no exact unit price", v, basis)
	}
	return q, ok
}

// netPrice returns the line's unit price: PRI AAA (calculation net), else
// AAB (calculation gross), from the price groups that are not tiers.
func (r *reader) netPrice(prices []priceGroup) (string, seg, bool) {
	for _, q := range []string{"AAA", "AAB"} {
		for _, pg := range prices {
			if pg.pri.Component(1, 1) == q && pg.rng == nil && pg.qty == nil {
				v, ok := r.price(pg.pri)
				return v, pg.pri, ok
			}
		}
	}
	return "", seg{}, false
}
