-- Shelf labels: how often each product's label QR was scanned in each store.
CREATE TABLE label_scans (
    store_id   INTEGER NOT NULL REFERENCES stores(id),
    product_id INTEGER NOT NULL REFERENCES products(id),
    scans      INTEGER NOT NULL CHECK (scans >= 0),
    last_at    INTEGER NOT NULL,
    PRIMARY KEY (store_id, product_id)
);

-- A member who deleted their account: the row stays (orders and used coupons point at
-- it) with nothing personal left: no phone (a placeholder), no guide, the time it went.
ALTER TABLE members ADD COLUMN deleted_at INTEGER;
