-- Members of the brand: sign-in codes, members with a points ledger and coupons, the
-- devices that carry a member code, and member codes already used at a till.

CREATE TABLE members (
    id         INTEGER PRIMARY KEY,
    phone      TEXT NOT NULL UNIQUE,
    joined_at  INTEGER NOT NULL,
    -- The guide who brought them, when one did.
    guide_code TEXT
);

CREATE TABLE points_ledger (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    delta     INTEGER NOT NULL,
    reason    TEXT NOT NULL,
    store_id  INTEGER REFERENCES stores(id),
    at        INTEGER NOT NULL
);
CREATE INDEX points_member ON points_ledger (member_id);

CREATE TABLE coupons (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES members(id),
    kind            TEXT NOT NULL,
    value_minor     INTEGER NOT NULL CHECK (value_minor > 0),
    min_spend_minor INTEGER NOT NULL CHECK (min_spend_minor >= 0),
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    used_at         INTEGER,
    UNIQUE (member_id, kind)
);

-- One-time sign-in codes: only a keyed hash is kept; single use; locked after 5 misses.
CREATE TABLE login_codes (
    id         INTEGER PRIMARY KEY,
    phone      TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    used_at    INTEGER
);
CREATE INDEX login_codes_phone ON login_codes (phone, created_at);

-- What the demo code sender "sent" (only written, and only shown, in demo mode).
CREATE TABLE demo_inbox (
    id         INTEGER PRIMARY KEY,
    phone      TEXT NOT NULL,
    message    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- A signed-in device's member-code key (issued at sign-in, revoked at sign-out).
CREATE TABLE devices (
    id         TEXT PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    session_id TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX devices_session ON devices (session_id);

-- A member code is good once: its device and time step, once accepted.
CREATE TABLE used_member_codes (
    device_id TEXT NOT NULL,
    step      INTEGER NOT NULL,
    used_at   INTEGER NOT NULL,
    PRIMARY KEY (device_id, step)
);

ALTER TABLE sessions ADD COLUMN member_id INTEGER REFERENCES members(id);

-- A member's order may use a coupon; members earn a point per yuan paid.
ALTER TABLE orders ADD COLUMN member_id INTEGER REFERENCES members(id);
ALTER TABLE orders ADD COLUMN coupon_id INTEGER REFERENCES coupons(id);
ALTER TABLE orders ADD COLUMN discount_minor INTEGER NOT NULL DEFAULT 0 CHECK (discount_minor >= 0);
