package pricelist

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func line(sku, price string) Line {
	return Line{SKU: sku, Unit: "EA", UnitPrice: price, Currency: "CNY"}
}

func TestCompute(t *testing.T) {
	t.Parallel()
	withUnit := func(l Line, u string) Line { l.Unit = u; return l }
	withMOQ := func(l Line, q string) Line { l.MinQuantity = q; return l }
	withTiers := func(l Line, ts ...Tier) Line { l.Tiers = ts; return l }
	withTax := func(l Line, included, rate string) Line { l.TaxIncluded, l.TaxRate = included, rate; return l }
	for _, tc := range []struct {
		name            string
		current, next   []Line
		rejected        map[string]bool
		want            []Change
		unchanged, rejd int
	}{
		{name: "both empty"},
		{name: "first list: everything added",
			next: []Line{line("B", "2"), line("A", "1.50")},
			want: []Change{{SKU: "A", Kind: Added, NewPrice: "1.50", NewUnit: "EA"}, {SKU: "B", Kind: Added, NewPrice: "2", NewUnit: "EA"}}},
		{name: "identical lists",
			current: []Line{line("A", "1"), line("B", "2")}, next: []Line{line("B", "2"), line("A", "1")}, unchanged: 2},
		{name: "equal values written differently are unchanged",
			current: []Line{line("A", "10"), line("B", "0.5"), withMOQ(line("C", "1"), "")},
			next:    []Line{line("A", "10.00"), line("B", "00.50"), withMOQ(line("C", "1.0"), "0")}, unchanged: 3},
		{name: "price up and down with percent",
			current: []Line{line("A", "100"), line("B", "80.00"), line("C", "3")},
			next:    []Line{line("A", "105"), line("B", "70"), line("C", "1")},
			want: []Change{
				{SKU: "A", Kind: PriceUp, OldPrice: "100", NewPrice: "105", Percent: "+5.00", OldUnit: "EA", NewUnit: "EA"},
				{SKU: "B", Kind: PriceDown, OldPrice: "80.00", NewPrice: "70", Percent: "-12.50", OldUnit: "EA", NewUnit: "EA"},
				{SKU: "C", Kind: PriceDown, OldPrice: "3", NewPrice: "1", Percent: "-66.67", OldUnit: "EA", NewUnit: "EA"},
			}},
		{name: "percent rounds half away from zero",
			// 1→1.00005 is +0.005%, 1→0.99995 is -0.005%, 3→4 is +33.333…%.
			current: []Line{line("A", "1"), line("B", "1"), line("C", "3"), line("D", "1"), line("E", "1")},
			next:    []Line{line("A", "1.00005"), line("B", "0.99995"), line("C", "4"), line("D", "1.0000499"), line("E", "1234567.891")},
			want: []Change{
				{SKU: "A", Kind: PriceUp, OldPrice: "1", NewPrice: "1.00005", Percent: "+0.01", OldUnit: "EA", NewUnit: "EA"},
				{SKU: "B", Kind: PriceDown, OldPrice: "1", NewPrice: "0.99995", Percent: "-0.01", OldUnit: "EA", NewUnit: "EA"},
				{SKU: "C", Kind: PriceUp, OldPrice: "3", NewPrice: "4", Percent: "+33.33", OldUnit: "EA", NewUnit: "EA"},
				{SKU: "D", Kind: PriceUp, OldPrice: "1", NewPrice: "1.0000499", Percent: "+0.00", OldUnit: "EA", NewUnit: "EA"},
				{SKU: "E", Kind: PriceUp, OldPrice: "1", NewPrice: "1234567.891", Percent: "+123456689.10", OldUnit: "EA", NewUnit: "EA"},
			}},
		{name: "prices beyond 18 digits take the exact slow path",
			current: []Line{line("A", "100000000000000000000"), line("B", "0.0000000000000000001")},
			next:    []Line{line("A", "150000000000000000000.5"), line("B", "0.0000000000000000003")},
			want: []Change{
				{SKU: "A", Kind: PriceUp, OldPrice: "100000000000000000000", NewPrice: "150000000000000000000.5", Percent: "+50.00", OldUnit: "EA", NewUnit: "EA"},
				{SKU: "B", Kind: PriceUp, OldPrice: "0.0000000000000000001", NewPrice: "0.0000000000000000003", Percent: "+200.00", OldUnit: "EA", NewUnit: "EA"},
			}},
		{name: "from zero there is no percent",
			current: []Line{line("A", "0.00")}, next: []Line{line("A", "5")},
			want: []Change{{SKU: "A", Kind: PriceUp, OldPrice: "0.00", NewPrice: "5", OldUnit: "EA", NewUnit: "EA"}}},
		{name: "to zero is -100%",
			current: []Line{line("A", "5")}, next: []Line{line("A", "0")},
			want: []Change{{SKU: "A", Kind: PriceDown, OldPrice: "5", NewPrice: "0", Percent: "-100.00", OldUnit: "EA", NewUnit: "EA"}}},
		{name: "removed unless rejected",
			current:  []Line{line("A", "1"), line("B", "2"), line("C", "3")},
			next:     []Line{line("B", "2")},
			rejected: map[string]bool{"C": true, "B": true},
			want:     []Change{{SKU: "A", Kind: Removed, OldPrice: "1", OldUnit: "EA"}}, unchanged: 1, rejd: 1},
		{name: "unit change hides price, MOQ and tier changes",
			current: []Line{withTiers(withMOQ(line("A", "1"), "10"), Tier{"100", "0.9"})},
			next:    []Line{withTiers(withMOQ(withUnit(line("A", "12"), "BX"), "1"), Tier{"10", "10"})},
			want:    []Change{{SKU: "A", Kind: UnitChanged, OldPrice: "1", NewPrice: "12", OldUnit: "EA", NewUnit: "BX"}}},
		{name: "price, MOQ and tiers change together, in kind order",
			current: []Line{withTiers(withMOQ(line("A", "10"), "5"), Tier{"100", "9"}, Tier{"50", "9.5"})},
			next:    []Line{withTiers(withMOQ(line("A", "11"), ""), Tier{"50", "9.5"}, Tier{"100", "8.8"})},
			want: []Change{
				{SKU: "A", Kind: PriceUp, OldPrice: "10", NewPrice: "11", Percent: "+10.00", OldUnit: "EA", NewUnit: "EA"},
				{SKU: "A", Kind: MinQuantityChanged, OldPrice: "10", NewPrice: "11", OldUnit: "EA", NewUnit: "EA", OldMinQuantity: "5"},
				{SKU: "A", Kind: TiersChanged, OldPrice: "10", NewPrice: "11", OldUnit: "EA", NewUnit: "EA",
					OldTiers: []Tier{{"50", "9.5"}, {"100", "9"}}, NewTiers: []Tier{{"50", "9.5"}, {"100", "8.8"}}},
			}},
		{name: "tiers in another order or notation are unchanged",
			current: []Line{withTiers(line("A", "10"), Tier{"100", "9"}, Tier{"50", "9.5"})},
			next:    []Line{withTiers(line("A", "10"), Tier{"50.0", "9.50"}, Tier{"100", "9"})}, unchanged: 1},
		{name: "tiers dropped",
			current: []Line{withTiers(line("A", "10"), Tier{"100", "9"})}, next: []Line{line("A", "10")},
			want: []Change{{SKU: "A", Kind: TiersChanged, OldPrice: "10", NewPrice: "10", OldUnit: "EA", NewUnit: "EA", OldTiers: []Tier{{"100", "9"}}}}},
		{name: "validity is not compared",
			current: []Line{{SKU: "A", Unit: "EA", UnitPrice: "1", ValidFrom: "2026-01-01"}},
			next:    []Line{{SKU: "A", Unit: "EA", UnitPrice: "1", ValidFrom: "2026-02-01", ValidTo: "2026-12-31"}}, unchanged: 1},
		{name: "unknown currency matches any",
			current: []Line{{SKU: "A", Unit: "EA", UnitPrice: "1"}}, next: []Line{line("A", "1")}, unchanged: 1},
		{name: "tax basis unknown on one side is no change",
			current: []Line{line("A", "1"), withTax(line("B", "1"), "", "13")},
			next:    []Line{withTax(line("A", "1"), "true", "13"), withTax(line("B", "1"), "false", "")}, unchanged: 2},
		{name: "tax rates compare by value",
			current: []Line{withTax(line("A", "1"), "true", "13")},
			next:    []Line{withTax(line("A", "1"), "true", "13.00")}, unchanged: 1},
		{name: "tax no longer included: the price cut says its basis changed",
			current: []Line{withTax(line("A", "113.00"), "true", "13"), withTax(line("B", "100"), "true", "13")},
			next:    []Line{withTax(line("A", "100.00"), "false", "13"), withTax(line("B", "90"), "false", "")},
			want: []Change{
				{SKU: "A", Kind: TaxChanged, OldPrice: "113.00", NewPrice: "100.00", OldUnit: "EA", NewUnit: "EA",
					TaxBasisChanged: true, OldTaxIncluded: "true", NewTaxIncluded: "false", OldTaxRate: "13", NewTaxRate: "13", PercentSameBasis: "0.00"},
				{SKU: "A", Kind: PriceDown, OldPrice: "113.00", NewPrice: "100.00", Percent: "-11.50", OldUnit: "EA", NewUnit: "EA",
					TaxBasisChanged: true, OldTaxIncluded: "true", NewTaxIncluded: "false", OldTaxRate: "13", NewTaxRate: "13", PercentSameBasis: "0.00"},
				// B's new rate is unknown, but restating a net price with tax needs only the old rate.
				{SKU: "B", Kind: TaxChanged, OldPrice: "100", NewPrice: "90", OldUnit: "EA", NewUnit: "EA",
					TaxBasisChanged: true, OldTaxIncluded: "true", NewTaxIncluded: "false", OldTaxRate: "13", PercentSameBasis: "+1.70"},
				{SKU: "B", Kind: PriceDown, OldPrice: "100", NewPrice: "90", Percent: "-10.00", OldUnit: "EA", NewUnit: "EA",
					TaxBasisChanged: true, OldTaxIncluded: "true", NewTaxIncluded: "false", OldTaxRate: "13", PercentSameBasis: "+1.70"},
			}},
		{name: "same price now with tax is a rise on the same basis",
			current: []Line{withTax(line("A", "100"), "false", "")},
			next:    []Line{withTax(line("A", "100"), "true", "9")},
			want: []Change{{SKU: "A", Kind: TaxChanged, OldPrice: "100", NewPrice: "100", OldUnit: "EA", NewUnit: "EA",
				TaxBasisChanged: true, OldTaxIncluded: "false", NewTaxIncluded: "true", NewTaxRate: "9", PercentSameBasis: "-8.26"}}},
		{name: "rate cut on tax-included prices",
			// 116 with 16% is 100 net; 113 with 13% is 100 net too.
			current: []Line{withTiers(withTax(line("A", "116"), "true", "16"), Tier{"10", "110"}), withTax(line("B", "50"), "", "16")},
			next:    []Line{withTiers(withTax(line("A", "113"), "true", "13"), Tier{"10", "107"}), withTax(line("B", "50"), "", "13")},
			want: []Change{
				{SKU: "A", Kind: TaxChanged, OldPrice: "116", NewPrice: "113", OldUnit: "EA", NewUnit: "EA",
					TaxBasisChanged: true, OldTaxIncluded: "true", NewTaxIncluded: "true", OldTaxRate: "16", NewTaxRate: "13", PercentSameBasis: "0.00"},
				{SKU: "A", Kind: PriceDown, OldPrice: "116", NewPrice: "113", Percent: "-2.59", OldUnit: "EA", NewUnit: "EA",
					TaxBasisChanged: true, OldTaxIncluded: "true", NewTaxIncluded: "true", OldTaxRate: "16", NewTaxRate: "13", PercentSameBasis: "0.00"},
				{SKU: "A", Kind: TiersChanged, OldPrice: "116", NewPrice: "113", OldUnit: "EA", NewUnit: "EA",
					OldTiers: []Tier{{"10", "110"}}, NewTiers: []Tier{{"10", "107"}},
					TaxBasisChanged: true, OldTaxIncluded: "true", NewTaxIncluded: "true", OldTaxRate: "16", NewTaxRate: "13"},
				// Whether B's prices include tax is unknown: no same-basis figure.
				{SKU: "B", Kind: TaxChanged, OldPrice: "50", NewPrice: "50", OldUnit: "EA", NewUnit: "EA",
					TaxBasisChanged: true, OldTaxRate: "16", NewTaxRate: "13"},
			}},
		{name: "tax change after a unit change",
			current: []Line{withTax(line("A", "1"), "true", "13")},
			next:    []Line{withTax(withUnit(line("A", "12"), "BX"), "false", "13")},
			want: []Change{
				{SKU: "A", Kind: UnitChanged, OldPrice: "1", NewPrice: "12", OldUnit: "EA", NewUnit: "BX",
					TaxBasisChanged: true, OldTaxIncluded: "true", NewTaxIncluded: "false", OldTaxRate: "13", NewTaxRate: "13"},
				{SKU: "A", Kind: TaxChanged, OldPrice: "1", NewPrice: "12", OldUnit: "EA", NewUnit: "BX",
					TaxBasisChanged: true, OldTaxIncluded: "true", NewTaxIncluded: "false", OldTaxRate: "13", NewTaxRate: "13"},
			}},
		{name: "from a zero price there is no same-basis percent",
			current: []Line{withTax(line("A", "0"), "true", "13")}, next: []Line{withTax(line("A", "0"), "false", "13")},
			want: []Change{{SKU: "A", Kind: TaxChanged, OldPrice: "0", NewPrice: "0", OldUnit: "EA", NewUnit: "EA",
				TaxBasisChanged: true, OldTaxIncluded: "true", NewTaxIncluded: "false", OldTaxRate: "13", NewTaxRate: "13"}}},
		{name: "changes sorted by SKU bytes",
			current: []Line{line("b", "1"), line("产品2", "1"), line("A-10", "1"), line("A-9", "1")},
			next:    []Line{line("a", "1"), line("产品1", "1"), line("A-10", "1"), line("A-9", "1")},
			want: []Change{
				{SKU: "a", Kind: Added, NewPrice: "1", NewUnit: "EA"},
				{SKU: "b", Kind: Removed, OldPrice: "1", OldUnit: "EA"},
				{SKU: "产品1", Kind: Added, NewPrice: "1", NewUnit: "EA"},
				{SKU: "产品2", Kind: Removed, OldPrice: "1", OldUnit: "EA"},
			}, unchanged: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := Compute(tc.current, tc.next, tc.rejected)
			require.NoError(t, err)
			require.Equal(t, tc.want, d.Changes)
			require.Equal(t, tc.unchanged, d.Unchanged, "unchanged")
			require.Equal(t, tc.rejd, d.Rejected, "rejected")
		})
	}
}

func TestComputeErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		current, next []Line
		is            error
		msg           string
	}{
		{name: "currency of the whole list changed",
			current: []Line{line("A", "1")}, next: []Line{{SKU: "A", Unit: "EA", UnitPrice: "1", Currency: "USD"}},
			is: ErrCurrencyChanged, msg: "comparing the lists: the price list's currency changed from CNY to USD; prices in different currencies cannot be compared"},
		{name: "mixed currencies in one list",
			next: []Line{line("A", "1"), {SKU: "B", Unit: "EA", UnitPrice: "1"}, {SKU: "C", Unit: "EA", UnitPrice: "1", Currency: "USD"}},
			is:   ErrMixedCurrency, msg: `checking the next list: lines[2] (SKU "C") is in USD but lines[0] (SKU "A") in CNY: a price list has one currency`},
		{name: "duplicate SKU",
			current: []Line{line("A", "1"), line("B", "1"), line("A", "2")},
			is:      ErrDuplicateSKU, msg: `checking the current list: SKU "A" is on lines[0] and lines[2]: a price list has one line per SKU`},
		{name: "empty SKU",
			next: []Line{line("", "1")},
			is:   ErrInvalidLine, msg: `checking the next list: lines[0] (SKU ""): invalid price list line: the SKU is empty`},
		{name: "price not a decimal",
			next: []Line{line("A", "¥1,234.00")},
			is:   ErrInvalidLine, msg: `checking the next list: lines[0] (SKU "A"): invalid price list line: unit_price "¥1,234.00" is not a non-negative decimal string such as "12.50"`},
		{name: "negative price", next: []Line{line("A", "-1")}, is: ErrInvalidLine, msg: `unit_price "-1"`},
		{name: "empty price", next: []Line{line("A", "")}, is: ErrInvalidLine, msg: `unit_price ""`},
		{name: "float notation", next: []Line{line("A", "1e3")}, is: ErrInvalidLine, msg: `unit_price "1e3"`},
		{name: "bare point", next: []Line{line("A", "1.")}, is: ErrInvalidLine, msg: `unit_price "1."`},
		{name: "bad MOQ", next: []Line{{SKU: "A", UnitPrice: "1", MinQuantity: "ten"}}, is: ErrInvalidLine, msg: `min_quantity "ten"`},
		{name: "bad tax_included", next: []Line{{SKU: "A", UnitPrice: "1", TaxIncluded: "yes"}}, is: ErrInvalidLine, msg: `tax_included "yes"`},
		{name: "tax rate with a percent sign", next: []Line{{SKU: "A", UnitPrice: "1", TaxRate: "13%"}}, is: ErrInvalidLine, msg: `tax_rate "13%"`},
		{name: "bad tier", next: []Line{{SKU: "A", UnitPrice: "1", Tiers: []Tier{{"10", "1"}, {"20", ""}}}}, is: ErrInvalidLine, msg: `tiers[1].unit_price ""`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Compute(tc.current, tc.next, nil)
			require.ErrorIs(t, err, tc.is)
			require.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestComputeLeavesInputAlone(t *testing.T) {
	t.Parallel()
	cur := []Line{line("B", "1"), {SKU: "A", Unit: "EA", UnitPrice: "1", Tiers: []Tier{{"20", "1"}, {"10", "2"}}}}
	next := []Line{line("A", "2"), line("C", "1")}
	before := []Line{cur[0], cur[1]}
	before[1].Tiers = append([]Tier(nil), cur[1].Tiers...)
	_, err := Compute(cur, next, nil)
	require.NoError(t, err)
	require.Equal(t, before, cur)
}

func TestForSKUs(t *testing.T) {
	t.Parallel()
	cur := []Line{line("A", "1"), line("B", "1"), line("C", "1"), line("D", "1"), line("E", "1")}
	next := []Line{line("A", "2"), line("B", "1"), line("C", "1"), line("F", "1")}
	d, err := Compute(cur, next, map[string]bool{"E": true})
	require.NoError(t, err)
	require.Equal(t, 2, d.Unchanged)
	require.Equal(t, 1, d.Rejected)

	// A dealer with few SKUs (set smaller than the unchanged list) and one
	// with many exercise both ways of counting.
	small := d.ForSKUs(map[string]bool{"A": true, "B": true})
	require.Equal(t, []Change{{SKU: "A", Kind: PriceUp, OldPrice: "1", NewPrice: "2", Percent: "+100.00", OldUnit: "EA", NewUnit: "EA"}}, small.Changes)
	require.Equal(t, 1, small.Unchanged)
	require.Equal(t, 0, small.Rejected)

	many := d.ForSKUs(map[string]bool{"B": true, "C": true, "D": true, "E": true, "F": true, "X": true, "Y": true})
	require.Equal(t, []Change{{SKU: "D", Kind: Removed, OldPrice: "1", OldUnit: "EA"}, {SKU: "F", Kind: Added, NewPrice: "1", NewUnit: "EA"}}, many.Changes)
	require.Equal(t, 2, many.Unchanged)
	require.Equal(t, 1, many.Rejected)

	// A tax change is a change: the dealer of G hears of it.
	taxed := func(l Line, inc string) Line { l.TaxIncluded = inc; return l }
	dt, err := Compute([]Line{taxed(line("G", "1"), "true"), line("H", "1")}, []Line{taxed(line("G", "1"), "false"), line("H", "1")}, nil)
	require.NoError(t, err)
	g := dt.ForSKUs(map[string]bool{"G": true})
	require.Len(t, g.Changes, 1)
	require.Equal(t, TaxChanged, g.Changes[0].Kind)
	require.Zero(t, g.Unchanged)
	require.Equal(t, 1, dt.ForSKUs(map[string]bool{"H": true}).Unchanged)

	none := d.ForSKUs(map[string]bool{"B": true, "Z": true})
	require.Empty(t, none.Changes, "a dealer none of whose SKUs changed gets no changes")
	require.Equal(t, 1, none.Unchanged)

	// Filtering twice keeps the counts.
	require.Equal(t, 1, small.ForSKUs(map[string]bool{"B": true}).Unchanged)
}
