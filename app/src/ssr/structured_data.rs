//! schema.org JSON-LD for stores and products (server), so search engines and map apps
//! read the address, coordinates, opening hours, price and availability.

use crate::domain::hours::{MINUTES_PER_DAY, hhmm};
use crate::domain::product::ProductCard;
use crate::domain::store::{StoreCard, StoreDetail};
use crate::links;
use crate::ssr::stores::StoreRow;
use serde_json::{Value, json};

/// JSON safe to put inside `<script>`: `<` is escaped so `</script>` cannot appear.
fn script_safe(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c")
}

pub fn store(row: &StoreRow, detail: &StoreDetail) -> String {
    let hours: Vec<Value> = detail
        .hours
        .iter()
        .flat_map(|h| h.grouped())
        .filter_map(|(first, last, interval)| {
            let i = interval?;
            let days: Vec<&str> = (0..=(last.index() - first.index()) as u8)
                .map(|d| first.plus(d).schema_name())
                .collect();
            // schema.org writes a whole day as 00:00–23:59.
            let closes = if i.close == MINUTES_PER_DAY {
                "23:59".to_owned()
            } else {
                hhmm(i.close)
            };
            Some(json!({
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": days,
                "opens": hhmm(i.open),
                "closes": closes,
            }))
        })
        .collect();
    let card = &detail.card;
    script_safe(&json!({
        "@context": "https://schema.org",
        "@type": "GroceryStore",
        "@id": links::store(&card.slug),
        "name": card.name,
        "telephone": detail.phone,
        "url": links::store(&card.slug),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": card.address,
            "addressLocality": card.city,
            "addressRegion": card.district,
            "addressCountry": "CN",
        },
        "geo": { "@type": "GeoCoordinates", "latitude": row.lat, "longitude": row.lon },
        "openingHoursSpecification": hours,
    }))
}

pub fn product(product: &ProductCard, store: &StoreCard) -> String {
    let availability = if product.offer.stock.available() {
        "InStock"
    } else {
        "OutOfStock"
    };
    script_safe(&json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "sku": product.sku,
        "image": product.image,
        "offers": {
            "@type": "Offer",
            "price": product.offer.price.decimal(),
            "priceCurrency": product.offer.price.currency.code(),
            "availability": format!("https://schema.org/{availability}"),
            "url": links::product(&store.slug, &product.sku),
            "seller": { "@type": "GroceryStore", "name": store.name, "@id": links::store(&store.slug) },
        },
    }))
}
