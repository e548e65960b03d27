-- A spatial index of store locations: GiST over the built-in point type (no extension).
CREATE INDEX stores_location ON stores USING gist (point(lon, lat));
