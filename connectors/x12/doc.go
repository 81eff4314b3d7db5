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
//		return err // not X12, a broken ISA, a limit, or I/O
//	}
//	for _, set := range f.Sets() {
//		use(set.EDITransaction) // ST…SE with its envelope context
//	}
//	if err := f.Err(); err != nil {
//		report(err) // "segment 12 (SE) element 1 at byte 410: SE01 says 11 segments (ST through SE) but there are 10"
//	}
//	ic := f.Interchanges[0]
//	ack := x12.Ack997(ic, ic.Groups[0], x12.AckOptions{SetErrors: fromMappings})
//	err = x12.Write(w, x12.Envelope{
//		Sender: ic.Receiver, Receiver: ic.Sender, FunctionalID: "FA",
//		InterchangeControl: next(), GroupControl: next(),
//	}, []x12.OutSet{ack})
//
// Write refuses a value that contains a delimiter (X12 has no escape
// character) and checks everything before it writes the first byte.
// ParseAck reads an inbound 997 or 999 so that the hub can match it to
// the group it sent.
package x12
