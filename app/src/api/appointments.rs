//! In-store services by appointment (server functions; types shared): a store's services
//! with the slots still free, a member's bookings with their codes, and the console's
//! services page (`Action::Services`). Booking, moving, cancelling, verifying at the till
//! and setting a service are form posts (the server's `forms::appointments`). None of
//! these pages is cached: each is someone's own.

use crate::error::AppError;
pub use crate::views::appointments::{
    BookingView, ConsoleBookingRow, ConsoleServiceRow, ConsoleServices, MyBookings, ServiceView,
    ServicesPage, SlotDay, SlotOption,
};
use leptos::prelude::*;

#[server]
pub async fn get_services_page(store: String) -> Result<ServicesPage, AppError> {
    server::services_page(store).await
}

#[server]
pub async fn get_my_bookings() -> Result<MyBookings, AppError> {
    server::my_bookings().await
}

#[server]
pub async fn get_console_services(store: String) -> Result<ConsoleServices, AppError> {
    server::console_services(store).await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::appointments::{self as rules, BookingStatus};
    use crate::domain::i18n::appointments::AppointmentText;
    use crate::domain::slots::LocalTime;
    use crate::domain::staff::Action;
    use crate::qr;
    use crate::ssr::appointments::{self, ServiceRow};
    use crate::ssr::db::Db;
    use crate::ssr::schedule::Calendar;
    use crate::ssr::session::{self, Kind};
    use crate::ssr::stores::{self, StoreRow};
    use crate::ssr::{members, request, staff};
    use std::collections::HashMap;
    use std::collections::hash_map::Entry;

    /// The slots of `service` that can be booked now, grouped by day, with the places
    /// left in each (`except`: a start left out, the one a booking being moved has).
    pub async fn slot_days(
        db: &Db,
        cal: &Calendar,
        service: &ServiceRow,
        except: Option<i64>,
    ) -> Result<Vec<SlotDay>, AppError> {
        let slots = cal.service_slots(service.duration());
        let (Some(first), Some(last)) = (slots.first(), slots.last()) else {
            return Ok(Vec::new());
        };
        let taken = appointments::slot_bookings(db, service.id, first.0, last.0).await?;
        let mut days: Vec<(u8, SlotDay)> = Vec::new();
        for (starts_at, t) in slots.into_iter().filter(|(s, _)| Some(*s) != except) {
            let (booked, capacity) = taken
                .get(&starts_at)
                .copied()
                .unwrap_or((0, service.capacity));
            let slot = SlotOption {
                starts_at,
                time: crate::domain::hours::hhmm(t.minute),
                left: (capacity - booked).max(0),
            };
            match days.last_mut() {
                Some((day, d)) if *day == t.day => d.slots.push(slot),
                _ => days.push((
                    t.day,
                    SlotDay {
                        day: cal.day_of_time(t),
                        slots: vec![slot],
                    },
                )),
            }
        }
        Ok(days.into_iter().map(|(_, d)| d).collect())
    }

    pub async fn services_page(store: String) -> Result<ServicesPage, AppError> {
        crate::api::console::no_store();
        let (db, lang) = (request::db()?, request::lang());
        let row = stores::store_or_404(&db, &store).await?;
        let session = session::current(&db, &request::headers(), Kind::Shopper).await?;
        let cal = row.calendar();
        let mut services = Vec::new();
        for s in appointments::services(&db, row.id).await? {
            if !s.is_active() {
                continue;
            }
            services.push(ServiceView {
                days: slot_days(&db, &cal, &s, None).await?,
                key: s.slug.clone(),
                name: s.name(lang).to_owned(),
                duration_min: s.duration_min,
            });
        }
        Ok(ServicesPage {
            store_name: row.name(lang).to_owned(),
            store_slug: row.slug,
            member: session.and_then(|s| s.member_id).is_some(),
            services,
        })
    }

    pub async fn my_bookings() -> Result<MyBookings, AppError> {
        crate::api::console::no_store();
        let (db, lang) = (request::db()?, request::lang());
        let Some(member) = session::current(&db, &request::headers(), Kind::Shopper)
            .await?
            .and_then(|s| s.member_id)
        else {
            return Ok(MyBookings {
                member: false,
                bookings: Vec::new(),
            });
        };
        let now = session::now();
        let mut stores_seen: HashMap<i64, StoreRow> = HashMap::new();
        let mut bookings = Vec::new();
        for b in appointments::member_bookings(&db, member).await? {
            let store = match stores_seen.entry(b.store_id) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(new) => match stores::store_by_id(&db, b.store_id).await? {
                    Some(store) => new.insert(store),
                    None => continue,
                },
            };
            let cal = store.calendar();
            let live = b.status == BookingStatus::Booked;
            let changeable = live && rules::changeable(b.starts_at, now);
            let service = if changeable {
                appointments::service(&db, b.store_id, &b.service_slug).await?
            } else {
                None
            };
            let move_to = match service {
                Some(s) if s.is_active() => slot_days(&db, &cal, &s, Some(b.starts_at)).await?,
                _ => Vec::new(),
            };
            let code = live.then(|| b.code.clone());
            bookings.push(BookingView {
                qr_svg: code
                    .as_deref()
                    .and_then(|c| qr::svg(c, 200, AppointmentText::BookingCode.t(lang))),
                code,
                id: b.id.clone(),
                store_name: store.name(lang).to_owned(),
                store_slug: store.slug.clone(),
                service: b.service_name(lang).to_owned(),
                duration_min: b.duration_min,
                when: cal.label_instant(lang, b.starts_at),
                status: b.status,
                changeable,
                move_to,
            });
        }
        Ok(MyBookings {
            member: true,
            bookings,
        })
    }

    pub async fn console_services(store: String) -> Result<ConsoleServices, AppError> {
        let (c, lang) = crate::api::console::allow(&store, Action::Services).await?;
        let db = request::db()?;
        let cal = c.store.calendar();
        let services = appointments::services(&db, c.store.id)
            .await?
            .into_iter()
            .map(|s| ConsoleServiceRow {
                name: s.name(lang).to_owned(),
                active: s.is_active(),
                key: s.slug,
                duration_min: s.duration_min,
                capacity: s.capacity,
            })
            .collect();
        let midnight = |day| cal.instant(LocalTime { day, minute: 0 });
        let bookings = match (midnight(0), midnight(1)) {
            (Some(from), Some(to)) => appointments::store_bookings(&db, c.store.id, from, to)
                .await?
                .into_iter()
                .map(|b| ConsoleBookingRow {
                    time: cal.label_soon(lang, b.starts_at),
                    service: stores::pick(lang, &b.name_zh, &b.name_en).to_owned(),
                    member: members::mask(&b.phone),
                    status: b.status,
                })
                .collect(),
            _ => Vec::new(),
        };
        Ok(ConsoleServices {
            today: cal.today().to_string(),
            services,
            bookings,
            frame: staff::frame(&c, lang),
        })
    }
}
