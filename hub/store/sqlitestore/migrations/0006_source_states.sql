-- What a scheduled source remembers between runs (a REST source's
-- checkpoint: its watermark and the position of an unfinished run), one
-- row per partner and source ("rest:stock").
CREATE TABLE source_states (
    partner    TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (json_valid(state)),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (partner, source)
) STRICT;
