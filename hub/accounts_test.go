package hub_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/sqlitestore"
)

// accountsBundle is Accounts over a fresh SQLite store with a clock the
// test moves.
type accountsBundle struct {
	acc  *hub.Accounts
	st   store.Store
	path string
	ctx  context.Context

	mu  sync.Mutex
	now time.Time
}

func (b *accountsBundle) clock() time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.now
}

func (b *accountsBundle) advance(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.now = b.now.Add(d)
}

func setupAccounts(t *testing.T) *accountsBundle {
	t.Helper()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "dealerhub.db")
	st, err := sqlitestore.Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	for _, p := range []store.Partner{
		{ID: "acme", Name: "ACME", Roles: []string{"supplier"}, Enabled: true},
		{ID: "north", Name: "North", Roles: []string{"dealer"}, Enabled: true},
	} {
		_, err := st.UpsertPartner(ctx, p)
		require.NoError(t, err)
	}
	b := &accountsBundle{st: st, path: path, ctx: ctx, now: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	b.acc, err = hub.NewAccounts(st, hub.AccountOptions{Now: b.clock, IdleTimeout: time.Hour, MaxAge: 8 * time.Hour})
	require.NoError(t, err)
	return b
}

// user adds a user and accepts its invite with password.
func (b *accountsBundle) user(t *testing.T, partner, email string, role store.UserRole, password string) store.User {
	t.Helper()
	u, tok, err := b.acc.AddUser(b.ctx, hub.NewUser{Partner: partner, Email: email, Name: email, Role: role})
	require.NoError(t, err)
	_, err = b.acc.AcceptInvite(b.ctx, tok, password)
	require.NoError(t, err)
	return u
}

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h1, err := hub.HashPassword("correct horse battery")
	require.NoError(t, err)
	h2, err := hub.HashPassword("correct horse battery")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$"), h1)
	require.NotEqual(t, h1, h2, "each hash has its own salt")
	require.NotContains(t, h1, "correct horse")

	tests := []struct {
		name, hash, password string
		ok, bad              bool
	}{
		{"right", h1, "correct horse battery", true, false},
		{"wrong", h1, "correct horse battery!", false, false},
		{"empty", h1, "", false, false},
		{"not argon2id", "$2a$10$abcdefghijklmnopqrstuv", "x", false, true},
		{"huge memory", "$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5", "x", false, true},
		{"bad salt", "$argon2id$v=19$m=19456,t=2,p=1$!!$a2V5a2V5a2V5a2V5a2V5a2V5", "x", false, true},
		{"empty", "", "x", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := hub.VerifyPassword(tc.hash, tc.password)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.bad, err != nil, "error: %v", err)
		})
	}
}

func TestPasswordPolicy(t *testing.T) {
	t.Parallel()
	for pw, ok := range map[string]bool{
		"short":                     false,
		"ten chars!":                true,
		"十个字符的中文密码好的":               true,
		strings.Repeat("x", 1025):   false,
		strings.Repeat("x", 1024):   true,
		"invalid \xff utf8 string!": false,
	} {
		err := hub.CheckPasswordPolicy(pw)
		require.Equal(t, ok, err == nil, "%q: %v", pw, err)
		if err != nil {
			require.ErrorIs(t, err, hub.ErrBadRequest)
		}
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	b := setupAccounts(t)
	b.user(t, "acme", "Ann@ACME.test", store.RoleAdmin, "ann's long password")
	_, _, err := b.acc.AddUser(b.ctx, hub.NewUser{Partner: "acme", Email: "new@acme.test", Role: store.RoleMember})
	require.NoError(t, err)
	disabled := b.user(t, "north", "dan@north.test", store.RoleMember, "dan's long password")
	disabled.Disabled = true
	_, err = b.st.UpdateUser(b.ctx, disabled)
	require.NoError(t, err)

	tests := []struct {
		name, email, password string
		ok                    bool
	}{
		{"right password", "ann@acme.test", "ann's long password", true},
		{"email in any case", " ANN@acme.TEST ", "ann's long password", true},
		{"wrong password", "ann@acme.test", "ann's long passwore", false},
		{"unknown email", "nobody@acme.test", "ann's long password", false},
		{"invite not accepted", "new@acme.test", "", false},
		{"disabled user", "dan@north.test", "dan's long password", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, acc, err := b.acc.Login(b.ctx, tc.email, tc.password)
			if !tc.ok {
				require.ErrorIs(t, err, hub.ErrUnauthorized)
				require.Empty(t, tok)
				return
			}
			require.NoError(t, err)
			require.Len(t, tok, 43, "256 bits, base64url")
			require.Equal(t, hub.Principal{Partner: "acme"}, acc.Principal)
			require.Equal(t, "ann@acme.test", acc.User.Email)
			require.True(t, acc.IsAdmin())
			require.NotEmpty(t, acc.CSRF)
			got, err := b.acc.Resolve(b.ctx, tok)
			require.NoError(t, err)
			require.Equal(t, acc.User.ID, got.User.ID)
			require.Equal(t, acc.CSRF, got.CSRF)
		})
	}
}

