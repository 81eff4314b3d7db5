package x12map

import (
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// itemIDs are the product ids of a PO1, LIN or ACK, sorted by meaning.
type itemIDs struct {
	sku, skuFrom string // skuFrom: the fallback qualifier the sku came from
	buyer        string
	supplier     string // stock levels only: the supplier's SKU
	gtin         string
	batch        string
	serials      []string
	lineNo       int
	other        [][2]string // qualifier, id of the ids with no canonical field
}

// ids reads the qualifier/id pairs of s starting at element first. For
// where "stock", the sku is the buyer's (dealer's) code; elsewhere the
// supplier's. An order response's sku is optional and takes no fallback.
func (r *reader) ids(s connectors.EDISegment, first int, where string) itemIDs {
	var out itemIDs
	skuRank, buyerRank, gtinRank := 1<<30, 1<<30, 1<<30
	var all [][2]string
	for el := first; el+1 <= len(s.Elements); el += 2 {
		q, id := text(s, el), text(s, el+1)
		if q == "" || id == "" {
			continue
		}
		all = append(all, [2]string{q, id})
		switch {
		case rank(r.o.SKUQualifiers, q) < skuRank:
			skuRank, out.sku = rank(r.o.SKUQualifiers, q), id
		case rank(r.o.BuyerSKUQualifiers, q) < buyerRank:
			buyerRank, out.buyer = rank(r.o.BuyerSKUQualifiers, q), id
		case rank(r.o.GTINQualifiers, q) < gtinRank:
			if !edimap.IsGTIN(id) {
				r.p.At(s, el+1, 0, CodeBadValue, "%s id %q is not a GTIN (8, 12, 13 or 14 digits)", q, id)
				all = all[:len(all)-1] // not a fallback sku either
				continue
			}
			gtinRank, out.gtin = rank(r.o.GTINQualifiers, q), id
		case q == "LT" && out.batch == "":
			out.batch = id
		case q == "SN":
			out.serials = append(out.serials, id)
		case q == "PL" && out.lineNo == 0:
			out.lineNo = lineNo(id)
		case !slices.Contains(r.o.SKUQualifiers, q) && !slices.Contains(r.o.BuyerSKUQualifiers, q) &&
			!slices.Contains(r.o.GTINQualifiers, q):
			out.other = append(out.other, [2]string{q, id})
		}
	}
	if where == "stock" {
		return r.stockSKU(out, all)
	}
	if out.sku == "" && !r.o.StrictSKU && where != "response" {
		out.sku, out.skuFrom = fallbackSKU(all, r.o.GTINQualifiers, r.o.BuyerSKUQualifiers)
	}
	return out
}

// stockSKU makes the buyer's (dealer's) code the sku of a stock level
// and the supplier's SKU its supplier_sku; without a buyer's code the sku
// falls back to the supplier's SKU and then the GTIN.
func (r *reader) stockSKU(ids itemIDs, all [][2]string) itemIDs {
	ids.supplier, ids.sku = ids.sku, ids.buyer
	if ids.sku == "" && !r.o.StrictSKU {
		ids.sku, ids.skuFrom = fallbackSKU(all, r.o.SKUQualifiers, r.o.GTINQualifiers)
	}
	return ids
}

// fallbackSKU returns the first id, in the order of the qualifier lists,
// whose qualifier is in one of them.
func fallbackSKU(all [][2]string, lists ...[]string) (id, qual string) {
	for _, list := range lists {
		for _, q := range list {
			for _, p := range all {
				if p[0] == q {
					return p[1], q
				}
			}
		}
	}
	return "", ""
}

func rank(list []string, q string) int {
	if i := slices.Index(list, q); i >= 0 {
		return i
	}
	return 1 << 30
}

// idPairs returns the qualifier/id elements written for a line's ids:
// the supplier's SKU, the buyer's code and the GTIN, each under the first
// qualifier of its Options list (the GTIN's by its length).
func (o Options) idPairs(sku, buyer, gtin string) []string {
	var out []string
	if sku != "" {
		out = append(out, o.SKUQualifiers[0], sku)
	}
	if buyer != "" {
		out = append(out, o.BuyerSKUQualifiers[0], buyer)
	}
	if gtin != "" {
		out = append(out, o.gtinQualifier(gtin), gtin)
	}
	return out
}

// gtinQualifier picks UP for 12 digits, EN for 13 and 8, UK for 14 when
// the partner's GTIN qualifiers allow it, else their first.
func (o Options) gtinQualifier(gtin string) string {
	want := map[int]string{8: "EN", 12: "UP", 13: "EN", 14: "UK"}[len(gtin)]
	if slices.Contains(o.GTINQualifiers, want) {
		return want
	}
	return o.GTINQualifiers[0]
}

// lineExtKey names a line's extension: "x12.line.3.pack".
func lineExtKey(n int, name string) string {
	return "x12.line." + itoa(n) + "." + name
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// isCode reports whether s is a short code of capitals and digits.
func isCode(s string, maxLen int) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') }) < 0
}
