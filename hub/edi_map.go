package hub

import (
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

// mapEDI maps one transaction set to canonical documents with the
// built-in mappings and the partner's overrides.
func mapEDI(format string, tx connectors.EDITransaction, p ediParties) ([]mappedDoc, error) {
	if isAckSet(tx) {
		return ackFromEDI(tx)
	}
	var out []mappedDoc
	switch format {
	case connectors.FormatX12:
		o, err := p.x12.MapOptions()
		if err != nil {
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
		o, err := p.edifact.MapOptions()
		if err != nil {
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
