//! `/staff/api-keys`: the brand's API keys for the integration API (`/ops/v1`), a brand
//! admin's page (anyone else gets 403, signed out 401): every key — its name, first
//! characters, scopes, when and by whom it was made, its last use and whether it is live
//! — with a revoke button on each live one, and a form to make a key, which the page
//! then shows once. Plain forms: everything works without JavaScript.

use crate::api::api_keys::{ApiKeysPage, ListedKey, MadeKey, Stamp, get_api_keys};
use crate::components::field_note::{FieldNote, described_by, is_refused};
use crate::context::use_lang;
use crate::domain::api_keys::NAME_MAX;
use crate::domain::i18n::bag::labelled;
use crate::domain::i18n::staff::{StaffText as T, scope_name};
use crate::domain::ops::Scope;
use crate::forms::{ApiKeyCreateForm, ApiKeyRevokeForm};
use crate::links::{self, routes};
use leptos::prelude::*;

#[component]
pub fn ConsoleApiKeysPage() -> impl IntoView {
    crate::console_page!(
        T::ApiKeysTitle,
        get_api_keys(),
        |page| view! { <ApiKeys page /> }
    )
}

#[component]
fn ApiKeys(page: ApiKeysPage) -> impl IntoView {
    let lang = use_lang();
    let list = if page.keys.is_empty() {
        view! { <p class="empty">{T::ApiKeysEmpty.t(lang)}</p> }.into_any()
    } else {
        let rows = page
            .keys
            .into_iter()
            .map(|k| view! { <KeyRow k /> })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="api-keys-list">
                <table class="data-table api-keys">
                    <thead><tr>
                        <th scope="col">{T::KeyName.t(lang)}</th>
                        <th scope="col">{T::KeyPrefix.t(lang)}</th>
                        <th scope="col">{T::KeyScopes.t(lang)}</th>
                        <th scope="col">{T::KeyCreated.t(lang)}</th>
                        <th scope="col">{T::KeyCreatedBy.t(lang)}</th>
                        <th scope="col">{T::KeyLastUsed.t(lang)}</th>
                        <th scope="col">{T::KeyState.t(lang)}</th>
                        <th scope="col">{T::KeyActions.t(lang)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="hint">{T::ApiKeysTimes.t(lang)}</p>
        }
        .into_any()
    };
    view! {
        <header class="console-head">
            <p class="console-store">
                <a href=links::staff_home()>{T::Console.t(lang)}</a>
                " · "<strong>{T::NavApiKeys.t(lang)}</strong>
            </p>
            <p class="console-who">{page.user_name}" · "{T::RoleBrandAdmin.t(lang)}</p>
        </header>
        <h1>{T::ApiKeysTitle.t(lang)}</h1>
        <p>{T::ApiKeysIntro.t(lang)}</p>
        {page.made.map(|made| view! { <Made made /> })}
        <section aria-labelledby="api-keys-list">
            <h2 id="api-keys-list">{T::NavApiKeys.t(lang)}</h2>
            {list}
        </section>
        <NewKeyForm />
    }
}

/// The key just made, said once, before anything else on the page.
#[component]
fn Made(made: MadeKey) -> impl IntoView {
    let lang = use_lang();
    let sample = format!(
        "curl -H \"Authorization: Bearer {}\" {}/ops/v1/openapi.json",
        made.key, made.origin
    );
    view! {
        <section class="new-key" aria-labelledby="new-key-title">
            <h2 id="new-key-title">{T::NewKeyTitle.t(lang)}" · "{made.name}</h2>
            <p class="new-key-warning" role="alert"><strong>{T::NewKeyCopyNow.t(lang)}</strong></p>
            // Text, not an input: the whole key wraps on a phone, selects whole
            // (`user-select: all`), and a screen reader reads it out.
            <p class="new-key-label">{T::NewKeyLabel.t(lang)}</p>
            <p class="new-key-value"><code>{made.key}</code></p>
            <p class="hint">{T::NewKeyTry.t(lang)}</p>
            <pre class="new-key-sample"><code>{sample}</code></pre>
        </section>
    }
}

