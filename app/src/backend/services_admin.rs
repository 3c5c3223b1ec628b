//! The administration of the service registry, for the pages (`/admin/servicii`) and the JSON
//! API (`/api/v1/admin/institutions/{id}/services…`, `/api/v1/admin/services/{id}…`) alike:
//! the list of an institution's services (the deactivated ones too), creating and changing a
//! service, deactivating and reactivating it (never deleting it: cases name services), and the
//! registry as a CSV file, exported and imported.
//!
//! Who may do what: the portal's administrator acts on every institution's registry; an
//! institution's administrator on their institution's only (another institution and its
//! services do not exist for them: `404`); whoever is not an administrator is refused (`403`).
//! Every change is recorded in the institution's audit chain with who and when:
//! `admin.service.create`, `admin.service.update` (each changed value before and after),
//! `admin.service.deactivate`, `admin.service.reactivate`, and one `admin.service.import` per
//! import with its counts.
//!
//! The CSV file ([`export_csv`], [`import_csv`]): UTF-8 with a byte-order mark (spreadsheet
//! programs then read the diacritics right), the columns of [`CSV_COLUMNS`], booleans as
//! `true`/`false`. A cell a spreadsheet would take for a formula is written with a leading `'`
//! (see [`exports::safe`]), which the import takes off again. The import reads `,` or `;`
//! separators (the one the header line uses most), with or without the byte-order mark,
//! booleans as `true`/`false`, `1`/`0`, `yes`/`no`, `da`/`nu`, `да`/`нет`. It updates the service
//! of each row's `code` in the institution, or creates it; a column left out keeps the stored
//! value (a new service takes the default). A check ([`import_csv`] with `dry_run`) says how
//! many services would be created, updated and left unchanged, and every problem with its line
//! and column, and stores nothing; the import itself stores every row in one transaction, or
//! nothing when any row has a problem. At most [`IMPORT_MAX_BYTES`] and [`IMPORT_MAX_ROWS`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set, SqlErr, TransactionTrait,
};
use serde_json::{Value, json};

use super::audit;
use super::auth::{Account, Principal};
use super::entity::{category, department, institution, petition_case as pc, public_service};
use super::error::Problems;
use super::exports::safe;
use super::org_admin::{admin, administered, valid_code};
use super::portal::localized;
use super::search::fold;
use super::service_registry::matches;
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::services_admin::{
    CSV_COLUMNS, IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, ImportProblem, ImportReport, MAX_PAGE,
    MAX_PER_PAGE, PER_PAGE, PROVIDER_TYPES, ServiceAdminView, ServiceChoice, ServiceDetail,
    ServiceFilter, ServiceInput, ServicePage, ServicesOverview, parse_bool, problem_key,
};

/// The longest name and provider, address, contact and area (as the columns hold them).
const NAME_MAX: usize = 300;
const ADDRESS_MAX: usize = 500;
const CONTACT_MAX: usize = 300;
const AREA_MAX: usize = 100;

// --- checks -------------------------------------------------------------------------------

fn plain(s: &str) -> bool {
    crate::model::account::plain_name(s).is_ok()
}

/// `s` trimmed, `None` when blank.
fn blank(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A required one-line text of 1–`max` characters.
fn required(p: &mut Problems, field: &str, value: &str, code: &str) -> String {
    let v = value.trim().to_string();
    if v.is_empty() || v.chars().count() > NAME_MAX || !plain(&v) {
        p.add(field, code);
    }
    v
}

/// An optional text of at most `max` characters (on one line unless `lines`).
fn optional(
    p: &mut Problems,
    field: &str,
    value: Option<&str>,
    max: usize,
    lines: bool,
    code: &str,
) -> Option<String> {
    let v = blank(value);
    if let Some(s) = &v {
        let bad_char = |c: char| c.is_control() && !(lines && (c == '\n' || c == '\r'));
        if s.chars().count() > max || s.chars().any(bad_char) || (!lines && !plain(s)) {
            p.add(field, code);
        }
    }
    v
}

/// Everything a service stores but its institution, id and creation time.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Values {
    code: String,
    name_ro: String,
    name_ru: String,
    name_en: String,
    provider: String,
    provider_type: String,
    area: Option<String>,
    address: Option<String>,
    contact: Option<String>,
    accredited: bool,
    active: bool,
    category_id: Option<i64>,
    department_id: Option<i64>,
}

