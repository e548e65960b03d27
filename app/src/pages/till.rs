//! `/till/{store}`: the store's till for staff signed in with the store's PIN: check a
//! pick-up code (typed, or from a scanner that types) and hand the order over — once — and
//! move open orders along (preparing, ready, out for delivery).

use crate::api::checkout::{TillPage as TillData, get_till};
use crate::components::error_page::ErrorPage;
use crate::context::use_lang;
use crate::domain::i18n::checkout::{CheckoutText as T, mode as mode_name, status as status_name};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn TillPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    view! {
        <Title text=T::TillTitle.t(lang) />
        <Meta name="robots" content="noindex" />
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let store = params.read_untracked().get("store").unwrap_or_default();
                match get_till(store).await {
                    Ok(till) => view! { <Till till /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Till(till: TillData) -> impl IntoView {
    let lang = use_lang();
    let slug = till.store_slug.clone();
    let heading = view! { <h1>{T::TillTitle.t(lang)}" · "{till.store_name.clone()}</h1> };
    if !till.signed_in {
        return view! {
            {heading}
            <form method="post" action="/till/login" class="till-login">
                <input type="hidden" name="store" value=slug />
                <label for="pin">{T::TillPin.t(lang)}</label>
                <input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off" required />
                <button type="submit">{T::TillSignIn.t(lang)}</button>
            </form>
        }
        .into_any();
    }
    let orders = if till.orders.is_empty() {
        view! { <p class="empty">{T::TillNoOrders.t(lang)}</p> }.into_any()
    } else {
        view! {
            <ul class="till-orders">
                {till
                    .orders
                    .into_iter()
                    .map(|o| {
                        let next = o.next.map(|n| view! {
                            <form method="post" action="/till/advance">
                                <input type="hidden" name="store" value=slug.clone() />
                                <input type="hidden" name="id" value=o.id.clone() />
                                <button type="submit" aria-label=format!("{} {}: {}", T::TillAdvance.t(lang), o.id, status_name(lang, n))>
                                    {status_name(lang, n)}
                                </button>
                            </form>
                        });
                        view! {
                            <li>
                                <strong>{o.id.clone()}</strong>
                                " · "{mode_name(lang, o.mode)}" · "{o.when.clone()}" · "{o.items}
                                " · "<span class="order-state">{status_name(lang, o.status)}</span>
                                {next}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {heading}
        <form method="post" action="/till/collect" class="till-code">
            <input type="hidden" name="store" value=slug.clone() />
            <label for="code">{T::TillCode.t(lang)}</label>
            <input id="code" name="code" type="text" inputmode="numeric" autocomplete="off" maxlength="32" required />
            <button type="submit">{T::TillCheck.t(lang)}</button>
        </form>
        <section aria-labelledby="open-orders">
            <h2 id="open-orders">{T::TillOpenOrders.t(lang)}</h2>
            {orders}
        </section>
        <form method="post" action="/till/logout">
            <input type="hidden" name="store" value=slug />
            <button type="submit" class="button-secondary">{T::TillSignOut.t(lang)}</button>
        </form>
    }
    .into_any()
}
