-- The integration API (/ops/v1): API keys, idempotent writes, each offer's stock version,
-- the order-event outbox (the change feed) and webhooks with their delivery log.
-- Times are Unix seconds.

-- One key per integration. Only the SHA-256 of the key is kept (the key is 32 random
-- bytes: a slow hash adds nothing); `prefix` is its first characters, shown in the console.
CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    -- Space-separated: catalog:write stock:write orders:read webhooks:write.
    scopes       TEXT NOT NULL,
    created_by   INTEGER REFERENCES staff(id),
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    last_used_at INTEGER
);

-- Calls made with a key are in the audit log under it.
ALTER TABLE audit_log ADD COLUMN api_key_id INTEGER REFERENCES api_keys(id);

-- A write's Idempotency-Key: claimed in the write's own transaction, with the response
-- it gave, so a repeat returns that response and a crash leaves neither.
CREATE TABLE ops_idempotency (
    api_key_id   INTEGER NOT NULL REFERENCES api_keys(id),
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (api_key_id, idem_key)
);
CREATE INDEX ops_idempotency_age ON ops_idempotency (created_at);

-- Bumped by every change of an offer's stock: what a compare-and-set names.
ALTER TABLE offers ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- The outbox: every order event, written in the transaction that made it. SQLite has one
-- writer at a time, which takes ids and commits in one order: `tx` stays 0 and the feed
-- reads in id order (PostgreSQL needs the transaction id there).
CREATE TABLE order_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    tx       INTEGER NOT NULL DEFAULT 0,
    order_id TEXT NOT NULL REFERENCES orders(id),
    store_id INTEGER NOT NULL REFERENCES stores(id),
    kind     TEXT NOT NULL CHECK (kind IN ('placed', 'paid', 'status', 'cancelled', 'refunded')),
    payload  TEXT NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX order_events_feed ON order_events (tx, id);
CREATE INDEX order_events_order ON order_events (order_id, id);

-- Webhook subscriptions. The secret signs each delivery (HMAC-SHA256), so it is kept.
CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY,
    api_key_id INTEGER NOT NULL REFERENCES api_keys(id),
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    -- Space-separated event kinds.
    events     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
);

-- One row per event and subscription, written with the event; any server delivers it
-- after taking a lease on it.
CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY,
    webhook_id   INTEGER NOT NULL REFERENCES webhooks(id),
    event_id     INTEGER NOT NULL REFERENCES order_events(id),
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER NOT NULL,
    lease_until  INTEGER,
    lease_token  TEXT,
    last_status  INTEGER,
    last_error   TEXT,
    delivered_at INTEGER,
    created_at   INTEGER NOT NULL,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_at);
