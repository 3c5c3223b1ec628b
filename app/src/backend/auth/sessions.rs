//! Server-side sessions behind the session tokens: created at login (or when a tracking link is
//! opened), renewed while used (sliding expiry), revoked at logout, "log out everywhere",
//! password change and role change. A token whose session is revoked is worthless at once.
//!
//! Session times use the real clock, never the shifted service clock: the token's own expiry
//! is checked against the real clock too.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::access::{Account, Principal};
use super::token;
use crate::backend::audit;
use crate::backend::entity::{petition_case, user, user_role, user_session};
use crate::model::AppError;
use crate::model::account::{Grant, Role};

/// The session cookie: HttpOnly, SameSite=Lax, Secure in production.
pub const COOKIE: &str = "petitio_session";

/// A token lives this long; it is renewed when less than half of it is left, so an idle
/// session ends after this long.
pub const TOKEN_TTL_MINUTES: i64 = 30;

/// However often it is renewed, a session ends this long after login.
pub const SESSION_MAX_HOURS: i64 = 12;

/// The request's client, for rate limits and the session list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: Option<String>,
}

/// Opens a session for a user or for one case and returns its signed token. The login is
/// recorded in the audit trail with the session (a user's in the portal's chain, a tracking
/// link's in its case's institution's).
pub async fn open<C: audit::Connection>(
    db: &C,
    secret: &[u8],
    who: SessionFor,
    client: &ClientInfo,
    now: DateTime<Utc>,
    max_until: Option<DateTime<Utc>>,
) -> Result<String, AppError> {
    let sid = uuid::Uuid::new_v4().simple().to_string();
    let mut expires = now + Duration::hours(SESSION_MAX_HOURS);
    if let Some(limit) = max_until {
        expires = expires.min(limit);
    }
    let (user_id, case_id) = match who {
        SessionFor::User(id) => (Some(id), None),
        SessionFor::Case(id) => (None, Some(id)),
    };
    let txn = db.begin().await?;
    user_session::ActiveModel {
        id: Set(sid.clone()),
        user_id: Set(user_id),
        case_id: Set(case_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(expires),
        revoked_at: Set(None),
        user_agent: Set(client
            .user_agent
            .as_deref()
            .map(|s| s.chars().take(255).collect())),
        ip: Set(Some(client.ip.chars().take(64).collect())),
    }
    .insert(&txn)
    .await?;
    let login = audit::Entry::new(audit::action::LOGIN).ip(&client.ip);
    let login = match who {
        SessionFor::User(id) => {
            let roles: Vec<String> = user_role::Entity::find()
                .filter(user_role::Column::UserId.eq(id))
                .all(&txn)
                .await?
                .into_iter()
                .map(|r| r.role)
                .collect();
            let role = [Role::Admin, Role::Manager, Role::Officer]
                .into_iter()
                .find(|r| roles.iter().any(|x| x == r.code()))
                .unwrap_or(Role::Citizen);
            login
                .by(Some(id), role.code())
                .details(serde_json::json!({ "session": "user" }))
        }
        SessionFor::Case(id) => {
            let institution_id = petition_case::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?
                .institution_id;
            login
                .case(id, institution_id)
                .by(None, "citizen")
                .details(serde_json::json!({ "session": "case_link" }))
        }
    };
    audit::record(&txn, login, now).await?;
    txn.commit().await?;
    sign(secret, &sid, user_id, case_id, now, expires)
}

#[derive(Clone, Copy, Debug)]
pub enum SessionFor {
    User(i64),
    Case(i64),
}

fn sign(
    secret: &[u8],
    sid: &str,
    user_id: Option<i64>,
    case_id: Option<i64>,
    now: DateTime<Utc>,
    session_expires: DateTime<Utc>,
) -> Result<String, AppError> {
    let subject = match (user_id, case_id) {
        (Some(u), _) => u.to_string(),
        (None, Some(c)) => format!("case:{c}"),
        (None, None) => return Err(AppError::Internal),
    };
    let ttl = Duration::minutes(TOKEN_TTL_MINUTES).min(session_expires - now);
    token::issue_for(secret, &subject, sid, now, ttl).map_err(|_| AppError::Internal)
}

/// What [`authenticate`] found: who, and a fresh token when the old one was past half-life.
pub struct Authenticated {
    pub principal: Principal,
    pub renewed: Option<String>,
}

/// Checks a token and its session; `Ok(None)` for anything that does not open a live session
/// (bad signature, wrong algorithm, expired, revoked, user disabled).
pub async fn authenticate<C: ConnectionTrait>(
    db: &C,
    secret: &[u8],
    raw: &str,
    now: DateTime<Utc>,
) -> Result<Option<Authenticated>, AppError> {
    let Ok(claims) = token::verify(secret, raw) else {
        return Ok(None);
    };
    let rows = session_rows(db, &claims.sid).await?;
    let Some(session) = rows.first() else {
        return Ok(None);
    };
    if session.revoked_at.is_some() || session.expires_at <= now {
        return Ok(None);
    }
    let principal = match (session.user_id, session.case_id) {
        (Some(user_id), _) if claims.sub == user_id.to_string() => {
            let (Some(email), Some(full_name), Some(locale), Some(true)) = (
                &session.email,
                &session.full_name,
                &session.locale,
                session.active,
            ) else {
                return Ok(None);
            };
            Principal::User(Account {
                session_id: claims.sid.clone(),
                user_id,
                email: email.clone(),
                full_name: full_name.clone(),
                locale: locale.clone(),
                email_verified: session.email_verified_at.is_some(),
                grants: rows
                    .iter()
                    .filter_map(|r| {
                        Some(Grant {
                            role: Role::parse(r.role.as_deref()?)?,
                            institution_id: r.role_institution_id,
                            department_id: r.role_department_id,
                        })
                    })
                    .collect(),
            })
        }
        (None, Some(case_id)) if claims.sub == format!("case:{case_id}") => Principal::CaseLink {
            session_id: claims.sid.clone(),
            case_id,
        },
        _ => return Ok(None),
    };
    let half = Duration::minutes(TOKEN_TTL_MINUTES) / 2;
    let renewed = if claims.exp - now.timestamp() < half.num_seconds()
        && session.expires_at - now > Duration::minutes(1)
    {
        user_session::Entity::update_many()
            .col_expr(user_session::Column::LastSeenAt, Expr::value(now))
            .filter(user_session::Column::Id.eq(claims.sid.clone()))
            .exec(db)
            .await?;
        Some(sign(
            secret,
            &claims.sid,
            session.user_id,
            session.case_id,
            now,
            session.expires_at,
        )?)
    } else {
        None
    };
    Ok(Some(Authenticated { principal, renewed }))
}

/// A session with its user and one of the user's roles: one row per role (one without a role
/// for a user who has none, or for a tracking link's session). Every request of a signed-in
/// user reads this, in one statement.
#[derive(Debug, sea_orm::FromQueryResult)]
struct SessionRow {
    user_id: Option<i64>,
    case_id: Option<i64>,
    expires_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    email: Option<String>,
    full_name: Option<String>,
    locale: Option<String>,
    active: Option<bool>,
    email_verified_at: Option<DateTime<Utc>>,
    role: Option<String>,
    role_institution_id: Option<i64>,
    role_department_id: Option<i64>,
}

async fn session_rows<C: ConnectionTrait>(db: &C, sid: &str) -> Result<Vec<SessionRow>, AppError> {
    use sea_orm::{JoinType, QuerySelect, RelationTrait};
    Ok(user_session::Entity::find_by_id(sid.to_string())
        .select_only()
        .columns([
            user_session::Column::UserId,
            user_session::Column::CaseId,
            user_session::Column::ExpiresAt,
            user_session::Column::RevokedAt,
        ])
        .columns([
            user::Column::Email,
            user::Column::FullName,
            user::Column::Locale,
            user::Column::Active,
            user::Column::EmailVerifiedAt,
        ])
        .column(user_role::Column::Role)
        .column_as(user_role::Column::InstitutionId, "role_institution_id")
        .column_as(user_role::Column::DepartmentId, "role_department_id")
        .join(JoinType::LeftJoin, user_session::Relation::User.def())
        .join(JoinType::LeftJoin, user::Relation::UserRole.def())
        .order_by_asc(user_role::Column::Id)
        .into_model::<SessionRow>()
        .all(db)
        .await?)
}

/// The active user `user_id` with their roles, or `None` when disabled or gone.
pub async fn load_account<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    session_id: &str,
) -> Result<Option<Account>, AppError> {
    let user = user::Entity::find_by_id(user_id).one(db).await?;
    account_of(db, user, session_id).await
}

