//! The administration of staff users, for the pages (`/admin/utilizatori`) and the JSON API
//! (`/api/v1/admin/users`) alike: the list (by role, department and words of the name or
//! address), invitations, role changes, deactivation and reactivation, and password links
//! sent by an administrator.
//!
//! Who may do what: the portal's administrator (an `admin` grant without an institution) sees
//! and changes every staff user; an institution's administrator sees the users holding a staff
//! role in their institution, and changes those whose every staff role is in it (a user who
//! also works for another institution is the portal administrator's to change: `403`). A user
//! they do not see does not exist for them (`404`); whoever is not an administrator is refused
//! (`403`). Nobody deactivates their own account or changes their own roles here.
//!
//! Deactivating a user ends every session of theirs in the same transaction (the next request
//! with an old token or cookie is anonymous: `401`) and revokes the links mailed to them;
//! login then refuses them with `account_inactive`. Every change is recorded in the audit
//! trail: `admin.user.invite`, `admin.user.roles` (see `auth::accounts`),
//! `admin.user.deactivate`, `admin.user.reactivate`, `admin.user.password_link`, in the chain
//! of the user's institution (the portal's when their roles span several).
//!
//! Staff lists are small (hundreds of people): the list is filtered by role and department in
//! the database, then by words and sorted by name in memory, where names fold like the case
//! search does (`search::fold`: case and Romanian diacritics ignored, on every database).

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};
use serde_json::json;

use super::auth::access::require_account;
use super::auth::accounts::{self, InviteForm};
use super::auth::one_time::{self, purpose};
use super::auth::{Account, Principal, sessions};
use super::entity::{department, institution, user, user_role};
use super::portal::localized;
use super::search::fold;
use super::{AppConfig, audit, outbox};
use crate::i18n::Lang;
use crate::model::account::{Grant, Role};
use crate::model::users_admin::{
    Choice, GrantRow, GrantView, InviteInput, MAX_PAGE, MAX_PER_PAGE, PER_PAGE, StaffUser,
    StaffUserDetail, StaffUserPage, UserFilter, UsersOverview, parse_scope, parse_staff_role,
    scope_value,
};
use crate::model::{AppError, FieldErrors};

// --- who may ------------------------------------------------------------------------------

/// The signed-in administrator (of an institution or of the portal), or why not.
fn admin(principal: Option<&Principal>) -> Result<&Account, AppError> {
    let account = require_account(principal)?;
    if !account.has_role(Role::Admin) {
        return Err(AppError::Forbidden);
    }
    Ok(account)
}

/// The institutions `account` administers; `None`: all of them (the portal's administrator).
fn administered(account: &Account) -> Option<BTreeSet<i64>> {
    if account.is_global_admin() {
        return None;
    }
    Some(
        account
            .grants
            .iter()
            .filter(|g| g.role == Role::Admin)
            .filter_map(|g| g.institution_id)
            .collect(),
    )
}

/// Whether a staff grant at `institution_id` is in the scope `scope` (see [`administered`]).
fn in_scope(scope: &Option<BTreeSet<i64>>, institution_id: Option<i64>) -> bool {
    match (scope, institution_id) {
        (None, _) => true,
        (Some(s), Some(i)) => s.contains(&i),
        (Some(_), None) => false,
    }
}

fn grant_of(r: &user_role::Model) -> Option<Grant> {
    Some(Grant {
        role: Role::parse(&r.role)?,
        institution_id: r.institution_id,
        department_id: r.department_id,
    })
}

/// User `id` with their grants, if `account` sees them (a staff role in their scope);
/// otherwise the user does not exist for them.
async fn visible_user<C: ConnectionTrait>(
    db: &C,
    account: &Account,
    id: i64,
) -> Result<(user::Model, Vec<Grant>), AppError> {
    let scope = administered(account);
    let u = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let grants: Vec<Grant> = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(id))
        .all(db)
        .await?
        .iter()
        .filter_map(grant_of)
        .collect();
    let seen = grants
        .iter()
        .any(|g| g.role != Role::Citizen && in_scope(&scope, g.institution_id));
    if !seen {
        return Err(AppError::NotFound);
    }
    Ok((u, grants))
}

/// Whether every staff grant of `grants` is in `account`'s scope.
fn all_in_scope(account: &Account, grants: &[Grant]) -> bool {
    let scope = administered(account);
    grants
        .iter()
        .filter(|g| g.role != Role::Citizen)
        .all(|g| in_scope(&scope, g.institution_id))
}