fn values_of(s: &public_service::Model) -> Values {
    Values {
        code: s.code.clone(),
        name_ro: s.name_ro.clone(),
        name_ru: s.name_ru.clone(),
        name_en: s.name_en.clone(),
        provider: s.provider.clone(),
        provider_type: s.provider_type.clone(),
        area: s.area.clone(),
        address: s.address.clone(),
        contact: s.contact.clone(),
        accredited: s.accredited,
        active: s.active,
        category_id: s.category_id,
        department_id: s.department_id,
    }
}

/// The categories and departments of one institution.
struct Refs {
    categories: Vec<category::Model>,
    departments: Vec<department::Model>,
}

impl Refs {
    async fn load<C: ConnectionTrait>(db: &C, institution_id: i64) -> Result<Refs, AppError> {
        Ok(Refs {
            categories: category::Entity::find()
                .filter(category::Column::InstitutionId.eq(institution_id))
                .order_by_asc(category::Column::Id)
                .all(db)
                .await?,
            departments: department::Entity::find()
                .filter(department::Column::InstitutionId.eq(institution_id))
                .order_by_asc(department::Column::Id)
                .all(db)
                .await?,
        })
    }

    fn category(&self, id: i64) -> Option<&category::Model> {
        self.categories.iter().find(|c| c.id == id)
    }

    fn department(&self, id: i64) -> Option<&department::Model> {
        self.departments.iter().find(|d| d.id == id)
    }

    fn choices(&self, lang: Lang) -> (Vec<ServiceChoice>, Vec<ServiceChoice>) {
        let categories = self
            .categories
            .iter()
            .filter(|c| c.active)
            .map(|c| ServiceChoice {
                value: c.id.to_string(),
                label: localized(lang, &c.name_ro, &c.name_ru, &c.name_en).to_string(),
            })
            .collect();
        let departments = self
            .departments
            .iter()
            .filter(|d| d.active)
            .map(|d| ServiceChoice {
                value: d.id.to_string(),
                label: localized(lang, &d.name_ro, &d.name_ru, &d.name_en).to_string(),
            })
            .collect();
        (categories, departments)
    }

    fn view(&self, s: public_service::Model, lang: Lang) -> ServiceAdminView {
        let cat = s.category_id.and_then(|id| self.category(id));
        let dep = s.department_id.and_then(|id| self.department(id));
        ServiceAdminView {
            name: localized(lang, &s.name_ro, &s.name_ru, &s.name_en).to_string(),
            category_code: cat.map(|c| c.code.clone()),
            category: cat.map(|c| localized(lang, &c.name_ro, &c.name_ru, &c.name_en).to_string()),
            department_code: dep.map(|d| d.code.clone()),
            department: dep
                .map(|d| localized(lang, &d.name_ro, &d.name_ru, &d.name_en).to_string()),
            id: s.id,
            institution_id: s.institution_id,
            code: s.code,
            name_ro: s.name_ro,
            name_ru: s.name_ru,
            name_en: s.name_en,
            provider: s.provider,
            provider_type: s.provider_type,
            area: s.area,
            address: s.address,
            contact: s.contact,
            accredited: s.accredited,
            active: s.active,
            category_id: s.category_id,
            department_id: s.department_id,
            created_at: s.created_at,
        }
    }
}

