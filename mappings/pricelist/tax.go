package pricelist

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
)

// A line's tax basis is whether its prices include tax (TaxIncluded) and at
// what rate (TaxRate, in percent). Unknown values ("") match anything, as an
// unknown currency does: a list that starts saying 含税 after saying nothing
// is not a change, but one that goes from 含税 to 不含税, or from 13% to 9%,
// is, and the SKU's price changes then say that their bases differ.

// checkTax checks a line's tax basis.
func checkTax(l *Line) error {
	switch l.TaxIncluded {
	case "", "true", "false":
	default:
		return fmt.Errorf("%w: tax_included %q is not \"true\", \"false\" or \"\" (unknown)", ErrInvalidLine, l.TaxIncluded)
	}
	if l.TaxRate != "" && !validDecimal(l.TaxRate) {
		return fmt.Errorf("%w: tax_rate %q is not a non-negative decimal string in percent such as \"13\"", ErrInvalidLine, l.TaxRate)
	}
	return nil
}

// taxDiffers reports whether two lines' tax bases differ where both are
// known.
func taxDiffers(c, n *Line) bool {
	if c.TaxIncluded != "" && n.TaxIncluded != "" && c.TaxIncluded != n.TaxIncluded {
		return true
	}
	return c.TaxRate != "" && n.TaxRate != "" && compareDecimal(c.TaxRate, n.TaxRate) != 0
}

// sameBasisPercent restates n's unit price on c's tax basis and returns the
// change from c's price ("" when a rate it needs is unknown or c's price is
// zero; "0.00" when they agree).
func sameBasisPercent(c, n *Line) string {
	gross := func(l *Line) (*big.Rat, bool) {
		switch l.TaxIncluded {
		case "false":
			return big.NewRat(1, 1), true
		case "true":
			if l.TaxRate == "" {
				return nil, false
			}
			r, _ := new(big.Rat).SetString(l.TaxRate)
			return r.Add(r.Quo(r, big.NewRat(100, 1)), big.NewRat(1, 1)), true
		}
		return nil, false
	}
	fo, okOld := gross(c)
	fn, okNew := gross(n)
	if !okOld || !okNew {
		return ""
	}
	o, _ := new(big.Rat).SetString(c.UnitPrice)
	if o.Sign() == 0 {
		return ""
	}
	x, _ := new(big.Rat).SetString(n.UnitPrice)
	x.Mul(x, fo).Quo(x, fn).Sub(x, o).Quo(x, o)
	if x.Sign() == 0 {
		return "0.00"
	}
	return formatRatio(x)
}

// ParseTax reads the tax basis a canonical price-list line or list header
// states, from its JSON (a stored line's body, a publication's header):
// tax_included as "true", "false" or "" when absent, and tax_rate as
// written or "". Bodies without a tax field are not decoded.
func ParseTax(body []byte) (included, rate string, err error) {
	if !bytes.Contains(body, []byte(`"tax_`)) {
		return "", "", nil
	}
	var t struct {
		Included *bool   `json:"tax_included"`
		Rate     *string `json:"tax_rate"`
	}
	if err := json.Unmarshal(body, &t); err != nil {
		return "", "", fmt.Errorf("reading tax_included and tax_rate: %w", err)
	}
	if t.Included != nil {
		included = fmt.Sprint(*t.Included)
	}
	if t.Rate != nil {
		rate = *t.Rate
	}
	return included, rate, nil
}

// WithListTax returns l with its unknown tax fields taken from its list's
// header: a line's own tax_included and tax_rate override the list's.
func (l Line) WithListTax(included, rate string) Line {
	if l.TaxIncluded == "" {
		l.TaxIncluded = included
	}
	if l.TaxRate == "" {
		l.TaxRate = rate
	}
	return l
}
