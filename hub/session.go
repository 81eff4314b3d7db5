package hub

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

// touchEvery is how stale a session's LastSeenAt may get before Resolve
// writes it again: a page view is a read, not a write, most of the time.
const touchEvery = time.Minute

// Account is a logged-in portal user: who it is and the Principal it acts
// as, the same type an API key resolves to, so pages and the API share
// every authorisation check.
type Account struct {
	User      store.User
	Principal Principal
	// CSRF is the session's form token: every state-changing request made
	// with the session cookie must carry it.
	CSRF string
	// ExpiresAt is the session's absolute end.
	ExpiresAt time.Time
}

// IsAdmin reports whether the account may manage its partner's users and
// API keys.
func (a Account) IsAdmin() bool { return a.User.Role == store.RoleAdmin }

// newToken returns a random 256-bit token (base64url) and its SHA-256,
// which is what the store keeps.
func newToken() (string, []byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("drawing a token: %w", err)
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	return tok, hashToken(tok), nil
}

// hashToken is the stored form of a session or invite token.
func hashToken(tok string) []byte {
	sum := sha256.Sum256([]byte(tok))
	return sum[:]
}

// Login checks an email and password and starts a session. It returns the
// session token (for the cookie; shown nowhere else and stored only as its
// SHA-256) and the account. Every failure is ErrUnauthorized, taking about
// as long whether or not the email is known.
func (a *Accounts) Login(ctx context.Context, email, password string) (string, Account, error) {
	fail := fmt.Errorf("%w: wrong email or password", ErrUnauthorized)
	if len(password) > MaxPasswordBytes {
		return "", Account{}, fail
	}
	u, err := a.st.GetUserByEmail(ctx, NormalizeEmail(email))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", Account{}, fmt.Errorf("logging in: %w", err)
	}
	hash := u.PasswordHash
	if hash == "" { // unknown user, or one who has not accepted the invite
		hash = a.dummyHash
	}
	ok, verr := VerifyPassword(hash, password)
	if verr != nil {
		a.log.ErrorContext(ctx, "stored password hash is malformed", "user_id", u.ID, "error", verr)
	}
	if !ok || u.PasswordHash == "" || u.Disabled {
		return "", Account{}, fail
	}
	if err := a.partnerEnabled(ctx, u.Partner); err != nil {
		return "", Account{}, err
	}
	tok, th, err := newToken()
	if err != nil {
		return "", Account{}, err
	}
	csrf, _, err := newToken()
	if err != nil {
		return "", Account{}, err
	}
	now := a.now().UTC()
	s := store.Session{TokenHash: th, UserID: u.ID, CSRF: csrf, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(a.opts.MaxAge)}
	if err := a.st.CreateSession(ctx, s); err != nil {
		return "", Account{}, fmt.Errorf("starting a session: %w", err)
	}
	a.log.InfoContext(ctx, "portal login", "user_id", u.ID, "partner", u.Partner)
	return tok, account(u, s), nil
}

func account(u store.User, s store.Session) Account {
	return Account{User: u, Principal: Principal{Partner: u.Partner}, CSRF: s.CSRF, ExpiresAt: s.ExpiresAt}
}

// Resolve returns the account of a session token. An unknown, logged-out,
// idle or expired session, a disabled user or partner are ErrUnauthorized;
// an expired session is deleted.
func (a *Accounts) Resolve(ctx context.Context, token string) (Account, error) {
	if token == "" {
		return Account{}, fmt.Errorf("%w: no session", ErrUnauthorized)
	}
	th := hashToken(token)
	s, err := a.st.GetSession(ctx, th)
	if errors.Is(err, store.ErrNotFound) {
		return Account{}, fmt.Errorf("%w: unknown session", ErrUnauthorized)
	}
	if err != nil {
		return Account{}, fmt.Errorf("looking up session: %w", err)
	}
	now := a.now().UTC()
	if !now.Before(s.ExpiresAt) || !now.Before(s.LastSeenAt.Add(a.opts.IdleTimeout)) {
		if err := a.st.DeleteSession(ctx, th); err != nil {
			return Account{}, err
		}
		return Account{}, fmt.Errorf("%w: session expired", ErrUnauthorized)
	}
	u, err := a.st.GetUser(ctx, s.UserID)
	if err != nil {
		return Account{}, fmt.Errorf("looking up the session's user: %w", err)
	}
	if u.Disabled {
		return Account{}, fmt.Errorf("%w: user disabled", ErrUnauthorized)
	}
	if err := a.partnerEnabled(ctx, u.Partner); err != nil {
		return Account{}, err
	}
	if now.Sub(s.LastSeenAt) >= touchEvery {
		if err := a.st.TouchSession(ctx, th, now); err != nil && !errors.Is(err, store.ErrNotFound) {
			return Account{}, err
		}
	}
	return account(u, s), nil
}

// Logout ends the session of token; the token is refused afterwards.
// Logging out twice is not an error.
func (a *Accounts) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return a.st.DeleteSession(ctx, hashToken(token))
}

// SweepSessions deletes sessions past their absolute or idle end; Resolve
// refuses them anyway, this only keeps the table small.
func (a *Accounts) SweepSessions(ctx context.Context) (int64, error) {
	now := a.now().UTC()
	return a.st.DeleteExpiredSessions(ctx, now, now.Add(-a.opts.IdleTimeout))
}

// partnerEnabled is ErrUnauthorized for a disabled or missing partner.
func (a *Accounts) partnerEnabled(ctx context.Context, id string) error {
	p, err := a.st.GetPartner(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !p.Enabled) {
		return fmt.Errorf("%w: partner %q is disabled", ErrUnauthorized, id)
	}
	if err != nil {
		return fmt.Errorf("looking up partner %q: %w", id, err)
	}
	return nil
}
