//! Staff accounts over HTTP: `POST /staff/login` (number and password; locked after five
//! misses per number and fifty per address in fifteen minutes), `/staff/logout` (this
//! device, or with `everywhere` every device), and the team: `/staff/team/add`,
//! `/staff/team/reset`, `/staff/team/remove` — each checked against the poster's role in
//! that store, and audited.

use super::{Reply, finish_beside};
use crate::extract::Answer;
use crate::proxy::ClientIp;
use app::domain::i18n::staff::StaffText as T;
use app::domain::order::parse_phone;
use app::domain::staff::{Action, Role, check_password, clean_name};
use app::error::AppError;
use app::forms::{
    StaffLoginForm, StaffLogoutForm, StaffPasswordForm, TeamAddForm, TeamRemoveForm, TeamResetForm,
};
use app::links;
use app::ssr::audit::{self, Change};
use app::ssr::cookies;
use app::ssr::db::Db;
use app::ssr::session::Kind;
use app::ssr::staff::{self, AddRefusal, SignInRefusal};
use axum::extract::{Form, State};
use axum::response::Response;
use http::HeaderMap;

const HOME: &str = links::staff_home();

pub async fn login(
    State(db): State<Db>,
    ClientIp(client): ClientIp,
    answer: Answer,
    Form(form): Form<StaffLoginForm>,
) -> Response {
    let lang = answer.lang;
    let f = StaffLoginForm::FIELDS;
    let back = match form.back.get() {
        Some(b) => format!("{HOME}?back={b}"),
        None => HOME.to_owned(),
    };
    let outcome = async {
        let phone =
            parse_phone(&form.phone).map_err(|_| AppError::validation(f.phone, T::BadPhone))?;
        let signed = staff::sign_in(
            &db,
            &phone,
            &form.password,
            &client.to_string(),
            answer.https,
        )
        .await?;
        Ok::<_, AppError>(match signed {
            Ok((_, cookie)) => {
                let to = form.back.or(HOME).to_owned();
                Reply::ok(T::SignedIn.t(lang).to_owned(), &to).with_cookie(Some(cookie))
            }
            Err(SignInRefusal::Wrong) => Reply::refused_beside(
                &AppError::validation(f.password, T::WrongPassword),
                lang,
                &back,
            ),
            // Said beside the password, with the real status: too many tries.
            Err(SignInRefusal::Locked) => {
                let mut r = Reply::refused_beside(
                    &AppError::validation(f.password, T::LockedOut),
                    lang,
                    &back,
                );
                r.status = http::StatusCode::TOO_MANY_REQUESTS;
                r
            }
        })
    }
    .await;
    finish_beside(outcome, answer, &back)
}

pub async fn logout(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<StaffLogoutForm>,
) -> Response {
    let lang = answer.lang;
    let outcome = async {
        let Some(user) = staff::current(&db, &headers).await? else {
            return Ok(Reply::ok(T::SignedOut.t(lang).to_owned(), HOME));
        };
        let message = if form.everywhere.is_empty() {
            staff::sign_out(&db, &user).await?;
            T::SignedOut
        } else {
            staff::sign_out_everywhere(&db, user.id).await?;
            T::SignedOutEverywhere
        };
        Ok(Reply::ok(message.t(lang).to_owned(), HOME)
            .with_cookie(Some(cookies::clear(Kind::Staff.cookie(), answer.https))))
    }
    .await;
    super::finish(outcome, answer, HOME)
}

/// One's own password: the present one, then a new one (10+ characters).
pub async fn change_password(
    State(db): State<Db>,
    ClientIp(client): ClientIp,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<StaffPasswordForm>,
) -> Response {
    let lang = answer.lang;
    let f = StaffPasswordForm::FIELDS;
    let outcome = async {
        let user = staff::current(&db, &headers)
            .await?
            .ok_or(AppError::Unauthorized)?;
        check_password(&form.password).map_err(|p| AppError::validation(f.password, p))?;
        // Guessing the present password from a stolen session counts like sign-in misses.
        let key = format!("staff-login:{}", user.phone);
        app::ssr::rate_limit::check(&db, &key, staff::LOGIN_PER_PHONE).await?;
        if !staff::change_password(&db, &user, &form.current, &form.password).await? {
            app::ssr::rate_limit::hit(&db, &key, staff::LOGIN_PER_PHONE).await?;
            app::ssr::rate_limit::hit(
                &db,
                &format!("staff-login-addr:{}", client),
                staff::LOGIN_PER_ADDRESS,
            )
            .await?;
            return Err(AppError::validation(f.current, T::WrongCurrentPassword));
        }
        audit::record(
            &db.pool,
            &Change {
                store_id: None,
                staff_id: user.id,
                action: "password.change",
                subject: &user.phone,
                before: "",
                after: "changed",
            },
        )
        .await?;
        Ok(Reply::ok(T::PasswordChanged.t(lang).to_owned(), HOME))
    }
    .await;
    finish_beside(outcome, answer, HOME)
}

