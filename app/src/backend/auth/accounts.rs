//! Account services: registration with email verification, login, password reset and change,
//! logout (here or everywhere), staff invitations and role changes. Every mail goes through
//! the outbox in the same transaction as the change it announces.

use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};
use validator::Validate;

use super::access::{Account, Principal};
use super::one_time::{self, NewToken, purpose};
use super::rate_limit;
use super::sessions::{self, ClientInfo, SessionFor};
use crate::backend::entity::{department, institution, user, user_role};
use crate::backend::mail_templates::MailContext;
use crate::backend::outbox;
use crate::backend::{AppConfig, audit, password};
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::account::{
    ChangePasswordForm, EmailForm, Grant, LoginForm, Me, NewPasswordForm, RegisterForm, Role,
};

/// How long the links sent by mail work.
pub const VERIFY_HOURS: i64 = 48;
pub const RESET_HOURS: i64 = 2;
pub const INVITE_HOURS: i64 = 7 * 24;

/// Addresses are compared trimmed and lower-cased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

async fn find_user<C: ConnectionTrait>(
    db: &C,
    email: &str,
) -> Result<Option<user::Model>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await?)
}

/// Queues an account mail (`template`) to `to` with a link.
async fn queue_account_mail<C: ConnectionTrait>(
    db: &C,
    cfg: &AppConfig,
    template: &str,
    to: &str,
    lang: &str,
    ctx: MailContext,
) -> Result<(), AppError> {
    outbox::enqueue_letter(
        db,
        outbox::Letter {
            to,
            template,
            lang,
            ctx: &ctx,
            case_id: None,
            not_before: None,
        },
        cfg.clock.now(),
    )
    .await?;
    Ok(())
}