/// Checks a service's values (`current`: the service being changed, none for a new one). The
/// code's uniqueness is checked by the caller. A category or a department must be the
/// institution's, and active unless the service has it already.
fn check(
    p: &mut Problems,
    refs: &Refs,
    input: &ServiceInput,
    current: Option<&public_service::Model>,
) -> Values {
    let code = input.code.trim().to_lowercase();
    if !valid_code(&code) {
        p.add("code", "service_code_format");
    }
    let name_ro = required(p, "name_ro", &input.name_ro, "service_name_length");
    let mut other_name = |field: &str, v: &Option<String>| match blank(v.as_deref()) {
        None => name_ro.clone(),
        Some(_) => required(
            p,
            field,
            v.as_deref().unwrap_or_default(),
            "service_name_length",
        ),
    };
    let name_ru = other_name("name_ru", &input.name_ru);
    let name_en = other_name("name_en", &input.name_en);
    let provider = required(p, "provider", &input.provider, "service_provider_length");
    let provider_type = match blank(input.provider_type.as_deref()) {
        None => "public".to_string(),
        Some(t) => {
            let t = match t.to_lowercase().as_str() {
                "privat" | "частный" => "private".to_string(),
                "публичный" => "public".to_string(),
                other => other.to_string(),
            };
            if !PROVIDER_TYPES.contains(&t.as_str()) {
                p.add("provider_type", "choice_invalid");
            }
            t
        }
    };
    let area = optional(
        p,
        "area",
        input.area.as_deref(),
        AREA_MAX,
        false,
        "service_area_length",
    );
    let address = optional(
        p,
        "address",
        input.address.as_deref(),
        ADDRESS_MAX,
        true,
        "service_address_length",
    );
    let contact = optional(
        p,
        "contact",
        input.contact.as_deref(),
        CONTACT_MAX,
        false,
        "service_contact_length",
    );
    if let Some(id) = input.category_id {
        match refs.category(id) {
            None => p.add("category_id", "choice_invalid"),
            Some(c) if !c.active && current.is_none_or(|s| s.category_id != Some(id)) => {
                p.add("category_id", "service_category_inactive")
            }
            Some(_) => {}
        }
    }
    if let Some(id) = input.department_id {
        match refs.department(id) {
            None => p.add("department_id", "choice_invalid"),
            Some(d) if !d.active && current.is_none_or(|s| s.department_id != Some(id)) => {
                p.add("department_id", "service_department_inactive")
            }
            Some(_) => {}
        }
    }
    Values {
        code,
        name_ro,
        name_ru,
        name_en,
        provider,
        provider_type,
        area,
        address,
        contact,
        accredited: input.accredited,
        active: input
            .active
            .unwrap_or_else(|| current.is_none_or(|s| s.active)),
        category_id: input.category_id,
        department_id: input.department_id,
    }
}

/// Whether another service of the institution has `code`.
async fn code_taken<C: ConnectionTrait>(
    db: &C,
    institution_id: i64,
    code: &str,
    own_id: Option<i64>,
) -> Result<bool, AppError> {
    Ok(public_service::Entity::find()
        .filter(public_service::Column::InstitutionId.eq(institution_id))
        .filter(public_service::Column::Code.eq(code))
        .filter(public_service::Column::Id.ne(own_id.unwrap_or(0)))
        .count(db)
        .await?
        > 0)
}

/// A unique key taken by another change meanwhile (the checks passed a moment before).
fn taken_meanwhile(e: sea_orm::DbErr) -> AppError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            AppError::Conflict("another change took this code meanwhile: try again".into())
        }
        _ => e.into(),
    }
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

/// The changes from `a` to `b`, field by field.
fn changes_of(a: &Values, b: &Values) -> serde_json::Map<String, Value> {
    let mut c = serde_json::Map::new();
    note(&mut c, "code", &a.code, &b.code);
    note(&mut c, "name_ro", &a.name_ro, &b.name_ro);
    note(&mut c, "name_ru", &a.name_ru, &b.name_ru);
    note(&mut c, "name_en", &a.name_en, &b.name_en);
    note(&mut c, "provider", &a.provider, &b.provider);
    note(&mut c, "provider_type", &a.provider_type, &b.provider_type);
    note(&mut c, "area", &a.area, &b.area);
    note(&mut c, "address", &a.address, &b.address);
    note(&mut c, "contact", &a.contact, &b.contact);
    note(&mut c, "accredited", &a.accredited, &b.accredited);
    note(&mut c, "active", &a.active, &b.active);
    note(&mut c, "category_id", &a.category_id, &b.category_id);
    note(&mut c, "department_id", &a.department_id, &b.department_id);
    c
}

fn values_json(v: &Values) -> Value {
    json!({
        "code": v.code,
        "name_ro": v.name_ro,
        "name_ru": v.name_ru,
        "name_en": v.name_en,
        "provider": v.provider,
        "provider_type": v.provider_type,
        "area": v.area,
        "address": v.address,
        "contact": v.contact,
        "accredited": v.accredited,
        "active": v.active,
        "category_id": v.category_id,
        "department_id": v.department_id,
    })
}

fn set_values(a: &mut public_service::ActiveModel, v: Values) {
    a.code = Set(v.code);
    a.name_ro = Set(v.name_ro);
    a.name_ru = Set(v.name_ru);
    a.name_en = Set(v.name_en);
    a.provider = Set(v.provider);
    a.provider_type = Set(v.provider_type);
    a.area = Set(v.area);
    a.address = Set(v.address);
    a.contact = Set(v.contact);
    a.accredited = Set(v.accredited);
    a.active = Set(v.active);
    a.category_id = Set(v.category_id);
    a.department_id = Set(v.department_id);
}

/// Service `id`, if `account` administers its institution; otherwise it does not exist for
/// them.
async fn visible<C: ConnectionTrait>(
    db: &C,
    account: &Account,
    id: i64,
) -> Result<public_service::Model, AppError> {
    public_service::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| account.administers(s.institution_id))
        .ok_or(AppError::NotFound)
}

