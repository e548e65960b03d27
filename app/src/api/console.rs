//! The store console's pages (server functions; types shared): the staff home, the order
//! queue and one order, the team, guides' results and the audit log. Each asks
//! `ssr::staff::authorize` for this person, this store and this page's action; changes
//! are form posts (the server's `forms::staff` and `forms::console`). Never cached.

use crate::error::AppError;
pub use crate::views::console::{
    AuditRow, ConsoleAudit, ConsoleFrame, ConsoleGuides, ConsoleOrder, ConsoleQueue, ConsoleTeam,
    GuideRow, Me, MyStore, OrderPayment, PickLine, QueueGroup, QueueOrder, StaffHome, TeamMember,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::lang::Lang;
    use crate::domain::order::Status;
    use crate::domain::staff::{Action, Role};
    use crate::ssr::console::{self, Period};
    use crate::ssr::request;
    use crate::ssr::staff::{self, Console};
    use crate::ssr::stores::StoreRow;

    /// Console pages carry people's numbers and the store's business: never stored.
    pub fn no_store() {
        if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
            r.insert_header(
                http::header::CACHE_CONTROL,
                http::HeaderValue::from_static("no-store"),
            );
        }
    }

    pub async fn allow(store: &str, action: Action) -> Result<(Console, Lang), AppError> {
        no_store();
        let db = request::db()?;
        let console = staff::authorize(&db, &request::headers(), store, action).await?;
        Ok((console, request::lang()))
    }

    pub fn due_label(store: &StoreRow, lang: Lang, start: Option<i64>, end: Option<i64>) -> String {
        let cal = store.calendar();
        match (start, end) {
            (Some(s), Some(e)) => cal.label_span(lang, s, e),
            (Some(s), None) => cal.label_instant(lang, s),
            _ => String::new(),
        }
    }

    pub async fn home() -> Result<StaffHome, AppError> {
        no_store();
        let (db, lang) = (request::db()?, request::lang());
        let Some(user) = staff::current(&db, &request::headers()).await? else {
            return Ok(StaffHome { me: None });
        };
        let stores = staff::my_stores(&db, &user)
            .await?
            .into_iter()
            .map(|(s, role)| MyStore {
                slug: s.slug.clone(),
                name: s.name(lang).to_owned(),
                city: s.city(lang).to_owned(),
                role,
            })
            .collect();
        Ok(StaffHome {
            me: Some(Me {
                name: user.name,
                phone: user.phone,
                brand_admin: user.grants.brand_admin,
                stores,
            }),
        })
    }

    pub async fn queue(store: String) -> Result<ConsoleQueue, AppError> {
        let (c, lang) = allow(&store, Action::Orders).await?;
        let db = request::db()?;
        let now = crate::ssr::session::now();
        let rows = console::queue(&db, c.store.id).await?;
        let newest = rows.iter().map(|r| r.created_at).max().unwrap_or(0);
        let groups = [
            Status::Placed,
            Status::Preparing,
            Status::Ready,
            Status::OutForDelivery,
        ]
        .into_iter()
        .map(|status| QueueGroup {
            status,
            orders: rows
                .iter()
                .filter(|r| r.status == status)
                .map(|r| QueueOrder {
                    id: r.id.clone(),
                    mode: r.mode,
                    status: r.status,
                    due: due_label(&c.store, lang, r.due, r.window_end),
                    waiting_min: (now - r.since).max(0) / 60,
                    urgent: r.due.is_some_and(|d| d - now < 3600),
                    items: r.items,
                    contact: r.contact_name.clone(),
                    total: crate::domain::money::Money::cny(r.total_minor),
                    // An order waiting for its online payment is not worked on yet.
                    next: r
                        .status
                        .next(r.mode)
                        .filter(|_| r.payment.0.lets_store_start()),
                    payment: r.payment.0,
                })
                .collect(),
        })
        .collect();
        Ok(ConsoleQueue {
            frame: staff::frame(&c, lang),
            groups,
            newest,
        })
    }

    pub async fn order(store: String, id: String) -> Result<ConsoleOrder, AppError> {
        let (c, lang) = allow(&store, Action::Orders).await?;
        let db = request::db()?;
        let id = crate::domain::order::parse_order_id(&id)
            .ok_or(AppError::NotFound(crate::error::Missing::Page))?;
        let now = crate::ssr::session::now();
        let not_found = || AppError::NotFound(crate::error::Missing::Page);
        let mut found = console::store_order(&db, c.store.id, &id)
            .await?
            .ok_or_else(not_found)?;
        // A hold that is over ends here too, so the store never sees it as still running.
        let payment = request::state()?.settings.payment.clone();
        let provider = payment.as_ref().map(|p| p.provider.as_ref());
        if crate::ssr::payments::end_hold(&db, provider, &id, now).await? {
            found = console::store_order(&db, c.store.id, &id)
                .await?
                .ok_or_else(not_found)?;
        }
        let (o, extra) = found;
        let shorts = console::short_lines(&db, &id).await?;
        let lines = crate::ssr::checkout::order_lines(&db, &id)
            .await?
            .into_iter()
            .map(|l| PickLine {
                name: crate::ssr::stores::pick(lang, &l.name_zh, &l.name_en).to_owned(),
                short: shorts
                    .iter()
                    .find(|s| s.sku == l.sku)
                    .and_then(|s| u32::try_from(s.short_quantity).ok())
                    .unwrap_or(0),
                sku: l.sku,
                quantity: l.quantity,
                price: o.money(l.price_minor),
            })
            .collect();
        let money = order_payment(&db, &c.store, lang, &o).await?;
        let start = o.window_start.or(o.pickup_at);
        Ok(ConsoleOrder {
            // Picked (and marked short) only once paid, or when the app takes no payment.
            shortable: matches!(o.status, Status::Placed | Status::Preparing)
                && matches!(
                    money.payment,
                    crate::domain::payment::Payment::Paid | crate::domain::payment::Payment::None
                ),
            next: o
                .status
                .next(o.mode)
                .filter(|_| money.payment.lets_store_start()),
            money,
            frame: staff::frame(&c, lang),
            due: due_label(&c.store, lang, start, o.window_end),
            placed: c.store.calendar().label_instant(lang, o.created_at),
            waiting_min: (now - extra.since).max(0) / 60,
            cancellable: !matches!(o.status, Status::Completed | Status::Cancelled),
            courier: extra.courier,
            cancel_reason: extra.cancel_reason,
            total: o.money(o.total_minor),
            contact_name: o.contact_name,
            phone: o.phone,
            address: o.address,
            lines,
            mode: o.mode,
            status: o.status,
            id: o.id,
        })
    }

    /// An order's payment for the console: its state, how and when it was paid, when an
    /// unpaid one's hold ends, and its refunds.
    async fn order_payment(
        db: &crate::ssr::db::Db,
        store: &StoreRow,
        lang: Lang,
        order: &crate::ssr::checkout::OrderRow,
    ) -> Result<OrderPayment, AppError> {
        use crate::domain::payment::Payment;
        use crate::ssr::payments;
        let cal = store.calendar();
        let money = payments::money(db, &order.id)
            .await?
            .ok_or(AppError::NotFound(crate::error::Missing::Page))?;
        let payment = money.payment();
        let refunds = crate::api::checkout::server::refund_views(db, order, &cal, lang).await?;
        Ok(OrderPayment {
            paid: match (money.method(), money.paid_at) {
                (Some(method), Some(at)) if payment == Payment::Paid => {
                    Some((method, cal.label_instant(lang, at)))
                }
                _ => None,
            },
            hold_ends: money
                .pay_by
                .filter(|_| payment == Payment::Awaiting)
                .map(|by| cal.label_instant(lang, by)),
            refunds,
            payment,
        })
    }

    pub async fn team(store: String) -> Result<ConsoleTeam, AppError> {
        let (c, lang) = allow(&store, Action::Team).await?;
        let db = request::db()?;
        let members = staff::team(&db, c.store.id)
            .await?
            .into_iter()
            .map(|t| TeamMember {
                is_me: t.id == c.user.id,
                id: t.id,
                name: t.name,
                phone: t.phone,
                role: t.role,
            })
            .collect();
        let may_appoint = [Role::Manager, Role::Staff, Role::Guide]
            .into_iter()
            .filter(|r| c.user.grants.may_appoint(c.store.id, *r))
            .collect();
        Ok(ConsoleTeam {
            frame: staff::frame(&c, lang),
            members,
            may_appoint,
        })
    }

    pub async fn guides(store: String, period: String) -> Result<ConsoleGuides, AppError> {
        // A guide sees their own results; a manager (and a brand admin) everyone's.
        let (c, lang) = allow(&store, Action::OwnResults).await?;
        let own_only = !crate::domain::staff::allows(c.role, Action::GuideResults);
        let db = request::db()?;
        let period = Period::parse(&period);
        let (from, to) = period.span(&c.store.time_zone, chrono::Utc::now());
        let rows = console::guide_results(&db, c.store.id, from, to, own_only.then_some(c.user.id))
            .await?
            .into_iter()
            .map(|g| GuideRow {
                name: crate::ssr::stores::pick(lang, &g.name_zh, &g.name_en).to_owned(),
                code: g.code,
                members: g.members,
                orders: g.orders,
                sales: crate::domain::money::Money::cny(g.sales_minor),
            })
            .collect();
        Ok(ConsoleGuides {
            frame: staff::frame(&c, lang),
            period: period.as_str().to_owned(),
            rows,
            own_only,
        })
    }

    pub async fn audit(store: String, page: u32) -> Result<ConsoleAudit, AppError> {
        const PER_PAGE: i64 = 50;
        let (c, lang) = allow(&store, Action::Audit).await?;
        let db = request::db()?;
        let page = page.max(1);
        let mut entries = crate::ssr::audit::for_store(
            &db,
            c.store.id,
            PER_PAGE + 1,
            (i64::from(page) - 1) * PER_PAGE,
        )
        .await?;
        let more = entries.len() as i64 > PER_PAGE;
        entries.truncate(PER_PAGE as usize);
        let cal = c.store.calendar();
        let rows = entries
            .into_iter()
            .map(|e| AuditRow {
                when: cal.label_instant(lang, e.at),
                who: format!("{} · {}", e.staff_name, e.staff_phone),
                action: e.action,
                subject: e.subject,
                before: e.before,
                after: e.after,
            })
            .collect();
        Ok(ConsoleAudit {
            frame: staff::frame(&c, lang),
            rows,
            page,
            more,
        })
    }
}

#[cfg(feature = "ssr")]
pub use server::{allow, no_store};

#[server]
pub async fn get_staff_home() -> Result<StaffHome, AppError> {
    server::home().await
}

#[server]
pub async fn get_console_queue(store: String) -> Result<ConsoleQueue, AppError> {
    server::queue(store).await
}

#[server]
pub async fn get_console_order(store: String, id: String) -> Result<ConsoleOrder, AppError> {
    server::order(store, id).await
}

#[server]
pub async fn get_console_team(store: String) -> Result<ConsoleTeam, AppError> {
    server::team(store).await
}

#[server]
pub async fn get_console_guides(store: String, period: String) -> Result<ConsoleGuides, AppError> {
    server::guides(store, period).await
}

#[server]
pub async fn get_console_audit(store: String, page: u32) -> Result<ConsoleAudit, AppError> {
    server::audit(store, page).await
}
