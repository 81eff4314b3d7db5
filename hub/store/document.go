package store

import "time"

// NextVersion applies the versioning rule to a document whose current
// version is current (0 when there is no document with that key yet) with
// content hash currentHash: content equal to the current version changes
// nothing; anything else, even an older content re-sent on purpose, is
// version current+1.
func NextVersion(current int, currentHash, hash string) (version int, changed bool) {
	if current > 0 && currentHash == hash {
		return current, false
	}
	return current + 1, true
}

// PendingDeliveries builds the deliveries that CommitMessage creates with a
// new version of a document: one per in.Deliveries, pending, due at, with no
// attempts, ids from newID. nil when the document has none.
func PendingDeliveries(documentID string, version int, messageID string, in DocumentInput, at time.Time, newID func() string) []Delivery {
	var ds []Delivery
	for _, nd := range in.Deliveries {
		ds = append(ds, Delivery{
			ID: newID(), DocumentID: documentID, Version: version, MessageID: messageID,
			Doctype: in.Doctype, Sender: in.Sender, Receiver: nd.Receiver,
			Channel: nd.Channel, Format: nd.Format, Config: nd.Config,
			Status: DeliveryPending, NextAttemptAt: at, CreatedAt: at, UpdatedAt: at,
		})
	}
	return ds
}

// JSONBody is a canonical body as both stores write it to their JSON
// column: the body itself, or JSON null when it is empty (rather than
// failing the whole commit).
func JSONBody(b []byte) string {
	if len(b) == 0 {
		return "null"
	}
	return string(b)
}
