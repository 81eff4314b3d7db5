package hub

import (
	"slices"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edifactmap"
	"github.com/dealerhub/dealerhub/mappings/edimap"
	"github.com/dealerhub/dealerhub/mappings/x12map"
)

// ediSetDoctype returns the doctype a set type maps to: the mapping
// packages' first pair for it, or acknowledgment for 997, 999 and CONTRL.
func ediSetDoctype(format, setType string) (string, bool) {
	if isAckSet(connectors.EDITransaction{Type: setType}) {
		return "acknowledgment", true
	}
	for _, p := range supportedPairs(format) {
		if p.Type == setType {
			return p.Doctype, true
		}
	}
	return "", false
}

// supportedPairs are the set types and doctypes a standard's mapping
// package maps.
func supportedPairs(format string) []edimap.Pair {
	switch format {
	case connectors.FormatX12:
		return x12map.Supported()
	case connectors.FormatEDIFACT:
		return edifactmap.Supported()
	}
	return nil
}

// ediSupported lists the set types of a standard the hub maps, sorted.
func ediSupported(format string) []string {
	var out []string
	add := func(t string) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, p := range supportedPairs(format) {
		add(p.Type)
	}
	switch format {
	case connectors.FormatX12:
		add("997")
		add("999")
	case connectors.FormatEDIFACT:
		add("CONTRL")
	}
	slices.Sort(out)
	return out
}
