package pricelist

import (
	"fmt"
)

// FromDocument returns the lines of a canonical price_list document, as the
// mapping engine builds it or encoding/json decodes it (lines and tiers as
// []any or []map[string]any). Every line takes the list's currency, and the
// list's valid_from, valid_to, tax_included and tax_rate unless it sets its
// own. Values must be strings, and tax_included a boolean; decimals are
// checked by Compute, not here. Errors name the JSON pointer of the value.
func FromDocument(doc map[string]any) ([]Line, error) {
	var hdr Line
	var err error
	for _, f := range []struct {
		key string
		dst *string
	}{{"currency", &hdr.Currency}, {"valid_from", &hdr.ValidFrom}, {"valid_to", &hdr.ValidTo}, {"tax_rate", &hdr.TaxRate}} {
		if *f.dst, err = optString(doc, f.key, ""); err != nil {
			return nil, fmt.Errorf("reading the list's header: %w", err)
		}
	}
	if hdr.TaxIncluded, err = optBool(doc, "tax_included"); err != nil {
		return nil, fmt.Errorf("reading the list's header: %w", err)
	}
	raw, ok := doc["lines"]
	if !ok {
		return nil, fmt.Errorf("reading /lines: the document has no lines")
	}
	items, err := objects(raw, "/lines")
	if err != nil {
		return nil, err
	}
	lines := make([]Line, len(items))
	for i, item := range items {
		if lines[i], err = lineOf(item, fmt.Sprintf("/lines/%d", i), hdr); err != nil {
			return nil, err
		}
	}
	return lines, nil
}

// lineOf reads one line object found at pointer; hdr holds the list's
// currency, validity and tax basis.
func lineOf(m map[string]any, pointer string, hdr Line) (Line, error) {
	l := Line{Currency: hdr.Currency}
	var err error
	for _, f := range []struct {
		key  string
		dst  *string
		dflt string
	}{
		{"sku", &l.SKU, ""}, {"unit", &l.Unit, ""}, {"unit_price", &l.UnitPrice, ""},
		{"min_quantity", &l.MinQuantity, ""}, {"valid_from", &l.ValidFrom, hdr.ValidFrom}, {"valid_to", &l.ValidTo, hdr.ValidTo},
		{"tax_rate", &l.TaxRate, hdr.TaxRate},
	} {
		if *f.dst, err = optString(m, f.key, f.dflt); err != nil {
			return Line{}, fmt.Errorf("reading %s: %w", pointer, err)
		}
	}
	if l.TaxIncluded, err = optBool(m, "tax_included"); err != nil {
		return Line{}, fmt.Errorf("reading %s: %w", pointer, err)
	}
	l = l.WithListTax(hdr.TaxIncluded, hdr.TaxRate)
	if l.SKU == "" {
		return Line{}, fmt.Errorf("reading %s/sku: the line has no SKU", pointer)
	}
	raw, ok := m["tiers"]
	if !ok || raw == nil {
		return l, nil
	}
	tiers, err := objects(raw, pointer+"/tiers")
	if err != nil {
		return Line{}, err
	}
	for t, tm := range tiers {
		var tier Tier
		if tier.MinQuantity, err = optString(tm, "min_quantity", ""); err == nil {
			tier.UnitPrice, err = optString(tm, "unit_price", "")
		}
		if err != nil {
			return Line{}, fmt.Errorf("reading %s/tiers/%d: %w", pointer, t, err)
		}
		l.Tiers = append(l.Tiers, tier)
	}
	return l, nil
}

// objects returns the objects of a JSON array held as []any or
// []map[string]any.
func objects(raw any, pointer string) ([]map[string]any, error) {
	switch v := raw.(type) {
	case []map[string]any:
		return v, nil
	case []any:
		out := make([]map[string]any, len(v))
		for i, item := range v {
			m, ok := item.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("reading %s/%d: want an object, got %T", pointer, i, item)
			}
			out[i] = m
		}
		return out, nil
	}
	return nil, fmt.Errorf("reading %s: want an array of objects, got %T", pointer, raw)
}

// optBool returns m[key], a JSON boolean, as "true" or "false"; "" when
// absent or null.
func optBool(m map[string]any, key string) (string, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return "", nil
	}
	b, ok := v.(bool)
	if !ok {
		return "", fmt.Errorf("%s: want true or false, got %T %v", key, v, v)
	}
	return fmt.Sprint(b), nil
}

// optString returns m[key] as a string, dflt when absent or null.
func optString(m map[string]any, key, dflt string) (string, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return dflt, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s: want a string (decimals are written as strings such as \"12.50\"), got %T %v", key, v, v)
	}
	return s, nil
}