/// User `id`, if `account` may change them: they see them, every staff role of theirs is in
/// their scope (else `403`), and it is not their own account (else `field`: `self_code`).
async fn changeable_user<C: ConnectionTrait>(
    db: &C,
    account: &Account,
    id: i64,
    field: &str,
    self_code: &str,
) -> Result<(user::Model, Vec<Grant>), AppError> {
    let (u, grants) = visible_user(db, account, id).await?;
    if !all_in_scope(account, &grants) {
        return Err(AppError::Forbidden);
    }
    if u.id == account.user_id {
        return Err(AppError::field(field, self_code));
    }
    Ok((u, grants))
}

// --- names ----------------------------------------------------------------------------------

/// The names of institutions and departments, in the reader's language.
struct Names {
    institutions: HashMap<i64, String>,
    departments: HashMap<i64, String>,
}

impl Names {
    async fn load<C: ConnectionTrait>(db: &C, lang: Lang) -> Result<Names, AppError> {
        let institutions = institution::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|i| {
                let n = localized(lang, &i.name_ro, &i.name_ru, &i.name_en).to_string();
                (i.id, n)
            })
            .collect();
        let departments = department::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|d| {
                let n = localized(lang, &d.name_ro, &d.name_ru, &d.name_en).to_string();
                (d.id, n)
            })
            .collect();
        Ok(Names {
            institutions,
            departments,
        })
    }

    fn grant(&self, g: &Grant) -> GrantView {
        GrantView {
            role: g.role,
            institution_id: g.institution_id,
            institution: g
                .institution_id
                .and_then(|i| self.institutions.get(&i).cloned()),
            department_id: g.department_id,
            department: g
                .department_id
                .and_then(|d| self.departments.get(&d).cloned()),
        }
    }
}

/// `u` as `account` sees them: their staff roles in `account`'s scope.
fn view_of(account: &Account, u: user::Model, grants: &[Grant], names: &Names) -> StaffUser {
    let scope = administered(account);
    let staff = || grants.iter().filter(|g| g.role != Role::Citizen);
    StaffUser {
        id: u.id,
        email: u.email,
        full_name: u.full_name,
        active: u.active,
        invitation_pending: u.password_hash.is_none(),
        email_verified: u.email_verified_at.is_some(),
        created_at: u.created_at,
        grants: staff()
            .filter(|g| in_scope(&scope, g.institution_id))
            .map(|g| names.grant(g))
            .collect(),
        roles_elsewhere: staff().any(|g| !in_scope(&scope, g.institution_id)),
    }
}

/// Where `account` may give a role: the whole portal (its administrator only), each
/// institution they administer, each of its departments.
async fn scopes<C: ConnectionTrait>(
    db: &C,
    account: &Account,
    lang: Lang,
) -> Result<(Vec<Choice>, Vec<Choice>), AppError> {
    let t = lang.users_admin();
    let scope = administered(account);
    let institutions: Vec<institution::Model> = institution::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|i| in_scope(&scope, Some(i.id)))
        .collect();
    let mut departments: Vec<department::Model> = department::Entity::find()
        .filter(department::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|d| in_scope(&scope, Some(d.institution_id)))
        .collect();
    departments.sort_by_key(|d| (d.institution_id, d.id));
    let several = institutions.len() > 1;
    let mut grant_scopes = Vec::new();
    if scope.is_none() {
        grant_scopes.push(Choice {
            value: scope_value(None, None),
            label: t.scope_portal.to_string(),
        });
    }
    let mut filter_departments = Vec::new();
    for i in &institutions {
        let inst = localized(lang, &i.name_ro, &i.name_ru, &i.name_en);
        grant_scopes.push(Choice {
            value: scope_value(Some(i.id), None),
            label: t.scope_institution.replace("{institution}", inst),
        });
        for d in departments.iter().filter(|d| d.institution_id == i.id) {
            let dep = localized(lang, &d.name_ro, &d.name_ru, &d.name_en);
            grant_scopes.push(Choice {
                value: scope_value(Some(i.id), Some(d.id)),
                label: format!("{inst} — {dep}"),
            });
            filter_departments.push(Choice {
                value: d.id.to_string(),
                label: if several {
                    format!("{inst} — {dep}")
                } else {
                    dep.to_string()
                },
            });
        }
    }
    Ok((grant_scopes, filter_departments))
}

