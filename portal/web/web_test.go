package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/portal/web"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	b := setup(t, false)
	b.user(t, "dealer-a", "ann@dealer-a.test", "Ann", store.RoleAdmin)
	tests := []struct {
		name, email, password string
		status                int
		session               bool
	}{
		{"right password", "ann@dealer-a.test", password("ann@dealer-a.test"), http.StatusSeeOther, true},
		{"wrong password", "ann@dealer-a.test", "not the password", http.StatusUnauthorized, false},
		{"unknown email", "bob@dealer-a.test", password("ann@dealer-a.test"), http.StatusUnauthorized, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			br := b.browser(t)
			p := br.submit("/login", "/login", url.Values{"email": {tc.email}, "password": {tc.password}})
			require.Equal(t, tc.status, p.status, p.body)
			c := sessionCookie(p)
			if !tc.session {
				require.Nil(t, c)
				require.Contains(t, p.body, "Wrong email or password.")
				require.Equal(t, http.StatusSeeOther, br.get("/account").status, "still logged out")
				return
			}
			require.NotNil(t, c)
			require.True(t, c.HttpOnly)
			require.Equal(t, http.SameSiteLaxMode, c.SameSite)
			require.Equal(t, "/", c.Path)
			require.False(t, c.Secure, "plain HTTP: not Secure")
			require.Len(t, c.Value, 43)
			acct := br.get("/account")
			require.Equal(t, http.StatusOK, acct.status)
			require.Contains(t, acct.body, "ann@dealer-a.test")
		})
	}
}

func TestCookieSecureOverTLS(t *testing.T) {
	t.Parallel()
	b := setup(t, true)
	b.user(t, "dealer-a", "ann@dealer-a.test", "Ann", store.RoleAdmin)
	br := b.browser(t)
	p := br.submit("/login", "/login", url.Values{"email": {"ann@dealer-a.test"}, "password": {password("ann@dealer-a.test")}})
	require.Equal(t, http.StatusSeeOther, p.status)
	c := sessionCookie(p)
	require.NotNil(t, c)
	require.True(t, c.Secure)
	require.True(t, c.HttpOnly)
	require.Equal(t, http.SameSiteLaxMode, c.SameSite)
}

func TestLogoutRefusesOldCookie(t *testing.T) {
	t.Parallel()
	b := setup(t, false)
	b.user(t, "dealer-a", "ann@dealer-a.test", "Ann", store.RoleAdmin)
	br := b.browser(t)
	p := br.submit("/login", "/login", url.Values{"email": {"ann@dealer-a.test"}, "password": {password("ann@dealer-a.test")}})
	old := sessionCookie(p)
	require.NotNil(t, old)

	out := br.submit("/account", "/logout", url.Values{})
	require.Equal(t, http.StatusSeeOther, out.status)
	require.Equal(t, "/login", out.header.Get("Location"))
	cleared := sessionCookie(out)
	require.NotNil(t, cleared)
	require.Negative(t, cleared.MaxAge, "the browser is told to drop the cookie")

	// A copy of the old cookie, replayed, is refused.
	replay := b.browser(t)
	req, err := http.NewRequest(http.MethodGet, b.srv.URL+"/account", nil)
	require.NoError(t, err)
	req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: old.Value})
	got := replay.do(req)
	require.Equal(t, http.StatusSeeOther, got.status)
	require.True(t, strings.HasPrefix(got.header.Get("Location"), "/login"), got.header.Get("Location"))
	_, err = b.acc.Resolve(b.ctx, old.Value)
	require.Error(t, err)
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	b := setup(t, false)
	b.user(t, "dealer-a", "ann@dealer-a.test", "Ann", store.RoleAdmin)
	admin := b.browser(t)
	admin.login("ann@dealer-a.test")
	anon := b.browser(t)
	anonToken := anon.csrf("/login")

	tests := []struct {
		name  string
		br    *browser
		path  string
		form  url.Values
		token string // "" sends none
	}{
		{"api key form without token", admin, "/admin/api-keys", url.Values{"label": {"x"}}, ""},
		{"api key form with a wrong token", admin, "/admin/api-keys", url.Values{"label": {"x"}}, "forged"},
		{"api key form with the login form's token", admin, "/admin/api-keys", url.Values{"label": {"x"}}, anonToken},
		{"invite without token", admin, "/admin/users", url.Values{"email": {"x@dealer-a.test"}, "role": {"member"}}, ""},
		{"language without token", admin, "/account/language", url.Values{"lang": {"zh-CN"}}, ""},
		{"logout without token", admin, "/logout", url.Values{}, ""},
		{"login without token", anon, "/login", url.Values{"email": {"ann@dealer-a.test"}, "password": {password("ann@dealer-a.test")}}, ""},
		{"login with a token not in the cookie", b.browser(t), "/login", url.Values{"email": {"ann@dealer-a.test"}, "password": {password("ann@dealer-a.test")}}, anonToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.token != "" {
				tc.form.Set("csrf_token", tc.token)
			}
			p := tc.br.post(tc.path, tc.form)
			require.Equal(t, http.StatusForbidden, p.status, p.body)
			require.Contains(t, p.body, "did not come from this site")
			require.Nil(t, sessionCookie(p))
		})
	}
	keys, err := b.env.Store.ListAPIKeys(b.ctx, "dealer-a")
	require.NoError(t, err)
	require.Len(t, keys, 1, "only hubtest's own key: no forged form created one")
	users, err := b.env.Store.ListUsers(b.ctx, "dealer-a")
	require.NoError(t, err)
	require.Len(t, users, 1)
	require.Equal(t, http.StatusOK, admin.get("/account").status, "the forged logout did not log out")
}

