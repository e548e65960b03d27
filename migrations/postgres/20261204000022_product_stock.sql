-- The brand-wide search's figures per product without reading every store's offer: how
-- many stores have it in stock (kept by triggers, written only when an offer runs out or
-- comes back), and partial indexes for its lowest price and first store in stock.
CREATE TABLE product_stock (
    product_id      BIGINT PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,
    stores_in_stock BIGINT NOT NULL DEFAULT 0 CHECK (stores_in_stock >= 0)
);
INSERT INTO product_stock (product_id, stores_in_stock)
SELECT p.id, (SELECT COUNT(*) FROM offers o WHERE o.product_id = p.id AND o.stock > 0)
FROM products p;

CREATE FUNCTION product_stock_new_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO product_stock (product_id, stores_in_stock) VALUES (NEW.id, 0)
    ON CONFLICT (product_id) DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER product_stock_new_product AFTER INSERT ON products
FOR EACH ROW EXECUTE FUNCTION product_stock_new_product();

CREATE FUNCTION product_stock_offer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.stock > 0 THEN
        UPDATE product_stock SET stores_in_stock = stores_in_stock - 1
        WHERE product_id = OLD.product_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.stock > 0 THEN
        INSERT INTO product_stock (product_id, stores_in_stock) VALUES (NEW.product_id, 1)
        ON CONFLICT (product_id) DO UPDATE SET stores_in_stock = product_stock.stores_in_stock + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER product_stock_offer_added AFTER INSERT ON offers
FOR EACH ROW WHEN (NEW.stock > 0) EXECUTE FUNCTION product_stock_offer();
CREATE TRIGGER product_stock_offer_removed AFTER DELETE ON offers
FOR EACH ROW WHEN (OLD.stock > 0) EXECUTE FUNCTION product_stock_offer();
CREATE TRIGGER product_stock_offer_changed AFTER UPDATE OF stock, product_id ON offers
FOR EACH ROW WHEN ((OLD.stock > 0) <> (NEW.stock > 0) OR OLD.product_id <> NEW.product_id)
EXECUTE FUNCTION product_stock_offer();

CREATE INDEX offers_in_stock_price ON offers (product_id, price_minor) WHERE stock > 0;
CREATE INDEX offers_in_stock_store ON offers (product_id, store_id) WHERE stock > 0;
