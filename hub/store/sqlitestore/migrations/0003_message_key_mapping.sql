-- A raw message's identity includes its mapping: the same file imported
-- again with another partner mapping maps its rows differently, so it is a
-- new message; with the same mapping it stays a duplicate. Existing rows
-- keep their mapping ('' or a name) and are all distinct under the wider
-- key.
--
-- A table-level UNIQUE cannot be dropped in SQLite, so the table is
-- rebuilt: a new table with every column and constraint of 0001 and the
-- wider key, the rows copied, the old table dropped (its indexes go with
-- it), the new one renamed and its indexes created again. No table has a
-- foreign key to messages and there are no triggers or views on it, so
-- this runs as is inside the migration transaction.

CREATE TABLE messages_new (
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
    UNIQUE (partner, doctype, format, mapping, sha256)
) STRICT;

INSERT INTO messages_new (id, partner, doctype, format, source, filename, mapping, sha256, size, body,
    status, errors, attempts, document_ids, received_at, updated_at, finished_at)
SELECT id, partner, doctype, format, source, filename, mapping, sha256, size, body,
    status, errors, attempts, document_ids, received_at, updated_at, finished_at
FROM messages;

DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;

CREATE INDEX messages_received_idx ON messages (received_at DESC, id DESC);
CREATE INDEX messages_partner_received_idx ON messages (partner, received_at DESC, id DESC);
CREATE INDEX messages_pending_idx ON messages (updated_at, id)
    WHERE status IN ('received', 'processing');
