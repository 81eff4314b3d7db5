-- What a scheduled source remembers between runs (a REST source's
-- checkpoint: its watermark and the position of an unfinished run), one
-- row per partner and source ("rest:stock").
CREATE TABLE source_states (
    partner    TEXT        NOT NULL,
    source     TEXT        NOT NULL,
    state      JSONB       NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (partner, source)
);
