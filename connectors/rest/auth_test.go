package rest

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/stretchr/testify/require"
)

func TestAuthSendsCredentials(t *testing.T) {
	t.Parallel()
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("dealer:s3cret-pass"))
	tests := []struct {
		name   string
		auth   Auth
		header string
		want   string
	}{
		{"api_key default header", Auth{Type: AuthAPIKey, Key: "k-123456"}, "X-API-Key", "k-123456"},
		{"api_key own header", Auth{Type: AuthAPIKey, Header: "Api-Token", Key: "k-123456"}, "Api-Token", "k-123456"},
		{"basic", Auth{Type: AuthBasic, User: "dealer", Password: "s3cret-pass"}, "Authorization", basic},
		{"bearer", Auth{Type: AuthBearer, Token: "tok-abcdef"}, "Authorization", "Bearer tok-abcdef"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newStockAPI(t, "none", 2)
			api.needAuth = func(r *http.Request) bool { return r.Header.Get(tt.header) == tt.want }
			auth := tt.auth
			src, _ := newTestSource(t, Config{URL: api.url(), Records: "data", Doctype: "stock_level", Auth: &auth})
			var c collect
			_, err := src.Run(context.Background(), NewMemoryState(), c.page)
			require.NoError(t, err)
			require.Equal(t, skuRange(1, 2), c.skus(t))
		})
	}
}