/// `user` with their roles, or `None` when disabled or gone.
async fn account_of<C: ConnectionTrait>(
    db: &C,
    user: Option<user::Model>,
    session_id: &str,
) -> Result<Option<Account>, AppError> {
    let Some(u) = user.filter(|u| u.active) else {
        return Ok(None);
    };
    let user_id = u.id;
    let grants = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .order_by_asc(user_role::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(Grant {
                role: Role::parse(&r.role)?,
                institution_id: r.institution_id,
                department_id: r.department_id,
            })
        })
        .collect();
    Ok(Some(Account {
        session_id: session_id.to_string(),
        user_id: u.id,
        email: u.email,
        full_name: u.full_name,
        locale: u.locale,
        email_verified: u.email_verified_at.is_some(),
        grants,
    }))
}

/// Ends one session.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    session_id: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    user_session::Entity::update_many()
        .col_expr(user_session::Column::RevokedAt, Expr::value(now))
        .filter(user_session::Column::Id.eq(session_id))
        .filter(user_session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of a user, except `keep` (the one asking, after a password change).
pub async fn revoke_all<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    keep: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let mut q = user_session::Entity::update_many()
        .col_expr(user_session::Column::RevokedAt, Expr::value(now))
        .filter(user_session::Column::UserId.eq(user_id))
        .filter(user_session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        q = q.filter(user_session::Column::Id.ne(keep));
    }
    Ok(q.exec(db).await?.rows_affected)
}

/// Ends every tracking-link session of a case.
pub async fn revoke_case_sessions<C: ConnectionTrait>(
    db: &C,
    case_id: i64,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    Ok(user_session::Entity::update_many()
        .col_expr(user_session::Column::RevokedAt, Expr::value(now))
        .filter(user_session::Column::CaseId.eq(case_id))
        .filter(user_session::Column::RevokedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// The `Set-Cookie` value carrying `token` (or clearing the cookie when `token` is `None`).
pub fn cookie(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(t) => format!(
            "{COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            SESSION_MAX_HOURS * 3600
        ),
        None => format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cookie_is_http_only_lax_and_secure_in_production() {
        let dev = super::cookie(Some("t"), false);
        assert_eq!(
            dev,
            "petitio_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200"
        );
        assert!(super::cookie(Some("t"), true).ends_with("; Secure"));
        assert!(super::cookie(None, true).contains("Max-Age=0"));
    }
}