// --- the list -----------------------------------------------------------------------------

/// What a valid filter says.
struct Checked {
    q: Option<String>,
    area: Option<String>,
    active: Option<bool>,
    page: u64,
    per_page: u64,
}

fn check_filter(f: &ServiceFilter) -> Result<Checked, AppError> {
    let mut p = Problems::default();
    let active = match blank(f.active.as_deref()) {
        None => None,
        Some(a) => {
            let v = parse_bool(&a);
            if v.is_none() {
                p.add("active", "choice_invalid");
            }
            v
        }
    };
    let number = |v: Option<String>| v.map(|v| v.parse::<u64>().ok().filter(|n| *n > 0));
    let page = match number(blank(f.page.as_deref())) {
        None => 1,
        Some(Some(n)) if n <= MAX_PAGE => n,
        Some(_) => {
            p.add("page", "page_range");
            1
        }
    };
    let per_page = match number(blank(f.per_page.as_deref())) {
        None => PER_PAGE,
        Some(Some(n)) => n.min(MAX_PER_PAGE),
        Some(None) => {
            p.add("per_page", "page_range");
            PER_PAGE
        }
    };
    p.into_result("invalid filters")?;
    Ok(Checked {
        q: blank(f.q.as_deref()).map(|q| q.chars().take(200).collect()),
        area: blank(f.area.as_deref()).map(|a| fold(&a)),
        active,
        page,
        per_page,
    })
}

async fn list_of<C: ConnectionTrait>(
    db: &C,
    institution_id: i64,
    f: &Checked,
    refs: &Refs,
    lang: Lang,
) -> Result<ServicePage, AppError> {
    let mut query = public_service::Entity::find()
        .filter(public_service::Column::InstitutionId.eq(institution_id));
    if let Some(a) = f.active {
        query = query.filter(public_service::Column::Active.eq(a));
    }
    // A registry is hundreds of rows: filtered by words and area here, as the public search.
    let found: Vec<public_service::Model> = query
        .order_by_asc(public_service::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| {
            f.area
                .as_ref()
                .is_none_or(|a| s.area.as_deref().is_some_and(|x| fold(x.trim()) == *a))
        })
        .filter(|s| match &f.q {
            None => true,
            Some(q) => {
                let text = format!(
                    "{} {} {} {} {} {} {}",
                    s.code,
                    s.name_ro,
                    s.name_ru,
                    s.name_en,
                    s.provider,
                    s.area.as_deref().unwrap_or_default(),
                    s.address.as_deref().unwrap_or_default()
                );
                matches(&text, q)
            }
        })
        .collect();
    let total = found.len() as u64;
    let skip = ((f.page - 1) * f.per_page) as usize;
    let items = found
        .into_iter()
        .skip(skip)
        .take(f.per_page as usize)
        .map(|s| refs.view(s, lang))
        .collect();
    Ok(ServicePage {
        items,
        total,
        page: f.page,
        per_page: f.per_page,
    })
}

/// The services of institution `institution_id` (its administrators) that match `filter`, by
/// code, a page of them; deactivated ones too unless the filter says otherwise.
pub async fn list(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    institution_id: i64,
    filter: &ServiceFilter,
    lang: Lang,
) -> Result<ServicePage, AppError> {
    let account = admin(principal)?;
    let inst = administered(db, account, institution_id).await?;
    let f = check_filter(filter)?;
    let refs = Refs::load(db, inst.id).await?;
    list_of(db, inst.id, &f, &refs, lang).await
}

/// The areas of an institution's departments and services, sorted.
async fn areas_of<C: ConnectionTrait>(
    db: &C,
    institution_id: i64,
    refs: &Refs,
) -> Result<Vec<String>, AppError> {
    let mut areas: BTreeSet<String> = refs
        .departments
        .iter()
        .filter_map(|d| d.area.clone())
        .collect();
    for s in public_service::Entity::find()
        .filter(public_service::Column::InstitutionId.eq(institution_id))
        .filter(public_service::Column::Area.is_not_null())
        .all(db)
        .await?
    {
        if let Some(a) = s.area {
            areas.insert(a);
        }
    }
    Ok(areas.into_iter().collect())
}

