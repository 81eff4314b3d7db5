package rest

import (
	"net/url"
	"strings"
)

// redacted replaces secrets in URLs, errors and logs.
const redacted = "REDACTED"

// sensitiveParams are query parameter names whose values are never shown.
var sensitiveParams = []string{"key", "token", "secret", "password", "passwd", "signature", "sig", "auth", "credential"}

// redactURL returns raw with the userinfo password, the values of query
// parameters whose names look secret and every known secret replaced.
func redactURL(raw string, secrets []string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return redactText(raw, secrets)
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), redacted)
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		changed := false
		for name, vals := range q {
			lower := strings.ToLower(name)
			for _, s := range sensitiveParams {
				if strings.Contains(lower, s) {
					for i := range vals {
						vals[i] = redacted
					}
					changed = true
					break
				}
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return redactText(u.String(), secrets)
}

// redactText replaces every known secret in s.
func redactText(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 { // shorter ones would blank out ordinary text
			s = strings.ReplaceAll(s, sec, redacted)
			if esc := url.QueryEscape(sec); esc != sec {
				s = strings.ReplaceAll(s, esc, redacted)
			}
		}
	}
	return s
}
