-- A spatial index of store locations: SQLite's R*Tree, kept in step by triggers.
CREATE VIRTUAL TABLE stores_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon);

INSERT INTO stores_rtree (id, min_lat, max_lat, min_lon, max_lon)
SELECT id, lat, lat, lon, lon FROM stores;

CREATE TRIGGER stores_rtree_insert AFTER INSERT ON stores BEGIN
    INSERT INTO stores_rtree (id, min_lat, max_lat, min_lon, max_lon)
    VALUES (new.id, new.lat, new.lat, new.lon, new.lon);
END;

CREATE TRIGGER stores_rtree_update AFTER UPDATE OF lat, lon ON stores BEGIN
    UPDATE stores_rtree SET min_lat = new.lat, max_lat = new.lat, min_lon = new.lon, max_lon = new.lon
    WHERE id = new.id;
END;

CREATE TRIGGER stores_rtree_delete AFTER DELETE ON stores BEGIN
    DELETE FROM stores_rtree WHERE id = old.id;
END;
