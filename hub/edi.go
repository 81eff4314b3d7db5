package hub

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/edifact"
	"github.com/dealerhub/dealerhub/connectors/x12"
	"github.com/dealerhub/dealerhub/hub/store"
)

// SniffEDI names the EDI standard a file's first bytes are written in:
// connectors.FormatX12 ("ISA"), connectors.FormatEDIFACT ("UNA" or
// "UNB"), or "" — after a UTF-8 byte-order mark and white space.
func SniffEDI(head []byte) string {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	switch {
	case bytes.HasPrefix(head, []byte("ISA")):
		return connectors.FormatX12
	case bytes.HasPrefix(head, []byte("UNA")), bytes.HasPrefix(head, []byte("UNB")):
		return connectors.FormatEDIFACT
	}
	return ""
}

// IsEDIFormat reports an EDI format (x12, edifact).
func IsEDIFormat(format string) bool {
	return format == connectors.FormatX12 || format == connectors.FormatEDIFACT
}

// maxPeekSegments bounds how far ediSetTypes reads to find the first set.
const maxPeekSegments = 10000

// ediSetTypes returns the types of the transaction sets (X12 ST01) or
// messages (EDIFACT UNH 0065) of a file, in order, reading at most
// maxPeekSegments segments.
func ediSetTypes(format string, r io.Reader) ([]string, error) {
	var next func() (connectors.EDISegment, error)
	var opening string
	switch format {
	case connectors.FormatX12:
		t := x12.NewTokenizer(r)
		next, opening = t.Next, "ST"
	case connectors.FormatEDIFACT:
		t := edifact.NewTokenizer(r)
		next, opening = t.Next, "UNH"
	default:
		return nil, fmt.Errorf("%q is not an EDI format", format)
	}
	var types []string
	for range maxPeekSegments {
		seg, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return types, err
		}
		if seg.Tag != opening {
			continue
		}
		typ := seg.Value(1)
		if format == connectors.FormatEDIFACT {
			typ = seg.Component(2, 1)
		}
		if typ != "" && !slices.Contains(types, typ) {
			types = append(types, typ)
		}
	}
	return types, nil
}

// ediDoctype works out the doctype of an EDI message: that of its first
// transaction set the hub maps (an interchange may carry others too; each
// document keeps its own type). doctype, when given, must agree.
func ediDoctype(format string, b store.Body, doctype, filename string) (string, error) {
	types, err := ediSetTypes(format, io.NewSectionReader(b, 0, b.Size()))
	if err != nil {
		return "", fmt.Errorf("%w: %s is not readable %s: %v", ErrBadRequest, displayName(filename), strings.ToUpper(format), err)
	}
	for _, t := range types {
		dt, ok := ediSetDoctype(format, t)
		if !ok {
			continue
		}
		if doctype != "" && doctype != dt {
			return "", fmt.Errorf("%w: %s holds %s %s (%s), not %s", ErrBadRequest, displayName(filename), strings.ToUpper(format), t, dt, doctype)
		}
		return dt, nil
	}
	if len(types) == 0 {
		return "", fmt.Errorf("%w: %s holds no transaction set", ErrBadRequest, displayName(filename))
	}
	return "", fmt.Errorf("%w: %s holds %s %s; the hub maps %s", ErrBadRequest, displayName(filename),
		strings.ToUpper(format), strings.Join(types, ", "), strings.Join(ediSupported(format), ", "))
}
