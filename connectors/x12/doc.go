// Package x12 is the "x12" format: a streaming reader of ANSI ASC X12
// interchanges (ISA…IEA, GS…GE, ST…SE), a writer, and the functional (997)
// and interchange (TA1) acknowledgments.
//
// The Tokenizer splits any byte stream into connectors.EDISegment values,
// learning the delimiters from each ISA. Read assembles the envelopes and
// collects their problems (counts, control numbers, missing trailers,
// unknown segment tags) as located *connectors.EDIError values instead of
// failing, so that the caller can still acknowledge:
//
//	f, err := x12.Read(r, x12.Options{})
//	if err != nil {
//		return err // not X12, a broken ISA, or I/O
//	}
//	for _, set := range f.Sets() {
//		use(set.EDITransaction) // ST…SE with its envelope context
//	}
//	if err := f.Err(); err != nil {
//		report(err) // "segment 12 (SE) element 1: SE01 says 11 segments (ST through SE) but there are 10"
//	}
package x12
