-- Members who come back: coupons a store or the brand hands out (campaigns), a member's
-- inbox and what they choose to receive, a store's members (its audience), and the
-- sends to an audience with their weekly limit.

-- The same terms for every coupon of a campaign. A store's campaign is good in that
-- store; the brand's (store_id NULL) in every store.
CREATE TABLE coupon_campaigns (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    -- A percentage off (its cap in value_minor), or NULL: value_minor off.
    percent_off     INTEGER CHECK (percent_off BETWEEN 1 AND 90),
    value_minor     INTEGER NOT NULL CHECK (value_minor > 0),
    min_spend_minor INTEGER NOT NULL CHECK (min_spend_minor >= 0),
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL CHECK (ends_at > starts_at),
    store_id        INTEGER REFERENCES stores(id),
    per_member      INTEGER NOT NULL CHECK (per_member >= 1),
    total           INTEGER NOT NULL CHECK (total >= 1),
    -- Handed out so far: never more than the total (the conditional update that hands
    -- one out is the guard; this CHECK stands behind it).
    issued          INTEGER NOT NULL DEFAULT 0 CHECK (issued >= 0 AND issued <= total),
    created_by      INTEGER REFERENCES staff(id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX coupon_campaigns_store ON coupon_campaigns (store_id);

-- The categories a campaign's coupons cover; none: everything.
CREATE TABLE coupon_campaign_categories (
    campaign_id INTEGER NOT NULL REFERENCES coupon_campaigns(id),
    category_id INTEGER NOT NULL REFERENCES categories(id),
    PRIMARY KEY (campaign_id, category_id)
);

-- A member's coupon of a campaign is `kind` = 'c<campaign>#<n>', n from 1 to the
-- campaign's per-member limit: the table's UNIQUE (member_id, kind) makes the limit hold
-- under any concurrency. Its terms are copied from the campaign when it is handed out.
ALTER TABLE coupons ADD COLUMN campaign_id INTEGER REFERENCES coupon_campaigns(id);
ALTER TABLE coupons ADD COLUMN percent_off INTEGER CHECK (percent_off BETWEEN 1 AND 90);
ALTER TABLE coupons ADD COLUMN starts_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX coupons_campaign ON coupons (campaign_id);

-- A member's inbox: messages from the brand, a store or their guide; each may carry a
-- coupon (already handed out) and a link to a product or a store.
CREATE TABLE member_messages (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    -- 'brand', 'store' or 'guide'.
    sender     TEXT NOT NULL CHECK (sender IN ('brand', 'store', 'guide')),
    store_id   INTEGER REFERENCES stores(id),
    guide_code TEXT,
    body       TEXT NOT NULL,
    coupon_id  INTEGER REFERENCES coupons(id),
    link       TEXT,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);
CREATE INDEX member_messages_member ON member_messages (member_id, id);

-- What a member chose to receive, per sender (1 yes, 0 no). No row: everything.
CREATE TABLE member_preferences (
    member_id  INTEGER PRIMARY KEY REFERENCES members(id),
    from_brand INTEGER NOT NULL DEFAULT 1 CHECK (from_brand IN (0, 1)),
    from_store INTEGER NOT NULL DEFAULT 1 CHECK (from_store IN (0, 1)),
    from_guide INTEGER NOT NULL DEFAULT 1 CHECK (from_guide IN (0, 1)),
    updated_at INTEGER NOT NULL
);

-- A store's members: those its guides brought, who ordered there, or were served at its
-- till; kept as they come, so choosing an audience reads one store's rows.
CREATE TABLE store_members (
    store_id      INTEGER NOT NULL REFERENCES stores(id),
    member_id     INTEGER NOT NULL REFERENCES members(id),
    -- The store's guide who brought them, when one did.
    guide_code    TEXT,
    since         INTEGER NOT NULL,
    -- The last order placed at the store, and the last time its till served them.
    last_order_at INTEGER,
    last_visit_at INTEGER,
    PRIMARY KEY (store_id, member_id)
);
CREATE INDEX store_members_guide ON store_members (store_id, guide_code);
CREATE INDEX orders_member ON orders (member_id, store_id, created_at);
CREATE INDEX points_member_store ON points_ledger (member_id, store_id);

INSERT INTO store_members (store_id, member_id, guide_code, since, last_order_at)
SELECT o.store_id, o.member_id, MIN(m.guide_code), MIN(o.created_at), MAX(o.created_at)
FROM orders o JOIN members m ON m.id = o.member_id
WHERE o.member_id IS NOT NULL GROUP BY o.store_id, o.member_id;
INSERT INTO store_members (store_id, member_id, guide_code, since)
SELECT g.store_id, m.id, m.guide_code, m.joined_at FROM members m JOIN guides g ON g.code = m.guide_code
WHERE NOT EXISTS (SELECT 1 FROM store_members s WHERE s.store_id = g.store_id AND s.member_id = m.id);

-- A send to an audience: who chose whom, and what went.
CREATE TABLE audience_sends (
    id          INTEGER PRIMARY KEY,
    store_id    INTEGER NOT NULL REFERENCES stores(id),
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    -- The audience as chosen (the filter's query string).
    audience    TEXT NOT NULL,
    body        TEXT NOT NULL,
    campaign_id INTEGER REFERENCES coupon_campaigns(id),
    chosen      INTEGER NOT NULL,
    reached     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX audience_sends_store ON audience_sends (store_id, id);

-- At most a few sends per member per store per week: a send takes place n (1..limit) of
-- the member's week at that store, so the limit holds whatever runs at once.
CREATE TABLE member_contacts (
    member_id INTEGER NOT NULL REFERENCES members(id),
    store_id  INTEGER NOT NULL REFERENCES stores(id),
    week      INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    send_id   INTEGER NOT NULL REFERENCES audience_sends(id),
    PRIMARY KEY (member_id, store_id, week, n)
);