func TestSessionLifetime(t *testing.T) {
	t.Parallel()
	b := setupAccounts(t)
	b.user(t, "acme", "ann@acme.test", store.RoleAdmin, "ann's long password")
	login := func() string {
		tok, _, err := b.acc.Login(b.ctx, "ann@acme.test", "ann's long password")
		require.NoError(t, err)
		return tok
	}

	// Logout: the token is refused afterwards.
	tok := login()
	require.NoError(t, b.acc.Logout(b.ctx, tok))
	_, err := b.acc.Resolve(b.ctx, tok)
	require.ErrorIs(t, err, hub.ErrUnauthorized)
	require.NoError(t, b.acc.Logout(b.ctx, tok), "logging out twice is fine")

	// Idle: used every 50 minutes the session lives; then 61 idle minutes end it.
	tok = login()
	for range 5 {
		b.advance(50 * time.Minute)
		_, err := b.acc.Resolve(b.ctx, tok)
		require.NoError(t, err)
	}
	b.advance(61 * time.Minute)
	_, err = b.acc.Resolve(b.ctx, tok)
	require.ErrorIs(t, err, hub.ErrUnauthorized)
	_, err = b.st.GetSession(b.ctx, sha(tok))
	require.ErrorIs(t, err, store.ErrNotFound, "an expired session is deleted")

	// Absolute: 8 hours after login, however busy.
	tok = login()
	for range 11 { // 9h10m in steps shorter than the idle timeout
		b.advance(50 * time.Minute)
		_, err = b.acc.Resolve(b.ctx, tok)
		if err != nil {
			break
		}
	}
	require.ErrorIs(t, err, hub.ErrUnauthorized)

	// A disabled partner's sessions stop working.
	tok = login()
	require.NoError(t, b.st.SetPartnerEnabled(b.ctx, "acme", false))
	_, err = b.acc.Resolve(b.ctx, tok)
	require.ErrorIs(t, err, hub.ErrUnauthorized)
	_, _, err = b.acc.Login(b.ctx, "ann@acme.test", "ann's long password")
	require.ErrorIs(t, err, hub.ErrUnauthorized)
}

