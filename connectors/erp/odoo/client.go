package odoo

import (
	"bytes"
	"context"
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

// Client talks to one Odoo database as one user over the external JSON-RPC
// API (POST URL/jsonrpc). It is safe for concurrent use.
type Client struct {
	cfg     Config
	http    *http.Client
	log     *slog.Logger
	backoff time.Duration
	now     func() time.Time
	rpcURL  string
	nextID  atomic.Int64

	sessions erp.Sessions[session]
}

// session is one login: the user id execute_kw sends with the password.
// Odoo's external API keeps no server session; "expired" means the uid and
// password no longer pass, which a new login confirms or refutes.
type session struct{ uid int }

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
		return nil, fmt.Errorf("odoo config: %w", err)
	}
	c := &Client{
		cfg:     cfg,
		http:    http.DefaultClient,
		log:     slog.New(slog.DiscardHandler),
		backoff: DefaultBackoff,
		now:     time.Now,
		rpcURL:  strings.TrimRight(cfg.URL, "/") + "/jsonrpc",
	}
	for _, o := range opts {
		o(c)
	}
	c.log = c.log.With("connector", "odoo", "database", cfg.Database, "user", cfg.User)
	return c, nil
}

// Config returns the client's configuration.
func (c *Client) Config() Config { return c.cfg }

// Execute calls method of model through object.execute_kw with the
// positional args and keyword kwargs (nil: none), decoding the result into
// result (nil discards it). It logs in first when there is no session, and
// once more when Odoo answers that the session expired. Transient failures
// are retried: use it for reads and for methods that are safe to repeat.
func (c *Client) Execute(ctx context.Context, model, method string, args []any, kwargs map[string]any, result any) error {
	return c.execute(ctx, model, method, args, kwargs, c.cfg.retries(), result)
}

// execute is Execute with the number of transient retries.
func (c *Client) execute(ctx context.Context, model, method string, args []any, kwargs map[string]any, retries int, result any) error {
	name := model + "." + method
	if args == nil {
		args = []any{}
	}
	if kwargs == nil {
		kwargs = map[string]any{}
	}
	params := func(s *session) any {
		return map[string]any{"service": "object", "method": "execute_kw",
			"args": []any{c.cfg.Database, s.uid, c.cfg.Password, model, method, args, kwargs}}
	}
	s, err := c.session(ctx, nil)
	if err != nil {
		return err
	}
	err = c.call(ctx, name, params(s), retries, result)
	if !isSessionExpired(err) {
		return err
	}
	c.log.Info("odoo refused the session; logging in again", "call", name, "error", err)
	if s, err = c.session(ctx, s); err != nil {
		return err
	}
	err = c.call(ctx, name, params(s), retries, result)
	if isSessionExpired(err) {
		return permanent(fmt.Errorf("odoo refused the session of user %q on database %q twice (calling %s): %w", c.cfg.User, c.cfg.Database, name, err))
	}
	return err
}

// session returns the current session, logging in when there is none or
// when the current one is stale (the one a call was just refused with).
func (c *Client) session(ctx context.Context, stale *session) (*session, error) {
	return c.sessions.Get(ctx, stale, c.login)
}

// login calls common.login, which answers the user id, or false for wrong
// credentials (newer versions may answer an AccessDenied error instead).
func (c *Client) login(ctx context.Context) (*session, error) {
	start := time.Now()
	refused := permanent(fmt.Errorf("odoo refused the login of user %q to database %q: wrong password or API key, unknown user, or no such database", c.cfg.User, c.cfg.Database))
	var uid json.RawMessage
	params := map[string]any{"service": "common", "method": "login", "args": []any{c.cfg.Database, c.cfg.User, c.cfg.Password}}
	err := c.call(ctx, "common.login", params, c.cfg.retries(), &uid)
	var re *RPCError
	if errors.As(err, &re) && re.Name == "odoo.exceptions.AccessDenied" {
		return nil, refused
	}
	if err != nil {
		return nil, fmt.Errorf("logging in to odoo database %q as %q: %w", c.cfg.Database, c.cfg.User, err)
	}
	var id int
	switch t := string(bytes.TrimSpace(uid)); {
	case t == "false" || t == "null" || t == "":
		return nil, refused
	case json.Unmarshal(uid, &id) != nil || id <= 0:
		return nil, permanent(fmt.Errorf("logging in to odoo database %q as %q: unexpected reply %.40s (want a user id)", c.cfg.Database, c.cfg.User, t))
	}
	c.log.Debug("logged in to odoo", "user_id", id, "took", time.Since(start))
	return &session{uid: id}, nil
}

// request is one JSON-RPC 2.0 request.
type request struct {
	JSONRPC string `json:"jsonrpc"`
	Method  string `json:"method"`
	Params  any    `json:"params"`
	ID      int64  `json:"id"`
}

// reply is one JSON-RPC reply; Result holds the caller's pointer.
type reply struct {
	Result any             `json:"result"`
	Error  json.RawMessage `json:"error"`
}

// post sends one request, once, and decodes the reply.
func (c *Client) post(ctx context.Context, name string, params any, result any) error {
	body, err := json.Marshal(request{JSONRPC: "2.0", Method: "call", Params: params, ID: c.nextID.Add(1)})
	if err != nil {
		return permanent(fmt.Errorf("encoding the params of %s: %w", name, err))
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.rpcURL, bytes.NewReader(body))
	if err != nil {
		return permanent(fmt.Errorf("building the request for %s: %w", name, err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return &transportError{Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		err := newStatusError(resp, snippet)
		if err.Status == http.StatusNotFound {
			return permanent(fmt.Errorf("calling odoo %s: %w: is %s an Odoo server?", name, err, c.rpcURL))
		}
		return err
	}
	// The result decodes straight into the caller's value (a page of
	// quants is a megabyte); json fills the pointer an interface holds.
	r := reply{Result: result}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return permanent(fmt.Errorf("decoding the result of %s: %w", name, err))
		}
		if ctx.Err() != nil || errors.Is(err, io.ErrUnexpectedEOF) {
			return &transportError{Err: fmt.Errorf("reading the reply to %s: %w", name, err)}
		}
		return permanent(fmt.Errorf("decoding the reply to %s: %w", name, err))
	}
	if len(r.Error) > 0 && string(r.Error) != "null" {
		return parseRPCError(name, r.Error)
	}
	return nil
}
