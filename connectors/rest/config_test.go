package rest

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidateNamesTheField(t *testing.T) {
	t.Parallel()
	ok := func() Config {
		return Config{URL: "https://api.example.com/stock", Doctype: "stock_level"}
	}
	require.NoError(t, ok().Validate())
	for _, tt := range []struct {
		change func(*Config)
		field  string
	}{
		{func(c *Config) { c.URL = "" }, "url"},
		{func(c *Config) { c.URL = "ftp://x/y" }, "url"},
		{func(c *Config) { c.Method = "DELETE" }, "method"},
		{func(c *Config) { c.Body = json.RawMessage("{") }, "body"},
		{func(c *Config) { c.Records = "data[0]" }, "records"},
		{func(c *Config) { c.Required = []string{"sku", "a..b"} }, "required[1]"},
		{func(c *Config) { c.Auth = &Auth{} }, "auth.type"},
		{func(c *Config) { c.Auth = &Auth{Type: "digest"} }, "auth.type"},
		{func(c *Config) { c.Auth = &Auth{Type: AuthAPIKey} }, "auth.key"},
		{func(c *Config) { c.Auth = &Auth{Type: AuthBasic} }, "auth.user"},
		{func(c *Config) { c.Auth = &Auth{Type: AuthBearer} }, "auth.token"},
		{func(c *Config) { c.Auth = &Auth{Type: AuthOAuth2, ClientID: "a", ClientSecret: "b"} }, "auth.token_url"},
		{func(c *Config) {
			c.Auth = &Auth{Type: AuthOAuth2, TokenURL: "https://x/t", ClientSecret: "b"}
		}, "auth.client_id"},
		{func(c *Config) {
			c.Auth = &Auth{Type: AuthOAuth2, TokenURL: "https://x/t", ClientID: "a", ClientSecret: "b", ClientAuth: "jwt"}
		}, "auth.client_auth"},
		{func(c *Config) { c.Pagination = Pagination{Type: "scroll"} }, "pagination.type"},
		{func(c *Config) { c.Pagination = Pagination{Type: PageCursor} }, "pagination.cursor_path"},
		{func(c *Config) { c.Pagination = Pagination{Type: PageNumber, Size: -1} }, "pagination.size"},
		{func(c *Config) { c.Pagination = Pagination{Type: PageOffset, OffsetParam: "o", LimitParam: "o"} }, "pagination.limit_param"},
		{func(c *Config) { c.Watermark = &Watermark{Field: "updated_at"} }, "watermark.param"},
		{func(c *Config) { c.Watermark = &Watermark{Param: "since"} }, "watermark.field"},
		{func(c *Config) { c.RateLimit = &RateLimit{} }, "rate_limit.rps"},
		{func(c *Config) { c.Retries = -2 }, "retries"},
		{func(c *Config) { c.Timeout = -1 }, "timeout"},
		{func(c *Config) { c.MaxPages = -1 }, "max_pages"},
		{func(c *Config) { c.Doctype = "" }, "doctype"},
	} {
		c := ok()
		tt.change(&c)
		err := c.Validate()
		var fe *FieldError
		require.True(t, errors.As(err, &fe), "%s: %v", tt.field, err)
		require.Equal(t, tt.field, fe.Field, "%v", err)
	}
}

func TestConfigDecodesFromJSON(t *testing.T) {
	t.Parallel()
	var c Config
	require.NoError(t, json.Unmarshal([]byte(`{
		"url": "https://api.example.com/stock", "doctype": "stock_level", "timeout": "10s",
		"pagination": {"type": "page", "size": 50, "start": 0},
		"auth": {"type": "oauth2", "token_url": "https://x/t", "client_id": "a", "client_secret": "b", "refresh_before": "1m"},
		"rate_limit": {"rps": 0.5}}`), &c))
	require.NoError(t, c.Validate())
	d := c.withDefaults()
	require.Equal(t, 0, *d.Pagination.Start)
	require.Equal(t, "page", d.Pagination.PageParam)
	require.Equal(t, "basic", d.Auth.ClientAuth)
	require.Equal(t, 1, d.RateLimit.Burst)
	require.Equal(t, DefaultRetries, d.Retries)
	b, err := json.Marshal(d.Timeout)
	require.NoError(t, err)
	require.Equal(t, `"10s"`, string(b))
	require.Error(t, json.Unmarshal([]byte(`{"timeout": 10}`), &c))
}
