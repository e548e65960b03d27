-- Where the stores are changes rarely: each server keeps every store's location in
-- memory as a spatial index (app/src/ssr/store_index.rs) and reads this counter in the
-- same statement as its answer's rows, so a copy older than the last change is never
-- believed. Every insert, delete or move of a store moves the counter on.
CREATE TABLE store_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch INTEGER NOT NULL
);
INSERT INTO store_epoch (id, epoch) VALUES (1, 0);

CREATE TRIGGER stores_epoch_insert AFTER INSERT ON stores
BEGIN
    UPDATE store_epoch SET epoch = epoch + 1 WHERE id = 1;
END;

CREATE TRIGGER stores_epoch_delete AFTER DELETE ON stores
BEGIN
    UPDATE store_epoch SET epoch = epoch + 1 WHERE id = 1;
END;

CREATE TRIGGER stores_epoch_move AFTER UPDATE OF lat, lon ON stores
WHEN old.lat IS NOT new.lat OR old.lon IS NOT new.lon
BEGIN
    UPDATE store_epoch SET epoch = epoch + 1 WHERE id = 1;
END;
