-- Staff accounts and the store console: people with a password and roles per store,
-- sessions that name them, each store's delivery and pick-up settings, special days,
-- price history and the audit log. Times are Unix seconds; money is integer fen.

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    phone         TEXT NOT NULL UNIQUE,
    -- argon2id, PHC string.
    password_hash TEXT NOT NULL,
    -- Brand admin: every store.
    brand_admin   INTEGER NOT NULL DEFAULT 0 CHECK (brand_admin IN (0, 1)),
    created_at    INTEGER NOT NULL,
    disabled_at   INTEGER
);

-- One role per person and store.
CREATE TABLE staff_roles (
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    store_id INTEGER NOT NULL REFERENCES stores(id),
    role     TEXT NOT NULL CHECK (role IN ('manager', 'staff', 'guide')),
    PRIMARY KEY (staff_id, store_id)
);
CREATE INDEX staff_roles_store ON staff_roles (store_id);

-- A guide is a person: their share-link code is theirs.
ALTER TABLE guides ADD COLUMN staff_id INTEGER REFERENCES staff(id);

-- A staff session names its person ("sign out everywhere" ends them all).
ALTER TABLE sessions ADD COLUMN staff_id INTEGER REFERENCES staff(id);
CREATE INDEX sessions_staff ON sessions (staff_id);

-- Each store's own settings.
ALTER TABLE stores ADD COLUMN window_capacity INTEGER NOT NULL DEFAULT 10 CHECK (window_capacity BETWEEN 0 AND 1000);
ALTER TABLE stores ADD COLUMN delivery_fee_minor INTEGER NOT NULL DEFAULT 600 CHECK (delivery_fee_minor >= 0);
ALTER TABLE stores ADD COLUMN free_delivery_from_minor INTEGER NOT NULL DEFAULT 5900 CHECK (free_delivery_from_minor >= 0);
-- New orders paused until this instant: 'delivery' (pick-up still open) or 'all'.
ALTER TABLE stores ADD COLUMN paused_until INTEGER;
ALTER TABLE stores ADD COLUMN paused_modes TEXT NOT NULL DEFAULT 'delivery' CHECK (paused_modes IN ('delivery', 'all'));
-- Holiday hours and closed days: `YYYY-MM-DD closed` or `YYYY-MM-DD HH:MM-HH:MM`, `;`-separated.
ALTER TABLE stores ADD COLUMN special_days TEXT NOT NULL DEFAULT '';

-- How an order ended when the store ended it, and who took it out.
ALTER TABLE orders ADD COLUMN cancel_reason TEXT;
ALTER TABLE orders ADD COLUMN cancelled_by TEXT CHECK (cancelled_by IN ('shopper', 'store'));
ALTER TABLE orders ADD COLUMN courier TEXT;
ALTER TABLE orders ADD COLUMN status_at INTEGER;

CREATE TABLE price_history (
    id               INTEGER PRIMARY KEY,
    store_id         INTEGER NOT NULL REFERENCES stores(id),
    product_id       INTEGER NOT NULL REFERENCES products(id),
    price_minor      INTEGER NOT NULL,
    list_price_minor INTEGER NOT NULL,
    staff_id         INTEGER REFERENCES staff(id),
    at               INTEGER NOT NULL
);
CREATE INDEX price_history_offer ON price_history (store_id, product_id, at);

-- Every staff change: who, when, what, before and after.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    store_id INTEGER REFERENCES stores(id),
    staff_id INTEGER REFERENCES staff(id),
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    before   TEXT NOT NULL,
    after    TEXT NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX audit_log_store ON audit_log (store_id, at);

-- A CSV of stock and prices, kept between its preview and its apply.
CREATE TABLE stock_imports (
    id         TEXT PRIMARY KEY,
    store_id   INTEGER NOT NULL REFERENCES stores(id),
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    applied_at INTEGER
);