var inviteLink = regexp.MustCompile(`<code id="invite-link">([^<]+)</code>`)
var newKey = regexp.MustCompile(`<code id="new-key">([^<]+)</code>`)

func TestInviteFlowAndMemberAccess(t *testing.T) {
	t.Parallel()
	b := setup(t, false)
	b.user(t, "supplier-a", "ann@supplier-a.test", "Ann", store.RoleAdmin)
	admin := b.browser(t)
	admin.login("ann@supplier-a.test")

	p := admin.submit("/admin/users", "/admin/users", url.Values{"email": {"Bob@Supplier-A.test"}, "name": {"Bob"}, "role": {"member"}})
	require.Equal(t, http.StatusOK, p.status, p.body)
	m := inviteLink.FindStringSubmatch(p.body)
	require.NotNil(t, m, p.body)
	link, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
	require.NoError(t, err)
	require.Equal(t, "/invite", link.Path)
	require.NotContains(t, admin.get("/admin/users").body, link.Query().Get("token"), "the invite is shown once")

	bob := b.browser(t)
	form := bob.get(link.RequestURI())
	require.Equal(t, http.StatusOK, form.status)
	require.Equal(t, "no-referrer", form.header.Get("Referrer-Policy"))
	weak := bob.submit(link.RequestURI(), "/invite", url.Values{"token": {link.Query().Get("token")}, "password": {"short"}})
	require.Equal(t, http.StatusBadRequest, weak.status)
	done := bob.submit(link.RequestURI(), "/invite", url.Values{"token": {link.Query().Get("token")}, "password": {password("bob@supplier-a.test")}})
	require.Equal(t, http.StatusSeeOther, done.status, done.body)
	again := bob.submit(link.RequestURI(), "/invite", url.Values{"token": {link.Query().Get("token")}, "password": {"another long password"}})
	require.Equal(t, http.StatusNotFound, again.status, "an invite works once")

	bob.login("bob@supplier-a.test")
	acct := bob.get("/account")
	require.Equal(t, http.StatusOK, acct.status)
	require.Contains(t, acct.body, "bob@supplier-a.test")
	require.Contains(t, acct.body, "Member")
	for _, path := range []string{"/admin/users", "/admin/api-keys"} {
		got := bob.get(path)
		require.Equal(t, http.StatusForbidden, got.status, path)
		require.Contains(t, got.body, "You may not open this page.")
	}
	forged := bob.submit("/account", "/admin/api-keys", url.Values{"label": {"mine"}})
	require.Equal(t, http.StatusForbidden, forged.status, "a member cannot create keys, even with a valid token")
	users := admin.get("/admin/users")
	require.Contains(t, users.body, "bob@supplier-a.test")
	require.Contains(t, users.body, "Active")
}

