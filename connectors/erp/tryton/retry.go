package tryton

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
)

// transportError is a failure to reach Tryton or to read its whole reply:
// refused or reset connections, timeouts. Always transient.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// StatusError is an HTTP reply other than 200 OK.
type StatusError struct {
	// Status is the HTTP status code.
	Status int
	// RetryAfter is what a 429 or 503 reply asked to wait; zero when it did not say.
	RetryAfter time.Duration
	// Body is the start of the reply body (Tryton answers 401 and 403 with HTML).
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

// newStatusError reads the status and Retry-After of resp.
func newStatusError(resp *http.Response, body []byte) *StatusError {
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

// isUnauthorized reports an HTTP 401: Tryton refused the credentials or
// the session.
func isUnauthorized(err error) bool {
	var s *StatusError
	return errors.As(err, &s) && s.Status == http.StatusUnauthorized
}

// permanent marks err as not worth retrying (connectors.Permanent).
func permanent(err error) error { return connectors.Permanent(err) }

// transient reports whether calling again may succeed, and how long the
// server asked to wait.
func transient(err error) (bool, time.Duration) {
	var te *transportError
	var se *StatusError
	var re *RPCError
	switch {
	case connectors.IsPermanent(err):
		return false, 0
	case errors.As(err, &te):
		return true, 0
	case errors.As(err, &se):
		return se.Status == http.StatusTooManyRequests || se.Status >= 500, se.RetryAfter
	case errors.As(err, &re):
		return re.Retryable(), 0
	}
	return false, 0
}

// call sends one call, retrying transient failures cfg.retries() times
// with a doubling backoff (or the server's Retry-After when longer).
// Permanent failures other than a transient one wear out are marked with
// connectors.Permanent, except HTTP 401, which the caller handles.
func (c *Client) call(ctx context.Context, method string, params []any, auth string, result any) error {
	attempts := 1 + c.cfg.retries()
	wait := c.backoff
	for attempt := 1; ; attempt++ {
		err := c.post(ctx, method, params, auth, result)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("calling tryton %s: %w", method, ctx.Err())
		}
		retry, after := transient(err)
		if !retry {
			return classify(method, err)
		}
		if attempt >= attempts {
			err = fmt.Errorf("calling tryton %s: giving up after %d attempts: %w", method, attempt, err)
			if after > 0 {
				err = connectors.RetryAfter(err, after)
			}
			return err
		}
		delay := max(wait, after)
		c.log.Warn("tryton call failed; retrying", "method", method, "attempt", attempt, "wait", delay, "error", err)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("calling tryton %s: %w (while waiting to retry after: %v)", method, ctx.Err(), err)
		case <-t.C:
		}
		wait *= 2
	}
}

// classify wraps a failure that retrying cannot fix. A 401 stays as it is
// for the session logic; Tryton's error replies stay *RPCError (reachable
// with errors.As) inside a permanent error.
func classify(method string, err error) error {
	var se *StatusError
	if errors.As(err, &se) {
		switch {
		case se.Status == http.StatusUnauthorized:
			return err
		case se.Status == http.StatusForbidden:
			return permanent(fmt.Errorf("calling tryton %s: %w: the method is not exposed over RPC or the user may not call it", method, err))
		case se.Status == http.StatusNotFound:
			return permanent(fmt.Errorf("calling tryton %s: %w: no such database or path", method, err))
		}
		return permanent(fmt.Errorf("calling tryton %s: %w", method, err))
	}
	if connectors.IsPermanent(err) {
		return err
	}
	return permanent(err)
}
