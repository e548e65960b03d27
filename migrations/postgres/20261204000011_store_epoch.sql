-- Where the stores are changes rarely: each server keeps every store's location in
-- memory as a spatial index (app/src/ssr/store_index.rs) and reads this counter in the
-- same statement as its answer's rows, so a copy older than the last change is never
-- believed. Every statement that inserts, deletes or moves stores moves the counter on.
CREATE TABLE store_epoch (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    epoch BIGINT NOT NULL
);
INSERT INTO store_epoch (id, epoch) VALUES (1, 0);

CREATE FUNCTION bump_store_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE store_epoch SET epoch = epoch + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER stores_epoch_change AFTER INSERT OR DELETE OR UPDATE OF lat, lon ON stores
FOR EACH STATEMENT EXECUTE FUNCTION bump_store_epoch();
