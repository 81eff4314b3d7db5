-- dealerhub schema, SQLite dialect. STRICT tables; times are INTEGER
-- microseconds since the Unix epoch (UTC); ids are UUIDv7 strings, which
-- sort bytewise by creation time; booleans are 0/1; JSON is TEXT checked
-- with json_valid.

CREATE TABLE partners (
    id         TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL DEFAULT '',
    roles      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(roles)),
    enabled    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE relationships (
    dealer       TEXT    NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    supplier     TEXT    NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    shares_stock INTEGER NOT NULL DEFAULT 0,
    shares_sales INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (dealer, supplier)
) STRICT;
CREATE INDEX relationships_supplier_idx ON relationships (supplier);

CREATE TABLE api_keys (
    id         TEXT    PRIMARY KEY,
    partner    TEXT    NOT NULL DEFAULT '',
    operator   INTEGER NOT NULL DEFAULT 0,
    label      TEXT    NOT NULL DEFAULT '',
    hash       BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;
CREATE INDEX api_keys_partner_idx ON api_keys (partner, created_at, id);

CREATE TABLE cross_refs (
    partner      TEXT NOT NULL,
    code         TEXT NOT NULL,
    supplier     TEXT NOT NULL,
    supplier_sku TEXT NOT NULL,
    PRIMARY KEY (partner, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE messages (
    id           TEXT    PRIMARY KEY,
    partner      TEXT    NOT NULL,
    doctype      TEXT    NOT NULL,
    format       TEXT    NOT NULL,
    source       TEXT    NOT NULL DEFAULT '',
    filename     TEXT    NOT NULL DEFAULT '',
    mapping      TEXT    NOT NULL DEFAULT '',
    sha256       TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    body         BLOB    NOT NULL,
    status       TEXT    NOT NULL,
    errors       TEXT    CHECK (errors IS NULL OR json_valid(errors)),
    attempts     INTEGER NOT NULL DEFAULT 0,
    document_ids TEXT    CHECK (document_ids IS NULL OR json_valid(document_ids)),
    received_at  INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    UNIQUE (partner, doctype, format, sha256)
) STRICT;
CREATE INDEX messages_received_idx ON messages (received_at DESC, id DESC);
CREATE INDEX messages_partner_received_idx ON messages (partner, received_at DESC, id DESC);
CREATE INDEX messages_pending_idx ON messages (updated_at, id)
    WHERE status IN ('received', 'processing');

CREATE TABLE documents (
    id           TEXT    PRIMARY KEY,
    doctype      TEXT    NOT NULL,
    sender       TEXT    NOT NULL,
    receiver     TEXT    NOT NULL DEFAULT '',
    external_id  TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL,
    message_id   TEXT    NOT NULL,
    body         TEXT    NOT NULL CHECK (json_valid(body)),
    content_hash TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (sender, doctype, external_id)
) STRICT;
CREATE INDEX documents_updated_idx ON documents (updated_at DESC, id DESC);
CREATE INDEX documents_sender_updated_idx ON documents (sender, updated_at DESC, id DESC);
CREATE INDEX documents_receiver_updated_idx ON documents (receiver, updated_at DESC, id DESC);

CREATE TABLE document_versions (
    document_id  TEXT    NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    receiver     TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL DEFAULT '',
    body         TEXT    NOT NULL CHECK (json_valid(body)),
    content_hash TEXT    NOT NULL,
    message_id   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (document_id, version)
) STRICT, WITHOUT ROWID;

CREATE TABLE deliveries (
    id              TEXT    PRIMARY KEY,
    document_id     TEXT    NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version         INTEGER NOT NULL,
    message_id      TEXT    NOT NULL,
    doctype         TEXT    NOT NULL,
    sender          TEXT    NOT NULL,
    -- A delivery goes to a known partner (routes come from partner config).
    receiver        TEXT    NOT NULL REFERENCES partners (id),
    channel         TEXT    NOT NULL,
    format          TEXT    NOT NULL DEFAULT '',
    config          BLOB,
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER NOT NULL DEFAULT 0,
    content_type    TEXT    NOT NULL DEFAULT '',
    sent_body       BLOB,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    delivered_at    INTEGER
) STRICT;
CREATE INDEX deliveries_document_idx ON deliveries (document_id, receiver);
CREATE INDEX deliveries_message_idx ON deliveries (message_id);
CREATE INDEX deliveries_created_idx ON deliveries (created_at DESC, id DESC);
CREATE INDEX deliveries_sender_created_idx ON deliveries (sender, created_at DESC, id DESC);
CREATE INDEX deliveries_receiver_created_idx ON deliveries (receiver, created_at DESC, id DESC);
CREATE INDEX deliveries_inbox_idx ON deliveries (receiver, created_at, id)
    WHERE channel = 'inbox' AND status = 'pending';
CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at)
    WHERE status IN ('pending', 'failed') AND channel <> 'inbox';

CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    subject      TEXT    NOT NULL,
    msg_id       TEXT    NOT NULL DEFAULT '',
    payload      BLOB,
    available_at INTEGER NOT NULL,
    lease_until  INTEGER NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_available_idx ON outbox (available_at, id);

CREATE TABLE dead_letters (
    id          TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL,
    ref_id      TEXT    NOT NULL,
    partner     TEXT    NOT NULL,
    receiver    TEXT    NOT NULL DEFAULT '',
    reason      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    resolved_at INTEGER
) STRICT;
CREATE INDEX dead_letters_created_idx ON dead_letters (created_at DESC, id DESC);
CREATE INDEX dead_letters_partner_idx ON dead_letters (partner, created_at DESC, id DESC);
CREATE INDEX dead_letters_receiver_idx ON dead_letters (receiver, created_at DESC, id DESC);
CREATE INDEX dead_letters_open_ref_idx ON dead_letters (ref_id) WHERE resolved_at IS NULL;

CREATE TABLE notifications (
    id         TEXT    PRIMARY KEY,
    partner    TEXT    NOT NULL,
    type       TEXT    NOT NULL,
    title      TEXT    NOT NULL DEFAULT '',
    link       TEXT    NOT NULL DEFAULT '',
    data       TEXT    CHECK (data IS NULL OR json_valid(data)),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX notifications_partner_idx ON notifications (partner, created_at DESC, id DESC);
CREATE INDEX notifications_created_idx ON notifications (created_at DESC, id DESC);
