-- A raw message's identity includes its mapping: the same file imported
-- again with another partner mapping maps its rows differently, so it is a
-- new message; with the same mapping it stays a duplicate. Existing rows
-- keep their mapping ('' or a name) and are all distinct under the wider
-- key. The constraint keeps its name, which the insert path names in
-- ON CONFLICT ON CONSTRAINT.

ALTER TABLE messages DROP CONSTRAINT messages_idempotency_key;
ALTER TABLE messages ADD CONSTRAINT messages_idempotency_key
    UNIQUE (partner, doctype, format, mapping, sha256);
