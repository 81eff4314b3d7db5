package erp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
)

// TransportError is a failure to reach the ERP or to read its whole
// reply: refused or reset connections, timeouts. Always transient.
type TransportError struct{ Err error }

func (e *TransportError) Error() string { return e.Err.Error() }
func (e *TransportError) Unwrap() error { return e.Err }

// StatusError is an HTTP reply other than 200 OK.
type StatusError struct {
	// Status is the HTTP status code.
	Status int
	// RetryAfter is what a 429 or 503 reply asked to wait; zero when it
	// did not say.
	RetryAfter time.Duration
	// Body is the start of the reply body (servers and proxies answer
	// errors with HTML).
	Body string
}

// Error names the status.
func (e *StatusError) Error() string {
	msg := fmt.Sprintf("HTTP %d %s", e.Status, http.StatusText(e.Status))
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// NewStatusError reads the status and Retry-After (seconds or an HTTP
// date) of resp; body is the start of its body.
func NewStatusError(resp *http.Response, body []byte) *StatusError {
	e := &StatusError{Status: resp.StatusCode, Body: strings.TrimSpace(string(body))}
	if v := strings.TrimSpace(resp.Header.Get("Retry-After")); v != "" {
		if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
			e.RetryAfter = time.Duration(secs) * time.Second
		} else if t, err := http.ParseTime(v); err == nil {
			e.RetryAfter = max(time.Until(t), 0)
		}
	}
	return e
}

// Transient reports whether a failure of the transport or of HTTP may go
// away when tried again (a connection problem, 429, 5xx), and how long the
// server asked to wait. handled is false for other errors, which the
// ERP's own rules classify.
func Transient(err error) (retry bool, after time.Duration, handled bool) {
	var te *TransportError
	var se *StatusError
	switch {
	case connectors.IsPermanent(err):
		return false, 0, true
	case errors.As(err, &te):
		return true, 0, true
	case errors.As(err, &se):
		return se.Status == http.StatusTooManyRequests || se.Status >= 500, se.RetryAfter, true
	}
	return false, 0, false
}

// Retry is one call's retry policy.
type Retry struct {
	// System and Call name the call in errors and logs ("tryton",
	// "model.product.product.search_read").
	System, Call string
	// Attempts is how many times the call is made at most (>= 1).
	Attempts int
	// Backoff is the first wait, doubled after each failure; a longer
	// Retry-After wins.
	Backoff time.Duration
	Log     *slog.Logger
}

// Do calls do until it succeeds, fails for good (transient reports false:
// its error goes through final, which may mark it permanent), or runs out
// of attempts (the last error, with the attempts and any Retry-After).
func (r Retry) Do(ctx context.Context, do func() error, transient func(error) (bool, time.Duration), final func(error) error) error {
	wait := r.Backoff
	for attempt := 1; ; attempt++ {
		err := do()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("calling %s %s: %w", r.System, r.Call, ctx.Err())
		}
		retry, after := transient(err)
		if !retry {
			return final(err)
		}
		if attempt >= r.Attempts {
			err = fmt.Errorf("calling %s %s: giving up after %d attempts: %w", r.System, r.Call, attempt, err)
			if after > 0 {
				err = connectors.RetryAfter(err, after)
			}
			return err
		}
		delay := max(wait, after)
		r.Log.Warn(r.System+" call failed; retrying", "call", r.Call, "attempt", attempt, "wait", delay, "error", err)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("calling %s %s: %w (while waiting to retry after: %v)", r.System, r.Call, ctx.Err(), err)
		case <-t.C:
		}
		wait *= 2
	}
}
