-- In-store services by appointment (预约到店): what each store offers, each slot's
-- bookings against its capacity, and members' bookings with the code the till verifies
-- (核销) once. Times are Unix seconds.

CREATE TABLE services (
    id           INTEGER PRIMARY KEY,
    store_id     INTEGER NOT NULL REFERENCES stores(id),
    -- Stable, URL-safe name within the store: `fitting-room`, `makeup-trial`.
    slug         TEXT NOT NULL,
    name_zh      TEXT NOT NULL,
    name_en      TEXT NOT NULL,
    duration_min INTEGER NOT NULL CHECK (duration_min BETWEEN 5 AND 480),
    -- Members one slot takes (0: no new bookings).
    capacity     INTEGER NOT NULL CHECK (capacity BETWEEN 0 AND 50),
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    position     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (store_id, slug)
);

-- Made on demand when a slot is first booked; `booked` can never pass `capacity`.
CREATE TABLE service_slots (
    store_id   INTEGER NOT NULL REFERENCES stores(id),
    service_id INTEGER NOT NULL REFERENCES services(id),
    starts_at  INTEGER NOT NULL,
    capacity   INTEGER NOT NULL CHECK (capacity >= 0),
    booked     INTEGER NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
    PRIMARY KEY (service_id, starts_at)
);
CREATE INDEX service_slots_store ON service_slots (store_id, starts_at);

CREATE TABLE bookings (
    id         TEXT PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    store_id   INTEGER NOT NULL REFERENCES stores(id),
    service_id INTEGER NOT NULL REFERENCES services(id),
    starts_at  INTEGER NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'done', 'no_show')),
    -- 10 digits the server derives from the id with its key; shown as a QR.
    code       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX bookings_code ON bookings (store_id, code);
-- One live booking per member, service and slot.
CREATE UNIQUE INDEX bookings_live ON bookings (member_id, service_id, starts_at) WHERE status = 'booked';
CREATE INDEX bookings_member ON bookings (member_id, starts_at);
CREATE INDEX bookings_store ON bookings (store_id, starts_at);
-- The no-show sweep's scan.
CREATE INDEX bookings_due ON bookings (status, starts_at);
