package store_test

import (
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

// A store records a failed webhook attempt: what it writes is decided once,
// here, for both stores.
func ExampleDeliveryAttemptOutcome() {
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	d := store.Delivery{ID: "dlv-1", DocumentID: "doc-1", Doctype: "order", Sender: "sup", Receiver: "dlr",
		Status: store.DeliveryPending, NextAttemptAt: now}

	o, err := store.DeliveryAttemptOutcome(d, store.DeliveryAttempt{
		Error: "HTTP 503", NextAttemptAt: now.Add(30 * time.Second),
		Retry: &store.NewOutbox{Subject: "dealerhub.outbound", MsgID: "dlv-1.1"},
	}, now)
	if err != nil {
		panic(err)
	}
	fmt.Println(o.Status, o.LastError, o.NextAttemptAt.Format(time.TimeOnly), o.Retry.AvailableAt.Format(time.TimeOnly))

	o, _ = store.DeliveryAttemptOutcome(d, store.DeliveryAttempt{Dead: true, Error: "HTTP 410 Gone"}, now)
	fmt.Println(o.Status, o.DeadLetter.Kind, o.Notification.Type)
	fmt.Println(o.Notification.Title)
	// Output:
	// failed HTTP 503 10:00:30 10:00:30
	// dead delivery delivery_dead
	// Delivery dlv-1 of order doc-1 to dlr is dead: HTTP 410 Gone
}
