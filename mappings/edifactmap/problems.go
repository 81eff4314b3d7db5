package edifactmap

import (
	"errors"
	"fmt"

	"github.com/dealerhub/dealerhub/connectors"
)

// Error codes of the data errors ToCanonical returns, beside the ones
// connectors.EDIError lists.
const (
	// CodeUnsupportedSet: a message type (or a directory older than D96A)
	// this package does not map.
	CodeUnsupportedSet = "unsupported_set"
	// CodeMissingSegment: a segment the mapping needs is absent; Tag is
	// the missing segment's, Pos the message's UNH.
	CodeMissingSegment = "missing_segment"
	// CodeMissingElement: a mandatory element or component is empty.
	CodeMissingElement = "missing_element"
	// CodeBadValue: a number, date, code or identifier that is malformed
	// or unknown.
	CodeBadValue = "bad_value"
	// CodeUnknownUnit: a unit code with no canonical unit.
	CodeUnknownUnit = "unknown_unit"
	// CodeCountMismatch: CNT disagrees with what the message holds.
	CodeCountMismatch = "count_mismatch"
	// CodeBadHierarchy: a DESADV CPS tree that cannot be built.
	CodeBadHierarchy = "bad_hierarchy"
)

// problems collects the data errors of one message, so that every one is
// reported, not only the first.
type problems struct {
	errs []error
}

// at records a problem with component comp (1-based, 0 for the whole
// element) of element el (1-based, 0 for the whole segment) of s.
func (p *problems) at(s connectors.EDISegment, el, comp int, code, format string, args ...any) {
	p.errs = append(p.errs, &connectors.EDIError{
		Pos: s.Pos, Offset: s.Offset, Tag: s.Tag, Element: el, Component: comp,
		Code: code, Message: fmt.Sprintf(format, args...),
	})
}

// missing records that segment tag is absent from the message whose UNH
// is unh.
func (p *problems) missing(unh connectors.EDISegment, tag, what string) {
	p.errs = append(p.errs, &connectors.EDIError{
		Pos: unh.Pos, Offset: unh.Offset, Tag: tag, Code: CodeMissingSegment,
		Message: fmt.Sprintf("the message has no %s segment (%s)", tag, what),
	})
}

// err joins the problems; nil when there are none.
func (p *problems) err() error { return errors.Join(p.errs...) }

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
