package x12map

import "github.com/dealerhub/dealerhub/mappings/edimap"

// Error codes of the data errors ToCanonical returns, beside the ones
// connectors.EDIError lists. They are edimap's, shared with edifactmap.
const (
	// CodeUnsupportedSet: a set type this package does not map.
	CodeUnsupportedSet = edimap.CodeUnsupportedSet
	// CodeMissingSegment: a segment the mapping needs is absent; Tag is
	// the missing segment's, Pos the set's ST.
	CodeMissingSegment = edimap.CodeMissingSegment
	// CodeMissingElement: a mandatory element is empty.
	CodeMissingElement = edimap.CodeMissingElement
	// CodeBadValue: a number, date, time, code or identifier that is
	// malformed or unknown.
	CodeBadValue = edimap.CodeBadValue
	// CodeUnknownUnit: a unit code with no canonical unit.
	CodeUnknownUnit = edimap.CodeUnknownUnit
	// CodeCountMismatch: CTT01 disagrees with what the set holds.
	CodeCountMismatch = edimap.CodeCountMismatch
	// CodeBadHierarchy: an 856 HL tree that cannot be built.
	CodeBadHierarchy = edimap.CodeBadHierarchy
)

// BodyError is a problem FromCanonical found in a canonical document: the
// JSON pointer of the offending value and what is wrong with it. It is
// edimap's, the same type as edifactmap.BodyError.
type BodyError = edimap.BodyError
