package hub

import (
	"slices"

	"github.com/dealerhub/dealerhub/connectors"
)

// ediSets maps each set or message type the hub reads to its doctype.
// TODO(edi): take them from the mapping packages' Supported.
var ediSets = map[string]map[string]string{
	connectors.FormatX12: {
		"850": "order", "855": "order_response", "856": "shipment", "846": "stock_level",
		"832": "price_list", "214": "tracking_event", "997": "acknowledgment",
	},
	connectors.FormatEDIFACT: {
		"ORDERS": "order", "ORDRSP": "order_response", "DESADV": "shipment", "INVRPT": "stock_level",
		"PRICAT": "price_list", "IFTSTA": "tracking_event", "CONTRL": "acknowledgment",
	},
}

// ediSetDoctype returns the doctype a set type maps to.
func ediSetDoctype(format, setType string) (string, bool) {
	dt, ok := ediSets[format][setType]
	return dt, ok
}

// ediSupported lists the set types of a standard the hub maps, sorted.
func ediSupported(format string) []string {
	var out []string
	for t := range ediSets[format] {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}
