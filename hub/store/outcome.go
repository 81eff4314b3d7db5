package store

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Dead-letter kinds (DeadLetter.Kind).
const (
	DeadLetterMessage  = "message"
	DeadLetterDelivery = "delivery"
)

// Notification types the stores write themselves (Notification.Type).
const (
	NotificationMessageFailed = "message_failed"
	NotificationDeliveryDead  = "delivery_dead"
)

// AttemptOutcome is what RecordDeliveryAttempt writes for one attempt,
// besides counting it, keeping the bytes sent and releasing the lease: the
// delivery's new state and the rows stored with it in the same transaction.
type AttemptOutcome struct {
	Status        DeliveryStatus
	LastError     string
	DeliveredAt   *time.Time // set when delivered
	NextAttemptAt time.Time
	// Retry is the attempt's Retry with AvailableAt defaulted to
	// NextAttemptAt; nil when the attempt has none.
	Retry *NewOutbox
	// DeadLetter and Notification are set when the attempt is Dead.
	DeadLetter   *DeadLetter
	Notification *Notification
}

// DeliveryAttemptOutcome decides what an attempt does to delivery d (as
// stored before the attempt) at now (the store's clock, at the stored
// precision). Delivered: status delivered, delivered_at now, last error
// cleared. Dead: status dead, the attempt's error kept, a dead letter and a
// delivery_dead notification for the sender. Otherwise: status failed, due
// again at a.NextAttemptAt, or now when that is zero. A Retry without
// AvailableAt becomes available at the delivery's next attempt time. A
// delivery that is neither pending nor failed is ErrConflict.
func DeliveryAttemptOutcome(d Delivery, a DeliveryAttempt, now time.Time) (AttemptOutcome, error) {
	if err := CheckDeliveryAttempt(d.Status); err != nil {
		return AttemptOutcome{}, err
	}
	if a.Delivered && a.Dead {
		return AttemptOutcome{}, errors.New("an attempt is delivered or dead, not both")
	}
	o := AttemptOutcome{LastError: a.Error, NextAttemptAt: d.NextAttemptAt}
	switch {
	case a.Delivered:
		at := now
		o.Status, o.LastError, o.DeliveredAt = DeliveryDelivered, "", &at
	case a.Dead:
		o.Status = DeliveryDead
	default:
		o.Status, o.NextAttemptAt = DeliveryFailed, now
		if !a.NextAttemptAt.IsZero() {
			o.NextAttemptAt = storedTime(a.NextAttemptAt)
		}
	}
	if a.Dead {
		dl, n := DeliveryDeadRecords(d, a.Error)
		o.DeadLetter, o.Notification = &dl, &n
	}
	if a.Retry != nil {
		retry := *a.Retry
		if retry.AvailableAt.IsZero() {
			retry.AvailableAt = o.NextAttemptAt
		}
		o.Retry = &retry
	}
	return o, nil
}

// DeliveryDeadRecords returns the dead letter (kind delivery, partner the
// sender, receiver the receiver) and the delivery_dead notification for the
// sender that a delivery ending with reason stores. The store sets their ids
// and times.
func DeliveryDeadRecords(d Delivery, reason string) (DeadLetter, Notification) {
	return DeadLetter{
			Kind: DeadLetterDelivery, RefID: d.ID, Partner: d.Sender, Receiver: d.Receiver, Reason: reason,
		}, Notification{
			Partner: d.Sender,
			Type:    NotificationDeliveryDead,
			Title: fmt.Sprintf("Delivery %s of %s %s to %s is dead: %s",
				d.ID, d.Doctype, d.DocumentID, d.Receiver, oneLine(reason)),
			Link: "/api/v1/deliveries/" + d.ID,
		}
}

// CheckMessageFailure checks the arguments of FailMessage: the status is
// failed or dead, and there is at least one error.
func CheckMessageFailure(status MessageStatus, errs []DataError) error {
	if status != StatusFailed && status != StatusDead {
		return fmt.Errorf("status %q is neither failed nor dead", status)
	}
	if len(errs) == 0 {
		return errors.New("no errors given")
	}
	return nil
}

// MessageFailureRecords returns the dead letter (kind message) and the
// message_failed notification that FailMessage stores for message id of
// partner. The reason is the first error's, plus how many more there are.
// The store sets their ids and times.
func MessageFailureRecords(id, partner string, status MessageStatus, errs []DataError) (DeadLetter, Notification) {
	reason := failureReason(errs)
	return DeadLetter{Kind: DeadLetterMessage, RefID: id, Partner: partner, Reason: reason},
		Notification{
			Partner: partner,
			Type:    NotificationMessageFailed,
			Title:   fmt.Sprintf("Message %s %s: %s", id, status, oneLine(reason)),
			Link:    "/api/v1/messages/" + id,
		}
}

// failureReason summarises errs for a dead letter: the first reason, plus
// " (and N more)" when there are more.
func failureReason(errs []DataError) string {
	if len(errs) == 0 {
		return ""
	}
	reason := errs[0].Reason
	if n := len(errs) - 1; n > 0 {
		reason += fmt.Sprintf(" (and %d more)", n)
	}
	return reason
}

// oneLine keeps a title on one line, its runs of white space folded.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// storedTime brings a caller's time to what both stores keep: UTC, to the
// microsecond.
func storedTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
