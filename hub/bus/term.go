package bus

import "errors"

// ErrNoOutcome is the lastErr Exhausted receives when a message comes back
// after its last allowed delivery ended without any outcome (the handler's
// process died, or its acknowledgement was lost). Consume asks the server
// for one delivery more than MaxDeliver so that such a message is reported
// instead of silently dropped by the server.
var ErrNoOutcome = errors.New("last allowed delivery ended without an outcome")

// termError marks a permanent failure.
type termError struct{ err error }

func (e *termError) Error() string { return e.err.Error() }
func (e *termError) Unwrap() error { return e.err }

// Term marks err as permanent: Consume terminates the message instead of
// redelivering it, and does not call Exhausted (the handler has already
// dealt with it, e.g. recorded a dead letter). Term(nil) is nil.
func Term(err error) error {
	if err == nil {
		return nil
	}
	return &termError{err: err}
}

// IsTerm reports whether err, or any error it wraps, was marked with Term.
func IsTerm(err error) bool {
	var t *termError
	return errors.As(err, &t)
}
