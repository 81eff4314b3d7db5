-- Raw message bodies move out of messages into chunks of 1 MiB, so that a
-- large file is written and read a piece at a time and a message row is
-- small. A chunk is found by pos, the offset of its first byte: every
-- chunk but a body's last holds 1 MiB, and an empty body has none.
--
-- The foreign key is checked at commit: a body streamed in is written
-- before its message row, whose key (the body's SHA-256) is known only
-- once the last chunk is read.
--
-- Existing bodies are cut into chunks here, so every stored message reads
-- as before; then the body column goes.

CREATE TABLE message_chunks (
    message_id text COLLATE "C" NOT NULL
        REFERENCES messages (id) DEFERRABLE INITIALLY DEFERRED,
    pos        bigint NOT NULL CHECK (pos >= 0),
    data       bytea  NOT NULL,
    PRIMARY KEY (message_id, pos)
);

INSERT INTO message_chunks (message_id, pos, data)
SELECT m.id, g.pos, substring(m.body FROM g.pos + 1 FOR 1048576)
FROM messages m
CROSS JOIN LATERAL generate_series(0, length(m.body) - 1, 1048576) AS g (pos);

ALTER TABLE messages DROP COLUMN body;
