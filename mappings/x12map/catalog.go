package x12map

import (
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/schemas"
)

// pidAttributes names the PID02 characteristic codes kept as product
// attributes; a code not here (and not 08, the product description) is
// kept as "x12.pid.<code>".
var pidAttributes = map[string]string{"73": "color", "75": "color", "74": "size", "91": "size"}

// ctp is one CTP price of a LIN loop.
type ctp struct {
	seg   connectors.EDISegment
	code  string
	price string
	qty   string
	unit  string
}

// catalogItem is one LIN loop of an 832.
type catalogItem struct {
	lin       connectors.EDISegment
	ids       itemIDs
	generic   []string // PID*F descriptions, the product's name first
	attrs     map[string]any
	packQty   string
	packUnit  string
	prices    []ctp
	validFrom string
	validTo   string
}

// catalog maps an 832 to a price list, products (one per LIN), or both,
// as Options.CatalogDocs asks.
func (r *reader) catalog() []Doc {
	d := newDoc()
	var bct connectors.EDISegment
	var items []*catalogItem
	for i := 0; i < len(r.segs); i++ {
		s := r.segs[i]
		switch s.Tag {
		case "BCT":
			bct = s
		case "CUR":
			set(d.body, "currency", r.currency(s))
		case "DTM":
			q, date := r.dtm(s)
			switch {
			case rank(r.o.EffectiveDateQualifiers, q) < 1<<30:
				set(d.body, "valid_from", date)
			case rank(r.o.ExpiryDateQualifiers, q) < 1<<30:
				set(d.body, "valid_to", date)
			default:
				d.setExt("x12.date."+q, date)
			}
		case "REF":
			d.setExt("x12.ref."+text(s, 1), refValue(s))
		case "N1":
			pt, next := r.party(r.segs, i)
			i = next - 1
			d.keepParty("x12.", pt)
		case "LIN":
			end := i + 1
			for end < len(r.segs) && r.segs[end].Tag != "LIN" && r.segs[end].Tag != "CTT" {
				end++
			}
			items = append(items, r.catalogItem(r.segs[i:end]))
			i = end - 1
		case "CTT":
			r.checkCount(s, len(items), "LIN items")
		}
	}
	if bct.Tag == "" {
		r.missing("BCT", "the catalog's heading")
	}
	r.require(len(items) > 0, "LIN", "an 832 needs at least one item")
	var docs []Doc
	if r.o.wants("price_list") {
		docs = append(docs, r.priceListDoc(d, bct, items))
	}
	if r.o.wants("product") {
		for _, it := range items {
			docs = append(docs, r.productDoc(it))
		}
	}
	return docs
}

// catalogItem reads one LIN loop.
func (r *reader) catalogItem(segs []connectors.EDISegment) *catalogItem {
	it := &catalogItem{lin: segs[0], attrs: map[string]any{}}
	it.ids = r.ids(it.lin, 2, "catalog")
	set(it.attrs, "x12.buyer_sku", it.ids.buyer)
	for _, o := range it.ids.other {
		set(it.attrs, "x12.id."+o[0], o[1])
	}
	for _, s := range segs[1:] {
		switch s.Tag {
		case "PID":
			if text(s, 1) != "F" {
				continue
			}
			switch code, v := text(s, 2), text(s, 5); {
			case code == "" || code == "08" || code == "GEN":
				it.generic = append(it.generic, v)
			case pidAttributes[code] != "":
				set(it.attrs, pidAttributes[code], v)
			default:
				set(it.attrs, "x12.pid."+code, v)
			}
		case "PO4":
			it.packQty = r.quantityOpt(s, 1, "pack")
			if size := text(s, 2); size == "" || size == "1" {
				it.packUnit = r.unit(s, 3, 1, false)
			}
		case "CTP":
			it.prices = append(it.prices, ctp{
				seg: s, code: text(s, 2), price: r.nonNegative(s, 3, "unit price"),
				qty: r.nonNegative(s, 4, "quantity"), unit: r.unit(s, 5, 1, false),
			})
		case "DTM":
			q, date := r.dtm(s)
			switch {
			case rank(r.o.EffectiveDateQualifiers, q) < 1<<30:
				it.validFrom = date
			case rank(r.o.ExpiryDateQualifiers, q) < 1<<30:
				it.validTo = date
			}
		}
	}
	return it
}

// quantityOpt reads an optional quantity that must be above zero.
func (r *reader) quantityOpt(s connectors.EDISegment, el int, what string) string {
	if text(s, el) == "" {
		return ""
	}
	return r.quantity(s, el, what)
}

// priceListDoc builds the price list of an 832.
func (r *reader) priceListDoc(d *doc, bct connectors.EDISegment, items []*catalogItem) Doc {
	b := d.body
	if bct.Tag != "" {
		if text(bct, 2) == "" {
			r.p.At(bct, 2, 0, CodeMissingElement, "catalog number (BCT02) is missing")
		}
		set(b, "external_id", text(bct, 2))
		set(b, "name", text(bct, 9))
		if p := text(bct, 10); p != "" && p != "00" {
			d.setExt("x12.purpose", p)
		}
	}
	var lines []any
	earliest := ""
	for _, it := range items {
		lines = append(lines, r.priceLine(d, it))
		if it.validFrom != "" && (earliest == "" || it.validFrom < earliest) {
			earliest = it.validFrom
		}
	}
	if str(b, "valid_from") == "" {
		if earliest == "" {
			r.missing("DTM", "the price list's effective date (DTM "+strings.Join(r.o.EffectiveDateQualifiers, ", ")+")")
		}
		set(b, "valid_from", earliest)
	}
	if str(b, "currency") == "" {
		r.missing("CUR", "the price list's currency")
	}
	if len(lines) > 0 {
		b["lines"] = lines
	}
	return Doc{Doctype: "price_list", Body: d.finish(), Pos: r.st.Pos}
}

