// Package webhook is the sink behind the "webhook" channel: it POSTs each
// outbound document to the partner's URL, signed with HMAC-SHA256, with an
// idempotency key so a receiver can drop the copies a retry may cause.
//
// Headers on every request:
//
//	Content-Type:           the route format's media type (application/json)
//	Idempotency-Key:        the delivery id; the same for every attempt
//	X-Dealerhub-Delivery:   the delivery id
//	X-Dealerhub-Attempt:    1, 2, …
//	X-Dealerhub-Doctype:    order, price_list, …
//	X-Dealerhub-Document:   the hub's document id
//	X-Dealerhub-Version:    the document version
//	X-Dealerhub-Timestamp:  Unix seconds when the request was signed
//	X-Dealerhub-Signature:  sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>, when a secret is set
//
// A 2xx answer is delivered. 408, 425, 429 and 5xx are retried (honouring
// Retry-After); other 4xx answers are permanent: the delivery is
// dead-lettered at once, and can be replayed once the endpoint is fixed.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
)

// Config is the route's webhook settings, as the hub hands them over in
// Outbound.Config.
type Config struct {
	URL     string            `json:"url"`
	Secret  string            `json:"secret,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	// Timeout is a Go duration string; default 10s.
	Timeout string `json:"timeout,omitempty"`
}

// Sink posts documents to partners' webhooks.
type Sink struct {
	client *http.Client
	now    func() time.Time
}

var _ connectors.Sink = (*Sink)(nil)

// New returns a Sink using client (http.DefaultClient's transport with no
// redirects when nil).
func New(client *http.Client) *Sink {
	if client == nil {
		client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	return &Sink{client: client, now: time.Now}
}

// Sign returns the signature header value for body signed at ts.
func Sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", ts)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a signature header against body and the timestamp header,
// for receivers written in Go (and for our tests).
func Verify(secret, signature, timestamp string, body []byte) bool {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return false
	}
	return hmac.Equal([]byte(Sign(secret, ts, body)), []byte(signature))
}

// Deliver POSTs out.Body to the configured URL.
func (s *Sink) Deliver(ctx context.Context, out connectors.Outbound) error {
	var cfg Config
	if err := json.Unmarshal(out.Config, &cfg); err != nil || cfg.URL == "" {
		return connectors.Permanent(fmt.Errorf("webhook route has no url"))
	}
	timeout := 10 * time.Second
	if cfg.Timeout != "" {
		if d, err := time.ParseDuration(cfg.Timeout); err == nil && d > 0 {
			timeout = d
		}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.URL, bytes.NewReader(out.Body))
	if err != nil {
		return connectors.Permanent(fmt.Errorf("building webhook request: %w", err))
	}
	for k, v := range cfg.Headers {
		req.Header.Set(k, v)
	}
	ts := s.now().Unix()
	ctype := out.ContentType
	if ctype == "" {
		ctype = "application/json"
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("User-Agent", "dealerhub-webhook/1")
	req.Header.Set("Idempotency-Key", out.DeliveryID)
	req.Header.Set("X-Dealerhub-Delivery", out.DeliveryID)
	req.Header.Set("X-Dealerhub-Attempt", strconv.Itoa(out.Attempt))
	req.Header.Set("X-Dealerhub-Doctype", out.Doctype)
	req.Header.Set("X-Dealerhub-Document", out.DocumentID)
	req.Header.Set("X-Dealerhub-Version", strconv.Itoa(out.Version))
	req.Header.Set("X-Dealerhub-Timestamp", strconv.FormatInt(ts, 10))
	if cfg.Secret != "" {
		req.Header.Set("X-Dealerhub-Signature", Sign(cfg.Secret, ts, out.Body))
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("posting to %s: %w", redact(cfg.URL), err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	herr := fmt.Errorf("%s answered %s: %s", redact(cfg.URL), resp.Status, bytes.TrimSpace(snippet))
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable ||
		resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooEarly || resp.StatusCode >= 500:
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), s.now()); ok {
			return connectors.RetryAfter(herr, d)
		}
		return herr
	default:
		return connectors.Permanent(herr)
	}
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// redact drops credentials from a URL for error messages.
func redact(raw string) string {
	u, err := http.NewRequest(http.MethodGet, raw, nil)
	if err != nil || u.URL.User == nil {
		return raw
	}
	u.URL.User = nil
	return u.URL.String()
}
