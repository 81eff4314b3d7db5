package mappings

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
)

// Tax basis of price lists.
//
// A price list says whether its prices include tax (VAT, 增值税) in one of
// four ways, and the engine reads each:
//
//   - the price column's header: 含税单价, 单价(含税), 单价（含13%增值税）,
//     "Price incl. VAT" and "Gross price" hold prices with tax; 不含税单价,
//     未税单价, 单价(不含税), "Price excl. VAT" and "Net price" prices before
//     it. A rate written in that header (含13%增值税) is the lines' tax_rate;
//   - a note in the title rows above the header row ("2026年价格表（含13%
//     增值税）"), when the price header says nothing;
//   - columns of their own: 税率 / "VAT rate" / "Tax rate" (tax_rate) and
//     是否含税 / "Tax included" (tax_included, 是/否, Y/N, true/false);
//   - the mapping: fields.tax_included / fields.tax_rate (a column or a
//     const, per line), or document.tax_included / document.tax_rate (the
//     list's header).
//
// A line's own columns win over what the headers say; when the two
// disagree the row is rejected, and when the file and the mapping's
// document constants disagree the list's header is (a header error), so a
// price never silently changes meaning.
//
// Tax rates are percentages ("13" is 13%). "13%" and "13" read as 13; a bare
// value between 0 and 1 ("0.13", or a number cell formatted as 13%, which
// holds 0.13) is ambiguous, 13% or 0.13%, and is refused unless the mapping
// says how to read it: transform rate_fraction (0.13 → 13) or rate_percent
// (0.13 → 0.13).
//
// A file with both a tax-included and a tax-excluded price column imports
// the tax-included one (the amount the dealer pays and the invoice shows) as
// unit_price, with tax_included true, and checks the other against it when
// the rate is known: excluded × (1 + rate/100) must round to included.

// taxBasis is what a header, a note or a column says of tax: included
// "true", "false" or "" (silent), and the rate in percent ("" when none).
type taxBasis struct {
	included string
	rate     string
	// where says where it was read, for messages: `column B (含税单价)`,
	// `the title note A1 "…"`.
	where string
}

func (t taxBasis) known() bool { return t.included != "" || t.rate != "" }

