-- Checkout: delivery windows with capacity, orders and their lines, and the checkout form
-- kept between a post and its page (for browsers without JavaScript). Times are Unix seconds.

-- Made on demand for the days shown; `booked` can never pass `capacity`.
CREATE TABLE delivery_windows (
    store_id  INTEGER NOT NULL REFERENCES stores(id),
    starts_at INTEGER NOT NULL,
    ends_at   INTEGER NOT NULL,
    capacity  INTEGER NOT NULL CHECK (capacity >= 0),
    booked    INTEGER NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
    PRIMARY KEY (store_id, starts_at)
);

CREATE TABLE orders (
    id                 TEXT PRIMARY KEY,
    -- The session that placed it (the only one that may see it).
    owner              TEXT NOT NULL,
    store_id           INTEGER NOT NULL REFERENCES stores(id),
    mode               TEXT NOT NULL CHECK (mode IN ('delivery', 'pickup')),
    status             TEXT NOT NULL CHECK (status IN
                         ('placed', 'preparing', 'ready', 'out_for_delivery', 'completed', 'cancelled')),
    window_start       INTEGER,
    window_end         INTEGER,
    pickup_at          INTEGER,
    address            TEXT,
    lat                REAL,
    lon                REAL,
    contact_name       TEXT NOT NULL,
    phone              TEXT NOT NULL,
    subtotal_minor     INTEGER NOT NULL CHECK (subtotal_minor >= 0),
    delivery_fee_minor INTEGER NOT NULL CHECK (delivery_fee_minor >= 0),
    total_minor        INTEGER NOT NULL CHECK (total_minor >= 0),
    currency           TEXT NOT NULL,
    idempotency_key    TEXT NOT NULL UNIQUE,
    -- What was ordered (lines, mode, time): a resubmission must match it.
    fingerprint        TEXT NOT NULL,
    pickup_code        TEXT,
    collected_at       INTEGER,
    created_at         INTEGER NOT NULL,
    CHECK ((mode = 'delivery' AND window_start IS NOT NULL) OR (mode = 'pickup' AND pickup_at IS NOT NULL))
);
CREATE INDEX orders_owner ON orders (owner, created_at);
CREATE UNIQUE INDEX orders_pickup_code ON orders (store_id, pickup_code);

CREATE TABLE order_lines (
    order_id    TEXT NOT NULL REFERENCES orders(id),
    product_id  INTEGER NOT NULL REFERENCES products(id),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    price_minor INTEGER NOT NULL CHECK (price_minor > 0),
    PRIMARY KEY (order_id, product_id)
);

CREATE TABLE checkout_drafts (
    owner      TEXT NOT NULL,
    store_id   INTEGER NOT NULL REFERENCES stores(id),
    data       TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (owner, store_id)
);
