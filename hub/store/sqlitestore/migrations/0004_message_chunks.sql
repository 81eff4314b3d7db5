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
-- as before; then the body column goes (nothing indexes or checks it, so
-- DROP COLUMN applies).

CREATE TABLE message_chunks (
    message_id TEXT    NOT NULL
        REFERENCES messages (id) DEFERRABLE INITIALLY DEFERRED,
    pos        INTEGER NOT NULL CHECK (pos >= 0),
    data       BLOB    NOT NULL,
    PRIMARY KEY (message_id, pos)
) STRICT;

INSERT INTO message_chunks (message_id, pos, data)
WITH RECURSIVE cuts (id, pos, size) AS (
    SELECT id, 0, length(body) FROM messages WHERE length(body) > 0
    UNION ALL
    SELECT id, pos + 1048576, size FROM cuts WHERE pos + 1048576 < size
)
SELECT cuts.id, cuts.pos, substr(m.body, cuts.pos + 1, 1048576)
FROM cuts JOIN messages m ON m.id = cuts.id;

ALTER TABLE messages DROP COLUMN body;