func TestInvites(t *testing.T) {
	t.Parallel()
	b := setupAccounts(t)
	b.user(t, "acme", "ann@acme.test", store.RoleAdmin, "ann's long password")
	b.user(t, "acme", "bob@acme.test", store.RoleMember, "bob's long password")
	_, admin, err := b.acc.Login(b.ctx, "ann@acme.test", "ann's long password")
	require.NoError(t, err)
	_, member, err := b.acc.Login(b.ctx, "bob@acme.test", "bob's long password")
	require.NoError(t, err)

	_, _, err = b.acc.Invite(b.ctx, member, hub.NewUser{Email: "x@acme.test", Role: store.RoleMember})
	require.ErrorIs(t, err, hub.ErrForbidden, "a member cannot invite")
	_, _, err = b.acc.Invite(b.ctx, admin, hub.NewUser{Partner: "north", Email: "x@north.test", Role: store.RoleMember})
	require.ErrorIs(t, err, hub.ErrForbidden, "an admin invites to its own partner only")
	for _, bad := range []hub.NewUser{
		{Email: "not an email", Role: store.RoleMember},
		{Email: "Name <x@acme.test>", Role: store.RoleMember},
		{Email: "x@acme.test", Role: "owner"},
		{Email: "x@acme.test", Role: store.RoleMember, Lang: "!!"},
	} {
		_, _, err = b.acc.Invite(b.ctx, admin, bad)
		require.ErrorIs(t, err, hub.ErrBadRequest, "%+v", bad)
	}
	_, _, err = b.acc.Invite(b.ctx, admin, hub.NewUser{Email: "BOB@acme.test", Role: store.RoleMember})
	require.ErrorIs(t, err, store.ErrConflict)

	u, tok, err := b.acc.Invite(b.ctx, admin, hub.NewUser{Email: "cat@acme.test", Name: "Cat", Role: store.RoleMember, Lang: "zh-cn"})
	require.NoError(t, err)
	require.Equal(t, "acme", u.Partner)
	require.Equal(t, "zh-CN", u.Lang)
	_, _, err = b.acc.Login(b.ctx, "cat@acme.test", "")
	require.ErrorIs(t, err, hub.ErrUnauthorized, "no login before the invite is accepted")
	_, err = b.acc.AcceptInvite(b.ctx, tok, "short")
	require.ErrorIs(t, err, hub.ErrBadRequest)
	_, err = b.acc.AcceptInvite(b.ctx, tok, "cat's long password")
	require.NoError(t, err)
	_, err = b.acc.AcceptInvite(b.ctx, tok, "cat's other password")
	require.ErrorIs(t, err, store.ErrNotFound, "an invite works once")
	_, _, err = b.acc.Login(b.ctx, "cat@acme.test", "cat's long password")
	require.NoError(t, err)

	// An invite expires.
	_, late, err := b.acc.Invite(b.ctx, admin, hub.NewUser{Email: "dot@acme.test", Role: store.RoleMember})
	require.NoError(t, err)
	b.advance(hub.DefaultInviteTTL)
	_, err = b.acc.AcceptInvite(b.ctx, late, "dot's long password")
	require.ErrorIs(t, err, store.ErrNotFound)

	users, err := b.acc.ListUsers(b.ctx, admin)
	require.NoError(t, err)
	require.Len(t, users, 4)
	_, err = b.acc.ListUsers(b.ctx, member)
	require.ErrorIs(t, err, hub.ErrForbidden)
}

func TestAccountAPIKeys(t *testing.T) {
	t.Parallel()
	b := setupAccounts(t)
	b.user(t, "acme", "ann@acme.test", store.RoleAdmin, "ann's long password")
	b.user(t, "acme", "bob@acme.test", store.RoleMember, "bob's long password")
	b.user(t, "north", "nia@north.test", store.RoleAdmin, "nia's long password")
	_, admin, err := b.acc.Login(b.ctx, "ann@acme.test", "ann's long password")
	require.NoError(t, err)
	_, member, err := b.acc.Login(b.ctx, "bob@acme.test", "bob's long password")
	require.NoError(t, err)
	_, other, err := b.acc.Login(b.ctx, "nia@north.test", "nia's long password")
	require.NoError(t, err)

	_, _, err = b.acc.CreateAPIKey(b.ctx, member, "ci")
	require.ErrorIs(t, err, hub.ErrForbidden)
	key, k, err := b.acc.CreateAPIKey(b.ctx, admin, "ci")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(key, "dhk_"+k.ID+"_"))
	require.Equal(t, "acme", k.Partner)
	keys, err := b.acc.ListAPIKeys(b.ctx, admin)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	_, err = b.acc.ListAPIKeys(b.ctx, member)
	require.ErrorIs(t, err, hub.ErrForbidden)

	require.ErrorIs(t, b.acc.RevokeAPIKey(b.ctx, other, k.ID), store.ErrNotFound, "another partner's key")
	require.ErrorIs(t, b.acc.RevokeAPIKey(b.ctx, member, k.ID), hub.ErrForbidden)
	require.NoError(t, b.acc.RevokeAPIKey(b.ctx, admin, k.ID))
	got, err := b.st.GetAPIKey(b.ctx, k.ID)
	require.NoError(t, err)
	require.NotNil(t, got.RevokedAt)
}

