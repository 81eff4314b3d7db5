package x12map

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap"
	"github.com/dealerhub/dealerhub/schemas"
)

// writer builds the segments of one set from a canonical document.
type writer struct {
	o    Options
	doc  map[string]any
	segs []connectors.EDISegment
	p    edimap.BodyProblems
	// keys are the extension keys, sorted once: the keys with a prefix
	// are a contiguous run, found by binary search, so that a document of
	// many lines with many line extensions is written in n log n.
	keys []string
}

// extKeys returns the document's extension keys that start with prefix,
// sorted.
func (w *writer) extKeys(prefix string) []string {
	if w.keys == nil {
		w.keys = sortedKeys(w.ext(), "")
		if w.keys == nil {
			w.keys = []string{}
		}
	}
	i := sort.SearchStrings(w.keys, prefix)
	j := i
	for j < len(w.keys) && strings.HasPrefix(w.keys[j], prefix) {
		j++
	}
	return w.keys[i:j]
}

// add appends a segment, dropping trailing empty elements.
func (w *writer) add(tag string, values ...string) {
	for len(values) > 0 && values[len(values)-1] == "" {
		values = values[:len(values)-1]
	}
	w.segs = append(w.segs, connectors.Seg(tag, values...))
}

// ext returns the document's extensions.
func (w *writer) ext() map[string]any { return obj(w.doc, "extensions") }

// need returns a mandatory string field, reporting it when absent.
func (w *writer) need(m map[string]any, ptr, key string) string {
	v := str(m, key)
	if v == "" {
		w.p.Add(ptr+"/"+key, "is missing")
	}
	return v
}

// date returns a date field as CCYYMMDD; "" when absent.
func (w *writer) date(m map[string]any, ptr, key string) string {
	v := str(m, key)
	if v == "" {
		return ""
	}
	d, ok := edimap.FormatDate(v)
	if !ok {
		w.p.Add(ptr+"/"+key, "%q is not a date written YYYY-MM-DD", v)
	}
	return d
}

// decimal returns a decimal field as written; "" when absent.
func (w *writer) decimal(m map[string]any, ptr, key string) string {
	v := str(m, key)
	if v != "" && !schemas.Decimal(v).Valid() {
		w.p.Add(ptr+"/"+key, "%q is not a decimal number", v)
		return ""
	}
	return v
}

// unit returns the X12 code of a unit field; a unit with no X12 code is
// reported.
func (w *writer) unit(m map[string]any, ptr, key string, required bool) string {
	v := str(m, key)
	if v == "" {
		if required {
			w.p.Add(ptr+"/"+key, "is missing")
		}
		return ""
	}
	c, ok := w.o.x12Unit(v)
	if !ok {
		w.p.Add(ptr+"/"+key, "unit %q has no X12 code (add one to the partner's units)", v)
	}
	return c
}

// refs writes a REF for every extension "<prefix><qualifier>".
func (w *writer) refs(ext map[string]any, prefix string) {
	for _, k := range w.extKeys(prefix) {
		q := strings.TrimPrefix(k, prefix)
		if !strings.Contains(q, ".") {
			w.add("REF", q, str(ext, k))
		}
	}
}

// dates writes a DTM for every extension "<prefix><qualifier>" holding a
// date.
func (w *writer) dates(ext map[string]any, prefix string) {
	for _, k := range w.extKeys(prefix) {
		if d, ok := edimap.FormatDate(str(ext, k)); ok {
			w.add("DTM", strings.TrimPrefix(k, prefix), d)
		}
	}
}

// notes writes text as one segment per line: tag "MSG" (MSG01) or "NTE"
// (NTE*GEN*text).
func (w *writer) notes(tag, text string) {
	if text == "" {
		return
	}
	for _, line := range strings.Split(text, "\n") {
		if tag == "NTE" {
			w.add("NTE", "GEN", line)
		} else {
			w.add(tag, line)
		}
	}
}

// str returns m[key] as a string: strings as they are, numbers written
// in decimal; "" when absent.
func str(m map[string]any, key string) string {
	switch v := m[key].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// integer returns m[key] as a whole number; ok is false when absent or
// not whole.
func integer(m map[string]any, key string) (int, bool) {
	switch v := m[key].(type) {
	case int:
		return v, true
	case int64:
		return int(v), true
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e9 {
			return int(v), true
		}
	case json.Number:
		n, err := v.Int64()
		return int(n), err == nil
	case string:
		n, err := strconv.Atoi(v)
		return n, err == nil
	}
	return 0, false
}

// obj returns m[key] as an object (nil when absent); a map[string]string
// is converted.
func obj(m map[string]any, key string) map[string]any {
	switch v := m[key].(type) {
	case map[string]any:
		return v
	case map[string]string:
		out := make(map[string]any, len(v))
		for k, s := range v {
			out[k] = s
		}
		return out
	}
	return nil
}

// list returns m[key] as a list of objects.
func list(m map[string]any, key string) []map[string]any {
	switch v := m[key].(type) {
	case []map[string]any:
		return v
	case []any:
		out := make([]map[string]any, 0, len(v))
		for _, e := range v {
			o, _ := e.(map[string]any)
			out = append(out, o)
		}
		return out
	}
	return nil
}

// sortedKeys returns the keys of m that start with prefix, sorted.
func sortedKeys(m map[string]any, prefix string) []string {
	var out []string
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func ptrf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
