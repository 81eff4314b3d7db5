package edimap

import (
	"slices"

	"github.com/dealerhub/dealerhub/schemas"
)

// Lookup returns what code means in the first of tables that has it:
// a partner's table first, then the mapping's built-in one, so that a
// partner adds codes and overrides built-in ones.
func Lookup(code string, tables ...map[string]string) (string, bool) {
	for _, t := range tables {
		if v, ok := t[code]; ok {
			return v, true
		}
	}
	return "", false
}

// CodeFor returns the smallest code that m maps to v, so that writing
// back through a table with several codes for one meaning is
// deterministic. ok is false when no code maps to v.
func CodeFor(m map[string]string, v string) (string, bool) {
	var codes []string
	for code, x := range m {
		if x == v {
			codes = append(codes, code)
		}
	}
	if len(codes) == 0 {
		return "", false
	}
	slices.Sort(codes)
	return codes[0], true
}

// CanonicalUnit maps an EDI unit code to a canonical unit (UN/ECE Rec 20,
// schemas.UnitCodes): the partner's units first, then the standard's
// table, then a code that is already canonical. The standard's table
// comes before the canonical codes so that a standard code that is also
// a Rec 20 code with another meaning reads as the standard means it.
// code is looked up as given: trimming and case are the caller's choice.
func CanonicalUnit(code string, partner, standard map[string]string) (string, bool) {
	if u, ok := Lookup(code, partner, standard); ok {
		return u, true
	}
	if slices.Contains(schemas.UnitCodes, code) {
		return code, true
	}
	return "", false
}

// Strings returns the strings of a list in a canonical body ([]string, or
// []any as encoding/json decodes it, whose non-strings are skipped); nil
// for anything else.
func Strings(v any) []string {
	switch v := v.(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
