package mappings

import (
	"fmt"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/dealerhub/dealerhub/connectors"
)

// Suggestion is a proposed mapping for a file of unknown layout.
type Suggestion struct {
	DocType   string        `json:"doctype"`
	Sheet     string        `json:"sheet,omitempty"`
	HeaderRow int           `json:"header_row"`
	Columns   []ColumnMatch `json:"columns"`
	// Unmatched are header cells no field claimed ("B3=备注").
	Unmatched []string `json:"unmatched,omitempty"`
	// Tax is what the sheet says of its prices' tax basis (see
	// SheetLayout.Tax); "" when nothing.
	Tax string `json:"tax,omitempty"`
	// YAML is the proposed mapping file, each column commented with its
	// confidence.
	YAML []byte `json:"yaml"`
}

// Suggest finds the header row of the first sheet of rows by the built-in
// synonyms of doctype and proposes a mapping file, with the confidence of
// each column match (ConfidenceExact, ConfidenceNormalized,
// ConfidenceSubstring). rows are the top rows of the file (the first
// DefaultScanRows are searched). A file with no recognisable header yields
// a *HeaderError.
func Suggest(rows []connectors.Row, doctype string) (Suggestion, error) {
	m := DefaultMapping(doctype)
	p, err := compile(m)
	if err != nil {
		return Suggestion{}, err
	}
	var sheet []connectors.Row
	for _, r := range rows {
		if len(sheet) > 0 && r.Sheet != sheet[0].Sheet {
			break
		}
		sheet = append(sheet, r)
	}
	name := ""
	if len(sheet) > 0 {
		name = sheet[0].Sheet
	}
	l, first, err := p.bindSheet(name, sheet)
	if err != nil {
		return Suggestion{}, err
	}
	desc := l.describe()
	s := Suggestion{DocType: doctype, Sheet: name, HeaderRow: l.headerRow, Columns: desc.Columns, Tax: desc.Tax}
	used := map[int]bool{}
	for _, c := range s.Columns {
		used[connectors.ColumnIndex(c.Column)] = true
	}
	hdr := sheet[first-1]
	for i, c := range hdr.Cells {
		if v := Trim(c.Value); v != "" && !used[i] {
			s.Unmatched = append(s.Unmatched, fmt.Sprintf("%s%d=%s", connectors.ColumnLetter(i), hdr.Number, v))
		}
	}
	saysIncluded := l.tax.included != "" || slices.ContainsFunc(s.Columns, func(c ColumnMatch) bool { return c.Field == "tax_included" })
	s.YAML, err = s.render(saysIncluded)
	return s, err
}

// render writes the suggestion as a mapping file; saysIncluded is whether
// the file says if its prices include tax.
func (s Suggestion) render(saysIncluded bool) ([]byte, error) {
	str := func(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }
	num := func(n int) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(n)} }
	root := &yaml.Node{Kind: yaml.MappingNode}
	add := func(m *yaml.Node, k string, v *yaml.Node) { m.Content = append(m.Content, str(k), v) }
	add(root, "version", num(1))
	add(root, "doctype", str(s.DocType))
	if s.Sheet != "" {
		add(root, "sheet", str(s.Sheet))
	}
	add(root, "header_row", num(s.HeaderRow))
	add(root, "on_error", str(OnErrorImportValid))
	if s.DocType == "price_list" {
		doc := &yaml.Node{Kind: yaml.MappingNode, HeadComment: "set the list's currency and validity"}
		switch {
		case !saysIncluded:
			doc.HeadComment += ", and whether its prices include tax: the file does not say\n" +
				`tax_included: "true"   # 含税; "false" for prices before tax (不含税)` + "\n" +
				`tax_rate: "13"         # percent`
		case s.Tax != "":
			doc.HeadComment += "; the file says: " + s.Tax
		}
		add(doc, "currency", str("CNY"))
		add(doc, "external_id", str("{file}"))
		add(root, "document", doc)
	}
	fields := &yaml.Node{Kind: yaml.MappingNode}
	var checked *ColumnMatch
	for i, c := range s.Columns {
		if c.CheckOnly {
			checked = &s.Columns[i]
		}
	}
	for _, c := range s.Columns {
		if c.CheckOnly {
			continue
		}
		f := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle,
			LineComment: fmt.Sprintf("column %s, confidence %.1f (%s)", c.Column, c.Confidence, confidenceWord(c.Confidence))}
		if c.Field == "unit_price" && checked != nil {
			// Both headers, so that the mapping finds the second column to
			// check again.
			list := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Content: []*yaml.Node{str(c.Header), str(checked.Header)}}
			add(f, "column", list)
			f.LineComment += fmt.Sprintf("; column %s (%s), before tax, is checked against it, not imported", checked.Column, checked.Header)
		} else {
			add(f, "column", str(c.Header))
		}
		add(fields, c.Field, f)
	}
	add(root, "fields", fields)
	if len(s.Unmatched) > 0 {
		root.FootComment = "unmatched header cells: " + fmt.Sprint(s.Unmatched)
	}
	out, err := yaml.Marshal(root)
	if err != nil {
		return nil, fmt.Errorf("writing the suggested mapping: %w", err)
	}
	return out, nil
}

func confidenceWord(c float64) string {
	switch {
	case c >= ConfidenceExact:
		return "exact synonym"
	case c >= ConfidenceNormalized:
		return "same after normalising"
	default:
		return "header contains a synonym"
	}
}
