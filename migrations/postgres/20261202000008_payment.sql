-- Payment: how each order is paid, the hold on what an unpaid order took, refunds, and the
-- demo gateway's own book (it stands in for the provider in demo mode).
-- Times are Unix seconds; money is integer fen.

-- 'none': the app takes no payment for it (payment off, or placed before payment existed);
-- 'awaiting': placed, its stock, window and coupon held until `pay_by`;
-- 'paid': the provider (or the till) took the money; 'at_store': to be paid at collection;
-- 'expired': the hold ran out unpaid and gave everything back.
ALTER TABLE orders ADD COLUMN payment TEXT NOT NULL DEFAULT 'none'
    CHECK (payment IN ('none', 'awaiting', 'paid', 'at_store', 'expired'));
ALTER TABLE orders ADD COLUMN pay_by BIGINT;
ALTER TABLE orders ADD COLUMN paid_at BIGINT;
ALTER TABLE orders ADD COLUMN paid_method TEXT CHECK (paid_method IN ('online', 'cash', 'card'));
-- The provider's trade number.
ALTER TABLE orders ADD COLUMN trade_no TEXT;
ALTER TABLE orders ADD COLUMN refunded_minor BIGINT NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0);
-- Points are earned when the order completes; a refund after that takes them back.
ALTER TABLE orders ADD COLUMN points_earned BIGINT NOT NULL DEFAULT 0 CHECK (points_earned >= 0);
CREATE INDEX orders_holds ON orders (payment, pay_by);
-- Orders placed before this earned their points when placed: counted as earned, so that
-- completing one does not pay them twice and cancelling one still takes them back.
UPDATE orders SET points_earned = total_minor / 100
    WHERE member_id IS NOT NULL AND total_minor >= 100 AND status <> 'cancelled';

-- A line the store could not pick in full: how many were short (refunded).
ALTER TABLE order_lines ADD COLUMN short_quantity BIGINT NOT NULL DEFAULT 0 CHECK (short_quantity >= 0);

-- Pick-ups at this store may be paid at collection.
ALTER TABLE stores ADD COLUMN pay_at_store BIGINT NOT NULL DEFAULT 0 CHECK (pay_at_store IN (0, 1));

-- Our refunds. The id is sent to the provider as the refund's request number: a repeat
-- of the call with it moves no money twice.
CREATE TABLE refunds (
    id           TEXT PRIMARY KEY,
    order_id     TEXT NOT NULL REFERENCES orders(id),
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    reason       TEXT NOT NULL CHECK (reason IN ('shopper_cancel', 'store_cancel', 'short', 'late_payment', 'duplicate')),
    state        TEXT NOT NULL CHECK (state IN ('pending', 'refunded')),
    created_at   BIGINT NOT NULL,
    done_at      BIGINT
);
CREATE INDEX refunds_order ON refunds (order_id);
CREATE INDEX refunds_pending ON refunds (state, created_at);

-- The demo gateway's trades and refunds (demo mode only; a real provider keeps its own).
CREATE TABLE demo_trades (
    out_trade_no   TEXT PRIMARY KEY,
    trade_no       TEXT NOT NULL UNIQUE,
    app_id         TEXT NOT NULL,
    total_minor    BIGINT NOT NULL CHECK (total_minor > 0),
    subject        TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('WAIT_BUYER_PAY', 'TRADE_SUCCESS', 'TRADE_CLOSED')),
    notify_url     TEXT,
    -- Where the buyer goes back to after paying or giving up.
    return_url     TEXT,
    paid_at        BIGINT,
    refunded_minor BIGINT NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
    created_at     BIGINT NOT NULL
);
CREATE TABLE demo_refunds (
    out_trade_no   TEXT NOT NULL REFERENCES demo_trades(out_trade_no),
    out_request_no TEXT NOT NULL,
    amount_minor   BIGINT NOT NULL CHECK (amount_minor > 0),
    at             BIGINT NOT NULL,
    PRIMARY KEY (out_trade_no, out_request_no)
);
