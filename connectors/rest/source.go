package rest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"
	"golang.org/x/time/rate"
)

// Limiter spaces requests; *rate.Limiter is one. Wait blocks until the next
// request may go.
type Limiter interface {
	Wait(ctx context.Context) error
}

// Source pulls one partner's paginated REST API. Build it with New; a Source
// keeps its OAuth2 token between runs. Run must not be called concurrently
// on one Source.
type Source struct {
	partner string
	cfg     Config

	client  *resty.Client
	limiter Limiter
	sleep   func(context.Context, time.Duration) error
	now     func() time.Time
	log     *slog.Logger

	records   Path
	required  []Path
	cursor    Path
	watermark Path

	tokens   tokenCache
	requests atomic.Int64

	secretsMu sync.Mutex
	secrets   []string
}

// Option changes how New builds a Source.
type Option func(*options)

type options struct {
	httpClient *http.Client
	limiter    Limiter
	sleep      func(context.Context, time.Duration) error
	now        func() time.Time
	log        *slog.Logger
}

// WithHTTPClient sends requests with c (its transport, TLS settings, proxy);
// Config.Timeout still bounds each request.
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.httpClient = c } }

// WithLimiter replaces the limiter built from Config.RateLimit.
func WithLimiter(l Limiter) Option { return func(o *options) { o.limiter = l } }

// WithSleep replaces the wait between retries (tests record the waits
// instead of sleeping). sleep must return ctx.Err() when ctx is done.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(o *options) { o.sleep = sleep }
}

// WithClock replaces time.Now for token expiry and Retry-After dates.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithLogger logs through l, scoped with partner and connector=rest.
// Secrets and payloads are never logged.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// New checks cfg and builds the Source of partner.
func New(partner string, cfg Config, opts ...Option) (*Source, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("rest source of %s: %w", partner, err)
	}
	o := options{sleep: sleepContext, now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	if o.log == nil {
		o.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	cfg = cfg.withDefaults()
	cfg.Method = strings.ToUpper(cfg.Method)
	s := &Source{
		partner: partner,
		cfg:     cfg,
		limiter: o.limiter,
		sleep:   o.sleep,
		now:     o.now,
		log:     o.log.With("partner", partner, "connector", "rest"),
	}
	if s.limiter == nil && cfg.RateLimit != nil {
		s.limiter = rate.NewLimiter(rate.Limit(cfg.RateLimit.RPS), cfg.RateLimit.Burst)
	}
	if o.httpClient != nil {
		s.client = resty.NewWithClient(o.httpClient)
	} else {
		s.client = resty.New()
	}
	s.client.SetTimeout(time.Duration(cfg.Timeout)).
		SetResponseBodyLimit(int(min(cfg.MaxBodySize, int64(maxInt)))).
		SetLogger(quietLogger{}).
		SetHeader("User-Agent", "dealerhub-rest/1")
	// Paths were checked by Validate.
	s.records, _ = ParsePath(cfg.Records)
	for _, r := range cfg.Required {
		p, _ := ParsePath(r)
		s.required = append(s.required, p)
	}
	if cfg.Pagination.Type == PageCursor {
		s.cursor, _ = ParsePath(cfg.Pagination.CursorPath)
	}
	if cfg.Watermark != nil {
		s.watermark, _ = ParsePath(cfg.Watermark.Field)
	}
	if a := cfg.Auth; a != nil {
		s.addSecret(a.Key)
		s.addSecret(a.Password)
		s.addSecret(a.Token)
		s.addSecret(a.ClientSecret)
	}
	return s, nil
}

// Partner is the id of the partner the Source pulls.
func (s *Source) Partner() string { return s.partner }

// Config is the Source's config, defaults filled in.
func (s *Source) Config() Config { return s.cfg }

// TokensFetched is how many OAuth2 tokens the Source has fetched so far.
func (s *Source) TokensFetched() int {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	return s.tokens.fetches
}

const maxInt = int(^uint(0) >> 1)

func (s *Source) addSecret(v string) {
	if v == "" {
		return
	}
	s.secretsMu.Lock()
	s.secrets = append(s.secrets, v)
	s.secretsMu.Unlock()
}

func (s *Source) secretList() []string {
	s.secretsMu.Lock()
	defer s.secretsMu.Unlock()
	return slices.Clone(s.secrets)
}

// quietLogger keeps resty from writing to stderr; the Source logs what
// matters itself, through slog.
type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}
