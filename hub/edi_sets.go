package hub

import (
	"slices"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edifactmap"
	"github.com/dealerhub/dealerhub/mappings/x12map"
)

// ediSetDoctype returns the doctype a set type maps to: the mapping
// packages' first pair for it, or acknowledgment for 997, 999 and CONTRL.
func ediSetDoctype(format, setType string) (string, bool) {
	if isAckSet(connectors.EDITransaction{Type: setType}) {
		return "acknowledgment", true
	}
	switch format {
	case connectors.FormatX12:
		for _, p := range x12map.Supported() {
			if p.Type == setType {
				return p.Doctype, true
			}
		}
	case connectors.FormatEDIFACT:
		for _, p := range edifactmap.Supported() {
			if p.Type == setType {
				return p.Doctype, true
			}
		}
	}
	return "", false
}

// ediSupported lists the set types of a standard the hub maps, sorted.
func ediSupported(format string) []string {
	var out []string
	add := func(t string) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	switch format {
	case connectors.FormatX12:
		for _, p := range x12map.Supported() {
			add(p.Type)
		}
		add("997")
		add("999")
	case connectors.FormatEDIFACT:
		for _, p := range edifactmap.Supported() {
			add(p.Type)
		}
		add("CONTRL")
	}
	slices.Sort(out)
	return out
}
