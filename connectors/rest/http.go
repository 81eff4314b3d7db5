package rest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/go-resty/resty/v2"
)

// request is one HTTP request as send sends it, perhaps several times.
type request struct {
	method string
	url    string
	// prepare sets headers, query and body on each attempt.
	prepare func(*resty.Request)
	// api marks a request to the partner's API: rate limited and
	// authenticated (the token endpoint's requests are neither).
	api bool
}

// reply is a 2xx answer.
type reply struct {
	header   http.Header
	body     []byte
	attempts int
}

// send sends req until it gets a 2xx reply, a permanent failure, or runs out
// of retries. Network errors, timeouts, 429 and 5xx are retried with
// exponential backoff, or after the reply's Retry-After. A 401 to an OAuth2
// token from the cache drops the token and tries once with a fresh one; a
// 401 to a fresh token is permanent. Every other status is permanent.
func (s *Source) send(ctx context.Context, req request) (*reply, error) {
	shown := func() string { return redactURL(req.url, s.secretList()) }
	attempts, transient := 0, 0
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if req.api && s.limiter != nil {
			if err := s.limiter.Wait(ctx); err != nil {
				return nil, fmt.Errorf("waiting for the rate limit: %w", err)
			}
		}
		r := s.client.R().SetContext(ctx)
		if req.prepare != nil {
			req.prepare(r)
		}
		fresh := false
		if req.api {
			var err error
			if fresh, err = s.authorize(ctx, r); err != nil {
				return nil, err
			}
		}
		attempts++
		s.requests.Add(1)
		resp, err := r.Execute(req.method, req.url)
		var wait time.Duration
		var last error
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			cause := err
			var ue *url.Error
			if errors.As(err, &ue) { // its text repeats the URL, query and all
				cause = ue.Err
			}
			te := &TransportError{Method: req.method, URL: shown(), Attempts: attempts, Err: cause}
			if errors.Is(err, resty.ErrResponseBodyTooLarge) {
				return nil, connectors.Permanent(te)
			}
			last = te
		case resp.StatusCode() >= 200 && resp.StatusCode() < 300:
			return &reply{header: resp.Header(), body: resp.Body(), attempts: attempts}, nil
		default:
			he := &HTTPError{Method: req.method, URL: shown(), Status: resp.StatusCode(), Body: excerpt(resp.Body(), s.secretList()), Attempts: attempts}
			he.RetryAfter, _ = parseRetryAfter(resp.Header().Get("Retry-After"), s.now())
			status := resp.StatusCode()
			switch {
			case status == http.StatusUnauthorized && req.api && s.cfg.Auth != nil && s.cfg.Auth.Type == AuthOAuth2 && !fresh:
				s.log.Info("api refused the oauth2 token; fetching a new one", "url", he.URL)
				s.forgetToken()
				continue // not a transient failure: no backoff, no retry spent
			case status == http.StatusUnauthorized && fresh:
				return nil, connectors.Permanent(fmt.Errorf("refused a freshly fetched oauth2 token: %w", he))
			case status == http.StatusTooManyRequests || status >= 500:
				last, wait = he, he.RetryAfter
			default:
				return nil, connectors.Permanent(he)
			}
		}
		transient++
		if transient > s.cfg.Retries {
			return nil, last
		}
		if wait == 0 {
			wait = time.Duration(s.cfg.Backoff) << (transient - 1)
		}
		wait = min(wait, time.Duration(s.cfg.MaxBackoff))
		if wait <= 0 { // overflowed shift
			wait = time.Duration(s.cfg.MaxBackoff)
		}
		s.log.Warn("request failed; retrying", "url", shown(), "attempt", attempts, "wait", wait, "error", last)
		if err := s.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// sleepContext waits d or until ctx is done.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
