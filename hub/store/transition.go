package store

import "fmt"

// The state guards of the write paths: each says whether a row in a given
// status may take a step, and otherwise returns an error wrapping
// ErrConflict that names the status. Both stores check them on the row
// they read (and, in PostgreSQL, locked) inside the step's transaction.

// CheckMessageFinish: CommitMessage and FailMessage finish only a message in
// received or processing.
func CheckMessageFinish(s MessageStatus) error {
	if s != StatusReceived && s != StatusProcessing {
		return fmt.Errorf("message is %s: %w", s, ErrConflict)
	}
	return nil
}

// CheckMessageReplay: ReplayMessage replays a message in any status but
// processing (a done message may be replayed).
func CheckMessageReplay(s MessageStatus) error {
	if s == StatusProcessing {
		return fmt.Errorf("message is processing: %w", ErrConflict)
	}
	return nil
}

// CheckDeliveryAttempt: RecordDeliveryAttempt records an attempt only on a
// delivery in pending or failed.
func CheckDeliveryAttempt(s DeliveryStatus) error {
	if s != DeliveryPending && s != DeliveryFailed {
		return fmt.Errorf("delivery is %s: %w", s, ErrConflict)
	}
	return nil
}

// CheckDeliveryReplay: ReplayDelivery replays only a delivery in dead or
// failed.
func CheckDeliveryReplay(s DeliveryStatus) error {
	if s != DeliveryDead && s != DeliveryFailed {
		return fmt.Errorf("delivery is %s: %w", s, ErrConflict)
	}
	return nil
}