#[component]
fn KeyRow(k: ListedKey) -> impl IntoView {
    let lang = use_lang();
    let scopes = k
        .scopes
        .iter()
        .map(
            |s| view! { <li>{scope_name(lang, *s)}" "<code class="muted">{s.as_str()}</code></li> },
        )
        .collect_view();
    let by = k
        .created_by
        .clone()
        .unwrap_or_else(|| T::KeyByEnvironment.t(lang).to_owned());
    let last_used = match k.last_used {
        Some(at) => view! { <When at /> }.into_any(),
        None => view! { <span class="muted">{T::KeyNeverUsed.t(lang)}</span> }.into_any(),
    };
    let (state, action) = match k.revoked {
        Some(at) => (
            view! { <span class="key-revoked">{T::KeyRevokedAt.t(lang)}" "<When at /></span> }
                .into_any(),
            None,
        ),
        None => (
            view! { <strong class="key-live">{T::KeyLive.t(lang)}</strong> }.into_any(),
            Some(view! {
                <form method="post" action=routes::STAFF_API_KEY_REVOKE class="inline-form">
                    <input type="hidden" name=ApiKeyRevokeForm::FIELDS.id value=k.id.to_string() />
                    <button type="submit" class="button button-danger"
                        aria-label=labelled(lang, T::RevokeKey.t(lang), &k.name)>{T::RevokeKey.t(lang)}</button>
                </form>
            }),
        ),
    };
    view! {
        <tr>
            <th scope="row">{k.name.clone()}</th>
            <td><code>{k.prefix}"…"</code></td>
            <td><ul class="key-scopes">{scopes}</ul></td>
            <td><When at=k.created /></td>
            <td>{by}</td>
            <td>{last_used}</td>
            <td>{state}</td>
            <td>{action}</td>
        </tr>
    }
}

#[component]
fn When(at: Stamp) -> impl IntoView {
    view! { <time datetime=at.machine>{at.label}</time> }
}

#[component]
fn NewKeyForm() -> impl IntoView {
    let lang = use_lang();
    let f = ApiKeyCreateForm::FIELDS;
    let scopes_field = ApiKeyCreateForm::SCOPES;
    let boxes = Scope::ALL
        .into_iter()
        .map(|scope| {
            let id = format!("scope-{}", ApiKeyCreateForm::scope_field(scope));
            view! {
                <label for=id.clone()>
                    <input id=id.clone() name=ApiKeyCreateForm::scope_field(scope) type="checkbox" value="1" />
                    {scope_name(lang, scope)}" "<code class="muted">{scope.as_str()}</code>
                </label>
            }
        })
        .collect_view();
    // The hint is always there; the refusal, when there is one, comes first.
    let name_described = match described_by(f.name) {
        Some(note) => format!("{note} key-name-hint"),
        None => "key-name-hint".to_owned(),
    };
    view! {
        <section aria-labelledby="new-key-form">
            <h2 id="new-key-form">{T::NewKey.t(lang)}</h2>
            <form method="post" action=routes::STAFF_API_KEY_CREATE class="stack-form">
                <label for="key-name">{T::KeyName.t(lang)}</label>
                <input id="key-name" name=f.name type="text" autocomplete="off" required
                    maxlength=NAME_MAX.to_string() aria-invalid=is_refused(f.name).then_some("true")
                    aria-describedby=name_described />
                <p class="hint" id="key-name-hint">{T::KeyNameHint.t(lang)}</p>
                <FieldNote field=f.name />
                <fieldset aria-describedby=described_by(scopes_field)>
                    <legend>{T::KeyScopesLegend.t(lang)}</legend>
                    {boxes}
                </fieldset>
                <FieldNote field=scopes_field />
                <button type="submit" class="button button-primary">{T::MakeKey.t(lang)}</button>
            </form>
        </section>
    }
}
