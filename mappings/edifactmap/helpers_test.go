package edifactmap

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/schemas"
)

// registry compiles the canonical schemas once for the package's tests.
var registry = sync.OnceValues(schemas.New)

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

// readJSON decodes a JSON file the way the hub does.
func readJSON(t testing.TB, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m), path)
	return m
}

// normal turns a document into what encoding/json decodes, so that
// documents built in Go compare equal to documents read from files.
func normal(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// requireValid validates body as doctype with placeholder parties.
func requireValid(t testing.TB, doctype string, body map[string]any) {
	t.Helper()
	reg, err := registry()
	require.NoError(t, err)
	doc := normal(t, body).(map[string]any)
	doc["sender"] = "sender-x"
	if doctype != "tracking_event" && doctype != "stock_level" && doctype != "product" && doctype != "price_list" {
		doc["receiver"] = "receiver-x"
	}
	require.Empty(t, reg.Validate(doctype, doc), "%s does not validate", doctype)
}

// ediErrors unpacks the joined *connectors.EDIError values of err.
func ediErrors(t testing.TB, err error) []*connectors.EDIError {
	t.Helper()
	require.Error(t, err)
	var out []*connectors.EDIError
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		for _, e := range joined.Unwrap() {
			var ee *connectors.EDIError
			require.ErrorAs(t, e, &ee)
			out = append(out, ee)
		}
		return out
	}
	var ee *connectors.EDIError
	require.ErrorAs(t, err, &ee)
	return []*connectors.EDIError{ee}
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
