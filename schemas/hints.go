package schemas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// hints are what the schema sources say about their own subschemas, keyed
// by absolute schema location (the ValidationError's SchemaURL), used to
// phrase reasons: "x-expect" describes a valid value ("a decimal string such
// as \"12.50\""), "x-reason" explains a "not" rule, and the property names of
// closed objects let an unexpected property suggest the one meant.
type hints struct {
	expect map[string]string
	reason map[string]string
	props  map[string][]string
}

// collect records the hints of v, a schema document or part of one, found
// at location loc ("https://…/order.json#/properties/lines").
func (h hints) collect(loc string, v any) {
	switch t := v.(type) {
	case map[string]any:
		if s, ok := t["x-expect"].(string); ok {
			h.expect[loc] = s
		}
		if s, ok := t["x-reason"].(string); ok {
			h.reason[loc] = s
		}
		if props, ok := t["properties"].(map[string]any); ok {
			names := make([]string, 0, len(props))
			for name := range props {
				names = append(names, name)
			}
			slices.Sort(names)
			h.props[loc] = names
		}
		for k, c := range t {
			h.collect(loc+pointer([]string{k}), c)
		}
	case []any:
		for i, c := range t {
			h.collect(loc+"/"+strconv.Itoa(i), c)
		}
	}
}

// jsonValue returns doc as the generic JSON values the validator reads
// (map[string]any, []any, string, json.Number or other numbers, bool, nil).
// doc is returned as is when it already is one; otherwise (structs, typed
// maps and slices, YAML trees with map[any]any) a converted copy is made, so
// the caller's value is never modified.
func jsonValue(doc any) (any, error) {
	if isJSONValue(doc) {
		return doc, nil
	}
	return convert(doc)
}

func isJSONValue(v any) bool {
	switch t := v.(type) {
	case nil, bool, string, json.Number, float64, float32,
		int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return true
	case map[string]any:
		for _, c := range t {
			if !isJSONValue(c) {
				return false
			}
		}
		return true
	case []any:
		for _, c := range t {
			if !isJSONValue(c) {
				return false
			}
		}
		return true
	}
	return false
}

func convert(v any) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, c := range t {
			cv, err := convert(c)
			if err != nil {
				return nil, err
			}
			m[k] = cv
		}
		return m, nil
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, c := range t {
			ks, ok := k.(string)
			if !ok {
				return nil, fmt.Errorf("key %v is a %T, not a string", k, k)
			}
			cv, err := convert(c)
			if err != nil {
				return nil, err
			}
			m[ks] = cv
		}
		return m, nil
	case []any:
		s := make([]any, len(t))
		for i, c := range t {
			cv, err := convert(c)
			if err != nil {
				return nil, err
			}
			s[i] = cv
		}
		return s, nil
	}
	if isJSONValue(v) {
		return v, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding %T: %w", v, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("decoding %T: %w", v, err)
	}
	return out, nil
}
