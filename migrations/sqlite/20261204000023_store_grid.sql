-- A store's grid read a page at a time, at any size of catalogue: each offer carries its
-- product's category, the category's place and whether the product is featured (kept by
-- triggers), so one index holds the grid's order — in stock first, then the catalogue's —
-- and a page is read by walking it (stock last: the walk never reads the table), not by
-- sorting every offer; and a store's offers per
-- category are counted as they come and go, not on every page.
ALTER TABLE offers ADD COLUMN category_id INTEGER;
ALTER TABLE offers ADD COLUMN cat_position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE offers ADD COLUMN featured INTEGER NOT NULL DEFAULT 0;
UPDATE offers SET (category_id, cat_position, featured) =
    (SELECT p.category_id, c.position, p.featured FROM products p
     JOIN categories c ON c.id = p.category_id WHERE p.id = offers.product_id);

CREATE TRIGGER offers_grid_new AFTER INSERT ON offers
BEGIN
    UPDATE offers SET (category_id, cat_position, featured) =
        (SELECT p.category_id, c.position, p.featured FROM products p
         JOIN categories c ON c.id = p.category_id WHERE p.id = NEW.product_id)
    WHERE store_id = NEW.store_id AND product_id = NEW.product_id;
END;
CREATE TRIGGER offers_grid_product AFTER UPDATE OF category_id, featured ON products
BEGIN
    UPDATE offers SET (category_id, cat_position, featured) =
        (SELECT NEW.category_id, c.position, NEW.featured FROM categories c WHERE c.id = NEW.category_id)
    WHERE product_id = NEW.id;
END;
CREATE TRIGGER offers_grid_category AFTER UPDATE OF position ON categories
BEGIN
    UPDATE offers SET cat_position = NEW.position WHERE category_id = NEW.id;
END;

CREATE INDEX offers_grid ON offers
    (store_id, (CASE WHEN stock > 0 THEN 0 ELSE 1 END), cat_position, featured DESC, product_id, stock);
CREATE INDEX offers_grid_category ON offers
    (store_id, category_id, (CASE WHEN stock > 0 THEN 0 ELSE 1 END), featured DESC, product_id, stock);

CREATE TABLE store_category_offers (
    store_id    INTEGER NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    offers      INTEGER NOT NULL CHECK (offers >= 0),
    PRIMARY KEY (store_id, category_id)
);
INSERT INTO store_category_offers (store_id, category_id, offers)
SELECT store_id, category_id, COUNT(*) FROM offers GROUP BY store_id, category_id;

-- Counted by the category an offer holds: set on insert (above), moved with its product.
CREATE TRIGGER store_category_offers_moved AFTER UPDATE OF category_id ON offers
WHEN OLD.category_id IS NOT NEW.category_id
BEGIN
    UPDATE store_category_offers SET offers = offers - 1
    WHERE store_id = OLD.store_id AND category_id = OLD.category_id;
    INSERT INTO store_category_offers (store_id, category_id, offers)
    SELECT NEW.store_id, NEW.category_id, 1 WHERE NEW.category_id IS NOT NULL
    ON CONFLICT (store_id, category_id) DO UPDATE SET offers = offers + 1;
END;
CREATE TRIGGER store_category_offers_removed AFTER DELETE ON offers
BEGIN
    UPDATE store_category_offers SET offers = offers - 1
    WHERE store_id = OLD.store_id AND category_id = OLD.category_id;
END;
