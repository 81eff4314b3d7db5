package pricelist

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Errors Compute returns, wrapped with the list, line and SKU they concern.
var (
	// ErrCurrencyChanged means the two lists are priced in different
	// currencies, so their prices cannot be compared. The publish step
	// should refuse such a list or publish it without a difference.
	ErrCurrencyChanged = errors.New("the price list's currency changed")
	// ErrMixedCurrency means one list holds lines in two currencies.
	ErrMixedCurrency = errors.New("a price list has one currency")
	// ErrDuplicateSKU means one list holds two lines for one SKU.
	ErrDuplicateSKU = errors.New("a price list has one line per SKU")
	// ErrInvalidLine means a line has no SKU or a value that is not a
	// non-negative decimal string.
	ErrInvalidLine = errors.New("invalid price list line")
)

// Line is one priced SKU of a price list. Prices and quantities are decimal
// strings as in canonical documents ("12.50"), never floats.
type Line struct {
	// SKU is the supplier's SKU, the key of the line within its list.
	SKU string
	// Unit is the UN/ECE Recommendation 20 code the price is for ("EA").
	Unit string
	// UnitPrice is the price of one unit, a non-negative decimal.
	UnitPrice string
	// Currency is the ISO 4217 code of the list; "" means unknown and
	// matches any currency.
	Currency string
	// MinQuantity is the smallest quantity sold (MOQ); "" means none and
	// equals "0".
	MinQuantity string
	// Tiers are quantity breaks; their order does not matter.
	Tiers []Tier
	// TaxIncluded says whether UnitPrice and the tiers' prices include tax
	// (VAT): "true", "false", or "" when unknown, which matches either.
	TaxIncluded string
	// TaxRate is the tax rate in percent ("13" is 13%), a non-negative
	// decimal; "" when unknown, which matches any rate.
	TaxRate string
	// ValidFrom and ValidTo are the line's validity (YYYY-MM-DD). They are
	// carried, not compared: which list is current is the publish step's
	// decision.
	ValidFrom, ValidTo string
}

// Tier is a quantity break: UnitPrice applies from MinQuantity up.
type Tier struct {
	MinQuantity string `json:"min_quantity"`
	UnitPrice   string `json:"unit_price"`
}

// ChangeKind names what changed about one SKU. The values are stable
// snake_case words, fit for JSON and for notification texts.
type ChangeKind string

// The kinds of change, in the order Compute lists them for one SKU.
const (
	// Added: the SKU is new in the next list.
	Added ChangeKind = "added"
	// Removed: the SKU is gone from the next list (and its row was not
	// rejected for errors).
	Removed ChangeKind = "removed"
	// UnitChanged: the SKU is now sold in another unit. Prices per different
	// units are not comparable, so no price, tier or MOQ change is reported
	// with it and Percent is "" (a TaxChanged may follow it).
	UnitChanged ChangeKind = "unit_changed"
	// TaxChanged: the tax basis of the SKU's prices changed: tax_included
	// or tax_rate differ, both known. The SKU's other changes then carry
	// TaxBasisChanged, since they compare prices on different bases.
	TaxChanged ChangeKind = "tax_changed"
	// PriceUp: the unit price rose.
	PriceUp ChangeKind = "price_up"
	// PriceDown: the unit price fell.
	PriceDown ChangeKind = "price_down"
	// MinQuantityChanged: the minimum order quantity changed.
	MinQuantityChanged ChangeKind = "min_quantity_changed"
	// TiersChanged: the quantity breaks changed (compared by value,
	// regardless of order).
	TiersChanged ChangeKind = "tiers_changed"
)

