-- Triggered benefits: rules a store's manager turns on (on joining, the first order, N
-- days away, a bag item's price dropped, a check-in at the store), each granting a
-- coupon, points or a message once per member per period; and members' check-ins.
CREATE TABLE benefit_rules (
    id          INTEGER PRIMARY KEY,
    store_id    INTEGER NOT NULL REFERENCES stores(id),
    trigger     TEXT NOT NULL CHECK (trigger IN ('join', 'first_order', 'lapsed', 'price_drop', 'check_in')),
    -- `lapsed`: days away.
    days        INTEGER NOT NULL DEFAULT 0 CHECK (days >= 0),
    campaign_id INTEGER REFERENCES coupon_campaigns(id),
    points      INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),
    message     TEXT,
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_by  INTEGER NOT NULL REFERENCES staff(id),
    created_at  INTEGER NOT NULL,
    CHECK (campaign_id IS NOT NULL OR points > 0 OR message IS NOT NULL)
);
CREATE INDEX benefit_rules_store ON benefit_rules (store_id);

-- A rule's grant to a member for one period ('once', a lapse's start, a price, a day):
-- the key is what makes a grant happen once, whatever runs at once on however many servers.
CREATE TABLE benefit_grants (
    rule_id    INTEGER NOT NULL REFERENCES benefit_rules(id),
    member_id  INTEGER NOT NULL REFERENCES members(id),
    period     TEXT NOT NULL,
    coupon_id  INTEGER REFERENCES coupons(id),
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (rule_id, member_id, period)
);

-- A member checked in at a store (scanned its QR at the door or the till): once a day.
CREATE TABLE store_checkins (
    store_id  INTEGER NOT NULL REFERENCES stores(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    day       INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (store_id, member_id, day)
);