fn ctx(pairs: &[(&'static str, String)]) -> MailContext {
    pairs.iter().cloned().collect()
}

/// Registers a citizen and mails a verification link. The answer is the same whether or not
/// the address already has an account (its owner gets a mail saying so), so registration does
/// not reveal who has an account.
pub async fn register(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    form: RegisterForm,
    lang: Lang,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let form = RegisterForm {
        full_name: form.full_name.trim().to_string(),
        email: normalize_email(&form.email),
        password: form.password,
    };
    form.validate()?;
    let now = Utc::now();
    rate_limit::hit_action(
        db,
        "register",
        cfg.rate_limits.register,
        &client.ip,
        None,
        now,
    )
    .await?;
    if let Some(existing) = find_user(db, &form.email).await? {
        let link = format!("{}/autentificare", cfg.public_url);
        queue_account_mail(
            db,
            cfg,
            "account_exists",
            &existing.email,
            &existing.locale,
            ctx(&[("name", existing.full_name.clone()), ("link", link)]),
        )
        .await?;
        outbox::wake();
        return Ok(());
    }
    let hash = password::hash(form.password.clone()).await?;
    let txn = db.begin().await?;
    let u = user::ActiveModel {
        email: Set(form.email.clone()),
        password_hash: Set(Some(hash)),
        full_name: Set(form.full_name.clone()),
        locale: Set(lang.code().to_string()),
        active: Set(true),
        email_verified_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        // Two registrations of one address at once: the unique index decides.
        tracing::info!(error = %e, "registration lost a race on the address");
        AppError::Conflict("this address was just registered".into())
    })?;
    user_role::ActiveModel {
        user_id: Set(u.id),
        role: Set(Role::Citizen.code().into()),
        institution_id: Set(None),
        department_id: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    send_verification(&txn, cfg, &u).await?;
    txn.commit().await?;
    outbox::wake();
    tracing::info!(user_id = u.id, "citizen registered");
    Ok(())
}

async fn send_verification<C: ConnectionTrait>(
    db: &C,
    cfg: &AppConfig,
    u: &user::Model,
) -> Result<(), AppError> {
    mail_link(db, cfg, u, &VERIFY_LINK, String::new()).await
}

/// A single-use link mailed to a user: what it is for, how long it works, its mail and page.
struct LinkKind {
    purpose: &'static str,
    hours: i64,
    template: &'static str,
    /// The link is the public URL, this, then the token.
    path: &'static str,
}

const VERIFY_LINK: LinkKind = LinkKind {
    purpose: purpose::VERIFY_EMAIL,
    hours: VERIFY_HOURS,
    template: "verify_email",
    path: "/cont/confirmare/",
};
const RESET_LINK: LinkKind = LinkKind {
    purpose: purpose::RESET_PASSWORD,
    hours: RESET_HOURS,
    template: "reset_password",
    path: "/parola/noua?token=",
};
const INVITE_LINK: LinkKind = LinkKind {
    purpose: purpose::INVITE,
    hours: INVITE_HOURS,
    template: "invite",
    path: "/parola/noua?token=",
};

/// Mails `u` a new link of `kind`; older links of the same kind stop working.
async fn mail_link<C: ConnectionTrait>(
    db: &C,
    cfg: &AppConfig,
    u: &user::Model,
    kind: &LinkKind,
    institution: String,
) -> Result<(), AppError> {
    let now = Utc::now();
    one_time::revoke_for_user(db, kind.purpose, u.id, now).await?;
    let (token, _) = one_time::create(
        db,
        NewToken {
            purpose: kind.purpose,
            user_id: Some(u.id),
            case_id: None,
            email: Some(u.email.clone()),
            ttl: Duration::hours(kind.hours),
        },
        now,
    )
    .await?;
    let link = format!("{}{}{token}", cfg.public_url, kind.path);
    queue_account_mail(
        db,
        cfg,
        kind.template,
        &u.email,
        &u.locale,
        ctx(&[
            ("name", u.full_name.clone()),
            ("link", link),
            ("hours", kind.hours.to_string()),
            ("institution", institution),
        ]),
    )
    .await
}

/// Confirms the address the link was sent to.
pub async fn verify_email(db: &DatabaseConnection, token: &str) -> Result<(), AppError> {
    let now = Utc::now();
    let txn = db.begin().await?;
    let Some(row) = one_time::consume(&txn, &[purpose::VERIFY_EMAIL], token, now).await? else {
        return Err(AppError::field("token", "token_invalid"));
    };
    let user_id = row.user_id.ok_or(AppError::Internal)?;
    user::Entity::update_many()
        .col_expr(user::Column::EmailVerifiedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::Email.eq(row.email.unwrap_or_default()))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Checks the credentials and opens a session. A wrong address and a wrong password get the
/// same answer (and take as long: a missing user still costs one hash verification).
pub async fn login(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    form: LoginForm,
    client: &ClientInfo,
) -> Result<(Me, String), AppError> {
    let form = LoginForm {
        email: normalize_email(&form.email),
        password: form.password,
    };
    form.validate()?;
    let now = Utc::now();
    rate_limit::hit_action(
        db,
        "login",
        cfg.rate_limits.login,
        &client.ip,
        Some(&form.email),
        now,
    )
    .await?;
    let found = find_user(db, &form.email).await?;
    let stored = found.as_ref().and_then(|u| u.password_hash.clone());
    let ok = password::verify_or_dummy(form.password, stored).await?;
    // A refused login is recorded (the account when there is one; never the text typed).
    let refused = |user_id: Option<i64>, reason: &str| {
        audit::Entry::new(audit::action::LOGIN_FAILED)
            .by(
                user_id,
                if user_id.is_some() {
                    "user"
                } else {
                    "anonymous"
                },
            )
            .ip(&client.ip)
            .details(serde_json::json!({ "reason": reason }))
    };
    let u = match found {
        Some(u) if ok && u.active => u,
        Some(u) if ok => {
            // A deactivated account is told so, but only to whoever knows its password: the
            // answer reveals nothing to someone guessing addresses.
            audit::record(db, refused(Some(u.id), "inactive"), now).await?;
            return Err(AppError::field("email", "account_inactive"));
        }
        Some(u) => {
            audit::record(db, refused(Some(u.id), "wrong_password"), now).await?;
            return Err(AppError::Unauthorized);
        }
        None => {
            audit::record(db, refused(None, "unknown_account"), now).await?;
            return Err(AppError::Unauthorized);
        }
    };
    if u.email_verified_at.is_none() {
        let txn = db.begin().await?;
        send_verification(&txn, cfg, &u).await?;
        audit::record(&txn, refused(Some(u.id), "email_unverified"), now).await?;
        txn.commit().await?;
        outbox::wake();
        return Err(AppError::field("email", "email_unverified"));
    }
    let token = sessions::open(
        db,
        &cfg.jwt_secret.0,
        SessionFor::User(u.id),
        client,
        now,
        None,
    )
    .await?;
    let account = sessions::load_account(db, u.id, "")
        .await?
        .ok_or(AppError::Unauthorized)?;
    tracing::info!(user_id = u.id, "logged in");
    Ok((me(&account), token))
}

/// The signed-in user as the browser sees them.
pub fn me(account: &Account) -> Me {
    let role = [Role::Admin, Role::Manager, Role::Officer]
        .into_iter()
        .find(|r| account.has_role(*r))
        .unwrap_or(Role::Citizen);
    Me {
        id: account.user_id,
        email: account.email.clone(),
        full_name: account.full_name.clone(),
        email_verified: account.email_verified,
        role,
        grants: account.grants.clone(),
    }
}

/// Mails a reset link when the address has an active account; answers the same either way.
pub async fn request_password_reset(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    form: EmailForm,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let form = EmailForm {
        email: normalize_email(&form.email),
    };
    form.validate()?;
    let now = Utc::now();
    rate_limit::hit_action(
        db,
        "reset",
        cfg.rate_limits.reset,
        &client.ip,
        Some(&form.email),
        now,
    )
    .await?;
    let Some(u) = find_user(db, &form.email).await?.filter(|u| u.active) else {
        return Ok(());
    };
    let txn = db.begin().await?;
    mail_link(&txn, cfg, &u, &RESET_LINK, String::new()).await?;
    txn.commit().await?;
    outbox::wake();
    Ok(())
}

/// Mails `u` a link to choose a password, as an administrator asked: the invitation again
/// while they have none (with their institution's name), else a reset link. Older links of
/// the same kind stop working. Returns the mail's template.
pub async fn mail_password_link<C: ConnectionTrait>(
    db: &C,
    cfg: &AppConfig,
    u: &user::Model,
    institution_id: Option<i64>,
) -> Result<&'static str, AppError> {
    if u.password_hash.is_some() {
        mail_link(db, cfg, u, &RESET_LINK, String::new()).await?;
        return Ok(RESET_LINK.template);
    }
    let inst_name = match institution_id {
        Some(id) => institution::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|i| i.name_ro)
            .unwrap_or_default(),
        None => String::new(),
    };
    mail_link(db, cfg, u, &INVITE_LINK, inst_name).await?;
    Ok(INVITE_LINK.template)
}

/// Sets a new password from a reset or invitation link, confirms the address (the link proved
/// it) and ends every session of the account.
pub async fn reset_password(
    db: &DatabaseConnection,
    form: NewPasswordForm,
) -> Result<(), AppError> {
    form.validate()?;
    let hash = password::hash(form.password.clone()).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let Some(row) = one_time::consume(
        &txn,
        &[purpose::RESET_PASSWORD, purpose::INVITE],
        form.token.trim(),
        now,
    )
    .await?
    else {
        return Err(AppError::field("token", "token_invalid"));
    };
    let user_id = row.user_id.ok_or(AppError::Internal)?;
    let u = user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::field("token", "token_invalid"))?;
    let verified = u.email_verified_at.or(Some(now));
    let mut am: user::ActiveModel = u.into();
    am.password_hash = Set(Some(hash));
    am.email_verified_at = Set(verified);
    am.update(&txn).await?;
    sessions::revoke_all(&txn, user_id, None, now).await?;
    txn.commit().await?;
    tracing::info!(user_id, "password set from a mailed link");
    Ok(())
}