func TestAuthRefusedIsPermanentAndHidesSecrets(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "none", 2)
	// The server echoes the key it refused, as some do.
	api.before = func(w http.ResponseWriter, r *http.Request, _ int) bool {
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"error":"key ` + r.Header.Get("X-API-Key") + ` is not allowed"}`))
		return true
	}
	src, sl := newTestSource(t, Config{URL: api.url() + "?access_token=leaky-url-token", Records: "data", Doctype: "stock_level",
		Auth: &Auth{Type: AuthAPIKey, Key: "super-secret-key"}})
	_, err := src.Run(context.Background(), NewMemoryState(), (&collect{}).page)
	require.Error(t, err)
	require.True(t, connectors.IsPermanent(err))
	require.NotContains(t, err.Error(), "super-secret-key")
	require.NotContains(t, err.Error(), "leaky-url-token")
	require.Contains(t, err.Error(), `GET `+api.url()+`?access_token=REDACTED: HTTP 403 Forbidden: "{\"error\":\"key REDACTED is not allowed\"}"`)
	require.Empty(t, sl.Waits(), "a 403 is not retried")
	require.Len(t, api.log(), 1)
}

func oauthConfig(api *stockAPI) Config {
	cfg := cursorConfig(api)
	cfg.Auth = &Auth{Type: AuthOAuth2, TokenURL: api.tokenURL(), ClientID: "hub", ClientSecret: "client-secret-xyz",
		Scopes: []string{"stock.read", "items.read"}, Audience: "https://api.example.com"}
	return cfg
}

// validToken accepts the tokens the fake issued and has not revoked.
func (a *stockAPI) validToken(r *http.Request) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && a.valid[tok]
}

func TestOAuth2TokenFetchedOnceAndCached(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "cursor", 9)
	api.expires = 3600
	api.needAuth = api.validToken
	src, _ := newTestSource(t, oauthConfig(api))
	var c collect
	res, err := src.Run(context.Background(), NewMemoryState(), c.page)
	require.NoError(t, err)
	require.Equal(t, skuRange(1, 9), c.skus(t))
	require.Equal(t, 1, api.tokenRequests(), "one token for three pages")
	require.Equal(t, 4, res.Requests, "one token request and three pages")
	form := api.tokenReq[0]
	require.Equal(t, "client_credentials", form.Get("grant_type"))
	require.Equal(t, "stock.read items.read", form.Get("scope"))
	require.Equal(t, "https://api.example.com", form.Get("audience"))
	require.Empty(t, form.Get("client_secret"), "client_auth basic keeps the secret out of the body")
	require.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte("hub:client-secret-xyz")), api.tokenHdr[0].Get("Authorization"))

	// A second run reuses the cached token.
	_, err = src.Run(context.Background(), NewMemoryState(), (&collect{}).page)
	require.NoError(t, err)
	require.Equal(t, 1, api.tokenRequests())
	require.Equal(t, 1, src.TokensFetched())
}

func TestOAuth2ClientAuthBody(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "none", 1)
	api.needAuth = api.validToken
	cfg := oauthConfig(api)
	cfg.Auth.ClientAuth = "body"
	src, _ := newTestSource(t, cfg)
	_, err := src.Run(context.Background(), NewMemoryState(), (&collect{}).page)
	require.NoError(t, err)
	require.Equal(t, "hub", api.tokenReq[0].Get("client_id"))
	require.Equal(t, "client-secret-xyz", api.tokenReq[0].Get("client_secret"))
	require.Empty(t, api.tokenHdr[0].Get("Authorization"))
}

func TestOAuth2RefreshedBeforeExpiry(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "cursor", 9)
	api.expires = 60
	api.needAuth = api.validToken
	clock := newFakeClock()
	src, _ := newTestSource(t, oauthConfig(api), WithClock(clock.Now))
	var c collect
	// 25 s pass while page 1 is stored: the token still has 35 s, more
	// than refresh_before (30 s). 10 s more while page 2 is stored: 25 s
	// left, so page 3 goes with a new token.
	c.hook = func(p Page) {
		switch p.Number {
		case 1:
			clock.Advance(25 * time.Second)
		case 2:
			clock.Advance(10 * time.Second)
		}
	}
	_, err := src.Run(context.Background(), NewMemoryState(), c.page)
	require.NoError(t, err)
	require.Equal(t, 2, api.tokenRequests())
	log := api.log()
	require.Len(t, log, 3, "no request was refused")
	require.Equal(t, "Bearer access-token-1", log[1].Header.Get("Authorization"))
	require.Equal(t, "Bearer access-token-2", log[2].Header.Get("Authorization"))
}

func TestOAuth2TokenRevokedMidRun(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "cursor", 9)
	api.expires = 3600
	api.needAuth = api.validToken
	src, sl := newTestSource(t, oauthConfig(api))
	var c collect
	c.hook = func(p Page) {
		if p.Number == 1 {
			api.revokeAll() // the provider rotated its keys
		}
	}
	res, err := src.Run(context.Background(), NewMemoryState(), c.page)
	require.NoError(t, err)
	require.Equal(t, skuRange(1, 9), c.skus(t))
	require.Equal(t, 2, api.tokenRequests())
	log := api.log()
	require.Len(t, log, 4, "page 2 is asked twice: refused, then with the new token")
	require.Equal(t, "Bearer access-token-1", log[1].Header.Get("Authorization"))
	require.Equal(t, "Bearer access-token-2", log[2].Header.Get("Authorization"))
	require.Equal(t, log[1].Query.Encode(), log[2].Query.Encode())
	require.Empty(t, sl.Waits(), "a refused token is replaced at once")
	require.Equal(t, 6, res.Requests)
}

func TestOAuth2SecondRefusalIsPermanent(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "cursor", 9)
	api.expires = 3600
	api.needAuth = api.validToken
	src, _ := newTestSource(t, oauthConfig(api))
	var c collect
	c.hook = func(p Page) {
		if p.Number == 1 {
			api.needAuth = func(*http.Request) bool { return false } // the client lost its grant
		}
	}
	// needAuth is read under the fake's lock; swap it under the lock too.
	orig := c.hook
	c.hook = func(p Page) { api.mu.Lock(); defer api.mu.Unlock(); orig(p) }
	_, err := src.Run(context.Background(), NewMemoryState(), c.page)
	require.Error(t, err)
	require.True(t, connectors.IsPermanent(err))
	require.ErrorContains(t, err, "refused a freshly fetched oauth2 token")
	require.ErrorContains(t, err, "GET "+api.url()+"?after=3: HTTP 401 Unauthorized")
	require.NotContains(t, err.Error(), "access-token-")
	require.NotContains(t, err.Error(), "client-secret-xyz")
	require.Equal(t, 2, api.tokenRequests())
	require.Len(t, api.log(), 3)
}

func TestOAuth2TokenEndpointRefusal(t *testing.T) {
	t.Parallel()
	api := newStockAPI(t, "none", 1)
	cfg := oauthConfig(api)
	cfg.Auth.TokenURL = api.srv.URL + "/nothing-here"
	src, sl := newTestSource(t, cfg)
	_, err := src.Run(context.Background(), NewMemoryState(), (&collect{}).page)
	require.ErrorContains(t, err, "fetching oauth2 token: POST "+api.srv.URL+"/nothing-here: HTTP 404 Not Found")
	require.True(t, connectors.IsPermanent(err))
	require.Empty(t, sl.Waits())
	require.Empty(t, api.log(), "no API request without a token")
}
