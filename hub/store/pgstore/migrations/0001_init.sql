-- dealerhub schema, PostgreSQL dialect. Objects are created unqualified, in
-- the current schema (the first entry of search_path), so tests can isolate
-- themselves in a schema of their own.
--
-- Ids are UUIDv7 strings; COLLATE "C" makes them sort bytewise (= by creation
-- time), the same way SQLite compares them. Times are timestamptz, written
-- with microsecond precision by the store.

CREATE TABLE partners (
    id         text COLLATE "C" PRIMARY KEY,
    name       text        NOT NULL DEFAULT '',
    roles      text[]      NOT NULL DEFAULT '{}',
    enabled    boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE relationships (
    dealer       text COLLATE "C" NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    supplier     text COLLATE "C" NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    shares_stock boolean     NOT NULL DEFAULT false,
    shares_sales boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (dealer, supplier)
);
CREATE INDEX relationships_supplier_idx ON relationships (supplier);

CREATE TABLE api_keys (
    id         text COLLATE "C" PRIMARY KEY,
    partner    text COLLATE "C" NOT NULL DEFAULT '',
    operator   boolean     NOT NULL DEFAULT false,
    label      text        NOT NULL DEFAULT '',
    hash       bytea       NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX api_keys_partner_idx ON api_keys (partner, created_at, id);

CREATE TABLE cross_refs (
    partner      text COLLATE "C" NOT NULL,
    code         text NOT NULL,
    supplier     text NOT NULL,
    supplier_sku text NOT NULL,
    PRIMARY KEY (partner, code)
);

CREATE TABLE messages (
    id           text COLLATE "C" PRIMARY KEY,
    partner      text COLLATE "C" NOT NULL,
    doctype      text        NOT NULL,
    format       text        NOT NULL,
    source       text        NOT NULL DEFAULT '',
    filename     text        NOT NULL DEFAULT '',
    mapping      text        NOT NULL DEFAULT '',
    sha256       text        NOT NULL,
    size         integer     NOT NULL,
    body         bytea       NOT NULL,
    status       text        NOT NULL,
    errors       jsonb,
    attempts     integer     NOT NULL DEFAULT 0,
    document_ids text[],
    received_at  timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    CONSTRAINT messages_idempotency_key UNIQUE (partner, doctype, format, sha256)
);
CREATE INDEX messages_received_idx ON messages (received_at DESC, id DESC);
CREATE INDEX messages_partner_received_idx ON messages (partner, received_at DESC, id DESC);
CREATE INDEX messages_pending_idx ON messages (updated_at, id)
    WHERE status IN ('received', 'processing');

CREATE TABLE documents (
    id           text COLLATE "C" PRIMARY KEY,
    doctype      text        NOT NULL,
    sender       text COLLATE "C" NOT NULL,
    receiver     text COLLATE "C" NOT NULL DEFAULT '',
    external_id  text        NOT NULL,
    status       text        NOT NULL DEFAULT '',
    version      integer     NOT NULL,
    message_id   text COLLATE "C" NOT NULL,
    body         jsonb       NOT NULL,
    content_hash text        NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    CONSTRAINT documents_key UNIQUE (sender, doctype, external_id)
);
CREATE INDEX documents_updated_idx ON documents (updated_at DESC, id DESC);
CREATE INDEX documents_sender_updated_idx ON documents (sender, updated_at DESC, id DESC);
CREATE INDEX documents_receiver_updated_idx ON documents (receiver, updated_at DESC, id DESC);

CREATE TABLE document_versions (
    document_id  text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version      integer     NOT NULL,
    receiver     text COLLATE "C" NOT NULL DEFAULT '',
    status       text        NOT NULL DEFAULT '',
    body         jsonb       NOT NULL,
    content_hash text        NOT NULL,
    message_id   text COLLATE "C" NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (document_id, version)
);

CREATE TABLE deliveries (
    id              text COLLATE "C" PRIMARY KEY,
    document_id     text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version         integer     NOT NULL,
    message_id      text COLLATE "C" NOT NULL,
    doctype         text        NOT NULL,
    sender          text COLLATE "C" NOT NULL,
    -- A delivery goes to a known partner (routes come from partner config).
    receiver        text COLLATE "C" NOT NULL REFERENCES partners (id),
    channel         text        NOT NULL,
    format          text        NOT NULL DEFAULT '',
    config          bytea,
    status          text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text        NOT NULL DEFAULT '',
    next_attempt_at timestamptz NOT NULL,
    lease_until     timestamptz,
    content_type    text        NOT NULL DEFAULT '',
    sent_body       bytea,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    delivered_at    timestamptz
);
CREATE INDEX deliveries_document_idx ON deliveries (document_id, receiver);
CREATE INDEX deliveries_created_idx ON deliveries (created_at DESC, id DESC);
CREATE INDEX deliveries_sender_created_idx ON deliveries (sender, created_at DESC, id DESC);
CREATE INDEX deliveries_receiver_created_idx ON deliveries (receiver, created_at DESC, id DESC);
CREATE INDEX deliveries_inbox_idx ON deliveries (receiver, created_at, id)
    WHERE channel = 'inbox' AND status = 'pending';
CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at)
    WHERE status IN ('pending', 'failed') AND channel <> 'inbox';

CREATE TABLE outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject      text        NOT NULL,
    msg_id       text        NOT NULL DEFAULT '',
    payload      bytea,
    available_at timestamptz NOT NULL,
    lease_until  timestamptz,
    attempts     integer     NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL
);
CREATE INDEX outbox_available_idx ON outbox (available_at, id);

CREATE TABLE dead_letters (
    id          text COLLATE "C" PRIMARY KEY,
    kind        text        NOT NULL,
    ref_id      text COLLATE "C" NOT NULL,
    partner     text COLLATE "C" NOT NULL,
    receiver    text COLLATE "C" NOT NULL DEFAULT '',
    reason      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    resolved_at timestamptz
);
CREATE INDEX dead_letters_created_idx ON dead_letters (created_at DESC, id DESC);
CREATE INDEX dead_letters_partner_idx ON dead_letters (partner, created_at DESC, id DESC);
CREATE INDEX dead_letters_receiver_idx ON dead_letters (receiver, created_at DESC, id DESC);
CREATE INDEX dead_letters_open_ref_idx ON dead_letters (ref_id) WHERE resolved_at IS NULL;

CREATE TABLE notifications (
    id         text COLLATE "C" PRIMARY KEY,
    partner    text COLLATE "C" NOT NULL,
    type       text        NOT NULL,
    title      text        NOT NULL DEFAULT '',
    link       text        NOT NULL DEFAULT '',
    data       jsonb,
    created_at timestamptz NOT NULL
);
CREATE INDEX notifications_partner_idx ON notifications (partner, created_at DESC, id DESC);
CREATE INDEX notifications_created_idx ON notifications (created_at DESC, id DESC);
