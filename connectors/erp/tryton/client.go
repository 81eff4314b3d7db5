package tryton

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dealerhub/dealerhub/connectors/erp"
)

// DefaultBackoff is the first wait before retrying a transient failure; each
// further retry waits twice as long.
const DefaultBackoff = 500 * time.Millisecond

// Client talks JSON-RPC to one Tryton database as one user. It is safe for
// concurrent use.
type Client struct {
	cfg     Config
	http    *http.Client
	log     *slog.Logger
	backoff time.Duration
	now     func() time.Time
	dbURL   string
	nextID  atomic.Int64

	sessions erp.Sessions[session]
}

// session is one login: the Authorization header and the user's context.
type session struct {
	header  string
	context map[string]json.RawMessage
}

// Option changes how New builds a Client.
type Option func(*Client)

// WithHTTPClient sends calls through hc (its Timeout should be zero or
// above Config.Timeout: the client bounds each call itself).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.http = hc } }

// WithLogger logs logins, re-logins, retries and skipped products to l.
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.log = l } }

// WithBackoff sets the first retry's wait (DefaultBackoff); tests make it
// small.
func WithBackoff(d time.Duration) Option { return func(c *Client) { c.backoff = d } }

// WithClock sets the clock that stamps StockSnapshot.AsOf.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// New returns a client for cfg after checking it. It does not connect:
// the first call logs in.
func New(cfg Config, opts ...Option) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("tryton config: %w", err)
	}
	c := &Client{
		cfg:     cfg,
		http:    http.DefaultClient,
		log:     slog.New(slog.DiscardHandler),
		backoff: DefaultBackoff,
		now:     time.Now,
		dbURL:   strings.TrimRight(cfg.URL, "/") + "/" + cfg.Database + "/",
	}
	for _, o := range opts {
		o(c)
	}
	c.log = c.log.With("connector", "tryton", "database", cfg.Database, "user", cfg.User)
	return c, nil
}

// Config returns the client's configuration.
func (c *Client) Config() Config { return c.cfg }

// Call sends a database-level JSON-RPC call with params exactly as given
// and decodes its result into result (nil discards it). It logs in first
// when there is no session, and once more when Tryton rejects the session.
// Model methods need the user's context as their last param: use Execute.
func (c *Client) Call(ctx context.Context, method string, params []any, result any) error {
	return c.callSession(ctx, method, func(*session) []any { return params }, result)
}

// Execute calls method of model ("product.product", "search_read") with
// args followed by the user's context, to which extra's keys are added
// (e.g. "locations" for stock quantities).
func (c *Client) Execute(ctx context.Context, model, method string, args []any, extra map[string]any, result any) error {
	build := func(s *session) []any {
		ctxArg := make(map[string]any, len(s.context)+len(extra))
		for k, v := range s.context {
			ctxArg[k] = v
		}
		for k, v := range extra {
			ctxArg[k] = v
		}
		params := make([]any, 0, len(args)+1)
		return append(append(params, args...), ctxArg)
	}
	return c.callSession(ctx, "model."+model+"."+method, build, result)
}

// callSession runs one call with the current session; on HTTP 401 it logs
// in again once and repeats the call.
func (c *Client) callSession(ctx context.Context, method string, params func(*session) []any, result any) error {
	s, err := c.session(ctx, nil)
	if err != nil {
		return err
	}
	err = c.call(ctx, method, params(s), s.header, result)
	if !isUnauthorized(err) {
		return err
	}
	c.log.Info("tryton rejected the session; logging in again", "method", method)
	if s, err = c.session(ctx, s); err != nil {
		return err
	}
	err = c.call(ctx, method, params(s), s.header, result)
	if isUnauthorized(err) {
		return permanent(fmt.Errorf("tryton rejected the session for user %q twice (calling %s)", c.cfg.User, method))
	}
	return err
}

// session returns the current session, logging in when there is none or
// when the current one is stale (the one a call was just refused with).
func (c *Client) session(ctx context.Context, stale *session) (*session, error) {
	return c.sessions.Get(ctx, stale, c.login)
}

// login opens a session and reads the user's context.
func (c *Client) login(ctx context.Context) (*session, error) {
	start := time.Now()
	var reply []json.RawMessage
	params := []any{c.cfg.User, map[string]string{"password": c.cfg.Password}, "en"}
	err := c.call(ctx, "common.db.login", params, "", &reply)
	if isUnauthorized(err) {
		return nil, permanent(fmt.Errorf("tryton rejected the login of user %q to database %q: wrong password, unknown user or no such database", c.cfg.User, c.cfg.Database))
	}
	if err != nil {
		return nil, fmt.Errorf("logging in to tryton as %q: %w", c.cfg.User, err)
	}
	var uid int
	var key string
	if len(reply) != 2 || json.Unmarshal(reply[0], &uid) != nil || json.Unmarshal(reply[1], &key) != nil {
		return nil, permanent(fmt.Errorf("logging in to tryton as %q: unexpected reply (want [user_id, session_key])", c.cfg.User))
	}
	s := &session{header: "Session " + base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "%s:%d:%s", c.cfg.User, uid, key))}
	if err := c.call(ctx, "model.res.user.get_preferences", []any{true, map[string]any{}}, s.header, &s.context); err != nil {
		if isUnauthorized(err) {
			return nil, permanent(fmt.Errorf("tryton rejected the new session of user %q reading its preferences", c.cfg.User))
		}
		return nil, fmt.Errorf("reading the preferences of tryton user %q: %w", c.cfg.User, err)
	}
	c.log.Debug("logged in to tryton", "user_id", uid, "took", time.Since(start))
	return s, nil
}

// request is one JSON-RPC request.
type request struct {
	ID     int64  `json:"id"`
	Method string `json:"method"`
	Params []any  `json:"params"`
}

// reply is one JSON-RPC reply; Result holds the caller's pointer.
type reply struct {
	Result any             `json:"result"`
	Error  json.RawMessage `json:"error"`
}

// post sends one request, once, and decodes the reply.
func (c *Client) post(ctx context.Context, method string, params []any, auth string, result any) error {
	if params == nil {
		params = []any{}
	}
	body, err := json.Marshal(request{ID: c.nextID.Add(1), Method: method, Params: params})
	if err != nil {
		return permanent(fmt.Errorf("encoding the params of %s: %w", method, err))
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.dbURL, strings.NewReader(string(body)))
	if err != nil {
		return permanent(fmt.Errorf("building the request for %s: %w", method, err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return &transportError{Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return newStatusError(resp, snippet)
	}
	// The result decodes straight into the caller's value (a product page
	// is a megabyte); json fills the pointer an interface holds.
	r := reply{Result: result}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return permanent(fmt.Errorf("decoding the result of %s: %w", method, err))
		}
		if ctx.Err() != nil {
			return &transportError{Err: fmt.Errorf("reading the reply: %w", err)}
		}
		return fmt.Errorf("decoding the reply to %s: %w", method, err)
	}
	if len(r.Error) > 0 && string(r.Error) != "null" {
		return parseRPCError(method, r.Error)
	}
	return nil
}
