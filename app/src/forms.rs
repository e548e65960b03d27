//! The contract of every form post (both sides): one struct per post, whose fields are the
//! form's fields. The page names its inputs with `…Form::FIELDS`, the server parses the
//! post into the struct, and an error about a field names it by the same constant, so
//! a renamed field cannot leave one of the three behind. Routes are in `links::routes`;
//! the checkout form, with its draft, is in `views::checkout`.

use crate::domain::redirect::LocalPath;
use serde::Deserialize;

/// A form struct (every field optional in the post: a missing one is its default) and
/// its `FIELDS`, the names the page writes.
macro_rules! form {
    (
        $(#[$meta:meta])*
        $name:ident, $fields:ident {
            $($(#[$field_meta:meta])* $field:ident : $ty:ty),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, Deserialize)]
        #[serde(default)]
        pub struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
        }

        #[doc = concat!("The names of [`", stringify!($name), "`]'s fields.")]
        #[derive(Clone, Copy, Debug)]
        pub struct $fields {
            $(pub $field: &'static str,)*
        }

        impl $name {
            pub const FIELDS: $fields = $fields { $($field: stringify!($field),)* };
        }
    };
}

form! {
    /// `POST /lang`: the language chosen, and the page to go back to.
    LanguageForm, LanguageFields { lang: String, back: LocalPath }
}

form! {
    /// `POST /bag/add`, `/bag/set`, `/bag/remove` and `/kiosk/add`: a line of a bag.
    LineForm, LineFields {
        store: String,
        sku: String,
        /// Adding: how many more (1 when absent). Setting: the new quantity (0 removes).
        quantity: Option<String>,
        back: LocalPath,
    }
}

form! {
    /// `POST /bag/take`: the token from a kiosk's QR code.
    TakeForm, TakeFields { t: String }
}

form! {
    /// `POST /kiosk/reset`: the screen's store.
    KioskResetForm, KioskResetFields { store: String }
}

form! {
    /// `POST /orders/cancel`.
    CancelForm, CancelFields { id: String }
}

form! {
    /// `POST /member/code`: where to send a sign-in code (empty: forget the pending one).
    MemberPhoneForm, MemberPhoneFields { phone: String }
}

form! {
    /// `POST /member/verify`: the code that was sent.
    MemberCodeForm, MemberCodeFields { code: String }
}

form! {
    /// `POST /till/login`: the store's staff PIN.
    TillLoginForm, TillLoginFields { store: String, pin: String }
}

form! {
    /// `POST /till/logout`.
    TillLogoutForm, TillLogoutFields { store: String }
}

form! {
    /// `POST /till/collect`: a pick-up code.
    TillCollectForm, TillCollectFields { store: String, code: String }
}

form! {
    /// `POST /till/advance`: an order to move to its next step.
    TillAdvanceForm, TillAdvanceFields { store: String, id: String }
}

form! {
    /// `POST /till/member`: a member code shown at the desk.
    TillMemberForm, TillMemberFields { store: String, code: String }
}

form! {
    /// `POST /till/redeem`: a coupon of the member being served (`m`, a signed token).
    TillRedeemForm, TillRedeemFields { store: String, m: String, coupon: String }
}

form! {
    /// `POST /till/points`: points for the member being served (`m`, a signed token).
    TillPointsForm, TillPointsFields { store: String, m: String, points: String }
}

form! {
    /// `GET /g/{code}?to=`: where a guide's link goes.
    GuideLinkQuery, GuideLinkFields { to: LocalPath }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_named_as_the_struct_parses_them() {
        assert_eq!(LineForm::FIELDS.quantity, "quantity");
        assert_eq!(TillPointsForm::FIELDS.m, "m");
        let form: LineForm =
            serde_json::from_str(r#"{"store":"sh-a","back":"//evil.example"}"#).unwrap();
        assert_eq!(form.store, "sh-a");
        assert_eq!(form.quantity, None);
        assert_eq!(form.back.get(), None);
    }
}
