package odoo

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/erp"
)

// transportError and StatusError are the shared transport failures of
// the ERP connectors.
type (
	transportError = erp.TransportError
	// StatusError is an HTTP reply other than 200 OK (proxies answer with
	// HTML).
	StatusError = erp.StatusError
)

// newStatusError reads the status and Retry-After of resp.
func newStatusError(resp *http.Response, body []byte) *StatusError {
	return erp.NewStatusError(resp, body)
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
	r := erp.Retry{System: "odoo", Call: name, Attempts: 1 + max(retries, 0), Backoff: c.backoff, Log: c.log}
	return r.Do(ctx, func() error { return c.post(ctx, name, params, result) }, transient, func(err error) error {
		if isSessionExpired(err) || connectors.IsPermanent(err) {
			return err
		}
		return permanent(err)
	})
}