/// Changes the password of the signed-in user and ends their other sessions.
pub async fn change_password(
    db: &DatabaseConnection,
    account: &Account,
    form: ChangePasswordForm,
) -> Result<(), AppError> {
    form.validate()?;
    let u = user::Entity::find_by_id(account.user_id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let stored = u.password_hash.clone().unwrap_or_default();
    if !password::verify(form.current_password, stored).await? {
        return Err(AppError::field("current_password", "password_wrong"));
    }
    let hash = password::hash(form.new_password).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let mut am: user::ActiveModel = u.into();
    am.password_hash = Set(Some(hash));
    am.update(&txn).await?;
    sessions::revoke_all(&txn, account.user_id, Some(&account.session_id), now).await?;
    txn.commit().await?;
    Ok(())
}

/// Ends the asker's session.
pub async fn logout(db: &DatabaseConnection, principal: &Principal) -> Result<(), AppError> {
    sessions::revoke(db, principal.session_id(), Utc::now()).await
}

/// Ends every session of the signed-in user, this one included.
pub async fn logout_everywhere(
    db: &DatabaseConnection,
    account: &Account,
) -> Result<u64, AppError> {
    sessions::revoke_all(db, account.user_id, None, Utc::now()).await
}

/// A staff account to create.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, Validate, utoipa::ToSchema)]
pub struct InviteForm {
    #[validate(
        email(code = "email_invalid"),
        length(max = 254, code = "email_invalid")
    )]
    pub email: String,
    #[validate(
        length(min = 2, max = 200, code = "full_name_length"),
        custom(function = "crate::model::account::plain_name")
    )]
    pub full_name: String,
    pub grants: Vec<Grant>,
}

/// Checks that `admin` may hand out every grant of `grants`.
async fn check_grants<C: ConnectionTrait>(
    db: &C,
    admin: &Account,
    grants: &[Grant],
) -> Result<(), AppError> {
    if grants.is_empty() {
        return Err(AppError::field("grants", "grants_empty"));
    }
    for g in grants {
        match (g.role, g.institution_id) {
            (Role::Citizen, _) => {}
            (Role::Admin, None) if admin.is_global_admin() => {}
            (_, None) => return Err(AppError::field("grants", "grant_needs_institution")),
            (_, Some(inst)) => {
                if !admin.administers(inst) {
                    return Err(AppError::Forbidden);
                }
                if institution::Entity::find_by_id(inst)
                    .one(db)
                    .await?
                    .is_none()
                {
                    return Err(AppError::field("grants", "grant_unknown_institution"));
                }
                if let Some(dept) = g.department_id {
                    let ok = department::Entity::find_by_id(dept)
                        .one(db)
                        .await?
                        .is_some_and(|d| d.institution_id == inst);
                    if !ok {
                        return Err(AppError::field("grants", "grant_unknown_department"));
                    }
                }
            }
        }
    }
    Ok(())
}