// Change is one difference for one SKU. A SKU may have several changes
// (a price and its tiers); they follow each other in the order of the kinds.
type Change struct {
	// SKU is the supplier's SKU.
	SKU string `json:"sku"`
	// Kind says what changed.
	Kind ChangeKind `json:"kind"`
	// OldPrice and NewPrice are the unit prices as the lists wrote them;
	// OldPrice is "" for Added and NewPrice is "" for Removed.
	OldPrice string `json:"old_price,omitempty"`
	NewPrice string `json:"new_price,omitempty"`
	// Percent is the signed price change with two decimals, rounded half
	// away from zero ("+5.00", "-12.50"); "" unless Kind is PriceUp or
	// PriceDown, and "" when the old price is zero.
	Percent string `json:"percent,omitempty"`
	// OldUnit and NewUnit are the units of the lines that exist.
	OldUnit string `json:"old_unit,omitempty"`
	NewUnit string `json:"new_unit,omitempty"`
	// OldMinQuantity and NewMinQuantity are set for MinQuantityChanged.
	OldMinQuantity string `json:"old_min_quantity,omitempty"`
	NewMinQuantity string `json:"new_min_quantity,omitempty"`
	// OldTiers and NewTiers are set for TiersChanged, sorted by quantity.
	OldTiers []Tier `json:"old_tiers,omitempty"`
	NewTiers []Tier `json:"new_tiers,omitempty"`
	// TaxBasisChanged is true on every change of a SKU whose tax basis
	// changed (TaxChanged among them): its prices are compared as written,
	// so a price_down of -11.50 may only mean that tax is no longer
	// included. The four fields below are then set as the lines had them
	// ("" where unknown).
	TaxBasisChanged bool `json:"tax_basis_changed,omitempty"`
	// OldTaxIncluded and NewTaxIncluded are "true" or "false" ("" unknown).
	OldTaxIncluded string `json:"old_tax_included,omitempty"`
	NewTaxIncluded string `json:"new_tax_included,omitempty"`
	// OldTaxRate and NewTaxRate are the tax rates in percent.
	OldTaxRate string `json:"old_tax_rate,omitempty"`
	NewTaxRate string `json:"new_tax_rate,omitempty"`
	// PercentSameBasis is, on TaxChanged, PriceUp and PriceDown when the
	// tax basis changed, the change with the new price restated on the old
	// line's basis (grossed up or netted by the rates), written like
	// Percent, and "0.00" when the prices agree once restated; "" when a
	// rate it needs is unknown or the old price is zero.
	PercentSameBasis string `json:"percent_same_basis,omitempty"`
}

// Diff is the difference between a current and a next price list.
type Diff struct {
	// Changes are sorted by SKU (byte order), then by kind.
	Changes []Change `json:"changes"`
	// Unchanged counts the SKUs in both lists with no change.
	Unchanged int `json:"unchanged"`
	// Rejected counts SKUs of the current list missing from the next one
	// because their rows were rejected for errors: neither removed nor
	// unchanged.
	Rejected int `json:"rejected"`

	// unchanged and rejected SKUs, sorted, so ForSKUs can count them.
	unchangedSKUs, rejectedSKUs []string
}

// Compute returns the difference from current to next. rejected holds the
// SKUs that were in the new file but whose rows were rejected for errors;
// such a SKU missing from next is not reported as Removed. A SKU present in
// next is compared whatever rejected says.
//
// Both lists are checked first: every line needs a SKU, at most one line per
// SKU, and non-negative decimal strings for prices and quantities; the lines
// with a currency must agree within each list and across the two lists.
// Neither list is modified.
func Compute(current, next []Line, rejected map[string]bool) (Diff, error) {
	cur, curCurrency, err := prepare(current)
	if err != nil {
		return Diff{}, fmt.Errorf("checking the current list: %w", err)
	}
	nxt, nextCurrency, err := prepare(next)
	if err != nil {
		return Diff{}, fmt.Errorf("checking the next list: %w", err)
	}
	if curCurrency != "" && nextCurrency != "" && curCurrency != nextCurrency {
		return Diff{}, fmt.Errorf("comparing the lists: %w from %s to %s; prices in different currencies cannot be compared",
			ErrCurrencyChanged, curCurrency, nextCurrency)
	}
	var d Diff
	i, j := 0, 0
	for i < len(cur) || j < len(nxt) {
		switch {
		case j == len(nxt) || (i < len(cur) && cur[i].SKU < nxt[j].SKU):
			c := cur[i]
			if rejected[c.SKU] {
				d.rejectedSKUs = append(d.rejectedSKUs, c.SKU)
			} else {
				d.Changes = append(d.Changes, Change{SKU: c.SKU, Kind: Removed, OldPrice: c.UnitPrice, OldUnit: c.Unit})
			}
			i++
		case i == len(cur) || nxt[j].SKU < cur[i].SKU:
			n := nxt[j]
			d.Changes = append(d.Changes, Change{SKU: n.SKU, Kind: Added, NewPrice: n.UnitPrice, NewUnit: n.Unit})
			j++
		default:
			before := len(d.Changes)
			d.Changes = compareLines(d.Changes, cur[i], nxt[j])
			if len(d.Changes) == before {
				d.unchangedSKUs = append(d.unchangedSKUs, cur[i].SKU)
			}
			i, j = i+1, j+1
		}
	}
	d.Unchanged, d.Rejected = len(d.unchangedSKUs), len(d.rejectedSKUs)
	return d, nil
}

