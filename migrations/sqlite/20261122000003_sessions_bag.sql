-- Sessions, the bag, single-use tokens and rate limits. Times are Unix seconds.
-- A session is found by the SHA-256 of its cookie token: a copy of this table opens
-- no session.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('shopper', 'kiosk', 'staff')),
    -- A kiosk's or a staff member's store.
    store_id   INTEGER REFERENCES stores(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

-- One line per owner (a session today; a member's own bag can share the table), store and
-- product: each store sells at its own price and stock. Ending a session deletes its lines.
CREATE TABLE bag_lines (
    owner             TEXT NOT NULL,
    store_id          INTEGER NOT NULL REFERENCES stores(id),
    product_id        INTEGER NOT NULL REFERENCES products(id),
    quantity          INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    -- The store's price when the line was added, and the lowest price the shopper has
    -- been told about since (a drop below it is news).
    added_price_minor INTEGER NOT NULL CHECK (added_price_minor > 0),
    told_price_minor  INTEGER NOT NULL CHECK (told_price_minor > 0),
    seen_in_store     INTEGER NOT NULL DEFAULT 0 CHECK (seen_in_store IN (0, 1)),
    added_at          INTEGER NOT NULL,
    PRIMARY KEY (owner, store_id, product_id)
);

-- Nonces of single-use tokens (hand-off links) once used.
CREATE TABLE used_tokens (
    nonce   TEXT PRIMARY KEY,
    used_at INTEGER NOT NULL
);

-- Fixed-window counters shared by every server (codes, checkout).
CREATE TABLE rate_limits (
    key          TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL
);
