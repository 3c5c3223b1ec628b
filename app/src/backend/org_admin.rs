//! The administration of institutions, their departments and their routing rules, for the
//! pages (`/admin/institutii`) and the JSON API (`/api/v1/admin/…`) alike.
//!
//! Who may do what: the portal's administrator (an `admin` grant without an institution) sees
//! every institution and creates new ones; an institution's administrator sees and changes
//! that institution only: another institution, its departments and its rules do not exist for
//! them (`404`), creating an institution is refused (`403`), as is everything to whoever is no
//! administrator. Every change is recorded in the audit trail in its own transaction:
//! `admin.institution.create` (in the portal's chain), `admin.institution.update`,
//! `admin.department.create`, `admin.department.update`, `admin.department.deactivate`,
//! `admin.department.activate`, `admin.routing_rule.create`, `admin.routing_rule.delete` (in
//! the institution's chain), with the changed values.
//!
//! Routing ([`route`]): a rule sends the cases of a service or a category, optionally only
//! those from a territorial area, or all the cases from an area, to a department. Filing takes
//! the most specific rule that matches: service and area, then service, then category and
//! area, then category, then area alone; a rule to an inactive department is passed over. The
//! catch-all is not a rule but the institution's `default_department_id` ([`default_department`]),
//! the last resort after the service's and the category's own departments.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, SqlErr,
    TransactionTrait,
};
use serde_json::{Value, json};
use validator::ValidateEmail;

use super::audit;
use super::auth::access::require_account;
use super::auth::{Account, Principal};
use super::entity::{
    category, department, institution, petition_case as pc, public_service, routing_rule,
};
use super::error::Problems;
use super::portal::localized;
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::account::Role;
use crate::model::org_admin::{
    CALENDARS, COUNTING_RULES, DEFAULT_TIMEZONE, DepartmentInput, DepartmentView,
    InstitutionDetail, InstitutionInput, InstitutionList, InstitutionView, OrgChoice,
    RoutingRuleInput, RoutingRuleView,
};

/// The longest name, code, e-mail address (as the columns hold them).
const NAME_MAX: usize = 255;
const AREA_MAX: usize = 128;
const PHONE_MAX: usize = 64;
const ADDRESS_MAX: usize = 500;

// --- who may ------------------------------------------------------------------------------

/// The signed-in administrator (of an institution or of the portal), or why not.
pub(crate) fn admin(principal: Option<&Principal>) -> Result<&Account, AppError> {
    let account = require_account(principal)?;
    if !account.has_role(Role::Admin) {
        return Err(AppError::Forbidden);
    }
    Ok(account)
}