// prepare checks a list and returns its lines sorted by SKU, and the list's
// currency ("" when no line names one).
func prepare(lines []Line) ([]*Line, string, error) {
	currency, currencyAt := "", -1
	for k := range lines {
		l := &lines[k]
		if err := checkLine(l); err != nil {
			return nil, "", fmt.Errorf("lines[%d] (SKU %q): %w", k, l.SKU, err)
		}
		if l.Currency == "" {
			continue
		}
		if currency == "" {
			currency, currencyAt = l.Currency, k
		} else if l.Currency != currency {
			return nil, "", fmt.Errorf("lines[%d] (SKU %q) is in %s but lines[%d] (SKU %q) in %s: %w",
				k, l.SKU, l.Currency, currencyAt, lines[currencyAt].SKU, currency, ErrMixedCurrency)
		}
	}
	// Sorting the keys next to their positions saves a pointer chase per
	// comparison; ties (duplicates) keep their input order so the error
	// names the first two.
	type key struct {
		sku string
		at  int
	}
	keys := make([]key, len(lines))
	for k := range lines {
		keys[k] = key{lines[k].SKU, k}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := strings.Compare(a.sku, b.sku); c != 0 {
			return c
		}
		return a.at - b.at
	})
	sorted := make([]*Line, len(keys))
	for k, kk := range keys {
		sorted[k] = &lines[kk.at]
		if k > 0 && keys[k-1].sku == kk.sku {
			return nil, "", fmt.Errorf("SKU %q is on lines[%d] and lines[%d]: %w", kk.sku, keys[k-1].at, kk.at, ErrDuplicateSKU)
		}
	}
	return sorted, currency, nil
}

// checkLine checks one line's SKU and decimals.
func checkLine(l *Line) error {
	if l.SKU == "" {
		return fmt.Errorf("%w: the SKU is empty", ErrInvalidLine)
	}
	bad := func(field, v string) error {
		return fmt.Errorf("%w: %s %q is not a non-negative decimal string such as \"12.50\"", ErrInvalidLine, field, v)
	}
	if !validDecimal(l.UnitPrice) {
		return bad("unit_price", l.UnitPrice)
	}
	if l.MinQuantity != "" && !validDecimal(l.MinQuantity) {
		return bad("min_quantity", l.MinQuantity)
	}
	if err := checkTax(l); err != nil {
		return err
	}
	for t, tier := range l.Tiers {
		if !validDecimal(tier.MinQuantity) {
			return bad(fmt.Sprintf("tiers[%d].min_quantity", t), tier.MinQuantity)
		}
		if !validDecimal(tier.UnitPrice) {
			return bad(fmt.Sprintf("tiers[%d].unit_price", t), tier.UnitPrice)
		}
	}
	return nil
}

