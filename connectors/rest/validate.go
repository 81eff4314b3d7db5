package rest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// FieldError is a config error; Field is the key's path inside the rest
// block ("auth.token_url"), so the hub can prefix it with the partner's.
type FieldError struct {
	Field   string
	Message string
}

// Error names the field.
func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Validate checks the config; every error is a *FieldError naming its key,
// joined with errors.Join.
func (c Config) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	checkURL := func(field, raw string) {
		if raw == "" {
			bad(field, "is required")
			return
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad(field, "%q is not an http or https URL", redactURL(raw, nil))
		}
	}
	checkURL("url", c.URL)
	switch strings.ToUpper(c.Method) {
	case "", "GET", "POST":
	default:
		bad("method", "%q is not GET or POST", c.Method)
	}
	if len(c.Body) > 0 && !json.Valid(c.Body) {
		bad("body", "is not valid JSON")
	}
	if _, err := ParsePath(c.withDefaults().Records); err != nil {
		bad("records", "%v", err)
	}
	for i, r := range c.Required {
		if _, err := ParsePath(r); err != nil {
			bad(fmt.Sprintf("required[%d]", i), "%v", err)
		}
	}
	if a := c.Auth; a != nil {
		need := func(field, v string) {
			if v == "" {
				bad("auth."+field, "is required for auth type %s", a.Type)
			}
		}
		switch a.Type {
		case AuthAPIKey:
			need("key", a.Key)
		case AuthBasic:
			need("user", a.User)
		case AuthBearer:
			need("token", a.Token)
		case AuthOAuth2:
			checkURL("auth.token_url", a.TokenURL)
			need("client_id", a.ClientID)
			need("client_secret", a.ClientSecret)
			switch a.ClientAuth {
			case "", "basic", "body":
			default:
				bad("auth.client_auth", "%q is not basic or body", a.ClientAuth)
			}
			if a.RefreshBefore < 0 {
				bad("auth.refresh_before", "must not be negative")
			}
		case "":
			bad("auth.type", "is required (api_key, basic, bearer or oauth2)")
		default:
			bad("auth.type", "%q is not api_key, basic, bearer or oauth2", a.Type)
		}
	}
	p := c.Pagination
	switch p.Type {
	case "", PageNone, PageLink:
	case PageNumber:
		if p.Size < 0 {
			bad("pagination.size", "must not be negative")
		}
		if p.PageParam != "" && p.PageParam == p.SizeParam {
			bad("pagination.size_param", "must differ from page_param")
		}
	case PageOffset:
		if p.Limit < 0 {
			bad("pagination.limit", "must not be negative")
		}
		if p.OffsetParam != "" && p.OffsetParam == p.LimitParam {
			bad("pagination.limit_param", "must differ from offset_param")
		}
	case PageCursor:
		if p.CursorPath == "" {
			bad("pagination.cursor_path", "is required for pagination type cursor")
		} else if _, err := ParsePath(p.CursorPath); err != nil {
			bad("pagination.cursor_path", "%v", err)
		}
	default:
		bad("pagination.type", "%q is not page, offset, cursor, link or none", p.Type)
	}
	if w := c.Watermark; w != nil {
		if w.Param == "" {
			bad("watermark.param", "is required")
		}
		if w.Field == "" {
			bad("watermark.field", "is required")
		} else if _, err := ParsePath(w.Field); err != nil {
			bad("watermark.field", "%v", err)
		}
	}
	if r := c.RateLimit; r != nil {
		if r.RPS <= 0 {
			bad("rate_limit.rps", "must be greater than 0")
		}
		if r.Burst < 0 {
			bad("rate_limit.burst", "must not be negative")
		}
	}
	if c.Retries < -1 {
		bad("retries", "must be -1 (none) or more")
	}
	for _, d := range []struct {
		field string
		v     Duration
	}{{"backoff", c.Backoff}, {"max_backoff", c.MaxBackoff}, {"timeout", c.Timeout}} {
		if d.v < 0 {
			bad(d.field, "must not be negative")
		}
	}
	if c.MaxPages < 0 {
		bad("max_pages", "must not be negative")
	}
	if c.MaxBodySize < 0 {
		bad("max_body_size", "must not be negative")
	}
	if c.Doctype == "" {
		bad("doctype", "is required")
	}
	return errors.Join(errs...)
}
