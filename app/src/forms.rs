//! The contract of every form post (both sides): one struct per post, whose fields are the
//! form's fields. The page names its inputs with `…Form::FIELDS`, the server parses the
//! post into the struct, and an error about a field names it by the same constant, so
//! a renamed field cannot leave one of the three behind. Routes are in `links::routes`;
//! the checkout form, with its draft, is in `views::checkout`.

use crate::domain::ops::Scope;
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
    /// `POST /till/collect`: a pick-up code, and for an order paid at the store how the
    /// shopper paid (`cash` or `card`).
    TillCollectForm, TillCollectFields { store: String, code: String, paid: String }
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
    /// `POST /till/verify`: a booking's code, typed or scanned (核销).
    TillVerifyForm, TillVerifyFields { store: String, booking_code: String }
}

form! {
    /// `POST /bookings/book`: a place in a slot (`starts_at`, Unix seconds) of a store's
    /// service (its key), for the signed-in member.
    BookForm, BookFields { store: String, service: String, starts_at: String }
}

impl BookForm {
    /// The field a slot's refusal is said beside: one per service on the page,
    /// `{service}.starts_at`.
    pub fn slot_field(service: &str) -> String {
        format!("{service}.{}", Self::FIELDS.starts_at)
    }
}

form! {
    /// `POST /bookings/move`: a member's booking to another slot of its service.
    BookingMoveForm, BookingMoveFields { id: String, starts_at: String }
}

impl BookingMoveForm {
    /// The field a new time's refusal is said beside: one per booking, `{id}.starts_at`.
    pub fn slot_field(id: &str) -> String {
        format!("{id}.{}", Self::FIELDS.starts_at)
    }
}

form! {
    /// `POST /bookings/cancel`: a member's booking, cancelled.
    BookingCancelForm, BookingCancelFields { id: String }
}

form! {
    /// `POST /staff/services/set`: a service's places per slot and whether it takes
    /// bookings (a checkbox: ticked `1`, unticked absent).
    ServiceSetForm, ServiceSetFields { store: String, service: String, capacity: String, active: String }
}

impl ServiceSetForm {
    /// The field a refusal is said beside: one per service row, `{service}.capacity`
    /// and `{service}.active`.
    pub fn field(service: &str, name: &str) -> String {
        format!("{service}.{name}")
    }
}

form! {
    /// `POST /staff/login`: a staff member's number and password.
    StaffLoginForm, StaffLoginFields { phone: String, password: String, back: LocalPath }
}

form! {
    /// `POST /staff/logout` and `/staff/logout-everywhere`.
    StaffLogoutForm, StaffLogoutFields { everywhere: String }
}

form! {
    /// `POST /staff/password`: one's own new password, with the present one.
    StaffPasswordForm, StaffPasswordFields { current: String, password: String }
}

form! {
    /// `POST /staff/orders/advance`: move an order to `to` (its next step; `courier`
    /// names who takes a delivery out).
    StaffAdvanceForm, StaffAdvanceFields {
        store: String,
        id: String,
        to: String,
        courier: String,
        /// Where to come back to (the queue); absent, the order's page.
        back: LocalPath,
    }
}

form! {
    /// `POST /staff/orders/cancel`: the store cancels an order, saying why.
    StaffCancelForm, StaffCancelFields { store: String, id: String, reason: String }
}

form! {
    /// `POST /staff/orders/short`: the store could not pick `short` units of the line
    /// `sku` of an order it is picking (the money for them goes back to the shopper).
    StaffShortForm, StaffShortFields { store: String, id: String, sku: String, short: String }
}

impl StaffShortForm {
    /// The field a line's units short are refused beside, one per line of the pick list:
    /// `{sku}.short`.
    pub fn short_field(sku: &str) -> String {
        format!("{sku}.{}", Self::FIELDS.short)
    }
}

form! {
    /// `POST /staff/team/add`: a person and their role in this store.
    TeamAddForm, TeamAddFields { store: String, name: String, phone: String, role: String, password: String }
}

form! {
    /// `POST /staff/team/reset`: a new password for a person of this store.
    TeamResetForm, TeamResetFields { store: String, staff: String, password: String }
}

form! {
    /// `POST /staff/team/remove`: a person's role in this store taken away.
    TeamRemoveForm, TeamRemoveFields { store: String, staff: String }
}

