package mappings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/schemas"
)

// On-error policies of a mapping.
const (
	OnErrorImportValid = "import_valid" // import the valid rows, report the others
	OnErrorRejectFile  = "reject_file"  // import nothing when any row is bad
)

// DefaultScanRows is how many rows at the top of a sheet are searched for
// the header row when the mapping does not say.
const DefaultScanRows = 20

// Mapping is a partner's mapping file: how spreadsheet rows become
// canonical documents. Its YAML form is checked by
// schemas/config/mapping.json; build one with ParseMapping or
// DefaultMapping.
type Mapping struct {
	// Version of the file format (1).
	Version int `json:"version,omitempty"`
	// DocType is price_list, product or stock_level.
	DocType string `json:"doctype"`
	// Sheet limits reading to one sheet of a workbook.
	Sheet string `json:"sheet,omitempty"`
	// HeaderRow is the Excel row number of the header; 0 detects it.
	HeaderRow int `json:"header_row,omitempty"`
	// ScanRows is how many top rows header detection looks at (default 20).
	ScanRows int `json:"scan_rows,omitempty"`
	// OnError is OnErrorImportValid (default) or OnErrorRejectFile. The
	// engine reports every row either way; the importer applies the policy.
	OnError string `json:"on_error,omitempty"`
	// Document holds constant document fields, with {partner}, {file},
	// {sheet}, {today} and per-row {field} placeholders.
	Document map[string]string `json:"document,omitempty"`
	// Fields says where fields come from; the others are found by the
	// built-in synonyms.
	Fields map[string]Field `json:"fields,omitempty"`
	// Tiers are price-list quantity breaks, each from a pair of fields.
	Tiers []Tier `json:"tiers,omitempty"`
	// SkipRowsWhere leaves out rows such as totals; nil uses the default
	// (a row whose first non-empty cell starts with a summary word).
	SkipRowsWhere *SkipRule `json:"skip_rows_where,omitempty"`
}

// Field is one field's source: a column found by header text (Column) or
// by letter, or a constant; then transforms, a lookup table and a default.
type Field struct {
	// Column lists accepted header texts.
	Column Strings `json:"column,omitempty"`
	// Letter is the column's letter (A, B, ..., AA).
	Letter string `json:"letter,omitempty"`
	// Const is a constant value for every row.
	Const *string `json:"const,omitempty"`
	// Default is used when the cell is empty.
	Default string `json:"default,omitempty"`
	// Transform names transforms applied in order; empty uses the field's
	// built-in one.
	Transform Strings `json:"transform,omitempty"`
	// Lookup maps the partner's values to ours (partner SKU → our SKU),
	// after the transforms.
	Lookup map[string]string `json:"lookup,omitempty"`
	// LookupMiss is "keep" (default) or "error" for values not in Lookup.
	LookupMiss string `json:"lookup_miss,omitempty"`
}

// Tier is a price-list quantity break read from two fields.
type Tier struct {
	MinQuantity Field `json:"min_quantity"`
	UnitPrice   Field `json:"unit_price"`
}

// SkipRule says which rows to leave out.
type SkipRule struct {
	// AnyCellStartsWith skips a row when any cell starts with one of these.
	AnyCellStartsWith []string `json:"any_cell_starts_with,omitempty"`
	// FirstCellStartsWith skips a row when its first non-empty cell starts
	// with one of these.
	FirstCellStartsWith []string `json:"first_cell_starts_with,omitempty"`
}

// DefaultSummaryWords returns the words that start the total rows skipped
// by default.
func DefaultSummaryWords() []string {
	return []string{"合计", "小计", "总计", "Total", "Subtotal"}
}

// Strings is a list of strings written in YAML or JSON as one string or a
// list.
type Strings []string

// UnmarshalJSON accepts "a" or ["a", "b"].
func (s *Strings) UnmarshalJSON(b []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte(`"`)) {
		var one string
		if err := json.Unmarshal(b, &one); err != nil {
			return fmt.Errorf("decoding a string: %w", err)
		}
		*s = Strings{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("decoding a list of strings: %w", err)
	}
	*s = many
	return nil
}

