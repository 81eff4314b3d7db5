package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/portal"
	"github.com/dealerhub/dealerhub/portal/web"
)

// bundle is a running hub with the REST API under /api/ and the portal
// pages everywhere else, on a loopback server.
type bundle struct {
	env *hubtest.Env
	acc *hub.Accounts
	srv *httptest.Server
	ctx context.Context
}

func setup(t *testing.T, tls bool) *bundle {
	t.Helper()
	env := hubtest.New(t)
	acc, err := hub.NewAccounts(env.Store, hub.AccountOptions{})
	require.NoError(t, err)
	p, err := web.New(acc, web.Options{})
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("/api/", portal.NewAPI(env.Hub, portal.Options{}))
	mux.Handle("/", p)
	srv := httptest.NewUnstartedServer(mux)
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return &bundle{env: env, acc: acc, srv: srv, ctx: t.Context()}
}

// user creates a user of a seeded partner with a password.
func (b *bundle) user(t *testing.T, partner, email, name string, role store.UserRole) {
	t.Helper()
	_, tok, err := b.acc.AddUser(b.ctx, hub.NewUser{Partner: partner, Email: email, Name: name, Role: role})
	require.NoError(t, err)
	_, err = b.acc.AcceptInvite(b.ctx, tok, password(email))
	require.NoError(t, err)
}

func password(email string) string { return "pw of " + email + " is long" }

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	t    *testing.T
	b    *bundle
	c    *http.Client
	lang string // Accept-Language
}

func (b *bundle) browser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	// srv.Client() is one shared client: each browser needs its own jar.
	c := &http.Client{
		Transport:     b.srv.Client().Transport,
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &browser{t: t, b: b, c: c}
}

// page is a response with its body read.
type page struct {
	status int
	header http.Header
	body   string
	resp   *http.Response
}

func (br *browser) do(req *http.Request) page {
	br.t.Helper()
	if br.lang != "" {
		req.Header.Set("Accept-Language", br.lang)
	}
	resp, err := br.c.Do(req)
	require.NoError(br.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(br.t, err)
	return page{status: resp.StatusCode, header: resp.Header, body: string(body), resp: resp}
}

func (br *browser) get(path string) page {
	br.t.Helper()
	req, err := http.NewRequest(http.MethodGet, br.b.srv.URL+path, nil)
	require.NoError(br.t, err)
	return br.do(req)
}

// post sends a form as it is (no CSRF token added).
func (br *browser) post(path string, form url.Values) page {
	br.t.Helper()
	req, err := http.NewRequest(http.MethodPost, br.b.srv.URL+path, strings.NewReader(form.Encode()))
	require.NoError(br.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return br.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf reads the token of the forms on a page.
func (br *browser) csrf(path string) string {
	br.t.Helper()
	p := br.get(path)
	require.Equal(br.t, http.StatusOK, p.status, p.body)
	m := csrfField.FindStringSubmatch(p.body)
	require.NotNil(br.t, m, "no CSRF field on %s", path)
	return m[1]
}

// submit posts a form from the page at from, with that page's token.
func (br *browser) submit(from, path string, form url.Values) page {
	br.t.Helper()
	form.Set("csrf_token", br.csrf(from))
	return br.post(path, form)
}

// login logs in through the form and checks that it worked.
func (br *browser) login(email string) {
	br.t.Helper()
	p := br.submit("/login", "/login", url.Values{"email": {email}, "password": {password(email)}})
	require.Equal(br.t, http.StatusSeeOther, p.status, p.body)
}

// sessionCookie returns the Set-Cookie of the session in a response.
func sessionCookie(p page) *http.Cookie {
	for _, c := range p.resp.Cookies() {
		if c.Name == web.SessionCookie {
			return c
		}
	}
	return nil
}
