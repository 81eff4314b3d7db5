package edifactmap

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap/edimaptest"
)

// message wraps body segments in UNH/UNT as a D96A message of type typ
// and numbers every segment as a reader would (UNB is 1, UNH 2).
func message(typ string, body ...connectors.EDISegment) connectors.EDITransaction {
	segs := make([]connectors.EDISegment, 0, len(body)+2)
	segs = append(segs, connectors.Seg("UNH", "1", connectors.Comp(typ, "D", "96A", "UN", "EAN008")))
	segs = append(segs, body...)
	segs = append(segs, connectors.Seg("UNT", "0", "1"))
	for i := range segs {
		segs[i].Pos = i + 2
		segs[i].Offset = int64(100 * (i + 1))
	}
	return connectors.EDITransaction{
		Standard: connectors.StandardEDIFACT, Type: typ, Version: "D96A", Association: "EAN008",
		ControlNumber: "1", Segments: segs,
	}
}

// requireValid validates body as doctype with placeholder parties.
func requireValid(t testing.TB, doctype string, body map[string]any) {
	t.Helper()
	reg := edimaptest.Registry(t)
	doc := edimaptest.AsJSON(t, body).(map[string]any)
	doc["sender"] = "sender-x"
	if doctype != "tracking_event" && doctype != "stock_level" && doctype != "product" && doctype != "price_list" {
		doc["receiver"] = "receiver-x"
	}
	require.Empty(t, reg.Validate(doctype, doc), "%s does not validate", doctype)
}

// seg and comp are short names for building test segments.
var (
	sg = connectors.Seg
	cp = connectors.Comp
)

// render writes segments as EDIFACT text with the default separators, one
// segment a line, for assertions and failure messages.
func render(segs []connectors.EDISegment) string {
	esc := strings.NewReplacer("?", "??", "+", "?+", ":", "?:", "'", "?'")
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.Tag)
		for _, el := range s.Elements {
			b.WriteString("+")
			for r, rep := range el {
				if r > 0 {
					b.WriteString("*")
				}
				for c, v := range rep {
					if c > 0 {
						b.WriteString(":")
					}
					b.WriteString(esc.Replace(v))
				}
			}
		}
		b.WriteString("'\n")
	}
	return b.String()
}
