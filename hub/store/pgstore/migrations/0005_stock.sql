-- Stock levels, safety-stock policies, sales per day, sync runs and
-- alerts (notifications with a key that stay open until resolved).
--
-- stock_levels is the queryable projection of each dealer's current
-- stock_level documents: one row per (dealer, location, sku), with the
-- content hash a sync compares against, so that an unchanged re-sync reads
-- one index and writes nothing. Quantities are decimal text (as the
-- documents carry them), summed exactly in Go.

CREATE TABLE stock_levels (
    dealer       text COLLATE "C" NOT NULL,
    location     text COLLATE "C" NOT NULL,
    sku          text COLLATE "C" NOT NULL,
    supplier     text COLLATE "C" NOT NULL DEFAULT '',
    supplier_sku text COLLATE "C" NOT NULL DEFAULT '',
    on_hand      text        NOT NULL,
    available    text        NOT NULL DEFAULT '',
    reserved     text        NOT NULL DEFAULT '',
    on_order     text        NOT NULL DEFAULT '',
    unit         text        NOT NULL DEFAULT '',
    as_of        timestamptz NOT NULL,
    document_id  text COLLATE "C" NOT NULL,
    version      integer     NOT NULL,
    content_hash text        NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (dealer, location, sku)
);
CREATE INDEX stock_levels_supplier_idx ON stock_levels (supplier, dealer, location, sku);

CREATE TABLE stock_policies (
    dealer        text COLLATE "C" NOT NULL,
    location      text COLLATE "C" NOT NULL,
    sku           text COLLATE "C" NOT NULL,
    safety_stock  text        NOT NULL DEFAULT '',
    reorder_point text        NOT NULL DEFAULT '',
    max_level     text        NOT NULL DEFAULT '',
    cover_days    integer     NOT NULL DEFAULT 0,
    pack_size     text        NOT NULL DEFAULT '',
    min_order     text        NOT NULL DEFAULT '',
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (dealer, location, sku)
);

-- The lines of each dealer's current sales_report documents, per day.
CREATE TABLE sales_lines (
    dealer       text COLLATE "C" NOT NULL,
    location     text COLLATE "C" NOT NULL,
    sku          text COLLATE "C" NOT NULL,
    day          text COLLATE "C" NOT NULL, -- YYYY-MM-DD
    supplier     text COLLATE "C" NOT NULL DEFAULT '',
    supplier_sku text COLLATE "C" NOT NULL DEFAULT '',
    quantity     text NOT NULL,
    unit         text NOT NULL DEFAULT '',
    document_id  text COLLATE "C" NOT NULL,
    PRIMARY KEY (dealer, location, sku, day)
);
CREATE INDEX sales_lines_document_idx ON sales_lines (document_id);

CREATE TABLE sync_runs (
    id          text COLLATE "C" PRIMARY KEY,
    partner     text COLLATE "C" NOT NULL,
    source      text        NOT NULL,
    trigger     text        NOT NULL DEFAULT '',
    status      text        NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    read        integer     NOT NULL DEFAULT 0,
    changed     integer     NOT NULL DEFAULT 0,
    rejected    integer     NOT NULL DEFAULT 0,
    message_id  text COLLATE "C" NOT NULL DEFAULT '',
    error       text        NOT NULL DEFAULT '',
    errors      jsonb
);
CREATE INDEX sync_runs_started_idx ON sync_runs (started_at DESC, id DESC);
CREATE INDEX sync_runs_partner_idx ON sync_runs (partner, started_at DESC, id DESC);

ALTER TABLE notifications ADD COLUMN alert_key text NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN resolved_at timestamptz;
CREATE UNIQUE INDEX notifications_open_alert_idx ON notifications (partner, type, alert_key)
    WHERE alert_key <> '' AND resolved_at IS NULL;
