package tryton

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Decimal is a decimal number as Tryton sends and takes it: the JSON object
// {"__class__":"Decimal","decimal":"6.80"}. The text is kept exactly.
type Decimal string

// MarshalJSON writes d as Tryton's tagged Decimal.
func (d Decimal) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Class   string `json:"__class__"`
		Decimal string `json:"decimal"`
	}{"Decimal", string(d)})
}

// UnmarshalJSON reads a tagged Decimal, a JSON number or null (empty).
func (d *Decimal) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	switch {
	case s == "null":
		*d = ""
		return nil
	case strings.HasPrefix(s, "{"):
		var v struct {
			Class   string `json:"__class__"`
			Decimal string `json:"decimal"`
		}
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		if v.Class != "Decimal" {
			return fmt.Errorf("tryton: want a Decimal, got a %q", v.Class)
		}
		*d = Decimal(v.Decimal)
		return nil
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("tryton: want a Decimal, got %s", s)
		}
		*d = Decimal(n.String())
		return nil
	}
}

// Date is a calendar date as Tryton sends and takes it: the JSON object
// {"__class__":"date","year":2026,"month":11,"day":24}.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads a YYYY-MM-DD date.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// String returns d as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date (Tryton's null).
func (d Date) IsZero() bool { return d == Date{} }

// MarshalJSON writes d as Tryton's tagged date, or null when d is zero.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return fmt.Appendf(nil, `{"__class__":"date","year":%d,"month":%d,"day":%d}`, d.Year, int(d.Month), d.Day), nil
}

// UnmarshalJSON reads a tagged date or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if strings.TrimSpace(string(b)) == "null" {
		*d = Date{}
		return nil
	}
	var v struct {
		Class string `json:"__class__"`
		Year  int    `json:"year"`
		Month int    `json:"month"`
		Day   int    `json:"day"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.Class != "date" && v.Class != "datetime" {
		return fmt.Errorf("tryton: want a date, got a %q", v.Class)
	}
	*d = Date{v.Year, time.Month(v.Month), v.Day}
	return nil
}

// Ref is a Many2One value: Tryton sends the id, or null (zero).
type Ref int

// UnmarshalJSON reads an id or null.
func (r *Ref) UnmarshalJSON(b []byte) error {
	if strings.TrimSpace(string(b)) == "null" {
		*r = 0
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("tryton: want a record id, got %s", b)
	}
	*r = Ref(n)
	return nil
}

// formatQuantity turns a quantity Tryton sent as a JSON float into decimal
// text: the shortest text that reads back as the same float ("40", "12.5").
func formatQuantity(f float64) string {
	if f == 0 {
		return "0" // also turns -0 into 0
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// decimalSum adds decimal texts exactly.
type decimalSum struct{ r big.Rat }

// addFloat adds a quantity Tryton sent as a float, taken as its shortest
// decimal text so that 0.1 + 0.2 is 0.3.
func (s *decimalSum) addFloat(f float64) {
	var r big.Rat
	r.SetString(formatQuantity(f))
	s.r.Add(&s.r, &r)
}

// String returns the sum as decimal text without trailing zeros.
func (s *decimalSum) String() string {
	if s.r.IsInt() {
		return s.r.Num().String()
	}
	// Sums of finite decimals are finite decimals: 40 digits is plenty
	// for quantities, then the trailing zeros go.
	t := s.r.FloatString(40)
	t = strings.TrimRight(t, "0")
	return strings.TrimSuffix(t, ".")
}

// Sign returns the sum's sign.
func (s *decimalSum) Sign() int { return s.r.Sign() }
