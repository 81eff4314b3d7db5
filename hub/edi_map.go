package hub

import (
	"fmt"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edifactmap"
	"github.com/dealerhub/dealerhub/mappings/edimap"
	"github.com/dealerhub/dealerhub/mappings/x12map"
)

// mappedDoc is a canonical document mapped from a transaction set.
type mappedDoc = edimap.Doc

// mapEDI maps one transaction set to canonical documents with the
// built-in mappings and the partner's overrides; a partner's 997 or
// CONTRL becomes an acknowledgment.
func mapEDI(format string, tx connectors.EDITransaction, p ediParties) ([]mappedDoc, error) {
	if isAckSet(tx) {
		return ackFromEDI(tx)
	}
	switch format {
	case connectors.FormatX12:
		o, err := p.x12.MapOptions()
		if err != nil {
			return nil, err
		}
		return x12map.ToCanonical(tx, o)
	case connectors.FormatEDIFACT:
		o, err := p.edifact.MapOptions()
		if err != nil {
			return nil, err
		}
		return edifactmap.ToCanonical(tx, o)
	}
	return nil, fmt.Errorf("%q is not an EDI format", format)
}
