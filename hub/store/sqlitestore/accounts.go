package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

const userCols = `id, partner, email, name, role, lang, password_hash, disabled, created_at, updated_at`

func scanUser(row rowScanner) (store.User, error) {
	var (
		u                store.User
		role             string
		created, updated int64
	)
	if err := row.Scan(&u.ID, &u.Partner, &u.Email, &u.Name, &role, &u.Lang, &u.PasswordHash,
		&u.Disabled, &created, &updated); err != nil {
		return store.User{}, err
	}
	u.Role = store.UserRole(role)
	u.CreatedAt, u.UpdatedAt = fromUS(created), fromUS(updated)
	return u, nil
}

// CreateUser stores a new user with a new id. A taken email is
// ErrConflict; an unknown partner ErrNotFound.
func (s *Store) CreateUser(ctx context.Context, u store.User) (store.User, error) {
	if u.Partner == "" || u.Email == "" {
		return store.User{}, errors.New("creating user: partner and email are required")
	}
	var out store.User
	t := us(now())
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanUser(tx.QueryRowContext(ctx, `
			INSERT INTO users (id, partner, email, name, role, lang, password_hash, disabled, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING `+userCols,
			newID(), u.Partner, u.Email, u.Name, string(u.Role), u.Lang, u.PasswordHash, u.Disabled, t, t))
		switch {
		case isUniqueViolation(err):
			return store.ErrConflict
		case isForeignKeyViolation(err):
			return store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return store.User{}, fmt.Errorf("creating user %q of partner %q: %w", u.Email, u.Partner, err)
	}
	return out, nil
}

// GetUser returns a user by id; ErrNotFound if absent.
func (s *Store) GetUser(ctx context.Context, id string) (store.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if err != nil {
		return store.User{}, notFound(err, fmt.Sprintf("getting user %q", id))
	}
	return u, nil
}

// GetUserByEmail returns a user by exact email; ErrNotFound if absent.
func (s *Store) GetUserByEmail(ctx context.Context, email string) (store.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE email = ?`, email))
	if err != nil {
		return store.User{}, notFound(err, "getting user by email")
	}
	return u, nil
}

// ListUsers returns a partner's users ordered by email.
func (s *Store) ListUsers(ctx context.Context, partner string) ([]store.User, error) {
	users, err := collect(ctx, s.r, `SELECT `+userCols+` FROM users WHERE partner = ? ORDER BY email`,
		[]any{partner}, scanUser)
	if err != nil {
		return nil, fmt.Errorf("listing users of partner %q: %w", partner, err)
	}
	return users, nil
}

// UpdateUser changes name, role, language and the disabled flag; disabling
// deletes the user's sessions in the same transaction.
func (s *Store) UpdateUser(ctx context.Context, u store.User) (store.User, error) {
	var out store.User
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanUser(tx.QueryRowContext(ctx, `
			UPDATE users SET name = ?, role = ?, lang = ?, disabled = ?, updated_at = ?
			WHERE id = ? RETURNING `+userCols,
			u.Name, string(u.Role), u.Lang, u.Disabled, us(now()), u.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil || !out.Disabled {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID)
		return err
	})
	if err != nil {
		return store.User{}, fmt.Errorf("updating user %q: %w", u.ID, err)
	}
	return out, nil
}

// SetUserPassword replaces the password hash and deletes the user's
// sessions.
func (s *Store) SetUserPassword(ctx context.Context, id, passwordHash string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		return setPassword(ctx, tx, id, passwordHash)
	})
	if err != nil {
		return fmt.Errorf("setting the password of user %q: %w", id, err)
	}
	return nil
}

func setPassword(ctx context.Context, tx *sql.Tx, id, passwordHash string) error {
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`,
		passwordHash, us(now()), id)
	if err != nil {
		return err
	}
	if err := requireAffected(res); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id)
	return err
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, ss store.Session) error {
	if len(ss.TokenHash) == 0 || ss.UserID == "" {
		return errors.New("creating session: token hash and user are required")
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`,
			ss.TokenHash, ss.UserID, ss.CSRF, us(ss.CreatedAt), us(ss.LastSeenAt), us(ss.ExpiresAt))
		switch {
		case isUniqueViolation(err):
			return store.ErrConflict
		case isForeignKeyViolation(err):
			return store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("creating a session of user %q: %w", ss.UserID, err)
	}
	return nil
}

// GetSession returns a session by token hash, expired or not.
func (s *Store) GetSession(ctx context.Context, tokenHash []byte) (store.Session, error) {
	var (
		ss                     store.Session
		created, seen, expires int64
	)
	err := s.r.QueryRowContext(ctx, `
		SELECT token_hash, user_id, csrf, created_at, last_seen_at, expires_at
		FROM sessions WHERE token_hash = ?`, tokenHash).
		Scan(&ss.TokenHash, &ss.UserID, &ss.CSRF, &created, &seen, &expires)
	if err != nil {
		return store.Session{}, notFound(err, "getting session")
	}
	ss.CreatedAt, ss.LastSeenAt, ss.ExpiresAt = fromUS(created), fromUS(seen), fromUS(expires)
	return ss, nil
}

// TouchSession sets a session's LastSeenAt.
func (s *Store) TouchSession(ctx context.Context, tokenHash []byte, at time.Time) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, us(at), tokenHash)
		if err != nil {
			return err
		}
		return requireAffected(res)
	})
	if err != nil {
		return fmt.Errorf("touching session: %w", err)
	}
	return nil
}

// DeleteSession deletes a session; an absent one is not an error.
func (s *Store) DeleteSession(ctx context.Context, tokenHash []byte) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("deleting session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions deletes sessions past their absolute or idle end.
func (s *Store) DeleteExpiredSessions(ctx context.Context, expiredBy, idleSince time.Time) (int64, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?`,
			us(expiredBy), us(idleSince))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("deleting expired sessions: %w", err)
	}
	return n, nil
}

// CreateInvite stores an invite for an existing user.
func (s *Store) CreateInvite(ctx context.Context, inv store.Invite) error {
	if len(inv.TokenHash) == 0 || inv.UserID == "" {
		return errors.New("creating invite: token hash and user are required")
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO invites (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			inv.TokenHash, inv.UserID, us(inv.CreatedAt), us(inv.ExpiresAt))
		switch {
		case isUniqueViolation(err):
			return store.ErrConflict
		case isForeignKeyViolation(err):
			return store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("creating an invite for user %q: %w", inv.UserID, err)
	}
	return nil
}

// AcceptInvite uses an unexpired invite: the user's password is set and
// the user's invites and sessions are deleted, in one transaction.
func (s *Store) AcceptInvite(ctx context.Context, tokenHash []byte, at time.Time, passwordHash string) (store.User, error) {
	var out store.User
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var userID string
		err := tx.QueryRowContext(ctx, `SELECT user_id FROM invites WHERE token_hash = ? AND expires_at > ?`,
			tokenHash, us(at)).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := setPassword(ctx, tx, userID, passwordHash); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM invites WHERE user_id = ?`, userID); err != nil {
			return err
		}
		out, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, userID))
		return err
	})
	if err != nil {
		return store.User{}, fmt.Errorf("accepting invite: %w", err)
	}
	return out, nil
}
