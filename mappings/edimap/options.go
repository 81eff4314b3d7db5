package edimap

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/dealerhub/dealerhub/schemas"
)

// StockFields are the stock_level quantities a stock report's quantity
// codes can fill, in the order they are written. Treat the slice as
// read-only.
var StockFields = []string{"on_hand", "available", "reserved", "on_order", "safety_stock"}

// DecodeStrict decodes a partner's mapping overrides, as the config
// decoder gives them (maps, lists, strings), into v, a pointer to the
// mapping's Options: strictly, so that an unknown key is an error naming
// it. An empty m leaves v as it is.
func DecodeStrict(m map[string]any, v any) error {
	if len(m) == 0 {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// DefaultList sets *list to def when it is empty: an Options list left
// empty takes its default, it does not mean "none".
func DefaultList(list *[]string, def ...string) {
	if len(*list) == 0 {
		*list = def
	}
}

// OptionErrors collects the problems of a partner's mapping options,
// each as "<Prefix>: <field>: <message>", so that a config error names the
// field. The checks of the fields both EDI mappings have are methods.
type OptionErrors struct {
	// Prefix names the options: "x12 options", "edifact options".
	Prefix string
	errs   []error
}

// Add records a problem with field.
func (e *OptionErrors) Add(field, format string, args ...any) {
	e.errs = append(e.errs, fmt.Errorf("%s: %s: %s", e.Prefix, field, fmt.Sprintf(format, args...)))
}

// Err joins the problems; nil when there are none.
func (e *OptionErrors) Err() error { return errors.Join(e.errs...) }

// UnitCode checks that unit, when set, is a canonical unit code.
func (e *OptionErrors) UnitCode(field, unit string) {
	if unit != "" && !slices.Contains(schemas.UnitCodes, unit) {
		e.Add(field, "%q is not a UN/ECE Rec 20 unit code the schemas accept", unit)
	}
}

// Units checks that a partner's unit table maps every code to a
// canonical unit; a problem names "<field>.<code>".
func (e *OptionErrors) Units(field string, units map[string]string) {
	for code, unit := range units {
		if !slices.Contains(schemas.UnitCodes, unit) {
			e.Add(field+"."+code, "%q is not a UN/ECE Rec 20 unit code the schemas accept", unit)
		}
	}
}

// LineResponses checks that a code table maps every code to a line
// response (schemas.LineResponses).
func (e *OptionErrors) LineResponses(field string, codes map[string]string) {
	e.codeTable(field, codes, schemas.LineResponses, "%q is not a line response (%v)")
}

// TrackingStatuses checks that a code table maps every code to a
// tracking status (schemas.TrackingStatuses).
func (e *OptionErrors) TrackingStatuses(field string, codes map[string]string) {
	e.codeTable(field, codes, schemas.TrackingStatuses, "%q is not a tracking status (%v)")
}

// StockQuantities checks that a code table maps every code to one of
// StockFields.
func (e *OptionErrors) StockQuantities(field string, codes map[string]string) {
	e.codeTable(field, codes, StockFields, "%q is not one of %v")
}

// codeTable checks that codes maps every code to one of allowed; format
// gets the value and allowed.
func (e *OptionErrors) codeTable(field string, codes map[string]string, allowed []string, format string) {
	for code, v := range codes {
		if !slices.Contains(allowed, v) {
			e.Add(field+"."+code, format, v, allowed)
		}
	}
}

// CatalogDocs checks that every doctype a catalog (X12 832, EDIFACT
// PRICAT) is to map to is price_list or product.
func (e *OptionErrors) CatalogDocs(field string, docs []string) {
	for _, d := range docs {
		if d != "price_list" && d != "product" {
			e.Add(field, "%q is neither price_list nor product", d)
		}
	}
}
