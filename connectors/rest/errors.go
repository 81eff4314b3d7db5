package rest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// bodyExcerpt is how much of a reply body an error quotes.
const bodyExcerpt = 200

// HTTPError is a reply the source could not use: a status other than 2xx
// after the retries it was worth. URL and Body never hold a credential.
type HTTPError struct {
	// Method and URL of the request (secrets replaced by REDACTED).
	Method string
	URL    string
	// Status is the HTTP status code of the last reply.
	Status int
	// Body is the first 200 bytes of the last reply's body.
	Body string
	// Attempts is how many times the request was sent.
	Attempts int
	// RetryAfter is what the last reply asked to wait; zero when it did not say.
	RetryAfter time.Duration
}

// Error names the request, the status, the attempts and the body's start.
func (e *HTTPError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d %s", e.Method, e.URL, e.Status, http.StatusText(e.Status))
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.Body != "" {
		fmt.Fprintf(&b, ": %q", e.Body)
	}
	return b.String()
}

// TransportError is a request that got no usable reply: refused or reset
// connection, timeout, a body larger than max_body_size.
type TransportError struct {
	Method   string
	URL      string
	Attempts int
	Err      error
}

// Error names the request and the attempts.
func (e *TransportError) Error() string {
	if e.Attempts > 1 {
		return fmt.Sprintf("%s %s: after %d attempts: %v", e.Method, e.URL, e.Attempts, e.Err)
	}
	return fmt.Sprintf("%s %s: %v", e.Method, e.URL, e.Err)
}

// Unwrap returns the cause.
func (e *TransportError) Unwrap() error { return e.Err }

// excerpt returns the first bodyExcerpt bytes of body as text, secrets
// replaced.
func excerpt(body []byte, secrets []string) string {
	// Redact before cutting, so a secret straddling the cut is not half shown.
	s := redactText(string(body), secrets)
	if len(s) > bodyExcerpt {
		s = s[:bodyExcerpt]
		for len(s) > 0 && !utf8ValidEnd(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return strings.TrimSpace(s)
}

// utf8ValidEnd reports whether s does not end inside a multi-byte rune.
func utf8ValidEnd(s string) bool {
	return strings.ToValidUTF8(s, "\uFFFD") == s
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date
// (relative to now). ok is false when it is absent or unreadable.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
