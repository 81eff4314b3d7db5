package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/hubtest"
)

// apiEnv is a real hub behind the API on a loopback HTTP server.
type apiEnv struct {
	*hubtest.Env
	URL    string
	client *http.Client
}

func newAPIEnv(t *testing.T, hubOpts hubtest.Options, opts Options) *apiEnv {
	t.Helper()
	env := hubtest.New(t, hubOpts)
	srv := httptest.NewServer(NewAPI(env.Hub, opts))
	t.Cleanup(srv.Close)
	return &apiEnv{Env: env, URL: srv.URL, client: &http.Client{Timeout: 60 * time.Second}}
}

// key turns a scenario's caller into an API key: a seeded partner id,
// "operator", "" for none, or "raw:<key>" for exactly that key.
func (e *apiEnv) key(who string) string {
	switch {
	case who == "":
		return ""
	case who == "operator":
		return e.OperatorKey
	case strings.HasPrefix(who, "raw:"):
		return strings.TrimPrefix(who, "raw:")
	default:
		return e.Key(who)
	}
}

// response is what a call got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do makes one call. contentType "" means application/json when there is a
// body; "-" sends none.
func (e *apiEnv) do(t *testing.T, method, url, who, contentType, body string, header map[string]string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, e.URL+url, rd)
	require.NoError(t, err)
	if k := e.key(who); k != "" {
		req.Header.Set("Authorization", "Bearer "+k)
	}
	switch {
	case contentType == "-":
	case contentType != "":
		req.Header.Set("Content-Type", contentType)
	case body != "":
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	checkOpenAPI(t, method, url, resp.StatusCode, resp.Header.Get("Content-Type"), b)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// post sends a JSON body without touching t, so goroutines may call it.
func (e *apiEnv) post(url, who, body string) (response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL+url, strings.NewReader(body))
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Authorization", "Bearer "+e.key(who))
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.client.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b}, err
}

// scenario is one API call and what it must answer, in the PocketBase style.
type scenario struct {
	name        string
	method      string
	url         string
	who         string // seeded partner id, "operator", "" (no key) or "raw:<key>"
	contentType string // see apiEnv.do
	body        string
	header      map[string]string

	status int
	// contains are substrings of the body; absent must not occur.
	contains []string
	absent   []string
	// fields are dotted JSON paths ("error.code", "items.#", "items.0.id")
	// and their expected values, compared as fmt.Sprint strings.
	fields map[string]string
	// headers are expected response headers (substring match).
	headers map[string]string
}

func (e *apiEnv) run(t *testing.T, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			method := sc.method
			if method == "" {
				method = http.MethodGet
			}
			r := e.do(t, method, sc.url, sc.who, sc.contentType, sc.body, sc.header)
			require.Equal(t, sc.status, r.status, "body: %s", r.body)
			require.NotEmpty(t, r.header.Get("X-Request-Id"))
			if r.status != http.StatusNoContent && sc.url != "/metrics" {
				require.Contains(t, r.header.Get("Content-Type"), "application/json")
			}
			for _, s := range sc.contains {
				require.Contains(t, string(r.body), s)
			}
			for _, s := range sc.absent {
				require.NotContains(t, string(r.body), s)
			}
			for path, want := range sc.fields {
				require.Equal(t, want, jsonField(t, r.body, path), "field %s of %s", path, r.body)
			}
			for h, want := range sc.headers {
				require.Contains(t, r.header.Get(h), want, "header %s", h)
			}
		})
	}
}

// jsonField walks a dotted path through a JSON body; "#" is an array's
// length. A missing field reads as "<missing>".
func jsonField(t *testing.T, body []byte, path string) string {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&v), "body: %s", body)
	for _, part := range strings.Split(path, ".") {
		switch cur := v.(type) {
		case map[string]any:
			next, ok := cur[part]
			if !ok {
				return "<missing>"
			}
			v = next
		case []any:
			if part == "#" {
				return strconv.Itoa(len(cur))
			}
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(cur) {
				return "<missing>"
			}
			v = cur[i]
		default:
			return "<missing>"
		}
	}
	if v == nil {
		return "<null>"
	}
	return fmt.Sprint(v)
}

// decode unmarshals a body into v.
func decode(t *testing.T, r response, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), "body: %s", r.body)
}

// listAll follows next_cursor through every page of a list and returns the
// raw items.
func (e *apiEnv) listAll(t *testing.T, url, who string, limit int) []json.RawMessage {
	t.Helper()
	var all []json.RawMessage
	cursor := ""
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10000, "pagination does not end")
		u := fmt.Sprintf("%s%slimit=%d", url, sep, limit)
		if cursor != "" {
			u += "&cursor=" + cursor
		}
		r := e.do(t, http.MethodGet, u, who, "", "", nil)
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		var page ListResponse[json.RawMessage]
		decode(t, r, &page)
		require.LessOrEqual(t, len(page.Items), limit)
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all
		}
		cursor = page.NextCursor
	}
}

// ids returns the "id" (or the given field) of each raw item.
func ids(t *testing.T, items []json.RawMessage, field string) []string {
	t.Helper()
	out := make([]string, 0, len(items))
	for _, it := range items {
		var m map[string]any
		require.NoError(t, json.Unmarshal(it, &m))
		s, _ := m[field].(string)
		out = append(out, s)
	}
	return out
}

// orderJSON is a valid purchase order from dealer-a to supplier-a.
func orderJSON(externalID string) string {
	return `{"receiver":"supplier-a","external_id":"` + externalID + `","status":"sent","order_date":"2026-01-15",` +
		`"currency":"CNY","lines":[{"line_no":1,"sku":"BOLT-M8","quantity":"12","unit":"EA","unit_price":"0.35"},` +
		`{"line_no":2,"sku":"NUT-M8","quantity":"12.5","unit":"KGM","unit_price":"19.90"}]}`
}
