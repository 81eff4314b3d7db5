-- Stock levels, safety-stock policies, sales per day, sync runs and
-- alerts (notifications with a key that stay open until resolved).
--
-- stock_levels is the queryable projection of each dealer's current
-- stock_level documents: one row per (dealer, location, sku), with the
-- content hash a sync compares against, so that an unchanged re-sync reads
-- one index and writes nothing. Quantities are decimal text, summed in Go.

CREATE TABLE stock_levels (
    dealer       TEXT    NOT NULL,
    location     TEXT    NOT NULL,
    sku          TEXT    NOT NULL,
    supplier     TEXT    NOT NULL DEFAULT '',
    supplier_sku TEXT    NOT NULL DEFAULT '',
    on_hand      TEXT    NOT NULL,
    available    TEXT    NOT NULL DEFAULT '',
    reserved     TEXT    NOT NULL DEFAULT '',
    on_order     TEXT    NOT NULL DEFAULT '',
    unit         TEXT    NOT NULL DEFAULT '',
    as_of        INTEGER NOT NULL,
    document_id  TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    content_hash TEXT    NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (dealer, location, sku)
) STRICT, WITHOUT ROWID;
CREATE INDEX stock_levels_supplier_idx ON stock_levels (supplier, dealer, location, sku);

CREATE TABLE stock_policies (
    dealer        TEXT    NOT NULL,
    location      TEXT    NOT NULL,
    sku           TEXT    NOT NULL,
    safety_stock  TEXT    NOT NULL DEFAULT '',
    reorder_point TEXT    NOT NULL DEFAULT '',
    max_level     TEXT    NOT NULL DEFAULT '',
    cover_days    INTEGER NOT NULL DEFAULT 0,
    pack_size     TEXT    NOT NULL DEFAULT '',
    min_order     TEXT    NOT NULL DEFAULT '',
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (dealer, location, sku)
) STRICT, WITHOUT ROWID;

-- The lines of each dealer's current sales_report documents, per day.
CREATE TABLE sales_lines (
    dealer       TEXT NOT NULL,
    location     TEXT NOT NULL,
    sku          TEXT NOT NULL,
    day          TEXT NOT NULL, -- YYYY-MM-DD
    supplier     TEXT NOT NULL DEFAULT '',
    supplier_sku TEXT NOT NULL DEFAULT '',
    quantity     TEXT NOT NULL,
    unit         TEXT NOT NULL DEFAULT '',
    document_id  TEXT NOT NULL,
    PRIMARY KEY (dealer, location, sku, day)
) STRICT, WITHOUT ROWID;
CREATE INDEX sales_lines_document_idx ON sales_lines (document_id);

CREATE TABLE sync_runs (
    id          TEXT    PRIMARY KEY,
    partner     TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    trigger     TEXT    NOT NULL DEFAULT '',
    status      TEXT    NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    read        INTEGER NOT NULL DEFAULT 0,
    changed     INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    message_id  TEXT    NOT NULL DEFAULT '',
    error       TEXT    NOT NULL DEFAULT '',
    errors      TEXT    CHECK (errors IS NULL OR json_valid(errors))
) STRICT;
CREATE INDEX sync_runs_started_idx ON sync_runs (started_at DESC, id DESC);
CREATE INDEX sync_runs_partner_idx ON sync_runs (partner, started_at DESC, id DESC);

ALTER TABLE notifications ADD COLUMN alert_key TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN resolved_at INTEGER;
CREATE UNIQUE INDEX notifications_open_alert_idx ON notifications (partner, type, alert_key)
    WHERE alert_key <> '' AND resolved_at IS NULL;