form! {
    /// `POST /staff/api-keys/create`: a new API key's name and what it may do, one
    /// checkbox per scope (ticked, it sends `1`; unticked, nothing). A checkbox each,
    /// rather than one repeated name, since a form post decodes into one value per field.
    ApiKeyCreateForm, ApiKeyCreateFields {
        name: String,
        catalog_write: String,
        stock_write: String,
        orders_read: String,
        webhooks_write: String,
    }
}

impl ApiKeyCreateForm {
    /// The field "tick at least one" is said beside: the scopes' fieldset.
    pub const SCOPES: &'static str = "scopes";

    /// The checkbox of `scope`.
    pub fn scope_field(scope: Scope) -> &'static str {
        let f = Self::FIELDS;
        match scope {
            Scope::CatalogWrite => f.catalog_write,
            Scope::StockWrite => f.stock_write,
            Scope::OrdersRead => f.orders_read,
            Scope::WebhooksWrite => f.webhooks_write,
        }
    }

    /// Whether `scope` was ticked: `1` yes, absent no; `None` for anything else, which
    /// is not the form's.
    pub fn ticked(&self, scope: Scope) -> Option<bool> {
        let value = match scope {
            Scope::CatalogWrite => &self.catalog_write,
            Scope::StockWrite => &self.stock_write,
            Scope::OrdersRead => &self.orders_read,
            Scope::WebhooksWrite => &self.webhooks_write,
        };
        match value.as_str() {
            "" => Some(false),
            "1" => Some(true),
            _ => None,
        }
    }
}

form! {
    /// `POST /staff/api-keys/revoke`: the key to revoke, by its id.
    ApiKeyRevokeForm, ApiKeyRevokeFields { id: String }
}

form! {
    /// `POST /staff/stock/set`: one offer's price, list price and stock (yuan, yuan,
    /// units; an empty field is left as it is). `was_stock` is the stock the page showed,
    /// so an edit never overwrites a checkout it did not see.
    OfferSetForm, OfferSetFields {
        store: String,
        sku: String,
        price: String,
        list_price: String,
        stock: String,
        was_stock: String,
        back: LocalPath,
    }
}

form! {
    /// `POST /staff/stock/preview`: a CSV (`sku,stock[,price_fen]`) pasted or uploaded.
    StockPreviewForm, StockPreviewFields { store: String, csv: String }
}

form! {
    /// `POST /staff/stock/apply`: apply a previewed CSV, all or nothing.
    StockApplyForm, StockApplyFields { store: String, import: String }
}

form! {
    /// `POST /staff/settings/save`: a store's delivery and pick-up settings.
    StoreSettingsForm, StoreSettingsFields {
        store: String,
        window_capacity: String,
        delivery_radius_km: String,
        delivery_fee: String,
        free_delivery_from: String,
        pickup_lead_min: String,
        /// A checkbox: `1` lets pick-ups be paid at the till; absent, they are paid online.
        pay_at_store: String,
    }
}

form! {
    /// `POST /staff/settings/window`: one delivery window's capacity.
    WindowCapacityForm, WindowCapacityFields { store: String, starts_at: String, capacity: String }
}

form! {
    /// `POST /staff/settings/pause`: pause new orders (`scope` delivery or all) for
    /// `minutes`; 0 resumes.
    PauseForm, PauseFields { store: String, scope: String, minutes: String }
}

form! {
    /// `POST /staff/settings/special-day`: holiday hours (`hours` empty: closed).
    SpecialDayForm, SpecialDayFields { store: String, date: String, hours: String }
}

form! {
    /// `POST /staff/settings/special-day/remove`.
    SpecialDayRemoveForm, SpecialDayRemoveFields { store: String, date: String }
}

form! {
    /// `POST /member/choices`: what the member receives, one checkbox per sender (`1`
    /// ticked; absent, not).
    MemberChoicesForm, MemberChoicesFields { brand: String, store: String, guide: String }
}

form! {
    /// `POST /staff/benefits/add`: a benefit rule (a trigger, its days, and a coupon of a
    /// campaign, points or a message to grant).
    BenefitRuleForm, BenefitRuleFields {
        store: String,
        trigger: String,
        days: String,
        campaign: String,
        points: String,
        message: String,
    }
}

