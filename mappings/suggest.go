package mappings

import (
	"fmt"
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
	s := Suggestion{DocType: doctype, Sheet: name, HeaderRow: l.headerRow, Columns: l.describe().Columns}
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
	s.YAML, err = s.render()
	return s, err
}

// render writes the suggestion as a mapping file.
func (s Suggestion) render() ([]byte, error) {
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
		add(doc, "currency", str("CNY"))
		add(doc, "external_id", str("{file}"))
		add(root, "document", doc)
	}
	fields := &yaml.Node{Kind: yaml.MappingNode}
	for _, c := range s.Columns {
		f := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle,
			LineComment: fmt.Sprintf("column %s, confidence %.1f (%s)", c.Column, c.Confidence, confidenceWord(c.Confidence))}
		add(f, "column", str(c.Header))
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
