// Package edimap holds what the two EDI mappings, x12map (X12) and
// edifactmap (EDIFACT/EANCOM), share: the mapped document and the
// supported pair types, the collectors of located data errors and of
// problems in a canonical document, EDI values (decimals, dates, GTINs,
// unit codes and code tables) and the checks and strict decoding of a
// partner's mapping options.
//
// What differs by standard stays in the mapping packages: segment
// layouts, each standard's code tables, times and zones (X12 time codes,
// EDIFACT DTM formats), each Options struct with its fields and defaults.
// The mapping packages re-export Doc, Pair, BodyError and the error codes
// as their own, so their users need not import edimap.
//
// Usage, in a mapping's reader and writer:
//
//	var p edimap.Problems
//	qty, ok := edimap.ParseDecimal(seg.Value(2), edimap.PointMark)
//	if !ok {
//		p.At(seg, 2, 0, edimap.CodeBadValue, "quantity %q is not a number", seg.Value(2))
//	}
//	unit, ok := edimap.CanonicalUnit(seg.Value(3), partnerUnits, x12Units)
//	date, ok := edimap.FormatDate("2026-01-05") // "20260105"
//	return docs, p.Err() // every problem, each a *connectors.EDIError
package edimap