/// Everything `/admin/servicii` shows: the services of institution `institution_id` (none: the
/// first the reader administers), the institutions to choose from, and the forms' choices.
pub async fn overview(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    institution_id: Option<i64>,
    filter: &ServiceFilter,
    lang: Lang,
) -> Result<ServicesOverview, AppError> {
    let account = admin(principal)?;
    let institutions: Vec<institution::Model> = institution::Entity::find()
        .order_by_asc(institution::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|i| account.administers(i.id))
        .collect();
    let inst = match institution_id {
        Some(id) => administered(db, account, id).await?,
        None => institutions.first().cloned().ok_or(AppError::NotFound)?,
    };
    let f = check_filter(filter)?;
    let refs = Refs::load(db, inst.id).await?;
    let list = list_of(db, inst.id, &f, &refs, lang).await?;
    let (categories, departments) = refs.choices(lang);
    let areas = areas_of(db, inst.id, &refs).await?;
    Ok(ServicesOverview {
        institution_id: inst.id,
        institution: localized(lang, &inst.name_ro, &inst.name_ru, &inst.name_en).to_string(),
        institutions: institutions
            .iter()
            .map(|i| ServiceChoice {
                value: i.id.to_string(),
                label: localized(lang, &i.name_ro, &i.name_ru, &i.name_en).to_string(),
            })
            .collect(),
        list,
        categories,
        departments,
        areas,
    })
}

/// Service `id` as its administrators see it.
pub async fn get(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    lang: Lang,
) -> Result<ServiceAdminView, AppError> {
    let account = admin(principal)?;
    let s = visible(db, account, id).await?;
    let refs = Refs::load(db, s.institution_id).await?;
    Ok(refs.view(s, lang))
}

/// Everything `/admin/servicii/{id}` shows.
pub async fn detail(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    lang: Lang,
) -> Result<ServiceDetail, AppError> {
    let account = admin(principal)?;
    let s = visible(db, account, id).await?;
    let inst = administered(db, account, s.institution_id).await?;
    let refs = Refs::load(db, inst.id).await?;
    let cases = pc::Entity::find()
        .filter(pc::Column::ServiceId.eq(s.id))
        .count(db)
        .await?;
    let (mut categories, mut departments) = refs.choices(lang);
    // The service's own category and department stay offered while inactive.
    if let Some(c) = s
        .category_id
        .and_then(|id| refs.category(id))
        .filter(|c| !c.active)
    {
        categories.push(ServiceChoice {
            value: c.id.to_string(),
            label: localized(lang, &c.name_ro, &c.name_ru, &c.name_en).to_string(),
        });
    }
    if let Some(d) = s
        .department_id
        .and_then(|id| refs.department(id))
        .filter(|d| !d.active)
    {
        departments.push(ServiceChoice {
            value: d.id.to_string(),
            label: localized(lang, &d.name_ro, &d.name_ru, &d.name_en).to_string(),
        });
    }
    let areas = areas_of(db, inst.id, &refs).await?;
    Ok(ServiceDetail {
        service: refs.view(s, lang),
        institution: localized(lang, &inst.name_ro, &inst.name_ru, &inst.name_en).to_string(),
        categories,
        departments,
        areas,
        cases,
    })
}

// --- changes ------------------------------------------------------------------------------

