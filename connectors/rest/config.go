package rest

import (
	"encoding/json"
	"fmt"
	"time"
)

// Config describes one paginated REST pull, as it appears under a partner in
// the hub config file (key "rest"). Nothing about the API is written in Go:
// the endpoint, the credentials, how pages follow each other, where the
// records sit and how an incremental pull remembers where it stopped are all
// here.
type Config struct {
	// URL is the endpoint of the first page, e.g.
	// https://erp.example.com/api/v2/stock. Query parameters written here
	// are kept on every request of page, offset and cursor pagination.
	URL string `json:"url"`
	// Method is GET (default) or POST. Parameters always go in the query
	// string; a POST sends Body.
	Method string `json:"method,omitempty"`
	// Body is the JSON sent with every POST request; ignored for GET.
	Body json.RawMessage `json:"body,omitempty"`
	// Headers are sent with every request (e.g. Accept, a tenant id).
	// Credentials belong in Auth, where they are kept out of errors and logs.
	Headers map[string]string `json:"headers,omitempty"`
	// Query holds static query parameters added to every request.
	Query map[string]string `json:"query,omitempty"`
	// Auth says how requests authenticate; none when absent.
	Auth *Auth `json:"auth,omitempty"`
	// Pagination says how the next page is requested; a single request
	// (type none) when absent.
	Pagination Pagination `json:"pagination,omitempty"`
	// Records is the path of the array of records in a response: "data",
	// "result.items", or "$" for a response that is itself an array.
	// Default "$". See Path for the syntax.
	Records string `json:"records,omitempty"`
	// Required lists paths (relative to a record) that every record must
	// carry with a non-null value; a record lacking one is rejected on its
	// own (Page.Rejected) and the rest of its page is kept.
	Required []string `json:"required,omitempty"`
	// Watermark makes the pull incremental; every run reads everything
	// when absent.
	Watermark *Watermark `json:"watermark,omitempty"`
	// RateLimit bounds the request rate to the API; unlimited when absent.
	RateLimit *RateLimit `json:"rate_limit,omitempty"`
	// Retries is how many times a request that failed transiently (network
	// error, timeout, HTTP 5xx or 429) is sent again before the run fails;
	// default 4, -1 for none.
	Retries int `json:"retries,omitempty"`
	// Backoff is the wait before the first retry; it doubles with each
	// retry up to MaxBackoff. Default 1s. A Retry-After header (seconds or
	// an HTTP date) on a 429 or 5xx reply replaces it.
	Backoff Duration `json:"backoff,omitempty"`
	// MaxBackoff caps the wait between two attempts, Retry-After
	// included; default 5m.
	MaxBackoff Duration `json:"max_backoff,omitempty"`
	// Timeout bounds one request, reading the reply included; default 30s.
	Timeout Duration `json:"timeout,omitempty"`
	// MaxPages stops a run that fetched this many pages with an error, a
	// guard against an API that never says it is done; default 10000.
	MaxPages int `json:"max_pages,omitempty"`
	// MaxBodySize is the largest reply body read, in bytes; default 64 MiB.
	MaxBodySize int64 `json:"max_body_size,omitempty"`
	// Doctype is the canonical document type the records become
	// (stock_level, product, …). Carried for the hub, not used here.
	Doctype string `json:"doctype"`
	// Mapping names the partner mapping that turns records into canonical
	// documents. Carried for the hub, not used here.
	Mapping string `json:"mapping,omitempty"`
}

// Auth types.
const (
	AuthAPIKey = "api_key"
	AuthBasic  = "basic"
	AuthBearer = "bearer"
	AuthOAuth2 = "oauth2"
)

// Auth is one way of authenticating. Secrets are written as "${ENV_VAR}" in
// the hub config and resolved before they reach this struct; they never
// appear in errors or logs.
type Auth struct {
	// Type is api_key, basic, bearer or oauth2.
	Type string `json:"type"`
	// Header carries Key for api_key; default "X-API-Key".
	Header string `json:"header,omitempty"`
	// Key is the API key (api_key).
	Key string `json:"key,omitempty"`
	// User and Password are the basic credentials (basic).
	User     string `json:"user,omitempty"`
	Password string `json:"password,omitempty"`
	// Token is the bearer token (bearer).
	Token string `json:"token,omitempty"`
	// TokenURL is the OAuth2 token endpoint (oauth2). The client
	// credentials grant is used.
	TokenURL string `json:"token_url,omitempty"`
	// ClientID and ClientSecret identify the hub to the token endpoint
	// (oauth2).
	ClientID     string `json:"client_id,omitempty"`
	ClientSecret string `json:"client_secret,omitempty"`
	// ClientAuth is how the client credentials are sent: "basic" (default,
	// an Authorization header, RFC 6749 §2.3.1) or "body" (form fields
	// client_id and client_secret).
	ClientAuth string `json:"client_auth,omitempty"`
	// Scopes are requested space-separated in the scope field (oauth2).
	Scopes []string `json:"scopes,omitempty"`
	// Audience is sent as the audience field when set (oauth2; Auth0 and
	// others want it).
	Audience string `json:"audience,omitempty"`
	// RefreshBefore is how long before its expires_in runs out a token is
	// replaced (oauth2); default 30s. A token without expires_in is kept
	// until the API answers 401.
	RefreshBefore Duration `json:"refresh_before,omitempty"`
}

// Pagination types.
const (
	PageNone   = "none"
	PageNumber = "page"
	PageOffset = "offset"
	PageCursor = "cursor"
	PageLink   = "link"
)