/// Institution `id`, if `account` administers it; otherwise it does not exist for them.
pub(crate) async fn administered<C: ConnectionTrait>(
    db: &C,
    account: &Account,
    id: i64,
) -> Result<institution::Model, AppError> {
    if !account.administers(id) {
        return Err(AppError::NotFound);
    }
    institution::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

// --- checks -------------------------------------------------------------------------------

/// `s` trimmed, `None` when blank.
fn blank(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn plain(s: &str) -> bool {
    crate::model::account::plain_name(s).is_ok()
}

/// A name: 1–255 characters on one line.
fn check_name(p: &mut Problems, field: &str, value: &str) -> String {
    let v = value.trim().to_string();
    if v.is_empty() || v.chars().count() > NAME_MAX {
        p.add(field, "name_length");
    } else if !plain(&v) {
        p.add(field, "full_name_chars");
    }
    v
}

/// A registration-number prefix: 2–16 of `A-Z`, `0-9` (typed lower-case, it is raised).
pub fn valid_prefix(s: &str) -> bool {
    (2..=16).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// An institution's slug: 2–64 of `a-z`, `0-9`, `-`, not starting or ending with `-`.
pub fn valid_slug(s: &str) -> bool {
    (2..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A department's code: 1–64 of `a-z`, `0-9`, `-`, `_`.
pub fn valid_code(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn check_email(p: &mut Problems, field: &str, value: &Option<String>) -> Option<String> {
    let v = blank(value).map(|e| e.to_lowercase());
    if let Some(e) = &v
        && (e.len() > NAME_MAX || !e.validate_email())
    {
        p.add(field, "email_invalid");
    }
    v
}

fn check_area(p: &mut Problems, field: &str, value: &Option<String>) -> Option<String> {
    let v = blank(value);
    if let Some(a) = &v
        && (a.chars().count() > AREA_MAX || !plain(a))
    {
        p.add(field, "area_length");
    }
    v
}

/// What a valid institution form says.
struct InstitutionValues {
    slug: String,
    name_ro: String,
    name_ru: String,
    name_en: String,
    reg_prefix: String,
    calendar: String,
    counting_rule: String,
    timezone: String,
    email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    default_department_id: Option<i64>,
}

/// Checks an institution's form; `current`: the institution being changed (none: a new one).
async fn check_institution<C: ConnectionTrait>(
    db: &C,
    input: &InstitutionInput,
    current: Option<&institution::Model>,
) -> Result<InstitutionValues, AppError> {
    let mut p = Problems::default();
    let slug = match (current, blank(&input.slug)) {
        (Some(inst), None) => inst.slug.clone(),
        (Some(inst), Some(s)) => {
            if s != inst.slug {
                p.add("slug", "slug_fixed");
            }
            s
        }
        (None, None) => {
            p.add("slug", "slug_format");
            String::new()
        }
        (None, Some(s)) => {
            let s = s.to_lowercase();
            if !valid_slug(&s) {
                p.add("slug", "slug_format");
            } else if institution::Entity::find()
                .filter(institution::Column::Slug.eq(s.as_str()))
                .count(db)
                .await?
                > 0
            {
                p.add("slug", "slug_taken");
            }
            s
        }
    };
    let name_ro = check_name(&mut p, "name_ro", &input.name_ro);
    let name_ru = check_name(&mut p, "name_ru", &input.name_ru);
    let name_en = check_name(&mut p, "name_en", &input.name_en);
    let reg_prefix = input.reg_prefix.trim().to_uppercase();
    let own_id = current.map_or(0, |i| i.id);
    if !valid_prefix(&reg_prefix) {
        p.add("reg_prefix", "reg_prefix_format");
    } else if current.is_none_or(|i| i.reg_prefix != reg_prefix) {
        // Unique among the institutions, and among the numbers already given: registration
        // numbers are unique across the portal.
        let held = institution::Entity::find()
            .filter(institution::Column::RegPrefix.eq(reg_prefix.as_str()))
            .filter(institution::Column::Id.ne(own_id))
            .count(db)
            .await?
            > 0;
        let used = held
            || pc::Entity::find()
                .filter(pc::Column::RegistrationNumber.starts_with(format!("{reg_prefix}-")))
                .filter(pc::Column::InstitutionId.ne(own_id))
                .count(db)
                .await?
                > 0;
        if used {
            p.add("reg_prefix", "reg_prefix_taken");
        }
    }
    let calendar = input.calendar.trim().to_lowercase();
    if !CALENDARS.contains(&calendar.as_str()) {
        p.add("calendar", "choice_invalid");
    }
    let counting_rule = input.counting_rule.trim().to_lowercase();
    if !COUNTING_RULES.contains(&counting_rule.as_str()) {
        p.add("counting_rule", "choice_invalid");
    }
    let timezone = blank(&input.timezone).unwrap_or_else(|| match current {
        Some(i) => i.timezone.clone(),
        None => DEFAULT_TIMEZONE.to_string(),
    });
    if timezone.parse::<chrono_tz::Tz>().is_err() {
        p.add("timezone", "timezone_invalid");
    }
    let email = check_email(&mut p, "email", &input.email);
    let phone = blank(&input.phone);
    if let Some(ph) = &phone
        && (ph.chars().count() > PHONE_MAX
            || !ph
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()./".contains(c))
            || !ph.chars().any(|c| c.is_ascii_digit()))
    {
        p.add("phone", "phone_invalid");
    }
    let address = blank(&input.address);
    if address.as_ref().is_some_and(|a| {
        a.chars().count() > ADDRESS_MAX
            || a.chars().any(|c| c.is_control() && c != '\n' && c != '\r')
    }) {
        p.add("address", "address_length");
    }
    let default_department_id = match (input.default_department_id, current) {
        (None, _) => None,
        (Some(_), None) => {
            // A new institution has no department yet.
            p.add("default_department_id", "choice_invalid");
            None
        }
        (Some(id), Some(inst)) => {
            let ok = department::Entity::find_by_id(id)
                .one(db)
                .await?
                .is_some_and(|d| d.institution_id == inst.id && d.active);
            if !ok {
                p.add("default_department_id", "choice_invalid");
            }
            Some(id)
        }
    };
    p.into_result("the institution's settings do not check")?;
    Ok(InstitutionValues {
        slug,
        name_ro,
        name_ru,
        name_en,
        reg_prefix,
        calendar,
        counting_rule,
        timezone,
        email,
        phone,
        address,
        default_department_id,
    })
}

/// A unique key taken by another change meanwhile (the checks passed a moment before).
fn taken_meanwhile(e: sea_orm::DbErr) -> AppError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            AppError::Conflict("another change took this value meanwhile: try again".into())
        }
        _ => e.into(),
    }
}

// --- views --------------------------------------------------------------------------------

fn institution_view(i: institution::Model, lang: Lang) -> InstitutionView {
    InstitutionView {
        name: localized(lang, &i.name_ro, &i.name_ru, &i.name_en).to_string(),
        id: i.id,
        slug: i.slug,
        name_ro: i.name_ro,
        name_ru: i.name_ru,
        name_en: i.name_en,
        reg_prefix: i.reg_prefix,
        calendar: i.calendar,
        counting_rule: i.counting_rule,
        timezone: i.timezone,
        email: i.email,
        phone: i.phone,
        address: i.address,
        default_department_id: i.default_department_id,
        created_at: i.created_at,
    }
}

fn department_view(d: department::Model, open_cases: u64, lang: Lang) -> DepartmentView {
    DepartmentView {
        name: localized(lang, &d.name_ro, &d.name_ru, &d.name_en).to_string(),
        id: d.id,
        institution_id: d.institution_id,
        code: d.code,
        name_ro: d.name_ro,
        name_ru: d.name_ru,
        name_en: d.name_en,
        area: d.area,
        email: d.email,
        active: d.active,
        open_cases,
    }
}

/// The open (not closed) cases of department `department_id`.
async fn open_cases_of<C: ConnectionTrait>(db: &C, department_id: i64) -> Result<u64, AppError> {
    Ok(pc::Entity::find()
        .filter(pc::Column::DepartmentId.eq(department_id))
        .filter(pc::Column::ClosedAt.is_null())
        .count(db)
        .await?)
}

/// The open cases of each department of an institution.
async fn open_cases_by_department<C: ConnectionTrait>(
    db: &C,
    institution_id: i64,
) -> Result<HashMap<i64, u64>, AppError> {
    let rows: Vec<(Option<i64>, i64)> = pc::Entity::find()
        .select_only()
        .column(pc::Column::DepartmentId)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(pc::Column::InstitutionId.eq(institution_id))
        .filter(pc::Column::ClosedAt.is_null())
        .filter(pc::Column::DepartmentId.is_not_null())
        .group_by(pc::Column::DepartmentId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(d, n)| d.map(|d| (d, u64::try_from(n).unwrap_or(0))))
        .collect())
}

// --- institutions -------------------------------------------------------------------------

/// The institutions `principal` administers (all of them for the portal's administrator).
pub async fn institutions(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    lang: Lang,
) -> Result<InstitutionList, AppError> {
    let account = admin(principal)?;
    let institutions = institution::Entity::find()
        .order_by_asc(institution::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|i| account.administers(i.id))
        .map(|i| institution_view(i, lang))
        .collect();
    Ok(InstitutionList {
        can_create: account.is_global_admin(),
        institutions,
    })
}

/// Institution `id` (its administrators only).
pub async fn institution(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    lang: Lang,
) -> Result<InstitutionView, AppError> {
    let account = admin(principal)?;
    Ok(institution_view(administered(db, account, id).await?, lang))
}

/// Adds an institution (the portal's administrator only); recorded in the portal's chain.
pub async fn create_institution(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    input: &InstitutionInput,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<InstitutionView, AppError> {
    let account = admin(principal)?;
    if !account.is_global_admin() {
        return Err(AppError::Forbidden);
    }
    let v = check_institution(db, input, None).await?;
    let txn = db.begin().await?;
    let row = institution::ActiveModel {
        slug: Set(v.slug),
        name_ro: Set(v.name_ro),
        name_ru: Set(v.name_ru),
        name_en: Set(v.name_en),
        reg_prefix: Set(v.reg_prefix),
        calendar: Set(v.calendar),
        counting_rule: Set(v.counting_rule),
        email: Set(v.email),
        phone: Set(v.phone),
        address: Set(v.address),
        created_at: Set(now),
        timezone: Set(v.timezone),
        default_department_id: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(taken_meanwhile)?;
    audit::record(
        &txn,
        audit::Entry::new("admin.institution.create")
            .chain(None)
            .by(Some(account.user_id), "admin")
            .target("institution", row.id)
            .details(json!({
                "slug": row.slug,
                "name_ro": row.name_ro,
                "reg_prefix": row.reg_prefix,
                "calendar": row.calendar,
                "counting_rule": row.counting_rule,
                "timezone": row.timezone,
            })),
        now,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(institution_id = row.id, slug = %row.slug, by = account.user_id, "institution created");
    Ok(institution_view(row, lang))
}

/// Records `field: [before, after]` in `changes` when the two differ.
fn note<T: PartialEq + serde::Serialize>(
    changes: &mut serde_json::Map<String, Value>,
    field: &str,
    before: &T,
    after: &T,
) {
    if before != after {
        changes.insert(field.to_string(), json!([before, after]));
    }
}

/// Changes an institution's settings (its administrators); recorded in its chain with each
/// changed value before and after. Nothing changed: nothing written.
pub async fn update_institution(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    input: &InstitutionInput,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<InstitutionView, AppError> {
    let account = admin(principal)?;
    let inst = administered(db, account, id).await?;
    let v = check_institution(db, input, Some(&inst)).await?;
    let mut changes = serde_json::Map::new();
    note(&mut changes, "name_ro", &inst.name_ro, &v.name_ro);
    note(&mut changes, "name_ru", &inst.name_ru, &v.name_ru);
    note(&mut changes, "name_en", &inst.name_en, &v.name_en);
    note(&mut changes, "reg_prefix", &inst.reg_prefix, &v.reg_prefix);
    note(&mut changes, "calendar", &inst.calendar, &v.calendar);
    note(
        &mut changes,
        "counting_rule",
        &inst.counting_rule,
        &v.counting_rule,
    );
    note(&mut changes, "timezone", &inst.timezone, &v.timezone);
    note(&mut changes, "email", &inst.email, &v.email);
    note(&mut changes, "phone", &inst.phone, &v.phone);
    note(&mut changes, "address", &inst.address, &v.address);
    note(
        &mut changes,
        "default_department_id",
        &inst.default_department_id,
        &v.default_department_id,
    );
    if changes.is_empty() {
        return Ok(institution_view(inst, lang));
    }
    let txn = db.begin().await?;
    let mut a = inst.into_active_model();
    a.name_ro = Set(v.name_ro);
    a.name_ru = Set(v.name_ru);
    a.name_en = Set(v.name_en);
    a.reg_prefix = Set(v.reg_prefix);
    a.calendar = Set(v.calendar);
    a.counting_rule = Set(v.counting_rule);
    a.timezone = Set(v.timezone);
    a.email = Set(v.email);
    a.phone = Set(v.phone);
    a.address = Set(v.address);
    a.default_department_id = Set(v.default_department_id);
    let row = a.update(&txn).await.map_err(taken_meanwhile)?;
    audit::record(
        &txn,
        audit::Entry::new("admin.institution.update")
            .chain(Some(row.id))
            .by(Some(account.user_id), "admin")
            .target("institution", row.id)
            .details(json!({ "changes": changes })),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(institution_view(row, lang))
}

// --- departments --------------------------------------------------------------------------

/// The departments of institution `institution_id` (its administrators), in creation order,
/// each with its open cases.
pub async fn departments(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    institution_id: i64,
    lang: Lang,
) -> Result<Vec<DepartmentView>, AppError> {
    let account = admin(principal)?;
    let inst = administered(db, account, institution_id).await?;
    departments_of(db, inst.id, lang).await
}

async fn departments_of<C: ConnectionTrait>(
    db: &C,
    institution_id: i64,
    lang: Lang,
) -> Result<Vec<DepartmentView>, AppError> {
    let open = open_cases_by_department(db, institution_id).await?;
    Ok(department::Entity::find()
        .filter(department::Column::InstitutionId.eq(institution_id))
        .order_by_asc(department::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|d| {
            let n = open.get(&d.id).copied().unwrap_or(0);
            department_view(d, n, lang)
        })
        .collect())
}

/// What a valid department form says.
struct DepartmentValues {
    code: String,
    name_ro: String,
    name_ru: String,
    name_en: String,
    area: Option<String>,
    email: Option<String>,
}

async fn check_department<C: ConnectionTrait>(
    db: &C,
    p: &mut Problems,
    institution_id: i64,
    input: &DepartmentInput,
    own_id: Option<i64>,
) -> Result<DepartmentValues, AppError> {
    let code = input.code.trim().to_lowercase();
    if !valid_code(&code) {
        p.add("code", "department_code_format");
    } else if department::Entity::find()
        .filter(department::Column::InstitutionId.eq(institution_id))
        .filter(department::Column::Code.eq(code.as_str()))
        .filter(department::Column::Id.ne(own_id.unwrap_or(0)))
        .count(db)
        .await?
        > 0
    {
        p.add("code", "department_code_taken");
    }
    Ok(DepartmentValues {
        code,
        name_ro: check_name(p, "name_ro", &input.name_ro),
        name_ru: check_name(p, "name_ru", &input.name_ru),
        name_en: check_name(p, "name_en", &input.name_en),
        area: check_area(p, "area", &input.area),
        email: check_email(p, "email", &input.email),
    })
}

/// Adds a department to institution `institution_id` (its administrators).
pub async fn create_department(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    institution_id: i64,
    input: &DepartmentInput,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<DepartmentView, AppError> {
    let account = admin(principal)?;
    let inst = administered(db, account, institution_id).await?;
    let mut p = Problems::default();
    let v = check_department(db, &mut p, inst.id, input, None).await?;
    p.into_result("the department does not check")?;
    let txn = db.begin().await?;
    let row = department::ActiveModel {
        institution_id: Set(inst.id),
        code: Set(v.code),
        name_ro: Set(v.name_ro),
        name_ru: Set(v.name_ru),
        name_en: Set(v.name_en),
        area: Set(v.area),
        email: Set(v.email),
        active: Set(input.active.unwrap_or(true)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(taken_meanwhile)?;
    audit::record(
        &txn,
        audit::Entry::new("admin.department.create")
            .chain(Some(inst.id))
            .by(Some(account.user_id), "admin")
            .target("department", row.id)
            .details(json!({
                "code": row.code,
                "name_ro": row.name_ro,
                "area": row.area,
                "email": row.email,
                "active": row.active,
            })),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(department_view(row, 0, lang))
}

/// Changes department `id` (its institution's administrators). Deactivating it is refused
/// while it has open cases (the field error names how many: `department_open_cases:N`) or
/// while it is the institution's default department. Nothing changed: nothing written.
pub async fn update_department(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    input: &DepartmentInput,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<DepartmentView, AppError> {
    let account = admin(principal)?;
    let dep = department::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|d| account.administers(d.institution_id))
        .ok_or(AppError::NotFound)?;
    let inst = administered(db, account, dep.institution_id).await?;
    let mut p = Problems::default();
    let v = check_department(db, &mut p, inst.id, input, Some(dep.id)).await?;
    let active = input.active.unwrap_or(dep.active);
    let open = open_cases_of(db, dep.id).await?;
    if dep.active && !active {
        if open > 0 {
            p.add("active", format!("department_open_cases:{open}"));
        }
        if inst.default_department_id == Some(dep.id) {
            p.add("active", "department_is_default");
        }
    }
    p.into_result("the department does not check")?;
    let mut changes = serde_json::Map::new();
    note(&mut changes, "code", &dep.code, &v.code);
    note(&mut changes, "name_ro", &dep.name_ro, &v.name_ro);
    note(&mut changes, "name_ru", &dep.name_ru, &v.name_ru);
    note(&mut changes, "name_en", &dep.name_en, &v.name_en);
    note(&mut changes, "area", &dep.area, &v.area);
    note(&mut changes, "email", &dep.email, &v.email);
    note(&mut changes, "active", &dep.active, &active);
    if changes.is_empty() {
        return Ok(department_view(dep, open, lang));
    }
    let action = match (dep.active, active) {
        (true, false) => "admin.department.deactivate",
        (false, true) => "admin.department.activate",
        _ => "admin.department.update",
    };
    let txn = db.begin().await?;
    let mut a = dep.into_active_model();
    a.code = Set(v.code);
    a.name_ro = Set(v.name_ro);
    a.name_ru = Set(v.name_ru);
    a.name_en = Set(v.name_en);
    a.area = Set(v.area);
    a.email = Set(v.email);
    a.active = Set(active);
    let row = a.update(&txn).await.map_err(taken_meanwhile)?;
    audit::record(
        &txn,
        audit::Entry::new(action)
            .chain(Some(row.institution_id))
            .by(Some(account.user_id), "admin")
            .target("department", row.id)
            .details(json!({ "code": row.code, "changes": changes })),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(department_view(row, open, lang))
}

/// Deactivates (`active` false) or activates department `id`, its other settings unchanged.
pub async fn set_department_active(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    active: bool,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<DepartmentView, AppError> {
    let account = admin(principal)?;
    let dep = department::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|d| account.administers(d.institution_id))
        .ok_or(AppError::NotFound)?;
    let input = DepartmentInput {
        code: dep.code,
        name_ro: dep.name_ro,
        name_ru: dep.name_ru,
        name_en: dep.name_en,
        area: dep.area,
        email: dep.email,
        active: Some(active),
    };
    update_department(db, principal, id, &input, lang, now).await
}

// --- routing rules ------------------------------------------------------------------------

/// How specific `rule` is for a case of `service`, `category` and `area` (higher wins), or
/// `None` when it does not match: service and area 5, service 4, category and area 3,
/// category 2, area alone 1. Areas compare without regard to case.
pub fn rank(
    rule: &routing_rule::Model,
    service_id: Option<i64>,
    category_id: Option<i64>,
    area: Option<&str>,
) -> Option<u8> {
    let area_matches = match (&rule.area, area) {
        (None, _) => Some(false),
        (Some(r), Some(a)) if r.trim().to_lowercase() == a.trim().to_lowercase() => Some(true),
        (Some(_), _) => None,
    }?;
    match (rule.service_id, rule.category_id) {
        (Some(s), _) if Some(s) == service_id => Some(if area_matches { 5 } else { 4 }),
        (Some(_), _) => None,
        (None, Some(c)) if Some(c) == category_id => Some(if area_matches { 3 } else { 2 }),
        (None, Some(_)) => None,
        (None, None) if area_matches => Some(1),
        (None, None) => None,
    }
}

/// The department of the most specific rule among `rules` that matches (the oldest of equals),
/// passing over rules whose department is not `usable`.
pub fn best_rule(
    rules: &[routing_rule::Model],
    service_id: Option<i64>,
    category_id: Option<i64>,
    area: Option<&str>,
    usable: impl Fn(i64) -> bool,
) -> Option<i64> {
    rules
        .iter()
        .filter(|r| usable(r.department_id))
        .filter_map(|r| rank(r, service_id, category_id, area).map(|k| (k, r)))
        .max_by(|(ka, a), (kb, b)| ka.cmp(kb).then(b.id.cmp(&a.id)))
        .map(|(_, r)| r.department_id)
}

/// The department institution `institution_id`'s rules send a case to (see the module's
/// documentation), if any rule matches.
pub async fn route<C: ConnectionTrait>(
    db: &C,
    institution_id: i64,
    service_id: Option<i64>,
    category_id: Option<i64>,
    area: Option<&str>,
) -> Result<Option<i64>, AppError> {
    let rules = routing_rule::Entity::find()
        .filter(routing_rule::Column::InstitutionId.eq(institution_id))
        .order_by_asc(routing_rule::Column::Id)
        .all(db)
        .await?;
    if rules.is_empty() {
        return Ok(None);
    }
    let active: BTreeSet<i64> = department::Entity::find()
        .select_only()
        .column(department::Column::Id)
        .filter(department::Column::InstitutionId.eq(institution_id))
        .filter(department::Column::Active.eq(true))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(best_rule(&rules, service_id, category_id, area, |d| {
        active.contains(&d)
    }))
}

/// The institution's department for "I don't know the department", while it is active.
pub async fn default_department<C: ConnectionTrait>(
    db: &C,
    inst: &institution::Model,
) -> Result<Option<i64>, AppError> {
    let Some(id) = inst.default_department_id else {
        return Ok(None);
    };
    Ok(department::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|d| d.institution_id == inst.id && d.active)
        .map(|d| d.id))
}

/// Names of an institution's categories, services and departments, for the rules' views.
struct Names {
    categories: Vec<category::Model>,
    services: Vec<public_service::Model>,
    departments: Vec<department::Model>,
}

impl Names {
    async fn load<C: ConnectionTrait>(db: &C, institution_id: i64) -> Result<Names, AppError> {
        Ok(Names {
            categories: category::Entity::find()
                .filter(category::Column::InstitutionId.eq(institution_id))
                .order_by_asc(category::Column::Id)
                .all(db)
                .await?,
            services: public_service::Entity::find()
                .filter(public_service::Column::InstitutionId.eq(institution_id))
                .order_by_asc(public_service::Column::Area)
                .order_by_asc(public_service::Column::Id)
                .all(db)
                .await?,
            departments: department::Entity::find()
                .filter(department::Column::InstitutionId.eq(institution_id))
                .order_by_asc(department::Column::Id)
                .all(db)
                .await?,
        })
    }

    fn rule_view(&self, r: routing_rule::Model, lang: Lang) -> RoutingRuleView {
        let category = r.category_id.and_then(|id| {
            self.categories
                .iter()
                .find(|c| c.id == id)
                .map(|c| localized(lang, &c.name_ro, &c.name_ru, &c.name_en).to_string())
        });
        let service = r.service_id.and_then(|id| {
            self.services
                .iter()
                .find(|s| s.id == id)
                .map(|s| localized(lang, &s.name_ro, &s.name_ru, &s.name_en).to_string())
        });
        let dep = self.departments.iter().find(|d| d.id == r.department_id);
        RoutingRuleView {
            id: r.id,
            institution_id: r.institution_id,
            category_id: r.category_id,
            category,
            service_id: r.service_id,
            service,
            area: r.area,
            department_id: r.department_id,
            department: dep
                .map(|d| localized(lang, &d.name_ro, &d.name_ru, &d.name_en).to_string())
                .unwrap_or_default(),
            department_active: dep.is_some_and(|d| d.active),
            created_at: r.created_at,
        }
    }
}

async fn rules_of<C: ConnectionTrait>(
    db: &C,
    names: &Names,
    institution_id: i64,
    lang: Lang,
) -> Result<Vec<RoutingRuleView>, AppError> {
    Ok(routing_rule::Entity::find()
        .filter(routing_rule::Column::InstitutionId.eq(institution_id))
        .order_by_asc(routing_rule::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| names.rule_view(r, lang))
        .collect())
}

/// The routing rules of institution `institution_id` (its administrators), oldest first.
pub async fn routing_rules(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    institution_id: i64,
    lang: Lang,
) -> Result<Vec<RoutingRuleView>, AppError> {
    let account = admin(principal)?;
    let inst = administered(db, account, institution_id).await?;
    let names = Names::load(db, inst.id).await?;
    rules_of(db, &names, inst.id, lang).await
}

/// Adds a routing rule to institution `institution_id` (its administrators): a service or a
/// category (not both), or neither with an area; to an active department of the institution;
/// not the same conditions as a rule it has.
pub async fn create_routing_rule(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    institution_id: i64,
    input: &RoutingRuleInput,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<RoutingRuleView, AppError> {
    let account = admin(principal)?;
    let inst = administered(db, account, institution_id).await?;
    let names = Names::load(db, inst.id).await?;
    let mut p = Problems::default();
    let area = check_area(&mut p, "area", &input.area);
    if let Some(id) = input.category_id
        && !names.categories.iter().any(|c| c.id == id && c.active)
    {
        p.add("category_id", "choice_invalid");
    }
    if let Some(id) = input.service_id
        && !names.services.iter().any(|s| s.id == id && s.active)
    {
        p.add("service_id", "choice_invalid");
    }
    match (input.service_id, input.category_id, &area) {
        (Some(_), Some(_), _) => p.add("service_id", "rule_service_or_category"),
        (None, None, None) => p.add("category_id", "rule_condition_required"),
        _ => {}
    }
    if !names
        .departments
        .iter()
        .any(|d| d.id == input.department_id && d.active)
    {
        p.add("department_id", "choice_invalid");
    }
    if p.0.is_empty() {
        let folded = area.as_ref().map(|a| a.to_lowercase());
        let same = routing_rule::Entity::find()
            .filter(routing_rule::Column::InstitutionId.eq(inst.id))
            .all(db)
            .await?
            .into_iter()
            .any(|r| {
                r.category_id == input.category_id
                    && r.service_id == input.service_id
                    && r.area.as_ref().map(|a| a.to_lowercase()) == folded
            });
        if same {
            let field = match (input.service_id, input.category_id) {
                (Some(_), _) => "service_id",
                (None, Some(_)) => "category_id",
                (None, None) => "area",
            };
            p.add(field, "rule_duplicate");
        }
    }
    p.into_result("the routing rule does not check")?;
    let txn = db.begin().await?;
    let row = routing_rule::ActiveModel {
        institution_id: Set(inst.id),
        category_id: Set(input.category_id),
        service_id: Set(input.service_id),
        area: Set(area),
        department_id: Set(input.department_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        audit::Entry::new("admin.routing_rule.create")
            .chain(Some(inst.id))
            .by(Some(account.user_id), "admin")
            .target("routing_rule", row.id)
            .details(rule_details(&row)),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(names.rule_view(row, lang))
}

fn rule_details(r: &routing_rule::Model) -> Value {
    json!({
        "category_id": r.category_id,
        "service_id": r.service_id,
        "area": r.area,
        "department_id": r.department_id,
    })
}

/// Removes routing rule `id` (its institution's administrators); returns its institution.
pub async fn delete_routing_rule(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let account = admin(principal)?;
    let rule = routing_rule::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|r| account.administers(r.institution_id))
        .ok_or(AppError::NotFound)?;
    let txn = db.begin().await?;
    routing_rule::Entity::delete_by_id(rule.id)
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        audit::Entry::new("admin.routing_rule.delete")
            .chain(Some(rule.institution_id))
            .by(Some(account.user_id), "admin")
            .target("routing_rule", rule.id)
            .details(rule_details(&rule)),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(rule.institution_id)
}

// --- the page -----------------------------------------------------------------------------

/// Everything `/admin/institutii/{id}` shows: the institution, its departments, its rules and
/// the choices of the rule form.
pub async fn detail(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    institution_id: i64,
    lang: Lang,
) -> Result<InstitutionDetail, AppError> {
    let account = admin(principal)?;
    let inst = administered(db, account, institution_id).await?;
    let names = Names::load(db, inst.id).await?;
    let departments = departments_of(db, inst.id, lang).await?;
    let rules = rules_of(db, &names, inst.id, lang).await?;
    let categories = names
        .categories
        .iter()
        .filter(|c| c.active)
        .map(|c| OrgChoice {
            id: c.id,
            name: localized(lang, &c.name_ro, &c.name_ru, &c.name_en).to_string(),
        })
        .collect();
    let services = names
        .services
        .iter()
        .filter(|s| s.active)
        .map(|s| OrgChoice {
            id: s.id,
            name: localized(lang, &s.name_ro, &s.name_ru, &s.name_en).to_string(),
        })
        .collect();
    let areas: BTreeSet<String> = names
        .departments
        .iter()
        .filter_map(|d| d.area.clone())
        .chain(names.services.iter().filter_map(|s| s.area.clone()))
        .collect();
    Ok(InstitutionDetail {
        institution: institution_view(inst, lang),
        departments,
        rules,
        categories,
        services,
        areas: areas.into_iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(
        id: i64,
        service: Option<i64>,
        category: Option<i64>,
        area: Option<&str>,
        dep: i64,
    ) -> routing_rule::Model {
        routing_rule::Model {
            id,
            institution_id: 1,
            category_id: category,
            service_id: service,
            area: area.map(str::to_string),
            department_id: dep,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn the_most_specific_matching_rule_wins() {
        let rules = vec![
            rule(1, None, None, Some("Botanica"), 10),
            rule(2, None, Some(7), None, 20),
            rule(3, None, Some(7), Some("Botanica"), 30),
            rule(4, Some(9), None, None, 40),
            rule(5, Some(9), None, Some("botanica"), 50),
        ];
        let all = |_| true;
        assert_eq!(
            best_rule(&rules, Some(9), Some(7), Some("Botanica"), all),
            Some(50)
        );
        assert_eq!(
            best_rule(&rules, Some(9), Some(7), Some("Centru"), all),
            Some(40)
        );
        assert_eq!(best_rule(&rules, Some(9), Some(7), None, all), Some(40));
        assert_eq!(
            best_rule(&rules, None, Some(7), Some("BOTANICA"), all),
            Some(30)
        );
        assert_eq!(best_rule(&rules, None, Some(7), None, all), Some(20));
        assert_eq!(
            best_rule(&rules, None, Some(8), Some("Botanica"), all),
            Some(10)
        );
        assert_eq!(best_rule(&rules, Some(1), Some(8), None, all), None);
        assert_eq!(best_rule(&rules, None, None, None, all), None);
    }

    #[test]
    fn a_rule_to_an_inactive_department_is_passed_over_and_the_oldest_of_equals_wins() {
        let rules = vec![
            rule(1, None, Some(7), None, 20),
            rule(2, None, Some(7), None, 21),
            rule(3, None, Some(7), Some("Centru"), 30),
        ];
        assert_eq!(best_rule(&rules, None, Some(7), None, |_| true), Some(20));
        assert_eq!(
            best_rule(&rules, None, Some(7), None, |d| d != 20),
            Some(21)
        );
        assert_eq!(
            best_rule(&rules, None, Some(7), Some("Centru"), |d| d != 30),
            Some(20)
        );
    }

    #[test]
    fn prefixes_slugs_and_codes_follow_their_formats() {
        assert!(valid_prefix("CHI") && valid_prefix("B2") && valid_prefix("ABCDEFGH12345678"));
        assert!(!valid_prefix("C") && !valid_prefix("chi") && !valid_prefix("CH-I"));
        assert!(!valid_prefix("ABCDEFGH123456789") && !valid_prefix("ȘCI"));
        assert!(valid_slug("chisinau-dgass") && !valid_slug("-x") && !valid_slug("Chi"));
        assert!(
            valid_code("central") && valid_code("dir_2") && !valid_code("") && !valid_code("A")
        );
    }
}
