-- Price-list publications. The header of a price list is an ordinary
-- document (doctype price_list); each published version is a row of
-- price_lists, its lines are rows of price_list_lines (written with COPY),
-- and its difference from the predecessor is rows of price_list_changes.
--
-- SKUs are COLLATE "C" so that ORDER BY sku is byte order, the order in
-- which pricelist.Walk compares two lists. Calendar dates are YYYY-MM-DD
-- text in "C" collation, so they compare as dates. Lines and changes keep
-- their JSON as json, not jsonb: it is never queried inside, and COPY
-- skips jsonb's conversion (about a fifth of the time of 100k lines).

CREATE TABLE price_lists (
    id           text COLLATE "C" PRIMARY KEY,
    -- The publication order: the chain's predecessor and current list are
    -- decided by it, never by time.
    seq          bigserial   NOT NULL UNIQUE,
    document_id  text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version      integer     NOT NULL,
    supplier     text COLLATE "C" NOT NULL,
    external_id  text        NOT NULL,
    currency     text COLLATE "C" NOT NULL,
    valid_from   text COLLATE "C" NOT NULL,
    valid_to     text COLLATE "C",
    message_id   text COLLATE "C" NOT NULL,
    lines        integer     NOT NULL,
    predecessor  text COLLATE "C",
    diff         jsonb       NOT NULL,
    notified     jsonb       NOT NULL DEFAULT '[]',
    header       jsonb       NOT NULL,
    published_at timestamptz NOT NULL,
    CONSTRAINT price_lists_version UNIQUE (document_id, version)
);
CREATE INDEX price_lists_chain_idx ON price_lists (supplier, currency, seq);

-- No foreign key to price_lists: the lines are copied before the
-- publication row exists (its header comes after the last line).
CREATE TABLE price_list_lines (
    price_list_id text COLLATE "C" NOT NULL,
    line_no       integer     NOT NULL,
    sku           text COLLATE "C" NOT NULL,
    unit          text        NOT NULL DEFAULT '',
    unit_price    text        NOT NULL,
    min_quantity  text        NOT NULL DEFAULT '',
    tiers         json,
    body          json        NOT NULL,
    PRIMARY KEY (price_list_id, sku)
);
CREATE INDEX price_list_lines_line_no_idx ON price_list_lines (price_list_id, line_no);

CREATE TABLE price_list_changes (
    price_list_id text COLLATE "C" NOT NULL REFERENCES price_lists (id) ON DELETE CASCADE,
    seq           integer     NOT NULL,
    sku           text COLLATE "C" NOT NULL,
    kind          text        NOT NULL,
    body          json        NOT NULL,
    PRIMARY KEY (price_list_id, seq)
);
CREATE INDEX price_list_changes_sku_idx ON price_list_changes (price_list_id, sku);
