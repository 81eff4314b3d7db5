package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

// DefaultMaxBodyBytes bounds a form when Options.MaxBodyBytes is zero.
const DefaultMaxBodyBytes int64 = 1 << 20

//go:embed templates/*.html
var templateFiles embed.FS

// Accounts is what the pages need from the hub; *hub.Accounts implements
// it.
type Accounts interface {
	Login(ctx context.Context, email, password string) (string, hub.Account, error)
	Resolve(ctx context.Context, token string) (hub.Account, error)
	Logout(ctx context.Context, token string) error
	Invite(ctx context.Context, by hub.Account, nu hub.NewUser) (store.User, string, error)
	AcceptInvite(ctx context.Context, token, password string) (store.User, error)
	ListUsers(ctx context.Context, by hub.Account) ([]store.User, error)
	SetLanguage(ctx context.Context, by hub.Account, lang string) (store.User, error)
	CreateAPIKey(ctx context.Context, by hub.Account, label string) (string, store.APIKey, error)
	ListAPIKeys(ctx context.Context, by hub.Account) ([]store.APIKey, error)
	RevokeAPIKey(ctx context.Context, by hub.Account, id string) error
}

var _ Accounts = (*hub.Accounts)(nil)

// Options configure the portal pages.
type Options struct {
	// MaxBodyBytes limits a form; zero means DefaultMaxBodyBytes (1 MiB).
	MaxBodyBytes int64
	// Logger receives internal errors (never a password or token). Nil
	// discards.
	Logger *slog.Logger
	// Orders serves the order pages and the dashboard (*hub.Hub); nil
	// leaves them out.
	Orders Orders
}

// Portal serves the pages. It is an http.Handler; Handle adds pages behind
// the same middleware.
type Portal struct {
	acc     Accounts
	orders  Orders
	mux     *http.ServeMux
	pages   map[string]*template.Template
	log     *slog.Logger
	maxBody int64
	handler http.Handler
}

// pageNames are the templates, each rendered inside layout.html.
var pageNames = []string{"login", "account", "users", "keys", "invite", "error",
	"orders", "orders_detail", "dashboard"}

// New builds the portal over acc.
func New(acc Accounts, opts Options) (*Portal, error) {
	if acc == nil {
		return nil, errors.New("web: Accounts is required")
	}
	p := &Portal{acc: acc, mux: http.NewServeMux(), pages: map[string]*template.Template{},
		log: opts.Logger, maxBody: opts.MaxBodyBytes}
	if p.log == nil {
		p.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if p.maxBody <= 0 {
		p.maxBody = DefaultMaxBodyBytes
	}
	for _, name := range pageNames {
		t, err := template.New("layout.html").ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parsing template %s: %w", name, err)
		}
		p.pages[name] = t
	}
	p.orders = opts.Orders
	p.routes()
	p.handler = p.Middleware(p.mux)
	return p, nil
}

func (p *Portal) routes() {
	p.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		home := "/account"
		if p.orders != nil {
			home = "/dashboard"
		}
		http.Redirect(w, r, home, http.StatusSeeOther)
	})
	p.mux.HandleFunc("GET /login", p.loginPage)
	p.mux.HandleFunc("POST /login", p.login)
	p.mux.HandleFunc("POST /logout", p.logout)
	p.mux.HandleFunc("GET /invite", p.invitePage)
	p.mux.HandleFunc("POST /invite", p.acceptInvite)
	p.Handle("GET /account", RequireLogin(http.HandlerFunc(p.accountPage)))
	p.Handle("POST /account/language", RequireLogin(http.HandlerFunc(p.setLanguage)))
	p.Handle("GET /admin/users", p.RequireAdmin(http.HandlerFunc(p.usersPage)))
	p.Handle("POST /admin/users", p.RequireAdmin(http.HandlerFunc(p.inviteUser)))
	p.Handle("GET /admin/api-keys", p.RequireAdmin(http.HandlerFunc(p.keysPage)))
	p.Handle("POST /admin/api-keys", p.RequireAdmin(http.HandlerFunc(p.createKey)))
	p.Handle("POST /admin/api-keys/{id}/revoke", p.RequireAdmin(http.HandlerFunc(p.revokeKey)))
	p.orderRoutes()
}

// Handle adds a page (a ServeMux pattern) behind the session and CSRF
// middleware; wrap it in RequireLogin or RequireAdmin as it needs.
func (p *Portal) Handle(pattern string, h http.Handler) { p.mux.Handle(pattern, h) }

// ServeHTTP serves the pages through the middleware.
func (p *Portal) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.handler.ServeHTTP(w, r) }

// RequireAdmin is RequireLogin for pages of a partner's admins; a member
// gets 403.
func (p *Portal) RequireAdmin(next http.Handler) http.Handler {
	return RequireLogin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if acc, _ := AccountFrom(r.Context()); !acc.IsAdmin() {
			p.renderError(w, r, http.StatusForbidden, "error.forbidden")
			return
		}
		next.ServeHTTP(w, r)
	}))
}
