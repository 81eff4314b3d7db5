package mappings

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/schemas"
)

// Transform names, as written in a mapping file's transform list.
const (
	TransformTrim      = "trim"      // strip leading and trailing spaces
	TransformHalfWidth = "halfwidth" // full-width letters, digits and signs to ASCII
	TransformText      = "text"      // trim and collapse runs of spaces and line breaks
	TransformCode      = "code"      // halfwidth, then trim: SKUs, GTINs, warehouse codes
	TransformUpper     = "upper"
	TransformLower     = "lower"
	TransformDecimal   = "decimal"  // see Decimal
	TransformPercent   = "percent"  // see Percent
	TransformInteger   = "integer"  // a decimal with no fraction
	TransformDate      = "date"     // see Date
	TransformUnit      = "unit"     // see Unit
	TransformCurrency  = "currency" // see Currency
	// TransformBoolean reads yes/no cells (是/否, Y/N, true/false); see
	// Boolean.
	TransformBoolean = "boolean"
	// TransformRate reads a tax rate in percent and refuses ambiguous
	// fractions; see Rate. TransformRateFraction and TransformRatePercent
	// read bare numbers as fractions of one or as percent; see RateFraction
	// and RatePercent.
	TransformRate         = "rate"
	TransformRateFraction = "rate_fraction"
	TransformRatePercent  = "rate_percent"
)

// transformFunc turns one cell value into a canonical string; t is the type
// of the cell the value came from (CellText for constants and defaults).
type transformFunc func(v string, t connectors.CellType) (string, error)

// transformByName returns the named transform; ok is false for an unknown
// name.
func transformByName(name string) (transformFunc, bool) {
	switch name {
	case TransformTrim:
		return func(v string, _ connectors.CellType) (string, error) { return Trim(v), nil }, true
	case TransformHalfWidth:
		return func(v string, _ connectors.CellType) (string, error) { return HalfWidth(v), nil }, true
	case TransformText:
		return func(v string, _ connectors.CellType) (string, error) { return Text(v), nil }, true
	case TransformCode:
		return code, true
	case TransformUpper:
		return func(v string, _ connectors.CellType) (string, error) { return strings.ToUpper(v), nil }, true
	case TransformLower:
		return func(v string, _ connectors.CellType) (string, error) { return strings.ToLower(v), nil }, true
	case TransformDecimal:
		return func(v string, t connectors.CellType) (string, error) { return cellDecimal(v, t) }, true
	case TransformPercent:
		return func(v string, _ connectors.CellType) (string, error) { return Percent(v) }, true
	case TransformInteger:
		return func(v string, t connectors.CellType) (string, error) { return integer(v, t) }, true
	case TransformDate:
		return Date, true
	case TransformUnit:
		return func(v string, _ connectors.CellType) (string, error) { return Unit(v) }, true
	case TransformCurrency:
		return func(v string, _ connectors.CellType) (string, error) { return Currency(v) }, true
	case TransformBoolean:
		return cellBoolean, true
	case TransformRate:
		return rateTransform(rateStrict), true
	case TransformRateFraction:
		return rateTransform(rateFraction), true
	case TransformRatePercent:
		return rateTransform(ratePercent), true
	}
	return nil, false
}

// Trim strips leading and trailing white space, including the ideographic
// space (U+3000) and no-break spaces.
func Trim(s string) string { return strings.TrimFunc(s, unicode.IsSpace) }

// HalfWidth turns full-width forms (Ａ１，￥ and the ideographic space)
// into their narrow forms; Chinese characters are left alone.
func HalfWidth(s string) string {
	for _, r := range s {
		if r >= 0xFF00 && r <= 0xFFEF || r == 0x3000 {
			return width.Narrow.String(s)
		}
	}
	return s // the common case, without the transformer's allocations
}

