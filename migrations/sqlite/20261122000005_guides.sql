-- Store guides (导购): each has a short public code for share links; an order remembers
-- the guide that brought its shopper.
CREATE TABLE guides (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL
);
CREATE INDEX guides_store ON guides (store_id);

ALTER TABLE orders ADD COLUMN guide_code TEXT;