// priceLine builds one price list line: the CTPs of the most preferred
// price code give the unit price (the one without a quantity, else the
// smallest quantity) and the quantity tiers; other price codes go to the
// attributes.
func (r *reader) priceLine(d *doc, it *catalogItem) map[string]any {
	m := map[string]any{}
	r.lineIDs(it.lin, 3, d, m, it.ids, 0, true)
	set(m, "description", strings.Join(it.generic, " "))
	attrs := map[string]any{}
	for k, v := range it.attrs {
		attrs[k] = v
	}
	code, found := "", false
	for _, c := range r.o.PriceCodes {
		if slices.ContainsFunc(it.prices, func(p ctp) bool { return p.code == c }) {
			code, found = c, true
			break
		}
	}
	var mine []ctp
	for _, p := range it.prices {
		if found && p.code == code {
			mine = append(mine, p)
		} else if _, dup := attrs["x12.price."+p.code]; !dup {
			set(attrs, "x12.price."+p.code, p.price)
		}
	}
	if !found {
		r.p.At(it.lin, 0, 0, CodeMissingSegment, "the item has no CTP with a dealer price (CTP02 %s)", strings.Join(r.o.PriceCodes, ", "))
	} else {
		r.prices(m, mine, it)
	}
	set(m, "valid_from", it.validFrom)
	set(m, "valid_to", it.validTo)
	if len(attrs) > 0 {
		m["attributes"] = attrs
	}
	return m
}

// prices fills unit, unit_price, min_quantity and tiers from the CTPs of
// one price code.
func (r *reader) prices(m map[string]any, ps []ctp, it *catalogItem) {
	base := -1
	for i, p := range ps {
		switch {
		case p.qty == "" && base >= 0 && ps[base].qty == "":
			r.p.At(p.seg, 4, 0, CodeBadValue, "a second %s price without a quantity", p.code)
		case p.qty == "":
			base = i
		case base < 0 || ps[base].qty != "" && less(p.qty, ps[base].qty):
			base = i
		}
	}
	b := ps[base]
	unit := b.unit
	for _, p := range ps {
		if unit == "" {
			unit = p.unit
		}
	}
	if unit == "" {
		unit = it.packUnit
	}
	if unit == "" {
		r.p.At(b.seg, 5, 0, CodeMissingElement, "the price's unit of measure (CTP05) is missing")
	}
	set(m, "unit", unit)
	set(m, "unit_price", b.price)
	if b.price == "" && text(b.seg, 3) == "" {
		r.p.At(b.seg, 3, 0, CodeMissingElement, "unit price (CTP03) is missing")
	}
	set(m, "min_quantity", b.qty)
	var tiers []any
	for i, p := range ps {
		if i == base {
			continue
		}
		if p.unit != "" && unit != "" && p.unit != unit {
			r.p.At(p.seg, 5, 0, CodeBadValue, "the tier's unit %s differs from the price's (%s)", p.unit, unit)
		}
		tiers = append(tiers, map[string]any{"min_quantity": p.qty, "unit_price": p.price})
	}
	if len(tiers) > 0 {
		m["tiers"] = tiers
	}
}

// less compares two canonical decimals.
func less(a, b string) bool {
	x, ok1 := schemas.Decimal(a).Rat()
	y, ok2 := schemas.Decimal(b).Rat()
	return ok1 && ok2 && x.Cmp(y) < 0
}

// productDoc builds the product of one LIN: the first PID*F (08 or no
// characteristic code) is its name, further ones its description, PO401
// its pack quantity; its unit is the price's (CTP05) else PO403.
func (r *reader) productDoc(it *catalogItem) Doc {
	d := newDoc()
	b := d.body
	r.lineIDs(it.lin, 3, d, b, it.ids, 0, true)
	set(b, "external_id", it.ids.sku)
	if len(it.generic) == 0 || it.generic[0] == "" {
		r.p.At(it.lin, 0, 0, CodeMissingSegment, "the item has no PID*F description to name the product")
	} else {
		b["name"] = it.generic[0]
		set(b, "description", strings.Join(it.generic[1:], "\n"))
	}
	unit := ""
	for _, p := range it.prices {
		if unit == "" {
			unit = p.unit
		}
	}
	if unit == "" {
		unit = it.packUnit
	}
	if unit == "" {
		r.p.At(it.lin, 0, 0, CodeMissingElement, "the item has no unit of measure (CTP05 or PO403)")
	}
	set(b, "unit", unit)
	set(b, "pack_quantity", it.packQty)
	if len(it.attrs) > 0 {
		b["attributes"] = it.attrs
	}
	return Doc{Doctype: "product", Body: d.finish(), Pos: it.lin.Pos}
}