// Text trims s and collapses every run of white space inside it (line
// breaks typed with Alt+Enter included) to one space.
func Text(s string) string { return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ") }

// code cleans an identifier: half-width, trimmed; a number cell written in
// exponent form ("6.901234567892E+12") is expanded to its digits.
func code(v string, t connectors.CellType) (string, error) {
	v = Trim(HalfWidth(v))
	if t == connectors.CellNumber && strings.ContainsAny(v, "eE") {
		if d, err := Decimal(v); err == nil {
			return d, nil
		}
	}
	return v, nil
}

// currencyWords are stripped from decimals: the symbols and codes suppliers
// type next to prices. Longer words come first so "RMB" goes before "$".
var currencyWords = [...]string{"RMB", "CNY", "USD", "US$", "¥", "$", "元"}

// Decimal reads a money amount or quantity the way suppliers type it and
// returns it as a canonical decimal string, never passing through float64:
// "¥1,234.00" → "1234.00", "１２３" → "123", "1 234,5"... is refused. It
// strips the currency symbols and codes ¥ ￥ $ 元 RMB CNY USD, spaces, and
// thousands separators (, and ，) placed in groups of three; it accepts a
// leading sign and exponent notation ("1.5E-3" → "0.0015"). Trailing zeros
// are kept: the supplier's precision is part of the value.
func Decimal(s string) (string, error) {
	s = HalfWidth(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	for _, w := range currencyWords {
		s = removeFold(s, w)
	}
	if s == "" {
		return "", errors.New("not a number: no digits")
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	mant, exp, hasExp := strings.Cut(s, "e")
	if !hasExp {
		mant, exp, hasExp = strings.Cut(s, "E")
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if strings.Contains(frac, ".") {
		return "", errors.New("not a number: more than one decimal point")
	}
	if strings.Contains(frac, ",") {
		return "", errors.New("not a number: a comma after the decimal point")
	}
	intPart, err := ungroup(intPart)
	if err != nil {
		return "", err
	}
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return "", errors.New("not a number: expected digits with an optional decimal point, such as 1234.50")
	}
	digits, point := intPart+frac, len(intPart)
	if hasExp {
		e, err := strconv.Atoi(exp)
		if err != nil || e > 400 || e < -400 {
			return "", errors.New("not a number: a bad exponent")
		}
		point += e
	}
	return formatDecimal(neg, digits, point, hasExp, 0), nil
}

// formatDecimal writes digits with the decimal point after point digits
// (point may be outside 0..len(digits)). With trim, fraction zeros beyond
// minFrac digits are dropped.
func formatDecimal(neg bool, digits string, point int, trim bool, minFrac int) string {
	for point < 0 {
		digits, point = "0"+digits, point+1
	}
	for point > len(digits) {
		digits += "0"
	}
	in, fr := strings.TrimLeft(digits[:point], "0"), digits[point:]
	if in == "" {
		in = "0"
	}
	if len(fr) > minFrac && trim {
		// The point was moved: drop the zeros that padded the fraction.
		fr = strings.TrimRight(fr, "0")
		if len(fr) < minFrac {
			fr += strings.Repeat("0", minFrac-len(fr))
		}
	}
	var b strings.Builder
	if neg && strings.Trim(in+fr, "0") != "" {
		b.WriteByte('-')
	}
	b.WriteString(in)
	if fr != "" {
		b.WriteByte('.')
		b.WriteString(fr)
	}
	return b.String()
}

// removeFold removes every occurrence of w from s, ignoring ASCII case.
func removeFold(s, w string) string {
	var b []byte
	for i := 0; i < len(s); {
		if i+len(w) <= len(s) && strings.EqualFold(s[i:i+len(w)], w) {
			if b == nil {
				b = append(make([]byte, 0, len(s)), s[:i]...)
			}
			i += len(w)
			continue
		}
		if b != nil {
			b = append(b, s[i])
		}
		i++
	}
	if b == nil {
		return s
	}
	return string(b)
}

// ungroup removes thousands separators from the integer part, requiring
// groups of three digits after the first, so that "12,5" (a European
// decimal comma) is refused rather than read as 125.
func ungroup(s string) (string, error) {
	if !strings.Contains(s, ",") {
		return s, nil
	}
	groups := strings.Split(s, ",")
	if len(groups[0]) == 0 || len(groups[0]) > 3 {
		return "", errors.New("not a number: misplaced thousands separator")
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", errors.New("not a number: misplaced thousands separator (write 1,234.50 or 1234.50; a comma is not a decimal point)")
		}
	}
	return strings.Join(groups, ""), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// cellDecimal reads a decimal from a cell. A number cell's raw text holds
// up to 17 significant digits of a binary double ("0.30000000000000004");
// like Excel, which shows 15, it is rounded to 15 significant digits, and
// the zeros that leaves at the end are dropped.
func cellDecimal(v string, t connectors.CellType) (string, error) {
	d, err := Decimal(v)
	if err != nil || t != connectors.CellNumber {
		return d, err
	}
	return roundSignificant(d, 15), nil
}

// roundSignificant rounds a canonical decimal string to n significant
// digits (half away from zero), dropping trailing fraction zeros when it
// rounds.
func roundSignificant(d string, n int) string {
	neg := strings.HasPrefix(d, "-")
	in, fr, _ := strings.Cut(strings.TrimPrefix(d, "-"), ".")
	digits, point := in+fr, len(in)
	lead := len(digits) - len(strings.TrimLeft(digits, "0"))
	if len(digits)-lead <= n {
		return d
	}
	keep := []byte(digits[:lead+n])
	if digits[lead+n] >= '5' {
		i := len(keep) - 1
		for ; i >= 0 && keep[i] == '9'; i-- {
			keep[i] = '0'
		}
		if i >= 0 {
			keep[i]++
		} else {
			keep = append([]byte{'1'}, keep...)
			point++
		}
	}
	return formatDecimal(neg, string(keep), point, true, 0)
}

// Percent reads a rate: "13%" → "0.13", "13.5 ％" → "0.135"; a value with
// no percent sign is read as a decimal as is ("0.13" from a percent-formatted
// number cell stays "0.13").
func Percent(s string) (string, error) {
	t := Trim(HalfWidth(s))
	body, ok := strings.CutSuffix(t, "%")
	if !ok {
		return Decimal(t)
	}
	d, err := Decimal(body)
	if err != nil {
		return "", err
	}
	neg := strings.HasPrefix(d, "-")
	d = strings.TrimPrefix(d, "-")
	in, fr, _ := strings.Cut(d, ".")
	return formatDecimal(neg, in+fr, len(in)-2, false, len(fr)+2), nil
}

// integer reads a whole number: "1,200" → "1200", "12.0" → "12"; "12.5" is
// refused.
func integer(v string, t connectors.CellType) (string, error) {
	d, err := cellDecimal(v, t)
	if err != nil {
		return "", err
	}
	in, fr, _ := strings.Cut(d, ".")
	if strings.Trim(fr, "0") != "" {
		return "", errors.New("not a whole number")
	}
	return in, nil
}

// Unit maps a unit word (个, 箱, PCS, ＫＧ) to its UN/ECE Recommendation 20
// code with schemas.NormalizeUnit.
func Unit(s string) (string, error) {
	if c, ok := schemas.NormalizeUnit(s); ok {
		return c, nil
	}
	return "", errors.New("unknown unit of measure: write a UN/ECE code (EA, PCE, SET, CT, BX, KGM ...) or a word such as 个, 件, 套, 箱, PCS")
}

// excelEpoch is day 0 of Excel's 1900 date system for serials after the
// fictitious 1900-02-29 (serial 60).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// maxExcelSerial is 9999-12-31, the last day Excel knows.
const maxExcelSerial = 2958465

// Date reads a calendar date and returns it as YYYY-MM-DD. It accepts ISO
// dates (with or without a time after them), 2006/1/2, 2006-1-2, 2006.1.2,
// 2006年1月2日, 20060102, and Excel serial numbers (the 1900 date system,
// as date or number cells hold them, or as text): 45992 → 2025-12-01. It
// refuses dates that do not exist (2026-02-30, and serial 60, Excel's
// 1900-02-29) and day-first or month-first forms such as 1/2/2006, which
// are ambiguous.
func Date(v string, t connectors.CellType) (string, error) {
	s := Trim(HalfWidth(v))
	if s == "" {
		return "", errors.New("not a date: empty")
	}
	if allDigits(s) && len(s) == 8 && s[0] >= '1' && s[0] <= '2' {
		return ymd(s[:4], s[4:6], s[6:])
	}
	if t == connectors.CellNumber || t == connectors.CellDate || isSerial(s) {
		return excelSerial(s)
	}
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case '年', '月', '/', '.':
			return '-'
		case '日', '号':
			return -1
		}
		return r
	}, s)
	parts := strings.Split(s, "-")
	if len(parts) != 3 || len(parts[0]) != 4 {
		return "", errors.New("not a date: write it as YYYY-MM-DD, 2006/1/2 or 2006年1月2日")
	}
	return ymd(parts[0], parts[1], parts[2])
}