// TestSecretsStoredHashed reads the database file itself: no password,
// session token, invite token or API key secret is in it in clear.
func TestSecretsStoredHashed(t *testing.T) {
	t.Parallel()
	b := setupAccounts(t)
	const password = "a password to look for"
	u, invite, err := b.acc.AddUser(b.ctx, hub.NewUser{Partner: "acme", Email: "ann@acme.test", Role: store.RoleAdmin})
	require.NoError(t, err)
	_, pending, err := b.acc.AddUser(b.ctx, hub.NewUser{Partner: "acme", Email: "bob@acme.test", Role: store.RoleMember})
	require.NoError(t, err)
	_, err = b.acc.AcceptInvite(b.ctx, invite, password)
	require.NoError(t, err)
	session, acc, err := b.acc.Login(b.ctx, "ann@acme.test", password)
	require.NoError(t, err)
	key, _, err := b.acc.CreateAPIKey(b.ctx, acc, "ci")
	require.NoError(t, err)
	keySecret := key[strings.LastIndex(key, "_")+1:]

	db, err := sql.Open("sqlite", b.path)
	require.NoError(t, err)
	defer db.Close()
	var hash string
	require.NoError(t, db.QueryRow(`SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&hash))
	require.True(t, strings.HasPrefix(hash, "$argon2id$"), hash)
	ok, err := hub.VerifyPassword(hash, password)
	require.NoError(t, err)
	require.True(t, ok)

	var sessionHash, inviteHash []byte
	require.NoError(t, db.QueryRow(`SELECT token_hash FROM sessions`).Scan(&sessionHash))
	require.Equal(t, sha(session), sessionHash)
	require.NoError(t, db.QueryRow(`SELECT token_hash FROM invites`).Scan(&inviteHash))
	require.Equal(t, sha(pending), inviteHash)

	// Nothing anywhere holds a secret in clear.
	for _, table := range []string{"users", "sessions", "invites", "api_keys"} {
		rows, err := db.Query(`SELECT * FROM ` + table)
		require.NoError(t, err)
		cols, err := rows.Columns()
		require.NoError(t, err)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			require.NoError(t, rows.Scan(ptrs...))
			for i, v := range vals {
				s := toString(v)
				for _, secret := range []string{password, session, pending, invite, keySecret} {
					require.NotContains(t, s, secret, "%s.%s holds a secret in clear", table, cols[i])
				}
			}
		}
		require.NoError(t, rows.Err())
		rows.Close()
	}
}

// An operator adds the first admin of a partner; the admin sets a password
// through the invite, logs in and acts as the partner's Principal.
func ExampleAccounts_Login() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "dealerhub-accounts-example-")
	defer os.RemoveAll(dir)
	st, _ := sqlitestore.Open(ctx, filepath.Join(dir, "dealerhub.db"))
	defer st.Close()
	st.UpsertPartner(ctx, store.Partner{ID: "acme", Name: "ACME", Roles: []string{"supplier"}, Enabled: true})

	acc, _ := hub.NewAccounts(st, hub.AccountOptions{})
	_, invite, _ := acc.AddUser(ctx, hub.NewUser{Partner: "acme", Email: "Ann@ACME.test", Role: store.RoleAdmin})
	acc.AcceptInvite(ctx, invite, "a long enough password")

	token, a, err := acc.Login(ctx, "ann@acme.test", "a long enough password")
	fmt.Println(err, a.User.Email, a.Principal.Partner, a.IsAdmin())
	_, _, err = acc.Login(ctx, "ann@acme.test", "a wrong password")
	fmt.Println(err)
	acc.Logout(ctx, token)
	_, err = acc.Resolve(ctx, token)
	fmt.Println(err)
	// Output:
	// <nil> ann@acme.test acme true
	// unauthorized: wrong email or password
	// unauthorized: unknown session
}