/// Adds a service to institution `institution_id` (its administrators).
pub async fn create(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    institution_id: i64,
    input: &ServiceInput,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<ServiceAdminView, AppError> {
    let account = admin(principal)?;
    let inst = administered(db, account, institution_id).await?;
    let refs = Refs::load(db, inst.id).await?;
    let mut p = Problems::default();
    let v = check(&mut p, &refs, input, None);
    if valid_code(&v.code) && code_taken(db, inst.id, &v.code, None).await? {
        p.add("code", "service_code_taken");
    }
    p.into_result("the service does not check")?;
    let details = values_json(&v);
    let txn = db.begin().await?;
    let mut a = public_service::ActiveModel {
        institution_id: Set(inst.id),
        created_at: Set(now),
        ..Default::default()
    };
    set_values(&mut a, v);
    let row = a.insert(&txn).await.map_err(taken_meanwhile)?;
    audit::record(
        &txn,
        audit::Entry::new("admin.service.create")
            .chain(Some(inst.id))
            .by(Some(account.user_id), "admin")
            .target("service", row.id)
            .details(details),
        now,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(service_id = row.id, code = %row.code, by = account.user_id, "service created");
    Ok(refs.view(row, lang))
}

/// Stores `v` as service `s`'s values, with its audit record (`admin.service.update`, or
/// `deactivate`/`reactivate` when only that changed). Nothing changed: nothing written.
async fn store(
    db: &DatabaseConnection,
    account: &Account,
    s: public_service::Model,
    v: Values,
    now: DateTime<Utc>,
) -> Result<public_service::Model, AppError> {
    let before = values_of(&s);
    let changes = changes_of(&before, &v);
    if changes.is_empty() {
        return Ok(s);
    }
    let action = match (changes.len(), before.active, v.active) {
        (1, true, false) => "admin.service.deactivate",
        (1, false, true) => "admin.service.reactivate",
        _ => "admin.service.update",
    };
    let txn = db.begin().await?;
    let mut a = s.into_active_model();
    set_values(&mut a, v);
    let row = a.update(&txn).await.map_err(taken_meanwhile)?;
    audit::record(
        &txn,
        audit::Entry::new(action)
            .chain(Some(row.institution_id))
            .by(Some(account.user_id), "admin")
            .target("service", row.id)
            .details(json!({ "code": row.code, "changes": changes })),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Changes every value of service `id` (its institution's administrators); `active` left out
/// keeps its state. Recorded with each changed value before and after.
pub async fn update(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    input: &ServiceInput,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<ServiceAdminView, AppError> {
    let account = admin(principal)?;
    let s = visible(db, account, id).await?;
    let refs = Refs::load(db, s.institution_id).await?;
    let mut p = Problems::default();
    let v = check(&mut p, &refs, input, Some(&s));
    if valid_code(&v.code)
        && v.code != s.code
        && code_taken(db, s.institution_id, &v.code, Some(s.id)).await?
    {
        p.add("code", "service_code_taken");
    }
    p.into_result("the service does not check")?;
    let row = store(db, account, s, v, now).await?;
    Ok(refs.view(row, lang))
}

/// Deactivates (`active` false: no longer listed to the public nor offered when filing; the
/// cases that name it keep it) or reactivates service `id`.
pub async fn set_active(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    active: bool,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<ServiceAdminView, AppError> {
    let account = admin(principal)?;
    let s = visible(db, account, id).await?;
    let refs = Refs::load(db, s.institution_id).await?;
    let mut v = values_of(&s);
    v.active = active;
    let row = store(db, account, s, v, now).await?;
    Ok(refs.view(row, lang))
}

// --- CSV ----------------------------------------------------------------------------------

/// The byte-order mark a CSV file starts with.
const BOM: &str = "\u{feff}";

fn yes_no(b: bool) -> String {
    if b { "true" } else { "false" }.to_string()
}

/// The services of institution `institution_id` (its administrators) as CSV, by code, with
/// the file's name (`servicii-{slug}.csv`).
pub async fn export_csv(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    institution_id: i64,
) -> Result<(Vec<u8>, String), AppError> {
    let account = admin(principal)?;
    let inst = administered(db, account, institution_id).await?;
    let refs = Refs::load(db, inst.id).await?;
    let services = public_service::Entity::find()
        .filter(public_service::Column::InstitutionId.eq(inst.id))
        .order_by_asc(public_service::Column::Code)
        .all(db)
        .await?;
    let mut w = csv::Writer::from_writer(BOM.as_bytes().to_vec());
    let internal = |e: csv::Error| {
        tracing::error!(error = %e, "writing the services' CSV");
        AppError::Internal
    };
    w.write_record(CSV_COLUMNS).map_err(internal)?;
    for s in services {
        let category = s
            .category_id
            .and_then(|id| refs.category(id))
            .map(|c| c.code.clone())
            .unwrap_or_default();
        let department = s
            .department_id
            .and_then(|id| refs.department(id))
            .map(|d| d.code.clone())
            .unwrap_or_default();
        let row = [
            s.code,
            s.name_ro,
            s.name_ru,
            s.name_en,
            s.provider,
            s.provider_type,
            s.area.unwrap_or_default(),
            s.address.unwrap_or_default(),
            s.contact.unwrap_or_default(),
            yes_no(s.accredited),
            yes_no(s.active),
            category,
            department,
        ];
        w.write_record(row.iter().map(|c| safe(c).into_owned()))
            .map_err(internal)?;
    }
    let bytes = w.into_inner().map_err(|_| AppError::Internal)?;
    Ok((bytes, format!("servicii-{}.csv", inst.slug)))
}

/// A cell as it was before the export neutralised it: a leading `'` before a formula's first
/// character is taken off.
fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// The separator of a CSV file: `;` when its first line has more of them than of `,`.
fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    let count = |c: char| first.chars().filter(|x| *x == c).count();
    if count(';') > count(',') { b';' } else { b',' }
}

/// One row to store.
enum Planned {
    Create(Values),
    Update(Box<public_service::Model>, Values),
}

/// Checks a CSV file for institution `institution_id` (its administrators) and, unless
/// `dry_run` or a row has a problem, stores every row in one transaction. See the module's
/// documentation for the format. The report lists every problem with its line and column
/// (line 0: the file as a whole), sorted by line.
pub async fn import_csv(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    institution_id: i64,
    bytes: &[u8],
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<ImportReport, AppError> {
    let account = admin(principal)?;
    let inst = administered(db, account, institution_id).await?;
    let mut report = ImportReport {
        dry_run,
        ..Default::default()
    };
    fn problem(report: &mut ImportReport, line: u64, column: &str, code: String) {
        report.problems.push(ImportProblem {
            line,
            column: column.to_string(),
            code,
        });
    }
    if bytes.len() > IMPORT_MAX_BYTES {
        problem(&mut report, 0, "file", "import_too_large".into());
        return Ok(report);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        problem(&mut report, 0, "file", "import_not_utf8".into());
        return Ok(report);
    };
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => {
            problem(&mut report, 0, "file", "import_empty".into());
            return Ok(report);
        }
        Some(Err(_)) => {
            problem(&mut report, 1, "file", "import_malformed".into());
            return Ok(report);
        }
        Some(Ok(h)) => h,
    };
    // The header: each known column once, `code` among them.
    let mut columns: HashMap<&'static str, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().trim_start_matches('\u{feff}').to_lowercase();
        if name.is_empty() {
            continue;
        }
        match CSV_COLUMNS.iter().copied().find(|c| *c == name) {
            None => problem(
                &mut report,
                1,
                &name,
                format!("import_unknown_column:{name}"),
            ),
            Some(c) if columns.contains_key(c) => {
                problem(&mut report, 1, c, format!("import_duplicate_column:{c}"))
            }
            Some(c) => {
                columns.insert(c, i);
            }
        }
    }
    if !columns.contains_key("code") {
        problem(&mut report, 1, "code", "import_missing_column:code".into());
    }
    if !report.problems.is_empty() {
        return Ok(report);
    }
    let width = header.len();
    let refs = Refs::load(db, inst.id).await?;
    let mut existing: HashMap<String, public_service::Model> = public_service::Entity::find()
        .filter(public_service::Column::InstitutionId.eq(inst.id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut planned: Vec<Planned> = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problem(&mut report, line, "file", "import_malformed".into());
                break;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        report.rows += 1;
        if report.rows as usize > IMPORT_MAX_ROWS {
            problem(
                &mut report,
                0,
                "file",
                format!("import_too_many_rows:{IMPORT_MAX_ROWS}"),
            );
            break;
        }
        if record.len() != width {
            problem(&mut report, line, "file", format!("import_columns:{width}"));
            continue;
        }
        let cell = |name: &str| -> Option<String> {
            columns
                .get(name)
                .and_then(|i| record.get(*i))
                .map(|c| unneutralise(c).to_string())
        };
        let mut p = Problems::default();
        let code = cell("code").unwrap_or_default().trim().to_lowercase();
        if !valid_code(&code) {
            problem(&mut report, line, "code", "service_code_format".into());
            continue;
        }
        if let Some(first) = seen.get(&code) {
            problem(
                &mut report,
                line,
                "code",
                format!("import_duplicate_code:{first}"),
            );
            continue;
        }
        seen.insert(code.clone(), line);
        let current = existing.get(&code);
        let text = |name: &str, kept: Option<String>| cell(name).or(kept);
        let mut boolean = |name: &str, kept: Option<bool>, default: bool| match cell(name) {
            None => kept.unwrap_or(default),
            Some(c) if c.trim().is_empty() => kept.unwrap_or(default),
            Some(c) => parse_bool(&c).unwrap_or_else(|| {
                p.add(name, "import_boolean");
                kept.unwrap_or(default)
            }),
        };
        let accredited = boolean("accredited", current.map(|s| s.accredited), false);
        let active = boolean("active", current.map(|s| s.active), true);
        let mut reference =
            |name: &str, kept: Option<i64>, find: &dyn Fn(&str) -> Option<i64>| match cell(name)
                .map(|c| c.trim().to_string())
            {
                None => kept,
                Some(c) if c.is_empty() => None,
                Some(c) => find(&c).or_else(|| {
                    p.add(
                        name,
                        format!("service_{}_unknown:{c}", &name[..name.len() - 5]),
                    );
                    kept
                }),
            };
        let category_id = reference(
            "category_code",
            current.and_then(|s| s.category_id),
            &|c: &str| {
                refs.categories
                    .iter()
                    .find(|x| x.code.eq_ignore_ascii_case(c))
                    .map(|x| x.id)
            },
        );
        let department_id = reference(
            "department_code",
            current.and_then(|s| s.department_id),
            &|c: &str| {
                refs.departments
                    .iter()
                    .find(|x| x.code.eq_ignore_ascii_case(c))
                    .map(|x| x.id)
            },
        );
        let input = ServiceInput {
            code: code.clone(),
            name_ro: text("name_ro", current.map(|s| s.name_ro.clone())).unwrap_or_default(),
            name_ru: text("name_ru", current.map(|s| s.name_ru.clone())),
            name_en: text("name_en", current.map(|s| s.name_en.clone())),
            provider: text("provider", current.map(|s| s.provider.clone())).unwrap_or_default(),
            provider_type: text("provider_type", current.map(|s| s.provider_type.clone())),
            area: text("area", current.and_then(|s| s.area.clone())),
            address: text("address", current.and_then(|s| s.address.clone())),
            contact: text("contact", current.and_then(|s| s.contact.clone())),
            accredited,
            active: Some(active),
            category_id,
            department_id,
        };
        let v = check(&mut p, &refs, &input, current);
        if !p.0.is_empty() {
            for (field, codes) in p.0 {
                let column = match field.as_str() {
                    "category_id" => "category_code",
                    "department_id" => "department_code",
                    other => other,
                };
                for code in codes {
                    problem(&mut report, line, column, code);
                }
            }
            continue;
        }
        match existing.remove(&code) {
            None => {
                report.created += 1;
                planned.push(Planned::Create(v));
            }
            Some(s) if values_of(&s) == v => report.unchanged += 1,
            Some(s) => {
                report.updated += 1;
                planned.push(Planned::Update(Box::new(s), v));
            }
        }
    }
    report.problems.sort_by_key(|p| p.line);
    if !report.problems.is_empty() || dry_run {
        return Ok(report);
    }
    let txn = db.begin().await?;
    let mut created_codes = Vec::new();
    let mut updated_codes = Vec::new();
    for plan in planned {
        match plan {
            Planned::Create(v) => {
                created_codes.push(v.code.clone());
                let mut a = public_service::ActiveModel {
                    institution_id: Set(inst.id),
                    created_at: Set(now),
                    ..Default::default()
                };
                set_values(&mut a, v);
                a.insert(&txn).await.map_err(taken_meanwhile)?;
            }
            Planned::Update(s, v) => {
                updated_codes.push(v.code.clone());
                let mut a = (*s).into_active_model();
                set_values(&mut a, v);
                a.update(&txn).await.map_err(taken_meanwhile)?;
            }
        }
    }
    // The codes, up to a hundred of each (the counts say how many).
    created_codes.truncate(100);
    updated_codes.truncate(100);
    audit::record(
        &txn,
        audit::Entry::new("admin.service.import")
            .chain(Some(inst.id))
            .by(Some(account.user_id), "admin")
            .target("institution", inst.id)
            .details(json!({
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "created_codes": created_codes,
                "updated_codes": updated_codes,
            })),
        now,
    )
    .await?;
    txn.commit().await?;
    report.applied = true;
    tracing::info!(
        institution_id = inst.id,
        created = report.created,
        updated = report.updated,
        by = account.user_id,
        "services imported"
    );
    Ok(report)
}

/// A report's problems as a validation error (the field of each: see
/// [`crate::model::services_admin::problem_key`]), at most `max` of them; the file's own entry
/// says how many there are (`import_problems:N`).
pub fn report_error(report: &ImportReport, max: usize) -> AppError {
    let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
    fields
        .entry("file".into())
        .or_default()
        .push(format!("import_problems:{}", report.problems.len()));
    for p in report.problems.iter().take(max) {
        fields
            .entry(problem_key(p.line, &p.column))
            .or_default()
            .push(p.code.clone());
    }
    AppError::Validation {
        message: format!("the file has {} problem(s)", report.problems.len()),
        fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_neutralised_cells() {
        assert_eq!(separator("code;name_ro;provider\n"), b';');
        assert_eq!(separator("code,name_ro,provider\n"), b',');
        assert_eq!(separator("code\n"), b',');
        assert_eq!(unneutralise("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unneutralise("'-5"), "-5");
        assert_eq!(unneutralise("'quoted"), "'quoted");
        assert_eq!(unneutralise("plain"), "plain");
    }
}