// compareLines appends the changes from c to n, two lines of one SKU.
func compareLines(out []Change, c, n *Line) []Change {
	base := Change{SKU: c.SKU, OldPrice: c.UnitPrice, NewPrice: n.UnitPrice, OldUnit: c.Unit, NewUnit: n.Unit}
	taxChanged := taxDiffers(c, n)
	if taxChanged {
		base.TaxBasisChanged = true
		base.OldTaxIncluded, base.NewTaxIncluded = c.TaxIncluded, n.TaxIncluded
		base.OldTaxRate, base.NewTaxRate = c.TaxRate, n.TaxRate
	}
	if c.Unit != n.Unit {
		base.Kind = UnitChanged
		out = append(out, base)
		if taxChanged {
			ch := base
			ch.Kind = TaxChanged
			out = append(out, ch)
		}
		return out
	}
	sameBasis := ""
	if taxChanged {
		sameBasis = sameBasisPercent(c, n)
		ch := base
		ch.Kind, ch.PercentSameBasis = TaxChanged, sameBasis
		out = append(out, ch)
	}
	switch compareDecimal(c.UnitPrice, n.UnitPrice) {
	case -1:
		ch := base
		ch.Kind, ch.Percent, ch.PercentSameBasis = PriceUp, percentChange(c.UnitPrice, n.UnitPrice), sameBasis
		out = append(out, ch)
	case 1:
		ch := base
		ch.Kind, ch.Percent, ch.PercentSameBasis = PriceDown, percentChange(c.UnitPrice, n.UnitPrice), sameBasis
		out = append(out, ch)
	}
	if compareDecimal(orZero(c.MinQuantity), orZero(n.MinQuantity)) != 0 {
		ch := base
		ch.Kind, ch.OldMinQuantity, ch.NewMinQuantity = MinQuantityChanged, c.MinQuantity, n.MinQuantity
		out = append(out, ch)
	}
	if len(c.Tiers) > 0 || len(n.Tiers) > 0 {
		ct, nt := sortedTiers(c.Tiers), sortedTiers(n.Tiers)
		if !slices.EqualFunc(ct, nt, func(a, b Tier) bool {
			return compareDecimal(a.MinQuantity, b.MinQuantity) == 0 && compareDecimal(a.UnitPrice, b.UnitPrice) == 0
		}) {
			ch := base
			// Copies, so that the diff never shares memory with the lists.
			ch.Kind, ch.OldTiers, ch.NewTiers = TiersChanged, slices.Clip(slices.Clone(ct)), slices.Clip(slices.Clone(nt))
			out = append(out, ch)
		}
	}
	return out
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// sortedTiers returns tiers sorted by quantity, then price: tiers itself when
// already sorted (the usual case, so read it only), a sorted copy otherwise.
func sortedTiers(tiers []Tier) []Tier {
	if len(tiers) == 0 {
		return nil
	}
	if slices.IsSortedFunc(tiers, compareTiers) {
		return tiers
	}
	out := slices.Clone(tiers)
	slices.SortStableFunc(out, compareTiers)
	return out
}

func compareTiers(a, b Tier) int {
	if c := compareDecimal(a.MinQuantity, b.MinQuantity); c != 0 {
		return c
	}
	return compareDecimal(a.UnitPrice, b.UnitPrice)
}

// ForSKUs returns only the changes to the given SKUs (a dealer's: those it
// stocks or has ordered). Unchanged and Rejected count among those SKUs
// too when d came from Compute; a Diff built otherwise reports them as 0.
func (d Diff) ForSKUs(skus map[string]bool) Diff {
	out := Diff{}
	for _, c := range d.Changes {
		if skus[c.SKU] {
			out.Changes = append(out.Changes, c)
		}
	}
	out.unchangedSKUs = pick(d.unchangedSKUs, skus)
	out.rejectedSKUs = pick(d.rejectedSKUs, skus)
	out.Unchanged, out.Rejected = len(out.unchangedSKUs), len(out.rejectedSKUs)
	return out
}

// pick returns the members of sorted that are in set, still sorted. It walks
// whichever of the two is smaller.
func pick(sorted []string, set map[string]bool) []string {
	var out []string
	if len(set) < len(sorted) {
		for s, ok := range set {
			if _, found := slices.BinarySearch(sorted, s); ok && found {
				out = append(out, s)
			}
		}
		sort.Strings(out)
		return out
	}
	for _, s := range sorted {
		if set[s] {
			out = append(out, s)
		}
	}
	return out
}
