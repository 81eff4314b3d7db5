-- Portal accounts: users of a partner, their sessions and invites. Secrets
-- are never stored: passwords as argon2id hashes, session and invite
-- tokens as SHA-256.
CREATE TABLE users (
    id            text COLLATE "C" PRIMARY KEY,
    partner       text COLLATE "C" NOT NULL REFERENCES partners (id),
    email         text COLLATE "C" NOT NULL UNIQUE,
    name          text        NOT NULL DEFAULT '',
    role          text        NOT NULL CHECK (role IN ('admin', 'member')),
    lang          text        NOT NULL DEFAULT '',
    password_hash text        NOT NULL DEFAULT '',
    disabled      boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX users_partner_idx ON users (partner, email);

CREATE TABLE sessions (
    token_hash   bytea       PRIMARY KEY,
    user_id      text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf         text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
CREATE INDEX sessions_last_seen_idx ON sessions (last_seen_at);

CREATE TABLE invites (
    token_hash bytea       PRIMARY KEY,
    user_id    text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX invites_user_idx ON invites (user_id);
