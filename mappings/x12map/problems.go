package x12map

import (
	"errors"
	"fmt"

	"github.com/dealerhub/dealerhub/connectors"
)

// Error codes of the data errors ToCanonical returns, beside the ones
// connectors.EDIError lists.
const (
	// CodeUnsupportedSet: a set type this package does not map.
	CodeUnsupportedSet = "unsupported_set"
	// CodeMissingSegment: a segment the mapping needs is absent; Tag is
	// the missing segment's, Pos the set's ST.
	CodeMissingSegment = "missing_segment"
	// CodeMissingElement: a mandatory element is empty.
	CodeMissingElement = "missing_element"
	// CodeBadValue: a number, date, time, code or identifier that is
	// malformed or unknown.
	CodeBadValue = "bad_value"
	// CodeUnknownUnit: a unit code with no canonical unit.
	CodeUnknownUnit = "unknown_unit"
	// CodeCountMismatch: CTT01 disagrees with what the set holds.
	CodeCountMismatch = "count_mismatch"
	// CodeBadHierarchy: an 856 HL tree that cannot be built.
	CodeBadHierarchy = "bad_hierarchy"
)

// problems collects the data errors of one transaction, so that every one
// is reported, not only the first.
type problems struct {
	errs []error
}

// at records a problem with element el (1-based, 0 for the whole
// segment) of s.
func (p *problems) at(s connectors.EDISegment, el int, code, format string, args ...any) {
	p.atComp(s, el, 0, code, format, args...)
}

// atComp records a problem with component comp of element el of s.
func (p *problems) atComp(s connectors.EDISegment, el, comp int, code, format string, args ...any) {
	p.errs = append(p.errs, &connectors.EDIError{
		Pos: s.Pos, Offset: s.Offset, Tag: s.Tag, Element: el, Component: comp,
		Code: code, Message: fmt.Sprintf(format, args...),
	})
}

// missing records that segment tag is absent from the set that starts at
// st.
func (p *problems) missing(st connectors.EDISegment, tag, what string) {
	p.errs = append(p.errs, &connectors.EDIError{
		Pos: st.Pos, Offset: st.Offset, Tag: tag, Code: CodeMissingSegment,
		Message: fmt.Sprintf("the set has no %s segment (%s)", tag, what),
	})
}

// err joins the problems; nil when there are none.
func (p *problems) err() error { return errors.Join(p.errs...) }

// ok reports whether no problem was recorded.
func (p *problems) ok() bool { return len(p.errs) == 0 }

// BodyError is a problem FromCanonical found in a canonical document: the
// JSON pointer of the offending value and what is wrong with it.
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

// bodyProblems collects BodyErrors.
type bodyProblems struct {
	errs []error
}

func (p *bodyProblems) add(pointer, format string, args ...any) {
	p.errs = append(p.errs, &BodyError{Pointer: pointer, Message: fmt.Sprintf(format, args...)})
}

func (p *bodyProblems) err() error { return errors.Join(p.errs...) }