fn team_page(store: &str) -> String {
    match app::domain::store::StoreSlug::parse(store) {
        Some(s) => links::console(s.as_str(), "team"),
        None => HOME.to_owned(),
    }
}

pub async fn team_add(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<TeamAddForm>,
) -> Response {
    let lang = answer.lang;
    let back = team_page(&form.store);
    let outcome = async {
        let c = staff::authorize(&db, &headers, &form.store, Action::Team).await?;
        let f = TeamAddForm::FIELDS;
        let name =
            clean_name(&form.name).ok_or_else(|| AppError::validation(f.name, T::BadName))?;
        let phone =
            parse_phone(&form.phone).map_err(|_| AppError::validation(f.phone, T::BadPhone))?;
        let role = Role::parse(&form.role)
            .ok_or_else(|| AppError::validation(f.role, T::CannotAppoint))?;
        if !c.user.grants.may_appoint(c.store.id, role) {
            return Err(AppError::validation(f.role, T::CannotAppoint));
        }
        check_password(&form.password).map_err(|p| AppError::validation(f.password, p))?;
        match staff::add_to_store(&db, c.store.id, &name, &phone, role, &form.password).await? {
            Ok(_) => {
                audit::record(
                    &db.pool,
                    &Change {
                        store_id: Some(c.store.id),
                        staff_id: c.user.id,
                        action: "team.add",
                        subject: &phone,
                        before: "",
                        after: &format!("{name} · {}", role.as_str()),
                    },
                )
                .await?;
                Ok(Reply::ok(T::PersonAdded.t(lang).to_owned(), &back))
            }
            Err(AddRefusal::AlreadyInStore) => {
                Err(AppError::validation(f.phone, T::AlreadyInStore))
            }
        }
    }
    .await;
    finish_beside(outcome, answer, &back)
}

/// The person a team post is about, who must have a role in this store that the poster
/// may give (a manager does not reset another manager's password; a brand admin may).
async fn colleague(db: &Db, c: &staff::Console, raw: &str) -> Result<(i64, Role), AppError> {
    let id: i64 = raw
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound(app::error::Missing::Page))?;
    let role = staff::role_in_store(db, id, c.store.id)
        .await?
        .ok_or(AppError::NotFound(app::error::Missing::Page))?;
    if id != c.user.id && !c.user.grants.may_appoint(c.store.id, role) {
        return Err(AppError::Forbidden);
    }
    Ok((id, role))
}

pub async fn team_reset(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<TeamResetForm>,
) -> Response {
    let lang = answer.lang;
    let back = team_page(&form.store);
    let outcome = async {
        let c = staff::authorize(&db, &headers, &form.store, Action::Team).await?;
        let (id, _) = colleague(&db, &c, &form.staff).await?;
        let field = format!("{id}.{}", TeamResetForm::FIELDS.password);
        check_password(&form.password).map_err(|p| AppError::validation(&field, p))?;
        staff::reset_password(&db, id, &form.password).await?;
        audit::record(
            &db.pool,
            &Change {
                store_id: Some(c.store.id),
                staff_id: c.user.id,
                action: "team.password",
                subject: &id.to_string(),
                before: "",
                after: "reset",
            },
        )
        .await?;
        Ok(Reply::ok(T::PasswordReset.t(lang).to_owned(), &back))
    }
    .await;
    finish_beside(outcome, answer, &back)
}

pub async fn team_remove(
    State(db): State<Db>,
    answer: Answer,
    headers: HeaderMap,
    Form(form): Form<TeamRemoveForm>,
) -> Response {
    let lang = answer.lang;
    let back = team_page(&form.store);
    let outcome = async {
        let c = staff::authorize(&db, &headers, &form.store, Action::Team).await?;
        let (id, role) = colleague(&db, &c, &form.staff).await?;
        if staff::remove_from_store(&db, id, c.store.id).await? {
            staff::sign_out_everywhere(&db, id).await?;
            audit::record(
                &db.pool,
                &Change {
                    store_id: Some(c.store.id),
                    staff_id: c.user.id,
                    action: "team.remove",
                    subject: &id.to_string(),
                    before: role.as_str(),
                    after: "",
                },
            )
            .await?;
        }
        Ok(Reply::ok(T::Removed.t(lang).to_owned(), &back))
    }
    .await;
    finish_beside(outcome, answer, &back)
}