func TestAPIKeyFromPortalWorksOnAPI(t *testing.T) {
	t.Parallel()
	b := setup(t, false)
	b.user(t, "dealer-a", "ann@dealer-a.test", "Ann", store.RoleAdmin)
	admin := b.browser(t)
	admin.login("ann@dealer-a.test")
	p := admin.submit("/admin/api-keys", "/admin/api-keys", url.Values{"label": {"erp"}})
	require.Equal(t, http.StatusOK, p.status, p.body)
	m := newKey.FindStringSubmatch(p.body)
	require.NotNil(t, m, p.body)
	key := m[1]
	require.NotContains(t, admin.get("/admin/api-keys").body, key, "the key is shown once")

	api := func() int {
		req, err := http.NewRequest(http.MethodGet, b.srv.URL+"/api/v1/messages", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := b.srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, http.StatusOK, api())
	princ, err := b.env.Hub.Authenticate(b.ctx, key)
	require.NoError(t, err)
	require.Equal(t, "dealer-a", princ.Partner, "the key acts for the admin's partner")

	keys, err := b.env.Store.ListAPIKeys(b.ctx, "dealer-a")
	require.NoError(t, err)
	var id string
	for _, k := range keys {
		if k.Label == "erp" {
			id = k.ID
			require.NotContains(t, string(k.Hash), key[len(key)-43:], "stored hashed")
		}
	}
	require.NotEmpty(t, id)
	rev := admin.submit("/admin/api-keys", "/admin/api-keys/"+id+"/revoke", url.Values{})
	require.Equal(t, http.StatusSeeOther, rev.status, rev.body)
	require.Equal(t, http.StatusUnauthorized, api())

	other := admin.submit("/admin/api-keys", "/admin/api-keys/"+keyIDOf(t, b, "dealer-b")+"/revoke", url.Values{})
	require.Equal(t, http.StatusNotFound, other.status, "another partner's key is not found")
}

func keyIDOf(t *testing.T, b *bundle, partner string) string {
	t.Helper()
	keys, err := b.env.Store.ListAPIKeys(b.ctx, partner)
	require.NoError(t, err)
	require.NotEmpty(t, keys)
	return keys[0].ID
}

func TestEscaping(t *testing.T) {
	t.Parallel()
	b := setup(t, false)
	const evil = `<script>alert("x")</script>`
	b.user(t, "dealer-a", "ann@dealer-a.test", evil, store.RoleAdmin)
	admin := b.browser(t)
	admin.login("ann@dealer-a.test")
	p := admin.submit("/admin/users", "/admin/users", url.Values{"email": {"bob@dealer-a.test"}, "name": {`"><img src=x onerror=alert(1)>`}, "role": {"member"}})
	require.Equal(t, http.StatusOK, p.status)
	k := admin.submit("/admin/api-keys", "/admin/api-keys", url.Values{"label": {evil}})
	require.Equal(t, http.StatusOK, k.status)
	bad := b.browser(t).submit("/login", "/login", url.Values{"email": {`"><script>alert(2)</script>`}, "password": {"x"}})
	require.Equal(t, http.StatusUnauthorized, bad.status)

	for name, body := range map[string]string{
		"account": admin.get("/account").body,
		"users":   admin.get("/admin/users").body,
		"keys":    admin.get("/admin/api-keys").body,
		"login":   bad.body,
	} {
		require.NotContains(t, body, "<script>", name)
		require.NotContains(t, body, "<img", name)
	}
	require.Contains(t, admin.get("/account").body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
	require.Contains(t, admin.get("/admin/users").body, "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;")
}

func TestLanguage(t *testing.T) {
	t.Parallel()
	b := setup(t, false)
	b.user(t, "dealer-a", "ann@dealer-a.test", "Ann", store.RoleAdmin)
	tests := []struct {
		name, accept, path, want, lang string
	}{
		{"Chinese browser", "zh-CN,zh;q=0.9,en;q=0.5", "/login", "电子邮件", "zh-CN"},
		{"Taiwanese browser gets Simplified", "zh-TW", "/login", "电子邮件", "zh-CN"},
		{"English browser", "en-GB,en;q=0.9", "/login", "Email", "en"},
		{"unknown language", "fr-FR", "/login", "Email", "en"},
		{"no header", "", "/login", "Email", "en"},
		{"switch to English", "zh-CN", "/login?lang=en", "Email", "en"},
		{"switch to Chinese", "en", "/login?lang=zh-CN", "电子邮件", "zh-CN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			br := b.browser(t)
			br.lang = tc.accept
			p := br.get(tc.path)
			require.Equal(t, http.StatusOK, p.status)
			require.Contains(t, p.body, tc.want)
			require.Contains(t, p.body, `<html lang="`+tc.lang+`">`)
			require.Equal(t, tc.lang, p.header.Get("Content-Language"))
		})
	}

	// The switch sticks; a saved preference wins over the browser's.
	br := b.browser(t)
	br.lang = "en"
	br.get("/login?lang=zh-CN")
	require.Contains(t, br.get("/login").body, "电子邮件", "the switch is remembered")
	br.login("ann@dealer-a.test")
	saved := br.submit("/account", "/account/language", url.Values{"lang": {"zh-CN"}})
	require.Equal(t, http.StatusSeeOther, saved.status)
	br2 := b.browser(t)
	br2.lang = "en"
	br2.login("ann@dealer-a.test")
	require.Contains(t, br2.get("/account").body, "我的账户", "the user's language beats Accept-Language")
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	b := setup(t, false)
	p := b.browser(t).get("/login")
	require.Contains(t, p.header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
	require.Equal(t, "nosniff", p.header.Get("X-Content-Type-Options"))
	require.Equal(t, "no-store", p.header.Get("Cache-Control"))
	require.Equal(t, "text/html; charset=utf-8", p.header.Get("Content-Type"))

	// An anonymous visitor is sent to the login page and back.
	r := b.browser(t).get("/admin/users")
	require.Equal(t, http.StatusSeeOther, r.status)
	require.Equal(t, "/login?next=%2Fadmin%2Fusers", r.header.Get("Location"))
}

func TestLoginRedirectStaysOnSite(t *testing.T) {
	t.Parallel()
	b := setup(t, false)
	b.user(t, "dealer-a", "ann@dealer-a.test", "Ann", store.RoleAdmin)
	for next, want := range map[string]string{
		"/admin/users":       "/admin/users",
		"//evil.test/":       "/",
		"https://evil.test/": "/",
		"/\\evil.test":       "/",
		"":                   "/",
	} {
		br := b.browser(t)
		p := br.submit("/login", "/login", url.Values{"email": {"ann@dealer-a.test"},
			"password": {password("ann@dealer-a.test")}, "next": {next}})
		require.Equal(t, http.StatusSeeOther, p.status)
		require.Equal(t, want, p.header.Get("Location"), next)
	}
}
