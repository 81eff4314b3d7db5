// Package edifactmap maps EDIFACT messages to canonical documents and
// back: ORDERS ↔ order, ORDRSP ↔ order_response, DESADV ↔ shipment,
// INVRPT ↔ stock_level, PRICAT ↔ price_list (and PRICAT → product),
// IFTSTA ↔ tracking_event.
//
// It writes EANCOM D96A (UNH S009 ORDERS:D:96A:UN:EAN008 and so on) and
// reads D96A and every later directory (D96B, D01B, …), whose segments are
// the same for what is mapped here. Numbers are read with either decimal
// mark and kept as decimal strings; text is passed through as it is, so
// Chinese text in a UNOY interchange round-trips.
//
// The neutral records come from the edifact format (connectors/edifact):
//
//	f, err := edifact.Read(r, edifact.Options{})
//	msg := f.Interchanges[0].Groups[0].Messages[0]
//	docs, err := edifactmap.ToCanonical(msg.EDITransaction, edifactmap.Options{})
//	for _, d := range docs {
//		// d.Doctype is "order"; d.Body the order without sender/receiver
//	}
//
// and back:
//
//	out, err := edifactmap.FromCanonical("order", body, edifactmap.Options{})
//	// out.Type "ORDERS", out.Body the segments between UNH and UNT
//
// Data errors are *connectors.EDIError values joined with errors.Join,
// each located to the segment, element and component; every problem of a
// message is reported. Options holds a partner's overrides (item number
// qualifiers, date qualifiers, unit codes, status tables, time zone); the
// zero value is the EANCOM defaults. See README.md for the field-by-field
// mapping and its limits.
package edifactmap
