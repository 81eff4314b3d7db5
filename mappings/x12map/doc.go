// Package x12map maps ANSI X12 transaction sets to dealerhub's canonical
// documents and back: 850 ↔ order, 855 ↔ order_response, 856 ↔ shipment,
// 846 ↔ stock_level, 832 ↔ price_list and product, 214 ↔ tracking_event.
//
// ToCanonical takes one set as the x12 reader produces it
// (connectors.EDITransaction) and returns its documents, or every data
// problem of the set as located *connectors.EDIError values joined in one
// error. FromCanonical builds the segments between ST and SE for a
// document; the x12 writer adds the envelopes. Options carry what a
// partner varies: product id qualifiers, date qualifiers, unit aliases,
// the time zone of times without a code, status code tables.
//
//	f, err := x12.Read(r, x12.Options{})
//	if err != nil {
//		return err
//	}
//	for _, tx := range f.Transactions() {
//		docs, err := x12map.ToCanonical(tx, partnerOptions)
//		if err != nil {
//			report(err) // "segment 12 (PO1) element 3: unit \"ZZ\" has no canonical unit …"
//			continue
//		}
//		for _, d := range docs {
//			store(d.Doctype, d.Body) // the hub adds sender, receiver and source
//		}
//	}
//
//	out, err := x12map.FromCanonical("order", orderBody, partnerOptions)
//	// x12.Write(w, envelope, []x12.OutSet{{Type: out.Type, Body: out.Body}})
//
// Values: quantities and prices stay decimal strings ("0009.250" reads
// as "9.250"), dates CCYYMMDD or YYMMDD become YYYY-MM-DD, times with an
// X12 time code become RFC 3339 instants (generic zones such as ET follow
// the US daylight saving rules), X12 unit codes map to UN/ECE Rec 20 and
// pounds become kilograms. Facts with no canonical field are kept in the
// document's extensions under "x12." keys, and written back from there.
// README.md lists every segment and code table.
package x12map
