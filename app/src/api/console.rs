//! The store console's pages (server functions; types shared): the staff home, the order
//! queue and one order, the team, guides' results and the audit log. Each asks
//! `ssr::staff::authorize` for this person, this store and this page's action; changes
//! are form posts (the server's `forms::staff` and `forms::console`). Never cached.

use crate::error::AppError;
pub use crate::views::console::{
    AuditRow, ConsoleAudit, ConsoleFrame, ConsoleGuides, ConsoleOrder, ConsoleQueue, ConsoleTeam,
    GuideRow, Me, MyStore, PickLine, QueueGroup, QueueOrder, StaffHome, TeamMember,
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
                    next: r.status.next(r.mode),
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
        let (o, extra) = console::store_order(&db, c.store.id, &id)
            .await?
            .ok_or(AppError::NotFound(crate::error::Missing::Page))?;
        let lines = crate::ssr::checkout::order_lines(&db, &id)
            .await?
            .into_iter()
            .map(|l| PickLine {
                name: crate::ssr::stores::pick(lang, &l.name_zh, &l.name_en).to_owned(),
                sku: l.sku,
                quantity: l.quantity,
                price: o.money(l.price_minor),
            })
            .collect();
        let now = crate::ssr::session::now();
        let start = o.window_start.or(o.pickup_at);
        Ok(ConsoleOrder {
            frame: staff::frame(&c, lang),
            due: due_label(&c.store, lang, start, o.window_end),
            placed: c.store.calendar().label_instant(lang, o.created_at),
            waiting_min: (now - extra.since).max(0) / 60,
            next: o.status.next(o.mode),
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
