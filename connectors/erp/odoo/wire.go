package odoo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
)

// Odoo sends an empty field as false, whatever the field's type, and
// floats as JSON numbers written by Python ("40.0", "1e-05"). The types
// here read those shapes without passing quantities through float64.

// Number is a JSON number kept as the text Odoo sent; false and null read
// as empty. Decimal turns it into canonical decimal text.
type Number string

// UnmarshalJSON reads a number, false or null.
func (n *Number) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch string(b) {
	case "false", "null":
		*n = ""
		return nil
	}
	var num json.Number
	if err := json.Unmarshal(b, &num); err != nil {
		return fmt.Errorf("odoo: want a number, got %s", b)
	}
	*n = Number(num)
	return nil
}

// Rat returns n as an exact rational; empty is zero. Python writes floats
// as the shortest text that reads back as the same float, so 0.1 stays
// 0.1, not 0.1000000000000000055…
func (n Number) Rat() (*big.Rat, error) {
	r := new(big.Rat)
	if n == "" {
		return r, nil
	}
	if _, ok := r.SetString(string(n)); !ok {
		return nil, fmt.Errorf("odoo: %q is not a number", string(n))
	}
	return r, nil
}

// Decimal returns n as canonical decimal text: "40.0" → "40", "1e-05" →
// "0.00001", empty → "0".
func (n Number) Decimal() (string, error) {
	r, err := n.Rat()
	if err != nil {
		return "", err
	}
	return ratText(r), nil
}

// ratText writes a finite decimal without trailing zeros or exponent.
func ratText(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	// Sums of finite decimals are finite decimals; 40 digits is plenty
	// for quantities, then the trailing zeros go.
	t := strings.TrimRight(r.FloatString(40), "0")
	return strings.TrimSuffix(t, ".")
}

// Many2One is a relational value: Odoo sends [id, "display name"], or
// false when empty (ID zero).
type Many2One struct {
	ID   int
	Name string
}

// UnmarshalJSON reads [id, name], a bare id, false or null.
func (m *Many2One) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*m = Many2One{}
	switch {
	case string(b) == "false" || string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '[':
		var pair []json.RawMessage
		if err := json.Unmarshal(b, &pair); err != nil || len(pair) == 0 {
			return fmt.Errorf("odoo: want [id, name], got %s", b)
		}
		if err := json.Unmarshal(pair[0], &m.ID); err != nil {
			return fmt.Errorf("odoo: want [id, name], got %s", b)
		}
		if len(pair) > 1 {
			_ = json.Unmarshal(pair[1], &m.Name) // a name may be false
		}
		return nil
	}
	if err := json.Unmarshal(b, &m.ID); err != nil {
		return fmt.Errorf("odoo: want a record id, got %s", b)
	}
	return nil
}

// Text is a char or selection field: a string, or false (empty).
type Text string

// UnmarshalJSON reads a string, false or null.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "false" || string(b) == "null" {
		*t = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("odoo: want text, got %s", b)
	}
	*t = Text(s)
	return nil
}

// decimalSum adds Odoo numbers exactly.
type decimalSum struct{ r big.Rat }

// add adds n; a malformed number is an error naming it.
func (s *decimalSum) add(n Number) error {
	r, err := n.Rat()
	if err != nil {
		return err
	}
	s.r.Add(&s.r, r)
	return nil
}

// sub subtracts n.
func (s *decimalSum) sub(n Number) error {
	r, err := n.Rat()
	if err != nil {
		return err
	}
	s.r.Sub(&s.r, r)
	return nil
}

// String returns the sum as canonical decimal text.
func (s *decimalSum) String() string { return ratText(&s.r) }

// jsonNumber returns decimal text as a JSON number that is written exactly
// as given (no float64 on the way out either), after checking it is one.
func jsonNumber(s string) (json.Number, bool) {
	s = strings.TrimSpace(s)
	if _, ok := new(big.Rat).SetString(s); !ok || s == "" {
		return "", false
	}
	if !json.Valid([]byte(s)) { // "1." or ".5" or "1/2" read as Rats
		return "", false
	}
	return json.Number(s), true
}
