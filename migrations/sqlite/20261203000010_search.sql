-- Product search that fits Chinese shoppers (app/src/ssr/search.rs): every term a
-- query token is looked up by, one row per (term, product), with how well it matches
-- (0 the whole name, 1 the start of a name, 2 elsewhere). A query is answered by equal
-- terms only: one- and two-character Chinese terms, and the prefixes of Latin words,
-- of the names' pinyin and of its initials, each from a syllable on.
CREATE TABLE product_terms (
    term       TEXT NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    rank       INTEGER NOT NULL,
    PRIMARY KEY (term, product_id)
) WITHOUT ROWID;
CREATE INDEX product_terms_product ON product_terms (product_id);

-- The names a product's terms were made from: a product whose names changed since (or
-- never indexed) is indexed again.
ALTER TABLE products ADD COLUMN search_indexed TEXT;
