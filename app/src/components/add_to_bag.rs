//! The add-to-bag form of a product tile or page (server and browser): a plain POST that
//! redirects back without JavaScript, and is sent in place when the page is hydrated.

use crate::context::use_lang;
use crate::domain::i18n::bag::BagText;
use crate::forms::LineForm;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// `action` is `/bag/add` for a shopper, the kiosk's own for a screen in a store.
/// `choose_quantity` shows a quantity picker (product pages); a tile adds one.
#[component]
pub fn AddToBag(
    action: String,
    store: String,
    sku: String,
    name: String,
    #[prop(optional)] choose_quantity: bool,
    #[prop(optional)] label: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let back = crate::links::here(&use_location());
    let button = label.unwrap_or_else(|| {
        if choose_quantity {
            BagText::AddToBag.t(lang)
        } else {
            BagText::Add.t(lang)
        }
    });
    let qty_id = format!("qty-{sku}");
    let fields = LineForm::FIELDS;
    let picker = choose_quantity.then(|| {
        view! {
            <label for=qty_id.clone()>{BagText::Quantity.t(lang)}</label>
            <select id=qty_id.clone() name=fields.quantity>
                {(1..=10).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
            </select>
        }
    });
    // A tile's button says which product it adds; a page's stands next to the product's name.
    // The name starts with the visible words (WCAG "label in name"), then says which product.
    let aria = (!choose_quantity).then(|| match label {
        Some(text) => crate::domain::i18n::bag::labelled(lang, text, &name),
        None => crate::domain::i18n::bag::add_label(lang, &name),
    });
    view! {
        <form class="add-to-bag" method="post" action=action data-enhance="">
            <input type="hidden" name=fields.store value=store />
            <input type="hidden" name=fields.sku value=sku />
            <input type="hidden" name=fields.back value=back />
            {picker}
            {(!choose_quantity).then(|| view! { <input type="hidden" name=fields.quantity value="1" /> })}
            <button type="submit" class="add-button" aria-label=aria>{button}</button>
        </form>
    }
}
