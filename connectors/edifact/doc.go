// Package edifact is the "edifact" format: a streaming UN/EDIFACT
// tokenizer, a reader of interchanges (UNB…UNZ), functional groups
// (UNG…UNE) and messages (UNH…UNT), a writer, and CONTRL syntax and
// service reports.
//
// Read collects envelope problems instead of failing, so an inbound
// interchange can still be acknowledged:
//
//	file, err := edifact.Read(r, edifact.Options{})
//	if err != nil {
//		return err // not EDIFACT at all, or an I/O error
//	}
//	for _, ic := range file.Interchanges {
//		for _, m := range ic.Messages() {
//			use(m.EDITransaction) // m.Type "ORDERS", m.Version "D96A", m.Body()
//		}
//		if ic.AckRequested {
//			ack := edifact.Contrl(ic, edifact.ContrlOptions{})
//			_ = edifact.Write(w, ic.Reply("ACK1", now), []edifact.OutMessage{ack})
//		}
//	}
package edifact
