-- The brand, its stores, one catalogue and each store's offer (price and stock).
CREATE TABLE brands (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name_zh    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    tagline_zh TEXT NOT NULL,
    tagline_en TEXT NOT NULL
);

CREATE TABLE stores (
    id                INTEGER PRIMARY KEY,
    brand_id          INTEGER NOT NULL REFERENCES brands(id),
    slug              TEXT NOT NULL UNIQUE,
    name_zh           TEXT NOT NULL,
    name_en           TEXT NOT NULL,
    city_slug         TEXT NOT NULL,
    city_zh           TEXT NOT NULL,
    city_en           TEXT NOT NULL,
    district_zh       TEXT NOT NULL,
    district_en       TEXT NOT NULL,
    address_zh        TEXT NOT NULL,
    address_en        TEXT NOT NULL,
    lat               REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon               REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    time_zone         TEXT NOT NULL,
    hours             TEXT NOT NULL,
    phone             TEXT NOT NULL,
    delivery_radius_m INTEGER NOT NULL CHECK (delivery_radius_m >= 0),
    pickup_lead_min   INTEGER NOT NULL CHECK (pickup_lead_min >= 0)
);
CREATE INDEX stores_city ON stores (city_slug);

CREATE TABLE categories (
    id       INTEGER PRIMARY KEY,
    slug     TEXT NOT NULL UNIQUE,
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    sku         TEXT NOT NULL UNIQUE,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    unit_zh     TEXT NOT NULL,
    unit_en     TEXT NOT NULL,
    image       TEXT NOT NULL,
    featured    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX products_category ON products (category_id);

CREATE TABLE offers (
    store_id         INTEGER NOT NULL REFERENCES stores(id),
    product_id       INTEGER NOT NULL REFERENCES products(id),
    price_minor      INTEGER NOT NULL CHECK (price_minor > 0),
    list_price_minor INTEGER NOT NULL CHECK (list_price_minor >= price_minor),
    currency         TEXT NOT NULL DEFAULT 'CNY',
    stock            INTEGER NOT NULL CHECK (stock >= 0),
    PRIMARY KEY (store_id, product_id)
);
CREATE INDEX offers_product ON offers (product_id, store_id);
