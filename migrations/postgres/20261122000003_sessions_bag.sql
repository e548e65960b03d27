-- Sessions, the bag, single-use tokens and rate limits. Times are Unix seconds; integers BIGINT.
-- A session is found by the SHA-256 of its cookie token: a copy of this table opens
-- no session.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('shopper', 'kiosk', 'staff')),
    -- A kiosk's or a staff member's store.
    store_id   BIGINT REFERENCES stores(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- One line per owner (a session today; a member's own bag can share the table), store and
-- product: each store sells at its own price and stock. Ending a session deletes its lines.
CREATE TABLE bag_lines (
    owner             TEXT NOT NULL,
    store_id          BIGINT NOT NULL REFERENCES stores(id),
    product_id        BIGINT NOT NULL REFERENCES products(id),
    quantity          BIGINT NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    -- The store's price when the line was added, and the lowest price the shopper has
    -- been told about since (a drop below it is news).
    added_price_minor BIGINT NOT NULL CHECK (added_price_minor > 0),
    told_price_minor  BIGINT NOT NULL CHECK (told_price_minor > 0),
    seen_in_store     BIGINT NOT NULL DEFAULT 0 CHECK (seen_in_store IN (0, 1)),
    added_at          BIGINT NOT NULL,
    PRIMARY KEY (owner, store_id, product_id)
);

-- Nonces of single-use tokens (hand-off links) once used.
CREATE TABLE used_tokens (
    nonce   TEXT PRIMARY KEY,
    used_at BIGINT NOT NULL
);

-- Fixed-window counters shared by every server (codes, checkout).
CREATE TABLE rate_limits (
    key          TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL
);