// isSerial reports whether text looks like an Excel serial typed or stored
// as text: digits with an optional fraction, up to 7 digits before it.
func isSerial(s string) bool {
	in, fr, _ := strings.Cut(s, ".")
	return in != "" && len(in) <= 7 && allDigits(in) && allDigits(fr)
}

func excelSerial(s string) (string, error) {
	in, fr, _ := strings.Cut(s, ".")
	if in == "" || !allDigits(in) || !allDigits(fr) {
		return "", errors.New("not a date: a date cell holds a serial that is not a number")
	}
	n, err := strconv.Atoi(in)
	if err != nil || n < 1 || n > maxExcelSerial {
		return "", fmt.Errorf("not a date: Excel serial %s is outside 1 (1900-01-01) to %d (9999-12-31)", in, maxExcelSerial)
	}
	switch {
	case n == 60:
		return "", errors.New("not a date: Excel serial 60 is 1900-02-29, a day that does not exist")
	case n < 60:
		n++ // before Excel's fictitious leap day, serials are one day off the epoch
	}
	return excelEpoch.AddDate(0, 0, n).Format(time.DateOnly), nil
}

// ymd checks that year, month and day name a real day.
func ymd(y, m, d string) (string, error) {
	yi, err1 := strconv.Atoi(y)
	mi, err2 := strconv.Atoi(m)
	di, err3 := strconv.Atoi(d)
	if err1 != nil || err2 != nil || err3 != nil || len(y) != 4 || len(m) > 2 || len(d) > 2 || !allDigits(y+m+d) {
		return "", errors.New("not a date: write it as YYYY-MM-DD, 2006/1/2 or 2006年1月2日")
	}
	tm := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
	if tm.Year() != yi || int(tm.Month()) != mi || tm.Day() != di || yi < 1900 {
		return "", fmt.Errorf("not a date: %04d-%02d-%02d does not exist", yi, mi, di)
	}
	return tm.Format(time.DateOnly), nil
}

