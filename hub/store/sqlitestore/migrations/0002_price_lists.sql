-- Price-list publications: each published version of a price_list
-- document is a row of price_lists, with its lines and its changes from
-- the predecessor as rows. Dates are TEXT 'YYYY-MM-DD', which compare as
-- dates; SKUs use SQLite's default BINARY collation, byte order as Go
-- compares strings (pricelist.Walk depends on it).

CREATE TABLE price_lists (
    -- seq is the publication order: AUTOINCREMENT never reuses a number.
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT    NOT NULL UNIQUE,
    document_id  TEXT    NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    supplier     TEXT    NOT NULL,
    external_id  TEXT    NOT NULL,
    currency     TEXT    NOT NULL,
    valid_from   TEXT    NOT NULL,
    valid_to     TEXT,
    message_id   TEXT    NOT NULL,
    lines        INTEGER NOT NULL,
    predecessor  TEXT,
    diff         TEXT    NOT NULL CHECK (json_valid(diff)),
    notified     TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(notified)),
    header       TEXT    NOT NULL CHECK (json_valid(header)),
    published_at INTEGER NOT NULL,
    UNIQUE (document_id, version)
) STRICT;
CREATE INDEX price_lists_chain_idx ON price_lists (supplier, currency, seq);

-- Lines are written while the file is read, before their publication row
-- exists (the header comes last), so they carry no foreign key.
CREATE TABLE price_list_lines (
    price_list_id TEXT    NOT NULL,
    line_no       INTEGER NOT NULL,
    sku           TEXT    NOT NULL,
    unit          TEXT    NOT NULL DEFAULT '',
    unit_price    TEXT    NOT NULL,
    min_quantity  TEXT    NOT NULL DEFAULT '',
    tiers         TEXT    CHECK (tiers IS NULL OR json_valid(tiers)),
    body          TEXT    NOT NULL CHECK (json_valid(body)),
    PRIMARY KEY (price_list_id, sku)
) STRICT, WITHOUT ROWID;
CREATE INDEX price_list_lines_line_no_idx ON price_list_lines (price_list_id, line_no);

CREATE TABLE price_list_changes (
    price_list_id TEXT    NOT NULL,
    seq           INTEGER NOT NULL,
    sku           TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    body          TEXT    NOT NULL CHECK (json_valid(body)),
    PRIMARY KEY (price_list_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX price_list_changes_sku_idx ON price_list_changes (price_list_id, sku);
