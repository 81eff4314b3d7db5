package edifact

import (
	"maps"
	"slices"
	"strings"
)

// serviceSegments may appear in any message: the envelope, the section
// control and syntax 4's anti-collision segment group header and trailer.
const serviceSegments = "UNH UNT UNS UGH UGT"

// Segment tags of the directories' message structures (D.96A to D.01B,
// EANCOM included), generous rather than exact: the check catches
// garbage and typos, not segment order or group nesting.
var messageSegments = map[string]string{
	"ORDERS": "BGM DTM PAI ALI IMD FTX RFF NAD LOC FII CTA COM TAX MOA CUX PAT PCD MEA TDT TOD PAC PCI GIN GIR " +
		"EQD HAN SCC QTY APR RNG DLM ALC RCS DGS LIN PIA PRI QVR DOC MTD CCI CAV GIS STG RTE SEQ CNT EFI IRQ " +
		"TSR SGP QVR",
	"ORDRSP": "BGM DTM PAI ALI IMD FTX RFF NAD LOC FII CTA COM TAX MOA CUX PAT PCD MEA TDT TOD PAC PCI GIN GIR " +
		"EQD HAN SCC QTY APR RNG DLM ALC RCS DGS LIN PIA PRI QVR DOC MTD CCI CAV GIS STG RTE SEQ CNT EFI IRQ " +
		"TSR SGP STS ERC",
	"DESADV": "BGM DTM ALI MEA MOA RFF NAD LOC CTA COM TDT TOD TCC EQD SEL EQA CPS PAC QTY SGP HAN PCI GIN GIR " +
		"FTX LIN PIA IMD DLM QVR DGS ATT CNT TMD DOC CAV GDS RCS PAI TSR",
	"INVRPT": "BGM DTM RFF NAD LOC CTA COM CUX LIN PIA IMD MEA QTY ALI GIN GIR FTX INV PRI QVR APR DOC MOA RCS " +
		"CNT TDT PAC PCI HAN DLM SCC STS",
	"PRICAT": "BGM DTM RFF NAD LOC CTA COM CUX FTX PGI ALI PAT ALC PCD MOA RNG TAX MEA PAC IMD LIN PIA QTY PRI " +
		"APR RTE HAN DGS FII CCI CAV GIR GIN QVR DLM EFI TDT SCC TOD PCI HYN DOC IRQ CNT ARD SEQ PAI",
	"IFTSTA": "BGM DTM FTX NAD CTA COM RFF LOC CNI CNT STS GID PCI MEA DIM TDT EQD SEL SGP TPL TMD DOC GIN GOR " +
		"TCC CPI HAN DGS EQA QTY MOA TSR ATT PAC IMD",
	"CONTRL": "UCI UCF UCM UCS UCD",
	"APERAK": "BGM DTM FTX CNT RFF NAD CTA COM ERC LOC DOC",
	"INVOIC": "BGM DTM PAI ALI IMD FTX LOC RFF NAD FII CTA COM TAX MOA CUX PAT PCD TDT TOD PAC MEA PCI GIN GIR " +
		"EQD HAN SCC QTY APR ALC RCS RTE LIN PIA PRI QVR DOC MTD CCI CAV GIS DGS DLM CNT IRQ RNG SEQ EFI " +
		"STG INP",
}

// segmentTable is the set of tags allowed per message type.
type segmentTable map[string]map[string]bool

// newSegmentTable builds the table, with extra tags per type.
func newSegmentTable(extra map[string][]string) segmentTable {
	t := segmentTable{}
	add := func(typ string, tags ...string) {
		if t[typ] == nil {
			t[typ] = map[string]bool{}
			for _, tag := range strings.Fields(serviceSegments) {
				t[typ][tag] = true
			}
		}
		for _, tag := range tags {
			t[typ][tag] = true
		}
	}
	for typ, tags := range messageSegments {
		add(typ, strings.Fields(tags)...)
	}
	for typ, tags := range extra {
		add(typ, tags...)
	}
	return t
}

// KnownMessageTypes returns the message types whose segments Read
// checks, sorted.
func KnownMessageTypes() []string { return slices.Sorted(maps.Keys(messageSegments)) }

// validTag reports whether tag looks like a segment tag: three upper-case
// letters or digits.
func validTag(tag string) bool {
	if len(tag) != 3 {
		return false
	}
	for i := range 3 {
		c := tag[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
