//! A refused field's message, beside the field (server-rendered): a console post that
//! refuses one field sends the page back with a one-time cookie naming the field, and the
//! field's `FieldNote` shows the message there. The input names the note with
//! `aria-describedby` ([`note_id`]) and is marked `aria-invalid` ([`is_refused`]).

use leptos::prelude::*;

/// The message for `field`, if the post just refused it (server; `None` in the browser).
pub fn refused(field: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::cookies::Cookie;
        use crate::ssr::flash::Flash;
        use crate::ssr::request;
        request::cookie(Cookie::Flash)
            .and_then(|v| Flash::parse(&v))
            .filter(|f| !f.ok && f.field.as_deref() == Some(field))
            .map(|f| f.message)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = field;
        None
    }
}

pub fn is_refused(field: &str) -> bool {
    refused(field).is_some()
}

/// The id of `field`'s note: letters, digits and dashes only.
pub fn note_id(field: &str) -> String {
    let id: String = field
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("note-{id}")
}

/// What an input's `aria-describedby` names: its note, only while there is one (a
/// reference to an element that is not there is itself an accessibility fault).
pub fn described_by(field: &str) -> Option<String> {
    is_refused(field).then(|| note_id(field))
}

#[component]
pub fn FieldNote(#[prop(into)] field: String) -> impl IntoView {
    refused(&field).map(|message| {
        view! { <p class="field-error" id=note_id(&field) role="alert">{message}</p> }
    })
}
