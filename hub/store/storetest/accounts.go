package storetest

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// tokenHash is the stored form of a session or invite token.
func tokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// user creates a user of partner with the given email and role.
func (f *fixture) user(partner, email string, role store.UserRole) store.User {
	f.t.Helper()
	u, err := f.st.CreateUser(f.ctx, store.User{Partner: partner, Email: email, Name: email, Role: role})
	require.NoError(f.t, err)
	return u
}

// session stores a session of user starting at start and ending at end.
func (f *fixture) session(userID, token string, start, end time.Time) store.Session {
	f.t.Helper()
	s := store.Session{TokenHash: tokenHash(token), UserID: userID, CSRF: "csrf-" + token,
		CreatedAt: start, LastSeenAt: start, ExpiresAt: end}
	require.NoError(f.t, f.st.CreateSession(f.ctx, s))
	return s
}

func accountCases() []testCase {
	return []testCase{
		{"Users", func(t *testing.T, f *fixture) {
			f.partner("acme", "supplier")
			f.partner("other", "dealer")
			u, err := f.st.CreateUser(f.ctx, store.User{Partner: "acme", Email: "ann@acme.test", Name: "Ann",
				Role: store.RoleAdmin, Lang: "zh-CN", PasswordHash: "$argon2id$x"})
			require.NoError(t, err)
			require.NotEmpty(t, u.ID)
			requireRecent(t, u.CreatedAt, "created_at")
			requireSameTime(t, u.CreatedAt, u.UpdatedAt, "updated_at")

			got, err := f.st.GetUser(f.ctx, u.ID)
			require.NoError(t, err)
			require.Equal(t, u, got)
			byEmail, err := f.st.GetUserByEmail(f.ctx, "ann@acme.test")
			require.NoError(t, err)
			require.Equal(t, u, byEmail)
			require.Equal(t, "$argon2id$x", byEmail.PasswordHash)

			f.user("acme", "bob@acme.test", store.RoleMember)
			f.user("other", "cat@other.test", store.RoleMember)
			_, err = f.st.CreateUser(f.ctx, store.User{Partner: "other", Email: "ann@acme.test", Role: store.RoleMember})
			errorsIsConflict(t, err, "an email is unique across partners")
			_, err = f.st.CreateUser(f.ctx, store.User{Partner: "ghost", Email: "g@x.test", Role: store.RoleMember})
			errorsIsNotFound(t, err, "the partner must exist")

			list, err := f.st.ListUsers(f.ctx, "acme")
			require.NoError(t, err)
			require.Len(t, list, 2)
			require.Equal(t, "ann@acme.test", list[0].Email)
			require.Equal(t, "bob@acme.test", list[1].Email)

			u.Name, u.Role, u.Lang = "Ann B", store.RoleMember, "en"
			upd, err := f.st.UpdateUser(f.ctx, u)
			require.NoError(t, err)
			require.Equal(t, "Ann B", upd.Name)
			require.Equal(t, store.RoleMember, upd.Role)
			require.Equal(t, "en", upd.Lang)
			require.Equal(t, "$argon2id$x", upd.PasswordHash, "UpdateUser leaves the password alone")

			_, err = f.st.GetUser(f.ctx, "nope")
			errorsIsNotFound(t, err)
			_, err = f.st.GetUserByEmail(f.ctx, "nope@x.test")
			errorsIsNotFound(t, err)
			_, err = f.st.UpdateUser(f.ctx, store.User{ID: "nope", Role: store.RoleMember})
			errorsIsNotFound(t, err)
			errorsIsNotFound(t, f.st.SetUserPassword(f.ctx, "nope", "h"))
		}},
		{"Sessions", func(t *testing.T, f *fixture) {
			f.partner("acme", "supplier")
			u := f.user("acme", "ann@acme.test", store.RoleAdmin)
			start := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
			s := f.session(u.ID, "tok-1", start, start.Add(12*time.Hour))

			got, err := f.st.GetSession(f.ctx, tokenHash("tok-1"))
			require.NoError(t, err)
			require.Equal(t, s, got)
			_, err = f.st.GetSession(f.ctx, tokenHash("tok-2"))
			errorsIsNotFound(t, err)
			errorsIsConflict(t, f.st.CreateSession(f.ctx, s), "a token hash is stored once")
			errorsIsNotFound(t, f.st.CreateSession(f.ctx, store.Session{TokenHash: tokenHash("x"), UserID: "nope",
				CreatedAt: start, LastSeenAt: start, ExpiresAt: start}), "the user must exist")

			seen := start.Add(time.Hour)
			require.NoError(t, f.st.TouchSession(f.ctx, tokenHash("tok-1"), seen))
			got, err = f.st.GetSession(f.ctx, tokenHash("tok-1"))
			require.NoError(t, err)
			requireSameTime(t, seen, got.LastSeenAt, "last_seen_at")
			errorsIsNotFound(t, f.st.TouchSession(f.ctx, tokenHash("tok-2"), seen))

			require.NoError(t, f.st.DeleteSession(f.ctx, tokenHash("tok-1")))
			_, err = f.st.GetSession(f.ctx, tokenHash("tok-1"))
			errorsIsNotFound(t, err, "a deleted session is gone")
			require.NoError(t, f.st.DeleteSession(f.ctx, tokenHash("tok-1")), "deleting twice is not an error")
		}},
		{"ExpiredSessions", func(t *testing.T, f *fixture) {
			f.partner("acme", "supplier")
			u := f.user("acme", "ann@acme.test", store.RoleAdmin)
			t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
			f.session(u.ID, "old", t0, t0.Add(time.Hour))                      // past its absolute end
			f.session(u.ID, "idle", t0.Add(2*time.Hour), t0.Add(24*time.Hour)) // idle too long
			f.session(u.ID, "live", t0.Add(5*time.Hour), t0.Add(24*time.Hour))
			n, err := f.st.DeleteExpiredSessions(f.ctx, t0.Add(6*time.Hour), t0.Add(3*time.Hour))
			require.NoError(t, err)
			require.EqualValues(t, 2, n)
			for tok, alive := range map[string]bool{"old": false, "idle": false, "live": true} {
				_, err := f.st.GetSession(f.ctx, tokenHash(tok))
				if alive {
					require.NoError(t, err, tok)
				} else {
					errorsIsNotFound(t, err, tok)
				}
			}
		}},
		{"PasswordAndDisableEndSessions", func(t *testing.T, f *fixture) {
			f.partner("acme", "supplier")
			ann := f.user("acme", "ann@acme.test", store.RoleAdmin)
			bob := f.user("acme", "bob@acme.test", store.RoleMember)
			t0 := time.Now().UTC().Truncate(time.Second)
			f.session(ann.ID, "ann-1", t0, t0.Add(time.Hour))
			f.session(bob.ID, "bob-1", t0, t0.Add(time.Hour))

			require.NoError(t, f.st.SetUserPassword(f.ctx, ann.ID, "$argon2id$new"))
			got, err := f.st.GetUser(f.ctx, ann.ID)
			require.NoError(t, err)
			require.Equal(t, "$argon2id$new", got.PasswordHash)
			_, err = f.st.GetSession(f.ctx, tokenHash("ann-1"))
			errorsIsNotFound(t, err, "a new password ends the user's sessions")
			_, err = f.st.GetSession(f.ctx, tokenHash("bob-1"))
			require.NoError(t, err, "other users keep theirs")

			bob.Disabled = true
			upd, err := f.st.UpdateUser(f.ctx, bob)
			require.NoError(t, err)
			require.True(t, upd.Disabled)
			_, err = f.st.GetSession(f.ctx, tokenHash("bob-1"))
			errorsIsNotFound(t, err, "disabling a user ends its sessions")
		}},
		{"Invites", func(t *testing.T, f *fixture) {
			f.partner("acme", "supplier")
			u := f.user("acme", "ann@acme.test", store.RoleAdmin)
			t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
			require.NoError(t, f.st.CreateInvite(f.ctx, store.Invite{TokenHash: tokenHash("inv-1"), UserID: u.ID,
				CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}))
			require.NoError(t, f.st.CreateInvite(f.ctx, store.Invite{TokenHash: tokenHash("inv-2"), UserID: u.ID,
				CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}))
			errorsIsNotFound(t, f.st.CreateInvite(f.ctx, store.Invite{TokenHash: tokenHash("inv-3"), UserID: "nope",
				CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}))
			f.session(u.ID, "before", t0, t0.Add(time.Hour))

			_, err := f.st.AcceptInvite(f.ctx, tokenHash("inv-1"), t0.Add(time.Hour), "$argon2id$late")
			errorsIsNotFound(t, err, "an invite is not accepted at its expiry")
			_, err = f.st.AcceptInvite(f.ctx, tokenHash("nope"), t0, "$argon2id$x")
			errorsIsNotFound(t, err)

			got, err := f.st.AcceptInvite(f.ctx, tokenHash("inv-1"), t0.Add(time.Minute), "$argon2id$set")
			require.NoError(t, err)
			require.Equal(t, u.ID, got.ID)
			require.Equal(t, "$argon2id$set", got.PasswordHash)
			_, err = f.st.AcceptInvite(f.ctx, tokenHash("inv-1"), t0.Add(time.Minute), "$argon2id$again")
			errorsIsNotFound(t, err, "an invite is used once")
			_, err = f.st.AcceptInvite(f.ctx, tokenHash("inv-2"), t0.Add(time.Minute), "$argon2id$again")
			errorsIsNotFound(t, err, "accepting one invite drops the user's other invites")
			_, err = f.st.GetSession(f.ctx, tokenHash("before"))
			errorsIsNotFound(t, err, "setting a password ends older sessions")
			stored, err := f.st.GetUser(f.ctx, u.ID)
			require.NoError(t, err)
			require.Equal(t, "$argon2id$set", stored.PasswordHash)
		}},
	}
}
