package web

import (
	"errors"
	"net/http"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

// loginData is the login form's state.
type loginData struct {
	Email string
	Next  string
	Done  bool // shown after an invite was accepted
}

func (p *Portal) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := AccountFrom(r.Context()); ok {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	p.render(w, r, http.StatusOK, "login", view{Data: loginData{Next: r.URL.Query().Get("next"),
		Done: r.URL.Query().Get("invited") == "1"}})
}

func (p *Portal) login(w http.ResponseWriter, r *http.Request) {
	email, next := r.PostFormValue("email"), r.PostFormValue("next")
	token, acc, err := p.acc.Login(r.Context(), email, r.PostFormValue("password"))
	if errors.Is(err, hub.ErrUnauthorized) {
		p.render(w, r, http.StatusUnauthorized, "login", view{Error: "login.failed",
			Data: loginData{Email: email, Next: next}})
		return
	}
	if err != nil {
		status, key, _ := p.failure(r, err)
		p.renderError(w, r, status, key)
		return
	}
	// A new session: the anonymous double-submit cookie has done its job.
	http.SetCookie(w, sessionCookie(r, token, acc))
	http.SetCookie(w, expiredCookie(r, csrfCookie))
	http.Redirect(w, r, localPath(next), http.StatusSeeOther)
}

func (p *Portal) logout(w http.ResponseWriter, r *http.Request) {
	if st := stateOf(r); st.token != "" {
		if err := p.acc.Logout(r.Context(), st.token); err != nil {
			status, key, _ := p.failure(r, err)
			p.renderError(w, r, status, key)
			return
		}
	}
	http.SetCookie(w, expiredCookie(r, SessionCookie))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// inviteData is the set-password form's state.
type inviteData struct {
	Token string
}

func (p *Portal) invitePage(w http.ResponseWriter, r *http.Request) {
	// The token is in the URL: do not leak it to other sites.
	w.Header().Set("Referrer-Policy", "no-referrer")
	p.render(w, r, http.StatusOK, "invite", view{Data: inviteData{Token: r.URL.Query().Get("token")}})
}

func (p *Portal) acceptInvite(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	token := r.PostFormValue("token")
	_, err := p.acc.AcceptInvite(r.Context(), token, r.PostFormValue("password"))
	switch {
	case err == nil:
		http.Redirect(w, r, "/login?invited=1", http.StatusSeeOther)
	case errors.Is(err, store.ErrNotFound):
		p.render(w, r, http.StatusNotFound, "invite", view{Error: "invite.invalid"})
	default:
		status, key, detail := p.failure(r, err)
		p.render(w, r, status, "invite", view{Error: key, Detail: detail, Data: inviteData{Token: token}})
	}
}
