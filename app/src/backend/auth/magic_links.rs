//! Passwordless tracking: a citizen who filed without an account gets, per case, a link that
//! opens that case and nothing else. The link expires and can be revoked (by its holder, the
//! owner or the institution's staff); a new one can be asked for with the registration number
//! and the address the case was filed with.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::access::{Principal, visible_case};
use super::accounts::normalize_email;
use super::one_time::{self, NewToken, purpose};
use super::rate_limit;
use super::sessions::{self, ClientInfo, SessionFor};
use crate::backend::entity::{auth_token, petition_case};
use crate::backend::outbox;
use crate::backend::{AppConfig, audit};
use crate::model::AppError;

/// How long a tracking link works.
pub const CASE_LINK_DAYS: i64 = 180;

#[derive(Clone, Debug, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct LinkRequestForm {
    #[validate(length(min = 3, max = 64, code = "registration_number_invalid"))]
    pub registration_number: String,
    #[validate(
        email(code = "email_invalid"),
        length(max = 254, code = "email_invalid")
    )]
    pub email: String,
}

/// A new tracking link for case `case_id`, for the petitioner at `to` (no mail): what the
/// workflow's mails to a petitioner without an account carry. Returns the link and its expiry.
pub async fn tracking_link<C: ConnectionTrait>(
    db: &C,
    public_url: &str,
    case_id: i64,
    to: &str,
    now: DateTime<Utc>,
) -> Result<(String, DateTime<Utc>), AppError> {
    let (token, row) = one_time::create(
        db,
        NewToken {
            purpose: purpose::CASE_ACCESS,
            user_id: None,
            case_id: Some(case_id),
            email: Some(to.to_string()),
            ttl: Duration::days(CASE_LINK_DAYS),
        },
        now,
    )
    .await?;
    Ok((
        format!("{}/urmarire/{token}", public_url.trim_end_matches('/')),
        row.expires_at,
    ))
}

/// Creates a tracking link for `case` and queues the mail carrying it (inside the caller's
/// transaction, e.g. the filing's). Returns the link.
pub async fn issue<C: ConnectionTrait>(
    db: &C,
    cfg: &AppConfig,
    case: &petition_case::Model,
    to: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let (link, expires_at) = tracking_link(db, &cfg.public_url, case.id, to, now).await?;
    let lang = case.petitioner_lang.as_deref().unwrap_or("ro");
    let ctx = [
        ("registration_number", case.registration_number.clone()),
        ("subject", case.subject.clone()),
        ("link", link.clone()),
        (
            "due",
            expires_at.date_naive().format("%d.%m.%Y").to_string(),
        ),
    ]
    .into_iter()
    .collect();
    outbox::enqueue_letter(
        db,
        outbox::Letter {
            to,
            template: "case_link",
            lang,
            ctx: &ctx,
            case_id: Some(case.id),
            not_before: None,
        },
        cfg.clock.now(),
    )
    .await?;
    Ok(link)
}

/// Mails a new tracking link when the registration number and address match a case; answers
/// the same either way.
pub async fn request(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    form: LinkRequestForm,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let form = LinkRequestForm {
        registration_number: form.registration_number.trim().to_string(),
        email: normalize_email(&form.email),
    };
    form.validate()?;
    let now = Utc::now();
    rate_limit::hit_action(
        db,
        "magic_link",
        cfg.rate_limits.magic_link,
        &client.ip,
        Some(&form.email),
        now,
    )
    .await?;
    let case = petition_case::Entity::find()
        .filter(petition_case::Column::RegistrationNumber.eq(form.registration_number.as_str()))
        .one(db)
        .await?
        .filter(|c| {
            c.petitioner_email
                .as_deref()
                .is_some_and(|e| normalize_email(e) == form.email)
        });
    if let Some(case) = case {
        let txn = db.begin().await?;
        issue(&txn, cfg, &case, &form.email, now).await?;
        txn.commit().await?;
        outbox::wake();
    }
    Ok(())
}

/// Opens a case-only session from a link: the case id and the session token.
pub async fn open(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    token: &str,
    client: &ClientInfo,
) -> Result<(i64, String), AppError> {
    let now = Utc::now();
    let row = one_time::find_live(db, purpose::CASE_ACCESS, token, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let case_id = row.case_id.ok_or(AppError::NotFound)?;
    let session = sessions::open(
        db,
        &cfg.jwt_secret.0,
        SessionFor::Case(case_id),
        client,
        now,
        Some(row.expires_at),
    )
    .await?;
    Ok((case_id, session))
}

/// Revokes every tracking link of a case and ends the sessions they opened.
pub async fn revoke(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    case_id: i64,
) -> Result<u64, AppError> {
    let case = visible_case(db, principal, case_id).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let links = auth_token::Entity::update_many()
        .col_expr(auth_token::Column::RevokedAt, Expr::value(now))
        .filter(auth_token::Column::CaseId.eq(case_id))
        .filter(auth_token::Column::Purpose.eq(purpose::CASE_ACCESS))
        .filter(auth_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    sessions::revoke_case_sessions(&txn, case_id, now).await?;
    let entry = audit::Entry::new(audit::action::CASE_LINKS_REVOKE)
        .case(case.id, case.institution_id)
        .details(serde_json::json!({ "revoked": links }));
    let entry = match principal.and_then(Principal::account) {
        Some(a) => entry.by_account(a, Some(case.institution_id)),
        None => entry.by(None, "citizen"),
    };
    audit::record(&txn, entry, now).await?;
    txn.commit().await?;
    Ok(links)
}