// DefaultMapping is the mapping used when a partner has none: every field
// found by its built-in synonyms, the header row detected, valid rows
// imported.
func DefaultMapping(doctype string) *Mapping {
	return &Mapping{Version: 1, DocType: doctype}
}

// MappingError reports a mapping file that breaks its schema or names
// fields the document type does not have.
type MappingError struct {
	// Violations are the problems, each with a JSON pointer into the file
	// and, where known, the YAML line.
	Violations []MappingViolation
}

// MappingViolation is one problem in a mapping file.
type MappingViolation struct {
	schemas.Violation
	// Line is the 1-based line in the YAML file; 0 when unknown.
	Line int `json:"line,omitempty"`
}

// Error lists the violations.
func (e *MappingError) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = v.String()
		if v.Line > 0 {
			parts[i] = "line " + strconv.Itoa(v.Line) + ": " + parts[i]
		}
	}
	return "invalid mapping: " + strings.Join(parts, "; ")
}

// ParseMapping decodes a YAML (or JSON) mapping file, checks it against the
// mapping schema and the fields of its document type, and returns it. A
// file that does not conform yields a *MappingError whose violations name
// the key and its line.
func ParseMapping(reg *schemas.Registry, b []byte) (*Mapping, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("reading mapping YAML: %w", err)
	}
	if len(root.Content) == 0 {
		return nil, &MappingError{Violations: []MappingViolation{{Violation: schemas.Violation{Reason: "mapping file is empty"}}}}
	}
	lines := map[string]int{}
	tree, err := yamlValue(root.Content[0], "", lines)
	if err != nil {
		return nil, fmt.Errorf("reading mapping YAML: %w", err)
	}
	lineOf := func(p string) int {
		for ; ; p = p[:strings.LastIndex(p, "/")] {
			if l, ok := lines[p]; ok || p == "" {
				return l
			}
		}
	}
	if vs := reg.ValidateMapping(tree); len(vs) > 0 {
		me := &MappingError{}
		for _, v := range vs {
			me.Violations = append(me.Violations, MappingViolation{Violation: v, Line: lineOf(v.Pointer)})
		}
		return nil, me
	}
	if doc, ok := tree.(map[string]any)["document"].(map[string]any); ok {
		if b, ok := doc["tax_included"].(bool); ok {
			doc["tax_included"] = strconv.FormatBool(b) // YAML's true, as the schema allows
		}
	}
	js, err := json.Marshal(tree)
	if err != nil {
		return nil, fmt.Errorf("re-encoding mapping: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	m := &Mapping{}
	if err := dec.Decode(m); err != nil {
		return nil, fmt.Errorf("decoding mapping: %w", err)
	}
	if vs := m.check(); len(vs) > 0 {
		me := &MappingError{}
		for _, v := range vs {
			me.Violations = append(me.Violations, MappingViolation{Violation: v, Line: lineOf(v.Pointer)})
		}
		return nil, me
	}
	return m, nil
}

// check finds what the schema cannot: field names the document type does
// not have.
func (m *Mapping) check() []schemas.Violation {
	known := BuiltinFields(m.DocType)
	names := make([]string, 0, len(known))
	for _, f := range known {
		names = append(names, f.Name)
	}
	names = append(names, extraFields(m.DocType)...)
	var vs []schemas.Violation
	for _, name := range sortedKeys(m.Fields) {
		if !slices.Contains(names, name) {
			vs = append(vs, schemas.Violation{Pointer: "/fields/" + name,
				Reason: fmt.Sprintf("%s has no field %q; fields: %s", m.DocType, name, strings.Join(names, ", "))})
			continue
		}
		vs = append(vs, checkConstants(name, known, m.Fields[name])...)
	}
	if len(m.Tiers) > 0 && m.DocType != "price_list" {
		vs = append(vs, schemas.Violation{Pointer: "/tiers", Reason: "tiers belong to price_list mappings only"})
	}
	if m.DocType == "price_list" {
		vs = append(vs, m.checkTax()...)
	}
	return vs
}

// checkConstants reads a field's const and default with its transforms,
// as every row would.
func checkConstants(name string, known []FieldInfo, f Field) []schemas.Violation {
	info := FieldInfo{Name: name, Transform: TransformText}
	if i := slices.IndexFunc(known, func(k FieldInfo) bool { return k.Name == name }); i >= 0 {
		info = known[i]
	}
	s, err := newSource(info, Field{Transform: f.Transform})
	if err != nil {
		return nil // an unknown transform: the schema says so
	}
	var vs []schemas.Violation
	for _, c := range []struct {
		key string
		v   *string
	}{{"const", f.Const}, {"default", &f.Default}} {
		if c.v == nil || c.key == "default" && *c.v == "" {
			continue
		}
		if _, err := s.clean(*c.v, connectors.CellText); err != nil {
			vs = append(vs, schemas.Violation{Pointer: "/fields/" + name + "/" + c.key, Reason: fmt.Sprintf("%q: %v", *c.v, err)})
		}
	}
	return vs
}

// checkTax checks the price list's tax constants and the transforms of its
// tax fields.
func (m *Mapping) checkTax() []schemas.Violation {
	var vs []schemas.Violation
	for _, k := range []string{"tax_included", "tax_rate"} {
		if v, ok := m.Document[k]; ok {
			if _, err := documentTax(map[string]string{k: v}); err != nil {
				vs = append(vs, schemas.Violation{Pointer: "/document/" + k, Reason: err.Error()})
			}
		}
	}
	if f, ok := m.Fields["tax_rate"]; ok && slices.Contains(f.Transform, TransformPercent) {
		vs = append(vs, schemas.Violation{Pointer: "/fields/tax_rate/transform",
			Reason: "tax_rate is in percent (13 for 13%) but percent gives a fraction (13% → 0.13); use rate, rate_fraction (0.13 → 13) or rate_percent"})
	}
	if f, ok := m.Fields["tax_included"]; ok && len(f.Transform) > 0 && f.Transform[len(f.Transform)-1] != TransformBoolean {
		vs = append(vs, schemas.Violation{Pointer: "/fields/tax_included/transform",
			Reason: "tax_included is true or false: end its transforms with boolean"})
	}
	return vs
}

// extraFields are canonical fields a mapping may fill beyond the built-in
// table.
func extraFields(doctype string) []string {
	switch doctype {
	case "product":
		return []string{"origin_country", "status", "external_id"}
	case "stock_level":
		return []string{"supplier", "supplier_sku", "as_of", "external_id"}
	}
	return nil
}

// yamlValue turns a YAML node into the generic values JSON Schema reads.
// Scalars keep their text: dates stay strings ("2026-12-01"), never
// time.Time. lines records the line of every pointer.
func yamlValue(n *yaml.Node, ptr string, lines map[string]int) (any, error) {
	lines[ptr] = n.Line
	switch n.Kind {
	case yaml.AliasNode:
		return yamlValue(n.Alias, ptr, lines)
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			v, err := yamlValue(n.Content[i+1], ptr+"/"+escapePointer(k), lines)
			if err != nil {
				return nil, err
			}
			lines[ptr+"/"+escapePointer(k)] = n.Content[i].Line
			out[k] = v
		}
		return out, nil
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := yamlValue(c, ptr+"/"+strconv.Itoa(i), lines)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool":
			var b bool
			if err := n.Decode(&b); err != nil {
				return nil, fmt.Errorf("line %d: %w", n.Line, err)
			}
			return b, nil
		case "!!int", "!!float":
			if json.Valid([]byte(n.Value)) {
				return json.Number(n.Value), nil
			}
		}
		return n.Value, nil
	}
	return nil, errors.New("unsupported YAML node")
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
