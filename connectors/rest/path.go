package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Path is a small dotted path into a JSON value, enough to say where records,
// cursors and watermarks sit. Supported, and nothing more:
//
//	$                 the value itself (a response that is a top-level array)
//	data              the member "data" of an object
//	result.items      members of members, any depth
//	$.result.items    the same; a leading "$." is optional
//	items.0.id        a segment of digits indexes an array (from 0)
//
// Member names are matched exactly (case-sensitive). Names that contain a
// dot, filters, wildcards and slices are not supported.
type Path struct {
	text     string
	segments []string
}

// ParsePath parses a path written in the syntax Path documents.
func ParsePath(s string) (Path, error) {
	p := Path{text: s}
	t := strings.TrimSpace(s)
	switch {
	case t == "":
		return p, errors.New("path is empty")
	case t == "$":
		return p, nil
	case strings.HasPrefix(t, "$."):
		t = t[2:]
	}
	for seg := range strings.SplitSeq(t, ".") {
		if seg == "" {
			return p, fmt.Errorf("path %q has an empty segment", s)
		}
		if strings.ContainsAny(seg, "[]*$ ") {
			return p, fmt.Errorf("path %q: segment %q: only dotted member names and array indexes are supported", s, seg)
		}
		p.segments = append(p.segments, seg)
	}
	return p, nil
}

// String returns the path as written.
func (p Path) String() string { return p.text }

// Lookup returns the raw JSON the path points to in doc. found is false when
// a member or index is missing or a segment meets a scalar; a JSON null at
// the end is returned as found, its bytes being "null".
func (p Path) Lookup(doc json.RawMessage) (json.RawMessage, bool, error) {
	cur := bytes.TrimSpace(doc)
	for _, seg := range p.segments {
		switch firstByte(cur) {
		case '{':
			var m map[string]json.RawMessage
			if err := json.Unmarshal(cur, &m); err != nil {
				return nil, false, fmt.Errorf("reading %q at %q: %w", p.text, seg, err)
			}
			v, ok := m[seg]
			if !ok {
				return nil, false, nil
			}
			cur = bytes.TrimSpace(v)
		case '[':
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 {
				return nil, false, nil
			}
			var a []json.RawMessage
			if err := json.Unmarshal(cur, &a); err != nil {
				return nil, false, fmt.Errorf("reading %q at %q: %w", p.text, seg, err)
			}
			if i >= len(a) {
				return nil, false, nil
			}
			cur = bytes.TrimSpace(a[i])
		default:
			return nil, false, nil
		}
	}
	return cur, true, nil
}

// scalar returns the path's value as text: a string's contents, a number's or
// a boolean's JSON text. ok is false when it is missing, null, an empty
// string, an object or an array.
func (p Path) scalar(doc json.RawMessage) (text string, isNumber, ok bool, err error) {
	raw, found, err := p.Lookup(doc)
	if err != nil || !found {
		return "", false, false, err
	}
	switch c := firstByte(raw); {
	case c == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false, false, fmt.Errorf("reading %q: %w", p.text, err)
		}
		return s, false, s != "", nil
	case c == '-' || (c >= '0' && c <= '9'):
		return string(raw), true, true, nil
	case c == 't' || c == 'f':
		return string(raw), false, true, nil
	}
	return "", false, false, nil
}

func firstByte(b []byte) byte {
	if len(b) == 0 {
		return 0
	}
	return b[0]
}
