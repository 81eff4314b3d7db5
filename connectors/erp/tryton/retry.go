package tryton

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/erp"
)

// transportError and StatusError are the shared transport failures of
// the ERP connectors.
type (
	transportError = erp.TransportError
	// StatusError is an HTTP reply other than 200 OK (Tryton answers 401
	// and 403 with HTML).
	StatusError = erp.StatusError
)

// newStatusError reads the status and Retry-After of resp.
func newStatusError(resp *http.Response, body []byte) *StatusError {
	return erp.NewStatusError(resp, body)
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
	if retry, after, ok := erp.Transient(err); ok {
		return retry, after
	}
	var re *RPCError
	if errors.As(err, &re) {
		return re.Retryable(), 0
	}
	return false, 0
}

// call sends one call, retrying transient failures cfg.retries() times
// with a doubling backoff (or the server's Retry-After when longer).
// Permanent failures other than a transient one wear out are marked with
// connectors.Permanent, except HTTP 401, which the caller handles.
func (c *Client) call(ctx context.Context, method string, params []any, auth string, result any) error {
	r := erp.Retry{System: "tryton", Call: method, Attempts: 1 + c.cfg.retries(), Backoff: c.backoff, Log: c.log}
	return r.Do(ctx, func() error { return c.post(ctx, method, params, auth, result) }, transient,
		func(err error) error { return classify(method, err) })
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
