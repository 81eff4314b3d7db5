package hub

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edifactmap"
	"github.com/dealerhub/dealerhub/mappings/x12map"
)

// mappedDoc is a canonical document mapped from a transaction set.
type mappedDoc struct {
	Doctype string
	Body    map[string]any
	Pos     int
}

// decodeOverrides decodes a partner's mapping overrides (the map key of
// its edi settings) strictly into the mapping package's Options.
func decodeOverrides(overrides map[string]any, into any) error {
	if len(overrides) == 0 {
		return nil
	}
	b, err := json.Marshal(overrides)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return fmt.Errorf("the partner's edi map overrides: %w", err)
	}
	return nil
}

// mapEDI maps one transaction set to canonical documents with the
// built-in mappings and the partner's overrides.
func mapEDI(format string, tx connectors.EDITransaction, overrides map[string]any) ([]mappedDoc, error) {
	if isAckSet(tx) {
		return ackFromEDI(tx)
	}
	var out []mappedDoc
	switch format {
	case connectors.FormatX12:
		var o x12map.Options
		if err := decodeOverrides(overrides, &o); err != nil {
			return nil, err
		}
		docs, err := x12map.ToCanonical(tx, o)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			out = append(out, mappedDoc{Doctype: d.Doctype, Body: d.Body, Pos: d.Pos})
		}
	case connectors.FormatEDIFACT:
		var o edifactmap.Options
		if err := decodeOverrides(overrides, &o); err != nil {
			return nil, err
		}
		docs, err := edifactmap.ToCanonical(tx, o)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			out = append(out, mappedDoc{Doctype: d.Doctype, Body: d.Body, Pos: d.Pos})
		}
	default:
		return nil, fmt.Errorf("%q is not an EDI format", format)
	}
	return out, nil
}
