package odoo

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

// transportError is a failure to reach Odoo or to read its whole reply:
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
	// Body is the start of the reply body (proxies answer with HTML).
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

// isSessionExpired reports an Odoo error that a new login may cure.
func isSessionExpired(err error) bool {
	var re *RPCError
	return errors.As(err, &re) && re.SessionExpired()
}

// call sends one request, retrying transient failures up to retries times
// with a doubling backoff (or the server's Retry-After when longer). An
// expired session is returned as it is, unmarked, for the session logic;
// other failures that retrying cannot fix are marked permanent.
func (c *Client) call(ctx context.Context, name string, params any, retries int, result any) error {
	wait := c.backoff
	for attempt := 1; ; attempt++ {
		err := c.post(ctx, name, params, result)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("calling odoo %s: %w", name, ctx.Err())
		}
		retry, after := transient(err)
		if !retry {
			if isSessionExpired(err) || connectors.IsPermanent(err) {
				return err
			}
			return permanent(err)
		}
		if attempt > retries {
			err = fmt.Errorf("calling odoo %s: giving up after %d attempts: %w", name, attempt, err)
			if after > 0 {
				err = connectors.RetryAfter(err, after)
			}
			return err
		}
		delay := max(wait, after)
		c.log.Warn("odoo call failed; retrying", "call", name, "attempt", attempt, "wait", delay, "error", err)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("calling odoo %s: %w (while waiting to retry after: %v)", name, ctx.Err(), err)
		case <-t.C:
		}
		wait *= 2
	}
}