// --- the list -------------------------------------------------------------------------------

/// What a valid filter says.
struct Checked {
    role: Option<Role>,
    department_id: Option<i64>,
    words: Vec<String>,
    page: u64,
    per_page: u64,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn check_filter(f: &UserFilter) -> Result<Checked, AppError> {
    let mut fields = FieldErrors::new();
    let mut fail = |field: &str, code: &str| {
        fields
            .entry(field.to_string())
            .or_default()
            .push(code.to_string());
    };
    let role = match blank(&f.role) {
        None => None,
        Some(r) => {
            let role = parse_staff_role(r);
            if role.is_none() {
                fail("role", "choice_invalid");
            }
            role
        }
    };
    let number = |v: Option<&str>| v.map(|v| v.parse::<i64>().ok().filter(|n| *n > 0));
    let department_id = match number(blank(&f.department_id)) {
        None => None,
        Some(Some(d)) => Some(d),
        Some(None) => {
            fail("department_id", "choice_invalid");
            None
        }
    };
    let page = match number(blank(&f.page)) {
        None => 1,
        Some(Some(p)) if p as u64 <= MAX_PAGE => p as u64,
        Some(_) => {
            fail("page", "page_range");
            1
        }
    };
    let per_page = match number(blank(&f.per_page)) {
        None => PER_PAGE,
        Some(Some(p)) => (p as u64).min(MAX_PER_PAGE),
        Some(None) => {
            fail("per_page", "page_range");
            PER_PAGE
        }
    };
    if !fields.is_empty() {
        return Err(AppError::Validation {
            message: "invalid filters".into(),
            fields,
        });
    }
    let words = blank(&f.q)
        .map(|q| {
            fold(q)
                .split_whitespace()
                .take(8)
                .map(|w| w.chars().take(64).collect())
                .collect()
        })
        .unwrap_or_default();
    Ok(Checked {
        role,
        department_id,
        words,
        page,
        per_page,
    })
}

/// The staff users `principal` administers that match `filter`, by name, a page of them.
pub async fn list(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    filter: &UserFilter,
    lang: Lang,
) -> Result<StaffUserPage, AppError> {
    let account = admin(principal)?;
    let f = check_filter(filter)?;
    // One grant must match every condition: "the officers of department 7".
    let mut grant = Condition::all().add(user_role::Column::Role.ne(Role::Citizen.code()));
    if let Some(scope) = administered(account) {
        grant = grant.add(user_role::Column::InstitutionId.is_in(scope));
    }
    if let Some(role) = f.role {
        grant = grant.add(user_role::Column::Role.eq(role.code()));
    }
    if let Some(d) = f.department_id {
        grant = grant.add(user_role::Column::DepartmentId.eq(d));
    }
    let mut found: Vec<(i64, String, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::FullName)
        .column(user::Column::Email)
        .filter(
            user::Column::Id.in_subquery(
                Query::select()
                    .column(user_role::Column::UserId)
                    .from(user_role::Entity)
                    .cond_where(grant)
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?;
    if !f.words.is_empty() {
        found.retain(|(_, name, email)| {
            let text = fold(&format!("{name} {email}"));
            f.words.iter().all(|w| text.contains(w.as_str()))
        });
    }
    found.sort_by_cached_key(|(id, name, _)| (fold(name), *id));
    let total = found.len() as u64;
    let ids: Vec<i64> = found
        .iter()
        .skip(((f.page - 1) * f.per_page) as usize)
        .take(f.per_page as usize)
        .map(|(id, _, _)| *id)
        .collect();
    let items = views(db, account, &ids, lang).await?;
    Ok(StaffUserPage {
        items,
        total,
        page: f.page,
        per_page: f.per_page,
    })
}

/// Users `ids`, in this order, as `account` sees them.
async fn views<C: ConnectionTrait>(
    db: &C,
    account: &Account,
    ids: &[i64],
    lang: Lang,
) -> Result<Vec<StaffUser>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let names = Names::load(db, lang).await?;
    let mut users: HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut grants: HashMap<i64, Vec<Grant>> = HashMap::new();
    for r in user_role::Entity::find()
        .filter(user_role::Column::UserId.is_in(ids.to_vec()))
        .all(db)
        .await?
    {
        if let Some(g) = grant_of(&r) {
            grants.entry(r.user_id).or_default().push(g);
        }
    }
    Ok(ids
        .iter()
        .filter_map(|id| {
            let u = users.remove(id)?;
            let g = grants.remove(id).unwrap_or_default();
            Some(view_of(account, u, &g, &names))
        })
        .collect())
}

/// Everything `/admin/utilizatori` shows: a page of the list and the forms' choices.
pub async fn overview(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    filter: &UserFilter,
    lang: Lang,
) -> Result<UsersOverview, AppError> {
    let account = admin(principal)?;
    let list = list(db, principal, filter, lang).await?;
    let (scopes, departments) = scopes(db, account, lang).await?;
    Ok(UsersOverview {
        list,
        departments,
        scopes,
    })
}

/// User `id` as `principal` sees them.
pub async fn get(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    lang: Lang,
) -> Result<StaffUser, AppError> {
    let account = admin(principal)?;
    let (u, grants) = visible_user(db, account, id).await?;
    let names = Names::load(db, lang).await?;
    Ok(view_of(account, u, &grants, &names))
}

/// Everything `/admin/utilizatori/{id}` shows.
pub async fn detail(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    lang: Lang,
) -> Result<StaffUserDetail, AppError> {
    let account = admin(principal)?;
    let (u, grants) = visible_user(db, account, id).await?;
    let names = Names::load(db, lang).await?;
    let is_self = u.id == account.user_id;
    let editable = !is_self && all_in_scope(account, &grants);
    let (scopes, _) = scopes(db, account, lang).await?;
    Ok(StaffUserDetail {
        user: view_of(account, u, &grants, &names),
        editable,
        is_self,
        scopes,
    })
}

// --- changes --------------------------------------------------------------------------------

/// Deactivates (`active` false) or reactivates user `id`. Deactivating ends every session of
/// theirs and revokes the links mailed to them, in the same transaction. Nothing to change:
/// nothing written.
pub async fn set_active(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    active: bool,
    lang: Lang,
) -> Result<StaffUser, AppError> {
    let account = admin(principal)?;
    let (u, grants) = changeable_user(db, account, id, "active", "user_self_deactivate").await?;
    if u.active != active {
        let now = Utc::now();
        let txn = db.begin().await?;
        user::Entity::update_many()
            .col_expr(user::Column::Active, Expr::value(active))
            .filter(user::Column::Id.eq(u.id))
            .exec(&txn)
            .await?;
        let mut details = json!({ "email": u.email });
        if !active {
            let sessions = sessions::revoke_all(&txn, u.id, None, now).await?;
            let mut links = 0;
            for p in [
                purpose::RESET_PASSWORD,
                purpose::INVITE,
                purpose::VERIFY_EMAIL,
            ] {
                links += one_time::revoke_for_user(&txn, p, u.id, now).await?;
            }
            details["sessions_revoked"] = json!(sessions);
            details["links_revoked"] = json!(links);
        }
        let chain = accounts::grants_chain(&grants);
        let action = if active {
            "admin.user.reactivate"
        } else {
            "admin.user.deactivate"
        };
        audit::record(
            &txn,
            audit::Entry::new(action)
                .chain(chain)
                .by_account(account, chain)
                .target("user", u.id)
                .details(details),
            now,
        )
        .await?;
        txn.commit().await?;
        tracing::info!(
            user_id = u.id,
            admin = account.user_id,
            active,
            "staff account (de)activated"
        );
    }
    get(db, principal, id, lang).await
}

/// Mails user `id` a link to choose a password: a reset link, or the invitation again while
/// they have no password. Returns the template sent (`reset_password` or `invite`).
pub async fn send_password_link(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    principal: Option<&Principal>,
    id: i64,
) -> Result<&'static str, AppError> {
    let account = admin(principal)?;
    let (u, grants) = changeable_user(db, account, id, "password_link", "user_self_link").await?;
    if !u.active {
        return Err(AppError::field("password_link", "user_inactive"));
    }
    let chain = accounts::grants_chain(&grants);
    let first_institution = grants
        .iter()
        .filter(|g| g.role != Role::Citizen)
        .find_map(|g| g.institution_id);
    let now = Utc::now();
    let txn = db.begin().await?;
    let template = accounts::mail_password_link(&txn, cfg, &u, first_institution).await?;
    audit::record(
        &txn,
        audit::Entry::new("admin.user.password_link")
            .chain(chain)
            .by_account(account, chain)
            .target("user", u.id)
            .details(json!({ "email": u.email, "mail": template })),
        now,
    )
    .await?;
    txn.commit().await?;
    outbox::wake();
    Ok(template)
}

/// Invites a staff member with one role (the page's form): `accounts::invite_staff`, its
/// problems named after the form's fields. Returns the new user's id.
pub async fn invite(
    db: &DatabaseConnection,
    cfg: &AppConfig,
    principal: Option<&Principal>,
    input: &InviteInput,
) -> Result<i64, AppError> {
    let account = admin(principal)?;
    let mut fields = FieldErrors::new();
    let role = parse_staff_role(&input.role);
    if role.is_none() {
        fields.insert("role".into(), vec!["choice_invalid".into()]);
    }
    let scope = parse_scope(&input.scope);
    if scope.is_none() {
        fields.insert("scope".into(), vec!["choice_invalid".into()]);
    }
    let form = InviteForm {
        email: input.email.clone(),
        full_name: input.full_name.clone(),
        grants: match (role, scope) {
            (Some(role), Some((institution_id, department_id))) => vec![Grant {
                role,
                institution_id,
                department_id,
            }],
            _ => Vec::new(),
        },
    };
    // The address and the name are checked as the invitation checks them, so that every
    // problem of the form shows at once.
    let normalized = InviteForm {
        email: accounts::normalize_email(&form.email),
        full_name: form.full_name.trim().to_string(),
        grants: Vec::new(),
    };
    if let Err(e) = validator::Validate::validate(&normalized) {
        let e = AppError::from(e);
        for (k, v) in e.fields().into_iter().flatten() {
            fields.insert(k.clone(), v.clone());
        }
    }
    if !fields.is_empty() {
        return Err(AppError::Validation {
            message: "the invitation does not check".into(),
            fields,
        });
    }
    accounts::invite_staff(db, cfg, account, form)
        .await
        .map_err(|e| match e {
            AppError::Validation { message, fields } => AppError::Validation {
                message,
                fields: fields
                    .into_iter()
                    .map(|(k, v)| (if k == "grants" { "scope".into() } else { k }, v))
                    .collect(),
            },
            AppError::Conflict(_) => AppError::field("email", "staff_email_taken"),
            AppError::Forbidden => AppError::field("scope", "grant_outside_scope"),
            other => other,
        })
}

/// Replaces the staff roles of user `id` with the editor's rows (a row without a role is
/// dropped; a citizen's own account is kept): `accounts::set_grants`, which ends their
/// sessions. A row's problems are named after its fields (`g0-role`, `g0-scope`).
pub async fn set_roles(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    rows: &[GrantRow],
) -> Result<(), AppError> {
    let account = admin(principal)?;
    let (_, current) = changeable_user(db, account, id, "grants", "user_self_change").await?;
    let mut fields = FieldErrors::new();
    let mut grants: Vec<Grant> = current
        .iter()
        .filter(|g| g.role == Role::Citizen)
        .cloned()
        .collect();
    for (i, row) in rows.iter().enumerate() {
        if row.role.trim().is_empty() {
            continue;
        }
        let role = parse_staff_role(&row.role);
        if role.is_none() {
            fields.insert(format!("g{i}-role"), vec!["choice_invalid".into()]);
        }
        let scope = parse_scope(&row.scope);
        if scope.is_none() {
            fields.insert(format!("g{i}-scope"), vec!["choice_invalid".into()]);
        }
        if let (Some(role), Some((institution_id, department_id))) = (role, scope) {
            let g = Grant {
                role,
                institution_id,
                department_id,
            };
            if !grants.contains(&g) {
                grants.push(g);
            }
        }
    }
    if !fields.is_empty() {
        return Err(AppError::Validation {
            message: "the roles do not check".into(),
            fields,
        });
    }
    if !grants.iter().any(|g| g.role != Role::Citizen) {
        return Err(AppError::field("grants", "grants_empty"));
    }
    accounts::set_grants(db, account, id, grants)
        .await
        .map_err(|e| match e {
            AppError::Forbidden => AppError::field("grants", "grant_outside_scope"),
            other => other,
        })
}