var (
	// reTaxWord tells that a text speaks of tax at all.
	reTaxWord = regexp.MustCompile(`税|(?i)\b(vat|tax|gst)\b|含票|不含票`)
	// reTaxExcluded and reTaxIncluded find the basis; excluded is tried
	// first, since 不含税 contains 含税.
	reTaxExcluded = regexp.MustCompile(`不含税|不含增值税|未含税|未税|除税|税前|不含票|未含票|(?i)\b(excl\.?|excluding|exclusive\s+of|ex\.?|without|before|pre-?)\s*(\d+(\.\d+)?\s*%\s*)?(vat|tax|gst)\b|\b(vat|tax|gst)\s*(excl\.?|excluded|exclusive)|\bnet\b`)
	reTaxIncluded = regexp.MustCompile(`含\s*(\d+(\.\d+)?\s*%\s*)?(增值)?税|含票|价税合计|税后|(?i)\b(incl\.?|including|inclusive\s+of|inc\.?|with|after)\s*(\d+(\.\d+)?\s*%\s*)?(vat|tax|gst)\b|\b(vat|tax|gst)\s*(incl\.?|included|inclusive)|\bgross\b`)
	// reRate finds a rate written in a note: "13%".
	reRate = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*%`)
)

// readTaxNote reads the tax basis a price column's header or a title note
// states; zero when it says nothing of tax. A rate is taken only from a
// text that speaks of tax, and a title must name tax for any basis: a
// "dealer net price list" may mean net of discounts.
func readTaxNote(text, where string, title bool) taxBasis {
	s := HalfWidth(text)
	t := taxBasis{where: where}
	if title && !reTaxWord.MatchString(s) {
		return taxBasis{}
	}
	switch {
	case reTaxExcluded.MatchString(s):
		t.included = "false"
	case reTaxIncluded.MatchString(s):
		t.included = "true"
	}
	if reTaxWord.MatchString(s) || t.included != "" {
		if m := reRate.FindStringSubmatch(s); m != nil {
			if r, err := Decimal(m[1]); err == nil {
				t.rate = r
			}
		}
	}
	if !t.known() {
		return taxBasis{}
	}
	return t
}

// merge combines two statements of the same scope, t first; a conflict is
// returned as a message.
func (t taxBasis) merge(o taxBasis) (taxBasis, string) {
	out := t
	if o.included != "" {
		switch {
		case t.included == "":
			out.included = o.included
		case t.included != o.included:
			return t, fmt.Sprintf("%s says prices %s tax but %s says they %s it", t.where, includesWord(t.included), o.where, includesWord(o.included))
		}
	}
	if o.rate != "" {
		switch {
		case t.rate == "":
			out.rate = o.rate
		case compareRates(t.rate, o.rate) != 0:
			return t, fmt.Sprintf("%s says the tax rate is %s%% but %s says %s%%", t.where, t.rate, o.where, o.rate)
		}
	}
	switch {
	case out.where == "":
		out.where = o.where
	case out.included != t.included || out.rate != t.rate:
		out.where += " and " + o.where
	}
	return out, ""
}

func includesWord(included string) string {
	if included == "true" {
		return "include"
	}
	return "exclude"
}

// Boolean reads a yes/no cell: true, yes, y, 1, 是, 含税, √ … are "true";
// false, no, n, 0, 否, 不含税, 未税, × … are "false".
func Boolean(s string) (string, error) {
	switch strings.ToLower(Trim(HalfWidth(s))) {
	case "true", "t", "yes", "y", "1", "是", "含税", "含", "有", "√", "✓", "✔":
		return "true", nil
	case "false", "f", "no", "n", "0", "否", "不含税", "不含", "未税", "无", "×", "✗", "✘":
		return "false", nil
	}
	return "", errors.New("not a yes/no value: write 是 or 否, Y or N, true or false")
}

// Rate modes: how a bare number without a % sign reads.
const (
	rateStrict   = iota // 0 < x < 1 is ambiguous; otherwise percent
	rateFraction        // a fraction of one: 0.13 is 13%
	ratePercent         // percent as written: 0.13 is 0.13%
)

// Rate reads a tax rate in percent: "13%" and "13" → "13", "0" → "0".
// A bare value between 0 and 1 ("0.13", as a number cell formatted 13%
// holds it) could be 13% or 0.13%, and is refused; see RateFraction and
// RatePercent. Rates above 100% are refused.
func Rate(s string) (string, error) { return readRate(s, connectors.CellText, rateStrict) }

// RateFraction reads a tax rate written as a fraction of one, as Excel
// stores a cell formatted as a percentage: "0.13" → "13"; "13%" → "13".
func RateFraction(s string) (string, error) { return readRate(s, connectors.CellText, rateFraction) }

// RatePercent reads a tax rate in percent as written: "0.5" → "0.5" (0.5%),
// "13" → "13", "13%" → "13".
func RatePercent(s string) (string, error) { return readRate(s, connectors.CellText, ratePercent) }

// rateTransform is a rate transform over a cell: a number cell's binary
// noise ("0.13000000000000001") is rounded off as cellDecimal does.
func rateTransform(mode int) transformFunc {
	return func(v string, t connectors.CellType) (string, error) { return readRate(v, t, mode) }
}

func readRate(s string, ct connectors.CellType, mode int) (string, error) {
	t := Trim(HalfWidth(s))
	body, pct := strings.CutSuffix(t, "%")
	d, err := cellDecimal(body, ct)
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(d, "-") {
		return "", errors.New("a tax rate cannot be negative")
	}
	in, fr, _ := strings.Cut(d, ".")
	below1 := strings.Trim(in, "0") == ""
	nonZero := strings.Trim(in+fr, "0") != ""
	switch {
	case pct:
	case mode == rateFraction:
		if !below1 && !(in == "1" && strings.Trim(fr, "0") == "") {
			return "", fmt.Errorf("%s is not a fraction of one: write 0.13 for 13%%, or 13%%", d)
		}
		d = formatDecimal(false, in+fr, len(in)+2, true, 0)
	case mode == rateStrict && below1 && nonZero:
		hundred := formatDecimal(false, in+fr, len(in)+2, true, 0)
		return "", fmt.Errorf("ambiguous tax rate %s: %s%% or %s%%? write %s%% (or %s); a mapping can say how its rates read "+
			"with transform rate_fraction (0.13 → 13) or rate_percent (0.13 → 0.13)", d, hundred, d, hundred, hundred)
	}
	if compareRates(d, "100") > 0 {
		return "", fmt.Errorf("a tax rate of %s%% is above 100%%", d)
	}
	return d, nil
}

// compareRates compares two non-negative canonical decimals.
func compareRates(a, b string) int {
	ai, af, _ := strings.Cut(a, ".")
	bi, bf, _ := strings.Cut(b, ".")
	ai, bi = strings.TrimLeft(ai, "0"), strings.TrimLeft(bi, "0")
	af, bf = strings.TrimRight(af, "0"), strings.TrimRight(bf, "0")
	if len(ai) != len(bi) {
		if len(ai) < len(bi) {
			return -1
		}
		return 1
	}
	if c := strings.Compare(ai, bi); c != 0 {
		return c
	}
	return strings.Compare(af, bf)
}

// cellBoolean is the boolean transform over a cell: a TRUE/FALSE cell too.
func cellBoolean(v string, _ connectors.CellType) (string, error) { return Boolean(v) }
