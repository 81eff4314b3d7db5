package store

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// OutboxRow checks a bus message before a store writes it and fills its
// default: a row without a subject could never be published, so it is
// refused (i is its index in the batch, for the error); a zero AvailableAt
// means at. AvailableAt comes back at the stored precision.
func OutboxRow(i int, o NewOutbox, at time.Time) (NewOutbox, error) {
	if o.Subject == "" {
		return NewOutbox{}, fmt.Errorf("outbox row %d (msg id %q) has no subject", i, o.MsgID)
	}
	if o.AvailableAt.IsZero() {
		o.AvailableAt = at
	} else {
		o.AvailableAt = storedTime(o.AvailableAt)
	}
	return o, nil
}

// SortOutbox puts claimed rows in the order ClaimOutbox returns them:
// oldest AvailableAt first, then by id.
func SortOutbox(items []OutboxItem) {
	slices.SortFunc(items, func(a, b OutboxItem) int {
		if c := a.AvailableAt.Compare(b.AvailableAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}
