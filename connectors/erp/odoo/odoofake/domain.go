package odoofake

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// odooError is an exception a model method raises.
type odooError struct{ name, message string }

func (e *odooError) Error() string { return e.name + ": " + e.message }

func asOdooError(err error, target **odooError) bool { return errors.As(err, target) }

// valueError is Odoo's ValueError for a bad call.
func valueError(format string, args ...any) error {
	return &odooError{name: "builtins.ValueError", message: fmt.Sprintf(format, args...)}
}

// cond is one [path, operator, value] of a domain.
type cond struct {
	path  []string
	op    string
	value any          // decoded with UseNumber
	set   map[any]bool // the keys of an in / not in list
}

// key returns a comparable key for set membership: ids and integral
// numbers as int64, texts as themselves; nil for anything else.
func key(v any) any {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return int64(x)
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		if r, ok := new(big.Rat).SetString(string(x)); ok && r.IsInt() {
			return r.Num().Int64()
		}
		return string(x)
	}
	return nil
}

// parseDomain reads a flat domain: conditions joined by an implied AND
// ("&" is accepted and ignored; "|" and "!" are not served).
func parseDomain(t *table, ms map[string]*table, raw json.RawMessage) ([]cond, error) {
	var items []json.RawMessage
	if len(raw) == 0 {
		return nil, nil
	}
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, valueError("Invalid domain: %s", raw)
	}
	var out []cond
	for _, it := range items {
		var op string
		if json.Unmarshal(it, &op) == nil {
			if op == "&" {
				continue
			}
			return nil, valueError("odoofake serves flat AND domains only, not %q", op)
		}
		var parts []json.RawMessage
		if err := json.Unmarshal(it, &parts); err != nil || len(parts) != 3 {
			return nil, valueError("Invalid leaf %s", it)
		}
		var c cond
		var field string
		if json.Unmarshal(parts[0], &field) != nil || json.Unmarshal(parts[1], &c.op) != nil {
			return nil, valueError("Invalid leaf %s", it)
		}
		d := json.NewDecoder(strings.NewReader(string(parts[2])))
		d.UseNumber()
		if err := d.Decode(&c.value); err != nil {
			return nil, valueError("Invalid leaf %s", it)
		}
		if c.op == "in" || c.op == "not in" {
			c.set = map[any]bool{}
			for _, x := range listOf(c.value) {
				if k := key(x); k != nil {
					c.set[k] = true
				}
			}
		}
		c.path = strings.Split(field, ".")
		if err := checkPath(t, ms, c.path); err != nil {
			return nil, err
		}
		switch c.op {
		case "=", "!=", "in", "not in", "<", "<=", ">", ">=", "child_of":
		default:
			return nil, valueError("Invalid operator %q in domain term %s", c.op, it)
		}
		out = append(out, c)
	}
	return out, nil
}

// checkPath checks that each field of a dotted path exists.
func checkPath(t *table, ms map[string]*table, path []string) error {
	for i, f := range path {
		if !t.hasField(f) {
			return valueError("Invalid field %s.%s in leaf", t.name, f)
		}
		if i < len(path)-1 {
			co, ok := t.rel[f]
			if !ok {
				return valueError("Invalid field %s.%s: not a relational field", t.name, f)
			}
			t = ms[co]
		}
	}
	return nil
}

// resolve walks a dotted path from r: the last model, its record and the
// value of the last field (nil when a relation on the way is empty).
func resolve(t *table, ms map[string]*table, r rec, path []string) (*table, any) {
	for _, f := range path[:len(path)-1] {
		id, _ := r[f].(int)
		t = ms[t.rel[f]]
		if r = t.byID[id]; r == nil {
			return t, nil
		}
	}
	return t, r[path[len(path)-1]]
}

// match reports whether r satisfies every condition.
func match(t *table, ms map[string]*table, r rec, cs []cond) bool {
	for _, c := range cs {
		mt, v := resolve(t, ms, r, c.path)
		if !test(mt, ms, c, v) {
			return false
		}
	}
	return true
}

// test applies one condition to a value.
func test(t *table, ms map[string]*table, c cond, v any) bool {
	switch c.op {
	case "=":
		return equal(v, c.value)
	case "!=":
		return !equal(v, c.value)
	case "in", "not in":
		in := false
		if k := key(v); k != nil {
			in = c.set[k]
		}
		return in == (c.op == "in")
	case "child_of":
		ids := map[int]bool{}
		for _, x := range listOf(c.value) {
			if n, ok := number(x); ok && n.IsInt() {
				ids[int(n.Num().Int64())] = true
			}
		}
		id, _ := v.(int)
		co := ms[t.rel[c.path[len(c.path)-1]]]
		if co == nil {
			return false
		}
		up := parentField[co.name]
		for hops := 0; id != 0 && hops < 100; hops++ {
			if ids[id] {
				return true
			}
			if up == "" || co.byID[id] == nil {
				return false
			}
			id, _ = co.byID[id][up].(int)
		}
		return false
	}
	cmp, ok := compare(v, c.value)
	if !ok {
		return false
	}
	switch c.op {
	case "<":
		return cmp < 0
	case "<=":
		return cmp <= 0
	case ">":
		return cmp > 0
	}
	return cmp >= 0
}

// parentField is the parent relation of the hierarchical models.
var parentField = map[string]string{"stock.location": "location_id", "res.partner": "parent_id"}

// listOf returns v as a list.
func listOf(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

// number reads an int or json.Number as a rational.
func number(v any) (*big.Rat, bool) {
	switch x := v.(type) {
	case int:
		return new(big.Rat).SetInt64(int64(x)), true
	case json.Number:
		return new(big.Rat).SetString(string(x))
	}
	return nil, false
}

// empty reports Odoo's falsy values: false, nil, 0 ids, "".
func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case int:
		return x == 0
	case string:
		return x == ""
	}
	return false
}

// equal compares a stored value with a domain value.
func equal(v, want any) bool {
	if b, ok := want.(bool); ok && !b {
		return empty(v)
	}
	c, ok := compare(v, want)
	return ok && c == 0
}

// compare orders numbers with numbers and texts with texts.
func compare(v, want any) (int, bool) {
	if a, ok := key(v).(int64); ok { // ids: the common case, without big.Rat
		if b, ok := key(want).(int64); ok {
			return cmpInt(a, b), true
		}
	}
	if a, ok := number(v); ok {
		if b, ok := number(want); ok {
			return a.Cmp(b), true
		}
		return 0, false
	}
	a, ok1 := v.(string)
	b, ok2 := want.(string)
	if ok1 && ok2 {
		return strings.Compare(a, b), true
	}
	return 0, false
}

// cmpInt orders two integers.
func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