impl BenefitRuleForm {
    /// The field "choose a reward" is said beside: the reward's fieldset.
    pub const REWARD: &'static str = "reward";
}

form! {
    /// `POST /staff/benefits/toggle`: a rule turned on (`on` = `1`) or off (`0`).
    BenefitToggleForm, BenefitToggleFields { store: String, rule: String, on: String }
}

form! {
    /// `POST /checkin`: a member checks in at the store.
    CheckInForm, CheckInFields { store: String }
}

form! {
    /// `POST /member/delete`: deleting one's account, confirmed with the last four digits
    /// of one's number.
    MemberDeleteForm, MemberDeleteFields { confirm: String }
}

form! {
    /// `POST /staff/coupons/create`: a new coupon campaign (money in yuan, days as
    /// `YYYY-MM-DD`); the categories it covers come as repeated `category` fields, which
    /// the handler reads from the post's pairs.
    CampaignForm, CampaignFields {
        store: String,
        title: String,
        kind: String,
        amount: String,
        percent: String,
        cap: String,
        min_spend: String,
        from: String,
        to: String,
        total: String,
        per_member: String,
        /// A checkbox (`1`): good in every store (a brand admin's choice alone).
        brand_wide: String,
        category: String,
    }
}

impl CampaignForm {
    /// The form from a post's pairs, and every `category` ticked; a field other than
    /// `category` sent twice is refused (its name), as every other form refuses it.
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<(CampaignForm, Vec<String>), String> {
        let mut form = CampaignForm::default();
        let mut categories = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for (k, v) in pairs {
            let slot = match k.as_str() {
                "category" => {
                    categories.push(v.clone());
                    continue;
                }
                "store" => &mut form.store,
                "title" => &mut form.title,
                "kind" => &mut form.kind,
                "amount" => &mut form.amount,
                "percent" => &mut form.percent,
                "cap" => &mut form.cap,
                "min_spend" => &mut form.min_spend,
                "from" => &mut form.from,
                "to" => &mut form.to,
                "total" => &mut form.total,
                "per_member" => &mut form.per_member,
                "brand_wide" => &mut form.brand_wide,
                _ => continue,
            };
            if seen.contains(&k.as_str()) {
                return Err(k.clone());
            }
            seen.push(k);
            *slot = v.clone();
        }
        Ok((form, categories))
    }
}

form! {
    /// `POST /staff/audience/send`: a message (and a coupon of a campaign, and a product to
    /// link to, by SKU) to the audience the page counted (`audience`, its query string).
    AudienceSendForm, AudienceSendFields {
        store: String,
        audience: String,
        body: String,
        campaign: String,
        sku: String,
    }
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

    #[test]
    fn booking_and_moving_name_the_slot_alike() {
        // One slot select (`pages::services::SlotSelect`) serves both forms.
        assert_eq!(
            BookForm::FIELDS.starts_at,
            BookingMoveForm::FIELDS.starts_at
        );
        assert_eq!(BookForm::slot_field("skin-test"), "skin-test.starts_at");
        assert_eq!(
            ServiceSetForm::field("skin-test", "capacity"),
            "skin-test.capacity"
        );
    }

    #[test]
    fn each_scope_has_its_own_checkbox() {
        let names: std::collections::HashSet<_> = Scope::ALL
            .into_iter()
            .map(ApiKeyCreateForm::scope_field)
            .collect();
        assert_eq!(names.len(), Scope::ALL.len());
        assert!(!names.contains(ApiKeyCreateForm::SCOPES));
        // The box the page names for a scope is the one the server reads for it.
        for scope in Scope::ALL {
            let posted =
                serde_json::json!({ "name": "ERP", ApiKeyCreateForm::scope_field(scope): "1" });
            let form: ApiKeyCreateForm = serde_json::from_value(posted).unwrap();
            let ticked: Vec<Scope> = Scope::ALL
                .into_iter()
                .filter(|s| form.ticked(*s) == Some(true))
                .collect();
            assert_eq!(ticked, [scope]);
        }
        let odd: ApiKeyCreateForm = serde_json::from_str(r#"{"stock_write":"yes"}"#).unwrap();
        assert_eq!(odd.ticked(Scope::StockWrite), None);
        assert_eq!(odd.ticked(Scope::OrdersRead), Some(false));
    }
}