fn require_admin(account: &Account) -> Result<(), AppError> {
    if account.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Creates a staff account (no password yet) and mails the invitation to choose one.
pub async fn invite_staff(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    admin: &Account,
    form: InviteForm,
) -> Result<i64, AppError> {
    require_admin(admin)?;
    let form = InviteForm {
        email: normalize_email(&form.email),
        full_name: form.full_name.trim().to_string(),
        grants: form.grants,
    };
    form.validate()?;
    check_grants(db, admin, &form.grants).await?;
    if find_user(db, &form.email).await?.is_some() {
        return Err(AppError::Conflict(
            "an account with this address exists; change its roles instead".into(),
        ));
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    let u = user::ActiveModel {
        email: Set(form.email.clone()),
        password_hash: Set(None),
        full_name: Set(form.full_name.clone()),
        locale: Set(Lang::Ro.code().into()),
        active: Set(true),
        email_verified_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_grants(&txn, u.id, &form.grants).await?;
    let inst_name = match form.grants.iter().find_map(|g| g.institution_id) {
        Some(id) => institution::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .map(|i| i.name_ro)
            .unwrap_or_default(),
        None => String::new(),
    };
    mail_link(&txn, cfg, &u, &INVITE_LINK, inst_name).await?;
    let chain = grants_chain(&form.grants);
    audit::record(
        &txn,
        audit::Entry::new("admin.user.invite")
            .chain(chain)
            .by_account(admin, chain)
            .target("user", u.id)
            .details(serde_json::json!({ "email": form.email, "grants": form.grants })),
        now,
    )
    .await?;
    txn.commit().await?;
    outbox::wake();
    tracing::info!(
        user_id = u.id,
        admin = admin.user_id,
        "staff account invited"
    );
    Ok(u.id)
}

/// The audit chain of a change to `grants`: their institution when they all name the same
/// one, else the portal's.
pub fn grants_chain(grants: &[Grant]) -> Option<i64> {
    let mut institutions = grants
        .iter()
        .filter(|g| g.role != Role::Citizen)
        .map(|g| g.institution_id);
    let first = institutions.next().flatten()?;
    institutions.all(|i| i == Some(first)).then_some(first)
}

async fn insert_grants<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    grants: &[Grant],
) -> Result<(), AppError> {
    for g in grants {
        user_role::ActiveModel {
            user_id: Set(user_id),
            role: Set(g.role.code().into()),
            institution_id: Set(g.institution_id),
            department_id: Set(g.department_id),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Replaces the roles of a user and ends their sessions (the next request needs a new login,
/// with the new rights). An admin changes only accounts inside their scope.
pub async fn set_grants(
    db: &DatabaseConnection,
    admin: &Account,
    user_id: i64,
    grants: Vec<Grant>,
) -> Result<(), AppError> {
    require_admin(admin)?;
    // As on the pages: nobody changes their own roles (an administrator locking themselves
    // out, or granting themselves more), another administrator does.
    if user_id == admin.user_id {
        return Err(AppError::field("grants", "user_self_change"));
    }
    check_grants(db, admin, &grants).await?;
    user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let current = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    // The admin must also administer every staff grant the user has now.
    let outside = current.iter().any(|r| {
        r.role != Role::Citizen.code()
            && !r
                .institution_id
                .map_or(admin.is_global_admin(), |i| admin.administers(i))
    });
    if outside {
        return Err(AppError::NotFound);
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    user_role::Entity::delete_many()
        .filter(user_role::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    insert_grants(&txn, user_id, &grants).await?;
    sessions::revoke_all(&txn, user_id, None, now).await?;
    let before: Vec<Grant> = current
        .iter()
        .filter_map(|r| {
            Some(Grant {
                role: Role::parse(&r.role)?,
                institution_id: r.institution_id,
                department_id: r.department_id,
            })
        })
        .collect();
    let mut all = before.clone();
    all.extend(grants.iter().cloned());
    let chain = grants_chain(&all);
    audit::record(
        &txn,
        audit::Entry::new("admin.user.roles")
            .chain(chain)
            .by_account(admin, chain)
            .target("user", user_id)
            .details(serde_json::json!({ "before": before, "after": grants })),
        now,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(
        user_id,
        admin = admin.user_id,
        "roles changed; sessions revoked"
    );
    Ok(())
}