// currencyOf names the currency a price cell shows by its symbol or code:
// ¥, ￥, 元, RMB and CNY are CNY; US$ and USD are USD; "" when none or a
// bare "$", which many currencies use.
func currencyOf(s string) string {
	u := strings.ToUpper(HalfWidth(s))
	switch {
	case strings.Contains(u, "US$") || strings.Contains(u, "USD"):
		return "USD"
	case strings.ContainsAny(u, "¥元") || strings.Contains(u, "RMB") || strings.Contains(u, "CNY"):
		return "CNY"
	}
	return ""
}

// Currency maps a currency as suppliers write it (人民币, RMB, ¥, 美元,
// usd) to its ISO 4217 code.
func Currency(s string) (string, error) {
	u := strings.ToUpper(Trim(HalfWidth(s)))
	switch u {
	case "人民币", "RMB", "元", "¥", "CN¥":
		return "CNY", nil
	case "美元", "US$", "$":
		return "USD", nil
	case "欧元", "€":
		return "EUR", nil
	case "港币", "港元", "HK$":
		return "HKD", nil
	case "日元", "円":
		return "JPY", nil
	}
	if len(u) == 3 && strings.Trim(u, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
		return u, nil
	}
	return "", errors.New("unknown currency: write an ISO 4217 code such as CNY or USD")
}
