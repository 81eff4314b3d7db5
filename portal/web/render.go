package web

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

// view is what every template gets: the page's data plus the language,
// the account and the CSRF token of its forms.
type view struct {
	Lang    string
	Account *hub.Account
	CSRF    string
	// Path is the current path, for the language switch.
	Path string
	// Error is a message key shown above the form; Detail adds the hub's
	// own words (English) to it.
	Error  string
	Detail string
	Data   any
	// Orders: the order pages are mounted (the navigation links them).
	Orders bool
}

// T translates a message key into the page's language.
func (v view) T(key string) string { return translate(v.Lang, key) }

// OtherLang is the code the language switch goes to.
func (v view) OtherLang() string {
	if v.Lang == "en" {
		return "zh-CN"
	}
	return "en"
}

// render writes a page with status; a template error is a 500 and is
// logged, and nothing half-written reaches the client.
func (p *Portal) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	st := stateOf(r)
	v.Lang, v.Account, v.CSRF, v.Path = st.lang, st.account, st.csrf, r.URL.Path
	v.Orders = p.orders != nil
	var buf bytes.Buffer
	if err := p.pages[page].Execute(&buf, v); err != nil {
		p.log.ErrorContext(r.Context(), "rendering page", "page", page, "error", err)
		http.Error(w, translate(st.lang, "error.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", st.lang)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderError shows a message page.
func (p *Portal) renderError(w http.ResponseWriter, r *http.Request, status int, key string) {
	p.render(w, r, status, "error", view{Error: key})
}

// failure maps a hub error to a status and a message key; an unexpected
// one is logged and shown as an internal error.
func (p *Portal) failure(r *http.Request, err error) (int, string, string) {
	switch {
	case errors.Is(err, hub.ErrBadRequest):
		return http.StatusBadRequest, "error.invalid", err.Error()
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict, "error.email_taken", ""
	case errors.Is(err, hub.ErrForbidden):
		return http.StatusForbidden, "error.forbidden", ""
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "error.notfound", ""
	}
	p.log.ErrorContext(r.Context(), "portal request failed", "path", r.URL.Path, "error", err)
	return http.StatusInternalServerError, "error.internal", ""
}
