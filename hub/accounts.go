package hub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/dealerhub/dealerhub/hub/store"
)

// Default lifetimes of AccountOptions.
const (
	DefaultIdleTimeout = 2 * time.Hour
	DefaultSessionAge  = 24 * time.Hour
	DefaultInviteTTL   = 72 * time.Hour
)

// AccountOptions configure Accounts.
type AccountOptions struct {
	// IdleTimeout ends a session not used for this long; default 2h.
	IdleTimeout time.Duration
	// MaxAge ends a session this long after login, however busy; default
	// 24h.
	MaxAge time.Duration
	// InviteTTL is how long an invite can be accepted; default 72h.
	InviteTTL time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger receives logins and malformed hashes (never a password or a
	// token). Nil discards.
	Logger *slog.Logger
}

// Accounts manages the portal's users, their sessions and invites, and the
// API keys an admin creates for its partner. It needs only the store; the
// portal reaches it through an interface.
type Accounts struct {
	st        store.Store
	opts      AccountOptions
	now       func() time.Time
	log       *slog.Logger
	dummyHash string // verified against when the email is unknown
}

// NewAccounts builds Accounts over st.
func NewAccounts(st store.Store, opts AccountOptions) (*Accounts, error) {
	if st == nil {
		return nil, errors.New("accounts: a store is required")
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	if opts.MaxAge <= 0 {
		opts.MaxAge = DefaultSessionAge
	}
	if opts.InviteTTL <= 0 {
		opts.InviteTTL = DefaultInviteTTL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	dummy, err := HashPassword("not a password anyone has")
	if err != nil {
		return nil, err
	}
	return &Accounts{st: st, opts: opts, now: opts.Now, log: opts.Logger, dummyHash: dummy}, nil
}

// NewUser describes a user to invite.
type NewUser struct {
	Partner string
	Email   string
	Name    string
	Role    store.UserRole // admin or member
	Lang    string         // "", or a language tag such as "en" or "zh-CN"
}

// NormalizeEmail is the stored form of an email address: trimmed and
// lowercased.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// NormalizeLang returns the canonical form of a language tag ("zh-cn" →
// "zh-CN"); "" stays "". A tag that does not parse is ErrBadRequest.
func NormalizeLang(lang string) (string, error) {
	if lang == "" {
		return "", nil
	}
	tag, err := language.Parse(lang)
	if err != nil || len(lang) > 35 {
		return "", fmt.Errorf("%w: language %q is not a language tag", ErrBadRequest, lang)
	}
	return tag.String(), nil
}

// check validates a new user and normalises its email and language.
func (nu NewUser) check() (NewUser, error) {
	nu.Email = NormalizeEmail(nu.Email)
	addr, err := mail.ParseAddress(nu.Email)
	if err != nil || addr.Address != nu.Email || len(nu.Email) > 254 {
		return nu, fmt.Errorf("%w: %q is not an email address", ErrBadRequest, nu.Email)
	}
	if nu.Role != store.RoleAdmin && nu.Role != store.RoleMember {
		return nu, fmt.Errorf("%w: role %q is neither admin nor member", ErrBadRequest, nu.Role)
	}
	nu.Name = strings.TrimSpace(nu.Name)
	if len(nu.Name) > 200 {
		return nu, fmt.Errorf("%w: a name may have at most 200 bytes", ErrBadRequest)
	}
	if nu.Lang, err = NormalizeLang(nu.Lang); err != nil {
		return nu, err
	}
	return nu, nil
}

// AddUser creates a user without a password and an invite to set one; it
// returns the invite token, to be shown once. It checks no principal: it
// is for operators (the CLI). An email already taken is store.ErrConflict.
func (a *Accounts) AddUser(ctx context.Context, nu NewUser) (store.User, string, error) {
	nu, err := nu.check()
	if err != nil {
		return store.User{}, "", err
	}
	if err := a.partnerEnabled(ctx, nu.Partner); err != nil {
		return store.User{}, "", fmt.Errorf("%w: partner %q is unknown or disabled", ErrBadRequest, nu.Partner)
	}
	u, err := a.st.CreateUser(ctx, store.User{Partner: nu.Partner, Email: nu.Email, Name: nu.Name,
		Role: nu.Role, Lang: nu.Lang})
	if err != nil {
		return store.User{}, "", fmt.Errorf("adding user: %w", err)
	}
	tok, err := a.NewInvite(ctx, u.ID)
	if err != nil {
		return store.User{}, "", err
	}
	return u, tok, nil
}

// NewInvite makes an invite for an existing user and returns its token, to
// be shown once.
func (a *Accounts) NewInvite(ctx context.Context, userID string) (string, error) {
	tok, th, err := newToken()
	if err != nil {
		return "", err
	}
	now := a.now().UTC()
	inv := store.Invite{TokenHash: th, UserID: userID, CreatedAt: now, ExpiresAt: now.Add(a.opts.InviteTTL)}
	if err := a.st.CreateInvite(ctx, inv); err != nil {
		return "", fmt.Errorf("inviting user %q: %w", userID, err)
	}
	return tok, nil
}

// Invite is AddUser by an admin, for its own partner (nu.Partner empty or
// the admin's): ErrForbidden for a member or another partner.
func (a *Accounts) Invite(ctx context.Context, by Account, nu NewUser) (store.User, string, error) {
	if err := requireAdmin(by); err != nil {
		return store.User{}, "", err
	}
	if nu.Partner == "" {
		nu.Partner = by.Principal.Partner
	}
	if nu.Partner != by.Principal.Partner {
		return store.User{}, "", fmt.Errorf("%w: an admin invites users of its own partner", ErrForbidden)
	}
	return a.AddUser(ctx, nu)
}

// AcceptInvite sets the password of the invite's user; the invite is used
// up, as are the user's other invites and sessions. An unknown, used or
// expired invite is store.ErrNotFound; a weak password ErrBadRequest.
func (a *Accounts) AcceptInvite(ctx context.Context, token, password string) (store.User, error) {
	if err := CheckPasswordPolicy(password); err != nil {
		return store.User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return store.User{}, err
	}
	u, err := a.st.AcceptInvite(ctx, hashToken(token), a.now().UTC(), hash)
	if err != nil {
		return store.User{}, err
	}
	return u, nil
}

// SetPassword sets a user's password (CLI, or a user changing its own) and
// ends the user's sessions.
func (a *Accounts) SetPassword(ctx context.Context, userID, password string) error {
	if err := CheckPasswordPolicy(password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return a.st.SetUserPassword(ctx, userID, hash)
}

// ListUsers returns the users of the admin's partner.
func (a *Accounts) ListUsers(ctx context.Context, by Account) ([]store.User, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	return a.st.ListUsers(ctx, by.Principal.Partner)
}

// SetLanguage stores the account's preferred language ("" follows the
// browser).
func (a *Accounts) SetLanguage(ctx context.Context, by Account, lang string) (store.User, error) {
	lang, err := NormalizeLang(lang)
	if err != nil {
		return store.User{}, err
	}
	u := by.User
	u.Lang = lang
	return a.st.UpdateUser(ctx, u)
}

// CreateAPIKey makes an API key for the admin's partner (CreateAPIKey) and
// returns the plain key, to be shown once.
func (a *Accounts) CreateAPIKey(ctx context.Context, by Account, label string) (string, store.APIKey, error) {
	if err := requireAdmin(by); err != nil {
		return "", store.APIKey{}, err
	}
	label = strings.TrimSpace(label)
	if len(label) > 200 {
		return "", store.APIKey{}, fmt.Errorf("%w: a label may have at most 200 bytes", ErrBadRequest)
	}
	return CreateAPIKey(ctx, a.st, by.Principal.Partner, false, label)
}

// ListAPIKeys returns the API keys of the admin's partner (hashes never
// leave the store's type: APIKey.Hash is not encoded).
func (a *Accounts) ListAPIKeys(ctx context.Context, by Account) ([]store.APIKey, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	return a.st.ListAPIKeys(ctx, by.Principal.Partner)
}

// RevokeAPIKey revokes one of the admin's partner's keys; another
// partner's key is store.ErrNotFound, as if it did not exist.
func (a *Accounts) RevokeAPIKey(ctx context.Context, by Account, id string) error {
	if err := requireAdmin(by); err != nil {
		return err
	}
	k, err := a.st.GetAPIKey(ctx, id)
	if err != nil {
		return err
	}
	if k.Operator || k.Partner != by.Principal.Partner {
		return fmt.Errorf("api key %q: %w", id, store.ErrNotFound)
	}
	return a.st.RevokeAPIKey(ctx, id)
}

func requireAdmin(by Account) error {
	if !by.IsAdmin() || by.Principal.Partner == "" {
		return fmt.Errorf("%w: only an admin of the partner may do this", ErrForbidden)
	}
	return nil
}
