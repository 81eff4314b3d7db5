package web

import (
	"net/http"
	"net/url"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

func (p *Portal) accountPage(w http.ResponseWriter, r *http.Request) {
	p.render(w, r, http.StatusOK, "account", view{Data: r.URL.Query().Get("saved") == "1"})
}

func (p *Portal) setLanguage(w http.ResponseWriter, r *http.Request) {
	acc, _ := AccountFrom(r.Context())
	lang := r.PostFormValue("lang")
	if lang != "" && !isLangCode(lang) {
		p.renderError(w, r, http.StatusBadRequest, "error.invalid")
		return
	}
	if _, err := p.acc.SetLanguage(r.Context(), acc, lang); err != nil {
		status, key, _ := p.failure(r, err)
		p.renderError(w, r, status, key)
		return
	}
	// The switch's cookie would hide the new preference.
	http.SetCookie(w, expiredCookie(r, langCookie))
	http.Redirect(w, r, "/account?saved=1", http.StatusSeeOther)
}

// usersData is the users page's state.
type usersData struct {
	Users      []store.User
	InviteLink string // shown once, right after an invite
	Form       hub.NewUser
}

func (p *Portal) usersPage(w http.ResponseWriter, r *http.Request) {
	p.showUsers(w, r, http.StatusOK, view{}, usersData{})
}

func (p *Portal) showUsers(w http.ResponseWriter, r *http.Request, status int, v view, d usersData) {
	acc, _ := AccountFrom(r.Context())
	users, err := p.acc.ListUsers(r.Context(), acc)
	if err != nil {
		status, key, _ := p.failure(r, err)
		p.renderError(w, r, status, key)
		return
	}
	d.Users = users
	v.Data = d
	p.render(w, r, status, "users", v)
}

func (p *Portal) inviteUser(w http.ResponseWriter, r *http.Request) {
	acc, _ := AccountFrom(r.Context())
	nu := hub.NewUser{
		Email: r.PostFormValue("email"),
		Name:  r.PostFormValue("name"),
		Role:  store.UserRole(r.PostFormValue("role")),
		Lang:  r.PostFormValue("lang"),
	}
	_, token, err := p.acc.Invite(r.Context(), acc, nu)
	if err != nil {
		status, key, detail := p.failure(r, err)
		p.showUsers(w, r, status, view{Error: key, Detail: detail}, usersData{Form: nu})
		return
	}
	p.showUsers(w, r, http.StatusOK, view{}, usersData{InviteLink: inviteLink(r, token)})
}

// inviteLink is the set-password page of token on the host the admin used.
func inviteLink(r *http.Request, token string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: r.Host, Path: "/invite", RawQuery: url.Values{"token": {token}}.Encode()}
	return u.String()
}

// keysData is the API keys page's state.
type keysData struct {
	Keys   []store.APIKey
	NewKey string // shown once, right after creation
	Label  string
}

func (p *Portal) keysPage(w http.ResponseWriter, r *http.Request) {
	p.showKeys(w, r, http.StatusOK, view{}, keysData{})
}

func (p *Portal) showKeys(w http.ResponseWriter, r *http.Request, status int, v view, d keysData) {
	acc, _ := AccountFrom(r.Context())
	keys, err := p.acc.ListAPIKeys(r.Context(), acc)
	if err != nil {
		status, key, _ := p.failure(r, err)
		p.renderError(w, r, status, key)
		return
	}
	d.Keys = keys
	v.Data = d
	p.render(w, r, status, "keys", v)
}

func (p *Portal) createKey(w http.ResponseWriter, r *http.Request) {
	acc, _ := AccountFrom(r.Context())
	label := r.PostFormValue("label")
	key, _, err := p.acc.CreateAPIKey(r.Context(), acc, label)
	if err != nil {
		status, msg, detail := p.failure(r, err)
		p.showKeys(w, r, status, view{Error: msg, Detail: detail}, keysData{Label: label})
		return
	}
	p.showKeys(w, r, http.StatusOK, view{}, keysData{NewKey: key})
}

func (p *Portal) revokeKey(w http.ResponseWriter, r *http.Request) {
	acc, _ := AccountFrom(r.Context())
	if err := p.acc.RevokeAPIKey(r.Context(), acc, r.PathValue("id")); err != nil {
		status, key, _ := p.failure(r, err)
		p.renderError(w, r, status, key)
		return
	}
	http.Redirect(w, r, "/admin/api-keys", http.StatusSeeOther)
}
