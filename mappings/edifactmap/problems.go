package edifactmap

import "github.com/dealerhub/dealerhub/mappings/edimap"

// Error codes of the data errors ToCanonical returns, beside the ones
// connectors.EDIError lists. They are edimap's, shared with x12map.
const (
	// CodeUnsupportedSet: a message type (or a directory older than D96A)
	// this package does not map.
	CodeUnsupportedSet = edimap.CodeUnsupportedSet
	// CodeMissingSegment: a segment the mapping needs is absent; Tag is
	// the missing segment's, Pos the message's UNH.
	CodeMissingSegment = edimap.CodeMissingSegment
	// CodeMissingElement: a mandatory element or component is empty.
	CodeMissingElement = edimap.CodeMissingElement
	// CodeBadValue: a number, date, code or identifier that is malformed
	// or unknown.
	CodeBadValue = edimap.CodeBadValue
	// CodeUnknownUnit: a unit code with no canonical unit.
	CodeUnknownUnit = edimap.CodeUnknownUnit
	// CodeCountMismatch: CNT disagrees with what the message holds.
	CodeCountMismatch = edimap.CodeCountMismatch
	// CodeBadHierarchy: a DESADV CPS tree that cannot be built.
	CodeBadHierarchy = edimap.CodeBadHierarchy
)

// BodyError is a problem FromCanonical found in a canonical document: the
// JSON pointer of the offending value and what is wrong with it. It is
// edimap's, the same type as x12map.BodyError.
type BodyError = edimap.BodyError
