-- A store's grid read a page at a time, at any size of catalogue: each offer carries its
-- product's category, the category's place and whether the product is featured (kept by
-- triggers), so one index holds the grid's order — in stock first, then the catalogue's —
-- and a page is read by walking it (stock last: the walk never reads the table), not by
-- sorting every offer; and a store's offers per
-- category are counted as they come and go, not on every page.
ALTER TABLE offers ADD COLUMN category_id BIGINT;
ALTER TABLE offers ADD COLUMN cat_position BIGINT NOT NULL DEFAULT 0;
ALTER TABLE offers ADD COLUMN featured BIGINT NOT NULL DEFAULT 0;
UPDATE offers o SET category_id = p.category_id, cat_position = c.position, featured = p.featured
FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = o.product_id;

CREATE FUNCTION offers_grid_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT p.category_id, c.position, p.featured INTO NEW.category_id, NEW.cat_position, NEW.featured
    FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = NEW.product_id;
    RETURN NEW;
END $$;
CREATE TRIGGER offers_grid_new BEFORE INSERT ON offers
FOR EACH ROW EXECUTE FUNCTION offers_grid_new();

CREATE FUNCTION offers_grid_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE offers o SET category_id = NEW.category_id, cat_position = c.position, featured = NEW.featured
    FROM categories c WHERE c.id = NEW.category_id AND o.product_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER offers_grid_product AFTER UPDATE OF category_id, featured ON products
FOR EACH ROW EXECUTE FUNCTION offers_grid_product();

CREATE FUNCTION offers_grid_category() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE offers SET cat_position = NEW.position WHERE category_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER offers_grid_category AFTER UPDATE OF position ON categories
FOR EACH ROW EXECUTE FUNCTION offers_grid_category();

CREATE INDEX offers_grid ON offers
    (store_id, (CASE WHEN stock > 0 THEN 0 ELSE 1 END), cat_position, featured DESC, product_id, stock);
CREATE INDEX offers_grid_category ON offers
    (store_id, category_id, (CASE WHEN stock > 0 THEN 0 ELSE 1 END), featured DESC, product_id, stock);

CREATE TABLE store_category_offers (
    store_id    BIGINT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    offers      BIGINT NOT NULL CHECK (offers >= 0),
    PRIMARY KEY (store_id, category_id)
);
INSERT INTO store_category_offers (store_id, category_id, offers)
SELECT store_id, category_id, COUNT(*) FROM offers GROUP BY store_id, category_id;

CREATE FUNCTION store_category_offers_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.category_id IS NOT NULL THEN
        UPDATE store_category_offers SET offers = offers - 1
        WHERE store_id = OLD.store_id AND category_id = OLD.category_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.category_id IS NOT NULL THEN
        INSERT INTO store_category_offers (store_id, category_id, offers)
        VALUES (NEW.store_id, NEW.category_id, 1)
        ON CONFLICT (store_id, category_id) DO UPDATE SET offers = store_category_offers.offers + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER store_category_offers_added AFTER INSERT ON offers
FOR EACH ROW EXECUTE FUNCTION store_category_offers_count();
CREATE TRIGGER store_category_offers_removed AFTER DELETE ON offers
FOR EACH ROW EXECUTE FUNCTION store_category_offers_count();
CREATE TRIGGER store_category_offers_moved AFTER UPDATE OF category_id ON offers
FOR EACH ROW WHEN (OLD.category_id IS DISTINCT FROM NEW.category_id)
EXECUTE FUNCTION store_category_offers_count();
