package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

const userCols = `id, partner, email, name, role, lang, password_hash, disabled, created_at, updated_at`

func scanUser(row pgx.Row) (store.User, error) {
	var (
		u    store.User
		role string
	)
	if err := row.Scan(&u.ID, &u.Partner, &u.Email, &u.Name, &role, &u.Lang, &u.PasswordHash,
		&u.Disabled, &u.CreatedAt, &u.UpdatedAt); err != nil {
		return store.User{}, err
	}
	u.Role = store.UserRole(role)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u, nil
}

// constraintErr maps unique and foreign-key violations to ErrConflict and
// ErrNotFound.
func constraintErr(err error) error {
	switch {
	case isCode(err, "23505"): // unique_violation
		return store.ErrConflict
	case isCode(err, "23503"): // foreign_key_violation
		return store.ErrNotFound
	}
	return err
}

// CreateUser stores a new user with a new id. A taken email is
// ErrConflict; an unknown partner ErrNotFound.
func (s *Store) CreateUser(ctx context.Context, u store.User) (store.User, error) {
	if u.Partner == "" || u.Email == "" {
		return store.User{}, errors.New("creating user: partner and email are required")
	}
	t := now()
	out, err := scanUser(s.pool.QueryRow(ctx, `
		INSERT INTO users (id, partner, email, name, role, lang, password_hash, disabled, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
		RETURNING `+userCols,
		newID(), u.Partner, u.Email, u.Name, string(u.Role), u.Lang, u.PasswordHash, u.Disabled, t))
	if err != nil {
		return store.User{}, fmt.Errorf("creating user %q of partner %q: %w", u.Email, u.Partner, constraintErr(err))
	}
	return out, nil
}

// GetUser returns a user by id; ErrNotFound if absent.
func (s *Store) GetUser(ctx context.Context, id string) (store.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	if err != nil {
		return store.User{}, notFound(err, fmt.Sprintf("getting user %q", id))
	}
	return u, nil
}

// GetUserByEmail returns a user by exact email; ErrNotFound if absent.
func (s *Store) GetUserByEmail(ctx context.Context, email string) (store.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE email = $1`, email))
	if err != nil {
		return store.User{}, notFound(err, "getting user by email")
	}
	return u, nil
}

// ListUsers returns a partner's users ordered by email.
func (s *Store) ListUsers(ctx context.Context, partner string) ([]store.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userCols+` FROM users WHERE partner = $1 ORDER BY email`, partner)
	if err != nil {
		return nil, fmt.Errorf("listing users of partner %q: %w", partner, err)
	}
	users, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.User, error) { return scanUser(r) })
	if err != nil {
		return nil, fmt.Errorf("listing users of partner %q: %w", partner, err)
	}
	return users, nil
}

// UpdateUser changes name, role, language and the disabled flag; disabling
// deletes the user's sessions in the same transaction.
func (s *Store) UpdateUser(ctx context.Context, u store.User) (store.User, error) {
	var out store.User
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = scanUser(tx.QueryRow(ctx, `
			UPDATE users SET name = $1, role = $2, lang = $3, disabled = $4, updated_at = $5
			WHERE id = $6 RETURNING `+userCols,
			u.Name, string(u.Role), u.Lang, u.Disabled, now(), u.ID))
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil || !out.Disabled {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID)
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
	err := s.inTx(ctx, func(tx pgx.Tx) error { return setPassword(ctx, tx, id, passwordHash) })
	if err != nil {
		return fmt.Errorf("setting the password of user %q: %w", id, err)
	}
	return nil
}

func setPassword(ctx context.Context, tx pgx.Tx, id, passwordHash string) error {
	tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`,
		passwordHash, now(), id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
	return err
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, ss store.Session) error {
	if len(ss.TokenHash) == 0 || ss.UserID == "" {
		return errors.New("creating session: token hash and user are required")
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		ss.TokenHash, ss.UserID, ss.CSRF, norm(ss.CreatedAt), norm(ss.LastSeenAt), norm(ss.ExpiresAt))
	if err != nil {
		return fmt.Errorf("creating a session of user %q: %w", ss.UserID, constraintErr(err))
	}
	return nil
}

// GetSession returns a session by token hash, expired or not.
func (s *Store) GetSession(ctx context.Context, tokenHash []byte) (store.Session, error) {
	var ss store.Session
	err := s.pool.QueryRow(ctx, `
		SELECT token_hash, user_id, csrf, created_at, last_seen_at, expires_at
		FROM sessions WHERE token_hash = $1`, tokenHash).
		Scan(&ss.TokenHash, &ss.UserID, &ss.CSRF, &ss.CreatedAt, &ss.LastSeenAt, &ss.ExpiresAt)
	if err != nil {
		return store.Session{}, notFound(err, "getting session")
	}
	ss.CreatedAt, ss.LastSeenAt, ss.ExpiresAt = ss.CreatedAt.UTC(), ss.LastSeenAt.UTC(), ss.ExpiresAt.UTC()
	return ss, nil
}

// TouchSession sets a session's LastSeenAt.
func (s *Store) TouchSession(ctx context.Context, tokenHash []byte, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2`, norm(at), tokenHash)
	if err != nil {
		return fmt.Errorf("touching session: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("touching session: %w", store.ErrNotFound)
	}
	return nil
}

// DeleteSession deletes a session; an absent one is not an error.
func (s *Store) DeleteSession(ctx context.Context, tokenHash []byte) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash); err != nil {
		return fmt.Errorf("deleting session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions deletes sessions past their absolute or idle end.
func (s *Store) DeleteExpiredSessions(ctx context.Context, expiredBy, idleSince time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2`,
		norm(expiredBy), norm(idleSince))
	if err != nil {
		return 0, fmt.Errorf("deleting expired sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}

// CreateInvite stores an invite for an existing user.
func (s *Store) CreateInvite(ctx context.Context, inv store.Invite) error {
	if len(inv.TokenHash) == 0 || inv.UserID == "" {
		return errors.New("creating invite: token hash and user are required")
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO invites (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		inv.TokenHash, inv.UserID, norm(inv.CreatedAt), norm(inv.ExpiresAt))
	if err != nil {
		return fmt.Errorf("creating an invite for user %q: %w", inv.UserID, constraintErr(err))
	}
	return nil
}

// AcceptInvite uses an unexpired invite: the user's password is set and
// the user's invites and sessions are deleted, in one transaction. The
// invite row is locked, so two concurrent uses cannot both succeed.
func (s *Store) AcceptInvite(ctx context.Context, tokenHash []byte, at time.Time, passwordHash string) (store.User, error) {
	var out store.User
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var userID string
		err := tx.QueryRow(ctx, `SELECT user_id FROM invites WHERE token_hash = $1 AND expires_at > $2 FOR UPDATE`,
			tokenHash, norm(at)).Scan(&userID)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := setPassword(ctx, tx, userID, passwordHash); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM invites WHERE user_id = $1`, userID); err != nil {
			return err
		}
		out, err = scanUser(tx.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, userID))
		return err
	})
	if err != nil {
		return store.User{}, fmt.Errorf("accepting invite: %w", err)
	}
	return out, nil
}
