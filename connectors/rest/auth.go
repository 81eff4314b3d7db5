package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/go-resty/resty/v2"
)

// tokenCache holds the OAuth2 access token of a Source between requests
// and runs.
type tokenCache struct {
	mu      sync.Mutex
	access  string
	refresh time.Time // replace the token from this instant on; zero: never
	fetches int       // tokens fetched, for Stats
}

// authorize adds the credentials to r. fresh reports an OAuth2 token that
// was fetched for this very request, so a 401 to it is not worth a second
// token.
func (s *Source) authorize(ctx context.Context, r *resty.Request) (fresh bool, err error) {
	a := s.cfg.Auth
	if a == nil {
		return false, nil
	}
	switch a.Type {
	case AuthAPIKey:
		r.SetHeader(a.Header, a.Key)
	case AuthBasic:
		r.SetBasicAuth(a.User, a.Password)
	case AuthBearer:
		r.SetAuthToken(a.Token)
	case AuthOAuth2:
		tok, fresh, err := s.token(ctx)
		if err != nil {
			return false, err
		}
		r.SetAuthToken(tok)
		return fresh, nil
	}
	return false, nil
}

// forgetToken drops the cached OAuth2 token after the API refused it.
func (s *Source) forgetToken() {
	s.tokens.mu.Lock()
	s.tokens.access = ""
	s.tokens.mu.Unlock()
}

// token returns a cached OAuth2 token, or fetches one when there is none or
// the cached one is within refresh_before of its expiry.
func (s *Source) token(ctx context.Context) (string, bool, error) {
	t := &s.tokens
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.access != "" && (t.refresh.IsZero() || s.now().Before(t.refresh)) {
		return t.access, false, nil
	}
	access, expiresIn, err := s.fetchToken(ctx)
	if err != nil {
		return "", false, err
	}
	t.access, t.fetches = access, t.fetches+1
	t.refresh = time.Time{}
	if expiresIn > 0 {
		// A token shorter-lived than refresh_before is replaced at half its life.
		early := min(time.Duration(s.cfg.Auth.RefreshBefore), expiresIn/2)
		t.refresh = s.now().Add(expiresIn - early)
	}
	s.log.Debug("oauth2 token fetched", "expires_in", expiresIn)
	return access, true, nil
}

// tokenReply is the token endpoint's JSON answer (RFC 6749 §5.1).
type tokenReply struct {
	AccessToken string          `json:"access_token"`
	TokenType   string          `json:"token_type"`
	ExpiresIn   json.RawMessage `json:"expires_in"`
}

// fetchToken runs the client credentials grant (RFC 6749 §4.4).
func (s *Source) fetchToken(ctx context.Context) (string, time.Duration, error) {
	a := s.cfg.Auth
	form := url.Values{"grant_type": {"client_credentials"}}
	if len(a.Scopes) > 0 {
		form.Set("scope", strings.Join(a.Scopes, " "))
	}
	if a.Audience != "" {
		form.Set("audience", a.Audience)
	}
	if a.ClientAuth == "body" {
		form.Set("client_id", a.ClientID)
		form.Set("client_secret", a.ClientSecret)
	}
	req := request{
		method: http.MethodPost,
		url:    a.TokenURL,
		prepare: func(r *resty.Request) {
			r.SetFormDataFromValues(form)
			r.SetHeader("Accept", "application/json")
			if a.ClientAuth != "body" {
				// RFC 6749 §2.3.1: form-encode both before Basic.
				r.SetBasicAuth(url.QueryEscape(a.ClientID), url.QueryEscape(a.ClientSecret))
			}
		},
	}
	rep, err := s.send(ctx, req)
	if err != nil {
		return "", 0, fmt.Errorf("fetching oauth2 token: %w", err)
	}
	var tr tokenReply
	if err := json.Unmarshal(rep.body, &tr); err != nil {
		return "", 0, connectors.Permanent(fmt.Errorf("fetching oauth2 token from %s: reading the reply: %w", redactURL(a.TokenURL, s.secretList()), err))
	}
	if tr.AccessToken == "" {
		return "", 0, connectors.Permanent(fmt.Errorf("fetching oauth2 token from %s: the reply has no access_token", redactURL(a.TokenURL, s.secretList())))
	}
	if tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "bearer") {
		return "", 0, connectors.Permanent(fmt.Errorf("fetching oauth2 token from %s: token_type %q is not bearer", redactURL(a.TokenURL, s.secretList()), tr.TokenType))
	}
	s.addSecret(tr.AccessToken)
	expiresIn, err := parseExpiresIn(tr.ExpiresIn)
	if err != nil {
		return "", 0, connectors.Permanent(fmt.Errorf("fetching oauth2 token from %s: %w", redactURL(a.TokenURL, s.secretList()), err))
	}
	return tr.AccessToken, expiresIn, nil
}

// parseExpiresIn reads expires_in, a number of seconds (some servers send
// it as a string); zero when absent.
func parseExpiresIn(raw json.RawMessage) (time.Duration, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		var s string
		if err2 := json.Unmarshal(raw, &s); err2 != nil {
			return 0, fmt.Errorf("expires_in %s is not a number", raw)
		}
		n = json.Number(s)
	}
	f, err := n.Float64()
	if err != nil || f < 0 {
		return 0, errors.New("expires_in is not a non-negative number")
	}
	return time.Duration(f * float64(time.Second)), nil
}
