package edimap

import (
	"errors"
	"fmt"

	"github.com/dealerhub/dealerhub/connectors"
)

// Codes of the data errors the EDI mappings return, beside the ones
// connectors.EDIError lists. Each mapping package re-exports them with
// what they mean in its standard.
const (
	// CodeUnsupportedSet: a set or message type the mapping does not map.
	CodeUnsupportedSet = "unsupported_set"
	// CodeMissingSegment: a segment the mapping needs is absent; Tag is
	// the missing segment's, Pos the unit's first segment (ST, UNH).
	CodeMissingSegment = "missing_segment"
	// CodeMissingElement: a mandatory element or component is empty.
	CodeMissingElement = "missing_element"
	// CodeBadValue: a number, date, time, code or identifier that is
	// malformed or unknown.
	CodeBadValue = "bad_value"
	// CodeUnknownUnit: a unit code with no canonical unit.
	CodeUnknownUnit = "unknown_unit"
	// CodeCountMismatch: a control count (X12 CTT, EDIFACT CNT)
	// disagrees with what the unit holds.
	CodeCountMismatch = "count_mismatch"
	// CodeBadHierarchy: a packing tree (X12 856 HL, EDIFACT DESADV CPS)
	// that cannot be built.
	CodeBadHierarchy = "bad_hierarchy"
)

// Problems collects the data errors found while reading one EDI unit,
// each a located *connectors.EDIError, so that every problem is
// reported, not only the first. The zero value is ready to use.
type Problems struct {
	errs []error
}

// At records a problem with component comp (1-based, 0 for the whole
// element) of element el (1-based, 0 for the whole segment) of s.
func (p *Problems) At(s connectors.EDISegment, el, comp int, code, format string, args ...any) {
	p.errs = append(p.errs, &connectors.EDIError{
		Pos: s.Pos, Offset: s.Offset, Tag: s.Tag, Element: el, Component: comp,
		Code: code, Message: fmt.Sprintf(format, args...),
	})
}

// Missing records that segment tag is absent from the unit whose first
// segment is start: "the <unit> has no <tag> segment (<what>)", located at
// start with Tag tag and CodeMissingSegment. unit names the unit in the
// message ("set", "message").
func (p *Problems) Missing(start connectors.EDISegment, unit, tag, what string) {
	p.errs = append(p.errs, &connectors.EDIError{
		Pos: start.Pos, Offset: start.Offset, Tag: tag, Code: CodeMissingSegment,
		Message: fmt.Sprintf("the %s has no %s segment (%s)", unit, tag, what),
	})
}

// Err joins the problems in the order they were recorded; nil when there
// are none.
func (p *Problems) Err() error { return errors.Join(p.errs...) }

// Len is the number of problems recorded so far, so that a reader can
// tell whether a step added any.
func (p *Problems) Len() int { return len(p.errs) }

// BodyError is a problem found in a canonical document that is being
// written as EDI: the JSON pointer of the offending value and what is
// wrong with it.
type BodyError struct {
	Pointer string
	Message string
}

// Error renders the problem as "pointer: message".
func (e *BodyError) Error() string {
	if e.Pointer == "" {
		return e.Message
	}
	return e.Pointer + ": " + e.Message
}

// BodyProblems collects the BodyErrors of one document. The zero value is
// ready to use.
type BodyProblems struct {
	errs []error
}

// Add records a problem with the value at JSON pointer pointer.
func (p *BodyProblems) Add(pointer, format string, args ...any) {
	p.errs = append(p.errs, &BodyError{Pointer: pointer, Message: fmt.Sprintf(format, args...)})
}

// Err joins the problems in the order they were recorded; nil when there
// are none.
func (p *BodyProblems) Err() error { return errors.Join(p.errs...) }