// Pagination says how pages follow each other. A run ends at an empty page,
// at a page with fewer records than the page size (page, offset), or when
// there is no next cursor (cursor) or no rel="next" link (link).
type Pagination struct {
	// Type is page, offset, cursor, link or none (default).
	Type string `json:"type,omitempty"`
	// PageParam names the page number parameter (page); default "page".
	PageParam string `json:"page_param,omitempty"`
	// SizeParam names the page size parameter (page); default "size".
	SizeParam string `json:"size_param,omitempty"`
	// Size is the number of records asked per page (page); default 100.
	Size int `json:"size,omitempty"`
	// Start is the number of the first page (page); default 1.
	Start *int `json:"start,omitempty"`
	// OffsetParam names the offset parameter (offset); default "offset".
	OffsetParam string `json:"offset_param,omitempty"`
	// LimitParam names the limit parameter (offset); default "limit".
	LimitParam string `json:"limit_param,omitempty"`
	// Limit is the number of records asked per page (offset); default 100.
	Limit int `json:"limit,omitempty"`
	// CursorPath is the path of the next cursor in a response (cursor),
	// e.g. "meta.next_cursor". A missing, null or empty cursor ends the run.
	CursorPath string `json:"cursor_path,omitempty"`
	// CursorParam names the query parameter that carries the cursor
	// (cursor); default "cursor". The first request has none.
	CursorParam string `json:"cursor_param,omitempty"`
}

// Watermark makes a pull incremental: each request carries the stored
// watermark in Param, and the watermark advances to the greatest Field value
// of the records stored so far.
type Watermark struct {
	// Param is the query parameter that carries the watermark, e.g.
	// "updated_since".
	Param string `json:"param"`
	// Field is the path of the watermark value in each record, e.g.
	// "updated_at". Values compare as instants when both are RFC 3339, as
	// numbers when both are JSON numbers, else as strings.
	Field string `json:"field"`
	// Initial is sent by the first run of a partner, e.g.
	// "2020-01-01T00:00:00Z"; when empty the first run sends no Param.
	Initial string `json:"initial,omitempty"`
}

// RateLimit bounds the request rate (token bucket).
type RateLimit struct {
	// RPS is the sustained number of requests per second (may be below 1:
	// 0.5 is one request every two seconds).
	RPS float64 `json:"rps"`
	// Burst is how many requests may go at once; default 1.
	Burst int `json:"burst,omitempty"`
}

// Defaults of Config.
const (
	DefaultMethod        = "GET"
	DefaultRecords       = "$"
	DefaultRetries       = 4
	DefaultBackoff       = time.Second
	DefaultMaxBackoff    = 5 * time.Minute
	DefaultTimeout       = 30 * time.Second
	DefaultMaxPages      = 10000
	DefaultMaxBodySize   = 64 << 20
	DefaultAPIKeyHeader  = "X-API-Key"
	DefaultRefreshBefore = 30 * time.Second
	DefaultPageParam     = "page"
	DefaultSizeParam     = "size"
	DefaultPageSize      = 100
	DefaultOffsetParam   = "offset"
	DefaultLimitParam    = "limit"
	DefaultCursorParam   = "cursor"
)

// Duration is a time.Duration written as "30s", "5m".
type Duration time.Duration

// UnmarshalJSON reads "30s" (time.ParseDuration syntax).
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string like \"30s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("parsing duration %q: %w", s, err)
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes the duration as "30s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// withDefaults returns c with every zero value replaced by its default.
func (c Config) withDefaults() Config {
	if c.Method == "" {
		c.Method = DefaultMethod
	}
	if c.Records == "" {
		c.Records = DefaultRecords
	}
	if c.Retries == 0 {
		c.Retries = DefaultRetries
	}
	if c.Retries < 0 {
		c.Retries = 0
	}
	if c.Backoff == 0 {
		c.Backoff = Duration(DefaultBackoff)
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = Duration(DefaultMaxBackoff)
	}
	if c.Timeout == 0 {
		c.Timeout = Duration(DefaultTimeout)
	}
	if c.MaxPages == 0 {
		c.MaxPages = DefaultMaxPages
	}
	if c.MaxBodySize == 0 {
		c.MaxBodySize = DefaultMaxBodySize
	}
	if c.Auth != nil {
		a := *c.Auth
		if a.Type == AuthAPIKey && a.Header == "" {
			a.Header = DefaultAPIKeyHeader
		}
		if a.Type == AuthOAuth2 {
			if a.ClientAuth == "" {
				a.ClientAuth = "basic"
			}
			if a.RefreshBefore == 0 {
				a.RefreshBefore = Duration(DefaultRefreshBefore)
			}
		}
		c.Auth = &a
	}
	p := &c.Pagination
	switch p.Type {
	case "":
		p.Type = PageNone
	case PageNumber:
		if p.PageParam == "" {
			p.PageParam = DefaultPageParam
		}
		if p.SizeParam == "" {
			p.SizeParam = DefaultSizeParam
		}
		if p.Size == 0 {
			p.Size = DefaultPageSize
		}
		if p.Start == nil {
			one := 1
			p.Start = &one
		}
	case PageOffset:
		if p.OffsetParam == "" {
			p.OffsetParam = DefaultOffsetParam
		}
		if p.LimitParam == "" {
			p.LimitParam = DefaultLimitParam
		}
		if p.Limit == 0 {
			p.Limit = DefaultPageSize
		}
	case PageCursor:
		if p.CursorParam == "" {
			p.CursorParam = DefaultCursorParam
		}
	}
	if c.RateLimit != nil && c.RateLimit.Burst == 0 {
		r := *c.RateLimit
		r.Burst = 1
		c.RateLimit = &r
	}
	return c
}
