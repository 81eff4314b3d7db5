package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/dealerhub/dealerhub/hub"
)

// Cookie and form names.
const (
	// SessionCookie holds the session token (HttpOnly, SameSite=Lax).
	SessionCookie = "dealerhub_session"
	// csrfCookie holds the token of forms sent before login (login, invite):
	// a double-submit token, since there is no session to keep one in.
	csrfCookie = "dealerhub_csrf"
	// CSRFField is the hidden form field every state-changing form carries.
	CSRFField = "csrf_token"
	// CSRFHeader may carry the token instead, for scripts (htmx).
	CSRFHeader = "X-CSRF-Token"
)

type ctxKey struct{}

// reqState is what the middleware learned about a request.
type reqState struct {
	account *hub.Account
	token   string // the session token, for logout
	csrf    string // the token forms of this response must carry
	lang    string
}

// AccountFrom returns the account of a request that came with a valid
// session cookie (through Portal's middleware).
func AccountFrom(ctx context.Context) (hub.Account, bool) {
	st, _ := ctx.Value(ctxKey{}).(*reqState)
	if st == nil || st.account == nil {
		return hub.Account{}, false
	}
	return *st.account, true
}

func stateOf(r *http.Request) *reqState {
	st, _ := r.Context().Value(ctxKey{}).(*reqState)
	if st == nil {
		return &reqState{lang: langCodes[0]}
	}
	return st
}

// unsafeMethod reports a method that changes state.
func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// Middleware resolves the session cookie (an unknown or expired one is
// cleared and the request goes on anonymous), picks the language, and
// checks the CSRF token of every state-changing request: the session's
// token with a session, else the pre-login double-submit cookie's. A
// missing or wrong token is 403. The REST API (API keys) is not behind it.
func (p *Portal) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w.Header())
		st := &reqState{}
		if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			acc, err := p.acc.Resolve(r.Context(), c.Value)
			if err == nil {
				st.account, st.token, st.csrf = &acc, c.Value, acc.CSRF
			} else {
				http.SetCookie(w, expiredCookie(r, SessionCookie))
			}
		}
		userLang := ""
		if st.account != nil {
			userLang = st.account.User.Lang
		}
		st.lang = pickLang(r, userLang)
		if l := r.URL.Query().Get("lang"); isLangCode(l) {
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
		}
		if st.account == nil {
			st.csrf = p.preLoginToken(w, r)
		}
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, st))
		if unsafeMethod(r.Method) {
			r.Body = http.MaxBytesReader(w, r.Body, p.maxBody)
			if !validCSRF(r, st.csrf) {
				p.renderError(w, r, http.StatusForbidden, "error.csrf")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// validCSRF compares the request's token with want in constant time.
func validCSRF(r *http.Request, want string) bool {
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		got = r.PostFormValue(CSRFField)
	}
	return want != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// preLoginToken returns the double-submit token of an anonymous visitor,
// setting its cookie on the first visit.
func (p *Portal) preLoginToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	tok := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	// Forms rendered in this response must match the cookie the browser
	// will send back, not one it never had.
	return tok
}

// sessionCookie is the cookie that carries a new session's token.
func sessionCookie(r *http.Request, token string, acc hub.Account) *http.Cookie {
	return &http.Cookie{
		Name:     SessionCookie,
		Value:    token,
		Path:     "/",
		Expires:  acc.ExpiresAt,
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteLaxMode,
	}
}

// expiredCookie tells the browser to drop a cookie.
func expiredCookie(r *http.Request, name string) *http.Cookie {
	return &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode}
}

// setSecurityHeaders forbids framing, inline scripts, sniffing and caching
// of pages that show private data.
func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
}

// RequireLogin sends anonymous visitors to the login page, which brings
// them back afterwards.
func RequireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := AccountFrom(r.Context()); !ok {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// localPath returns next when it is a path on this site, else "/".
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}
