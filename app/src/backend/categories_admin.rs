//! The administration of an institution's categories and their own questions, for the page
//! (`/admin/categorii`) and the JSON API (`/api/v1/admin/…/categories`) alike.
//!
//! Who may: the portal's administrator, for every institution; an institution's
//! administrator, for theirs only (another institution's categories do not exist for them:
//! `404`); nobody else (`403`). Every change is recorded in the institution's audit chain in
//! its own transaction: `admin.category.create`, `admin.category.update`,
//! `admin.category_field.create`, `admin.category_field.update`,
//! `admin.category_field.delete`, with the values.
//!
//! A category is never deleted (cases refer to it): it is deactivated, and leaves the filing
//! form and Open311's service list. A question can be removed: the cases filed with it keep
//! their answers with its labels ([`super::category_fields`]).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, SqlErr,
    TransactionTrait,
};
use serde_json::json;

use super::audit;
use super::auth::{Account, Principal};
use super::category_fields::{options_text, parse_options};
use super::entity::{category, category_field, department, institution, petition_case as pc};
use super::error::Problems;
use super::org_admin::{admin, administered, valid_code};
use super::portal::localized;
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::categories::{
    CategoryAdminView, CategoryInput, CategoryList, FIELD_TYPES, FIELDS_MAX, FieldAdminView,
    FieldInput,
};
use crate::model::filing::KINDS;

const NAME_MAX: usize = 255;

/// A name or label on one line, 1–255 characters; blank `fallback` fields take `fallback`.
fn name(p: &mut Problems, field: &str, value: &str, fallback: Option<&str>) -> String {
    let v = value.trim();
    let v = match (v.is_empty(), fallback) {
        (true, Some(f)) => f.trim(),
        _ => v,
    };
    if v.is_empty() || v.chars().count() > NAME_MAX {
        p.add(field, "name_length");
    } else if crate::model::account::plain_name(v).is_err() {
        p.add(field, "full_name_chars");
    }
    v.to_string()
}

fn unique_violation(e: sea_orm::DbErr, field: &str, code: &str) -> AppError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::field(field, code),
        _ => e.into(),
    }
}

// --- views --------------------------------------------------------------------------------

fn field_view(f: &category_field::Model) -> FieldAdminView {
    FieldAdminView {
        id: f.id,
        code: f.code.clone(),
        label_ro: f.label_ro.clone(),
        label_ru: f.label_ru.clone(),
        label_en: f.label_en.clone(),
        field_type: f.field_type.clone(),
        required: f.required,
        options: options_text(f),
        position: f.position,
    }
}

fn category_view(
    c: category::Model,
    cases: u64,
    fields: &[category_field::Model],
) -> CategoryAdminView {
    CategoryAdminView {
        id: c.id,
        institution_id: c.institution_id,
        code: c.code,
        name_ro: c.name_ro,
        name_ru: c.name_ru,
        name_en: c.name_en,
        case_kind: c.case_kind,
        default_department_id: c.default_department_id,
        active: c.active,
        cases,
        fields: fields.iter().map(field_view).collect(),
    }
}

async fn view_of<C: ConnectionTrait>(
    db: &C,
    c: category::Model,
) -> Result<CategoryAdminView, AppError> {
    let cases = pc::Entity::find()
        .filter(pc::Column::CategoryId.eq(c.id))
        .count(db)
        .await?;
    let fields = super::category_fields::fields_of(db, c.id).await?;
    Ok(category_view(c, cases, &fields))
}

/// The categories of institution `institution_id` (none: the first the reader administers),
/// with their questions and what the forms offer.
pub async fn list(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    institution_id: Option<i64>,
    lang: Lang,
) -> Result<CategoryList, AppError> {
    let account = admin(principal)?;
    let institutions: Vec<institution::Model> = institution::Entity::find()
        .order_by_asc(institution::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|i| account.administers(i.id))
        .collect();
    let chosen = match institution_id {
        Some(id) => administered(db, account, id).await?,
        None => institutions.first().cloned().ok_or(AppError::NotFound)?,
    };
    let categories = category::Entity::find()
        .filter(category::Column::InstitutionId.eq(chosen.id))
        .order_by_asc(category::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = categories.iter().map(|c| c.id).collect();
    let mut fields = super::category_fields::fields_by_category(db, &ids).await?;
    let counts: HashMap<i64, i64> = pc::Entity::find()
        .select_only()
        .column(pc::Column::CategoryId)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(pc::Column::InstitutionId.eq(chosen.id))
        .filter(pc::Column::CategoryId.is_not_null())
        .group_by(pc::Column::CategoryId)
        .into_tuple::<(Option<i64>, i64)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(c, n)| Some((c?, n)))
        .collect();
    let departments = department::Entity::find()
        .filter(department::Column::InstitutionId.eq(chosen.id))
        .filter(department::Column::Active.eq(true))
        .order_by_asc(department::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|d| {
            (
                d.id,
                localized(lang, &d.name_ro, &d.name_ru, &d.name_en).to_string(),
            )
        })
        .collect();
    Ok(CategoryList {
        institution_id: chosen.id,
        institution_name: localized(lang, &chosen.name_ro, &chosen.name_ru, &chosen.name_en)
            .to_string(),
        institutions: institutions
            .iter()
            .map(|i| {
                (
                    i.id,
                    localized(lang, &i.name_ro, &i.name_ru, &i.name_en).to_string(),
                )
            })
            .collect(),
        departments,
        categories: categories
            .into_iter()
            .map(|c| {
                let n = counts.get(&c.id).copied().unwrap_or(0).max(0) as u64;
                let f = fields.remove(&c.id).unwrap_or_default();
                category_view(c, n, &f)
            })
            .collect(),
    })
}

// --- categories ---------------------------------------------------------------------------

struct CategoryValues {
    code: String,
    name_ro: String,
    name_ru: String,
    name_en: String,
    case_kind: String,
    default_department_id: Option<i64>,
    active: bool,
}

fn flag(v: &Option<String>) -> bool {
    v.as_deref()
        .map(str::trim)
        .is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

async fn check_category<C: ConnectionTrait>(
    db: &C,
    institution_id: i64,
    input: &CategoryInput,
    own_id: Option<i64>,
) -> Result<CategoryValues, AppError> {
    let mut p = Problems::default();
    let code = input.code.trim().to_lowercase();
    if !valid_code(&code) {
        p.add("code", "department_code_format");
    } else if category::Entity::find()
        .filter(category::Column::InstitutionId.eq(institution_id))
        .filter(category::Column::Code.eq(code.as_str()))
        .filter(category::Column::Id.ne(own_id.unwrap_or(0)))
        .count(db)
        .await?
        > 0
    {
        p.add("code", "category_code_taken");
    }
    let name_ro = name(&mut p, "name_ro", &input.name_ro, None);
    let name_ru = name(&mut p, "name_ru", &input.name_ru, Some(&name_ro));
    let name_en = name(&mut p, "name_en", &input.name_en, Some(&name_ro));
    let case_kind = input.case_kind.trim().to_string();
    if !KINDS.contains(&case_kind.as_str()) {
        p.add("case_kind", "choice_invalid");
    }
    let default_department_id = match input
        .default_department_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(v) => {
            let found = match v.parse::<i64>() {
                Ok(id) => department::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    .filter(|d| d.institution_id == institution_id && d.active),
                Err(_) => None,
            };
            if found.is_none() {
                p.add("default_department_id", "choice_invalid");
            }
            found.map(|d| d.id)
        }
    };
    p.into_result("the form does not check")?;
    Ok(CategoryValues {
        code,
        name_ro,
        name_ru,
        name_en,
        case_kind,
        default_department_id,
        active: flag(&input.active),
    })
}

fn category_details(c: &category::Model) -> serde_json::Value {
    json!({
        "code": c.code,
        "name_ro": c.name_ro,
        "name_ru": c.name_ru,
        "name_en": c.name_en,
        "case_kind": c.case_kind,
        "default_department_id": c.default_department_id,
        "active": c.active,
    })
}

fn entry(
    action: &str,
    account: &Account,
    institution_id: i64,
    target: (&str, i64),
) -> audit::Entry {
    audit::Entry::new(action)
        .chain(Some(institution_id))
        .by(Some(account.user_id), "admin")
        .target(target.0, target.1)
}

/// Adds a category to institution `institution_id`.
pub async fn create_category(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    institution_id: i64,
    input: &CategoryInput,
    now: DateTime<Utc>,
) -> Result<CategoryAdminView, AppError> {
    let account = admin(principal)?;
    let inst = administered(db, account, institution_id).await?;
    let v = check_category(db, inst.id, input, None).await?;
    let txn = db.begin().await?;
    let row = category::ActiveModel {
        institution_id: Set(inst.id),
        code: Set(v.code),
        name_ro: Set(v.name_ro),
        name_ru: Set(v.name_ru),
        name_en: Set(v.name_en),
        case_kind: Set(v.case_kind),
        default_department_id: Set(v.default_department_id),
        active: Set(v.active),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| unique_violation(e, "code", "category_code_taken"))?;
    audit::record(
        &txn,
        entry(
            "admin.category.create",
            account,
            inst.id,
            ("category", row.id),
        )
        .details(category_details(&row)),
        now,
    )
    .await?;
    txn.commit().await?;
    view_of(db, row).await
}

/// Category `id`, if `account` administers its institution (else it does not exist for them).
async fn administered_category<C: ConnectionTrait>(
    db: &C,
    account: &Account,
    id: i64,
) -> Result<category::Model, AppError> {
    let c = category::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    administered(db, account, c.institution_id).await?;
    Ok(c)
}

/// Changes category `id` (nothing changed: nothing written).
pub async fn update_category(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    input: &CategoryInput,
    now: DateTime<Utc>,
) -> Result<CategoryAdminView, AppError> {
    let account = admin(principal)?;
    let current = administered_category(db, account, id).await?;
    let v = check_category(db, current.institution_id, input, Some(id)).await?;
    let before = category_details(&current);
    let mut row = current.clone().into_active_model();
    row.code = Set(v.code);
    row.name_ro = Set(v.name_ro);
    row.name_ru = Set(v.name_ru);
    row.name_en = Set(v.name_en);
    row.case_kind = Set(v.case_kind);
    row.default_department_id = Set(v.default_department_id);
    row.active = Set(v.active);
    if !row.is_changed() {
        return view_of(db, current).await;
    }
    let txn = db.begin().await?;
    let row = row
        .update(&txn)
        .await
        .map_err(|e| unique_violation(e, "code", "category_code_taken"))?;
    audit::record(
        &txn,
        entry(
            "admin.category.update",
            account,
            row.institution_id,
            ("category", row.id),
        )
        .details(json!({"before": before, "after": category_details(&row)})),
        now,
    )
    .await?;
    txn.commit().await?;
    view_of(db, row).await
}

// --- questions ----------------------------------------------------------------------------

struct FieldValues {
    code: String,
    label_ro: String,
    label_ru: String,
    label_en: String,
    field_type: String,
    required: bool,
    options: Option<serde_json::Value>,
    position: Option<i32>,
}

async fn check_field<C: ConnectionTrait>(
    db: &C,
    category_id: i64,
    input: &FieldInput,
    own_id: Option<i64>,
) -> Result<FieldValues, AppError> {
    let mut p = Problems::default();
    let code = input.code.trim().to_lowercase();
    if !valid_code(&code) {
        p.add("code", "department_code_format");
    } else if category_field::Entity::find()
        .filter(category_field::Column::CategoryId.eq(category_id))
        .filter(category_field::Column::Code.eq(code.as_str()))
        .filter(category_field::Column::Id.ne(own_id.unwrap_or(0)))
        .count(db)
        .await?
        > 0
    {
        p.add("code", "field_code_taken");
    }
    let label_ro = name(&mut p, "label_ro", &input.label_ro, None);
    let label_ru = name(&mut p, "label_ru", &input.label_ru, Some(&label_ro));
    let label_en = name(&mut p, "label_en", &input.label_en, Some(&label_ro));
    let field_type = input.field_type.trim().to_string();
    if !FIELD_TYPES.contains(&field_type.as_str()) {
        p.add("field_type", "choice_invalid");
    }
    let options = if field_type == "choice" {
        match parse_options(&input.options) {
            Ok(list) if list.is_empty() => {
                p.add("options", "option_missing");
                None
            }
            Ok(list) => Some(serde_json::to_value(list).unwrap_or_default()),
            Err(code) => {
                p.add("options", code);
                None
            }
        }
    } else {
        None
    };
    let position = match input
        .position
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(v) => match v.parse::<i32>() {
            Ok(n) if (0..=1000).contains(&n) => Some(n),
            _ => {
                p.add("position", "position_range");
                None
            }
        },
    };
    p.into_result("the form does not check")?;
    Ok(FieldValues {
        code,
        label_ro,
        label_ru,
        label_en,
        field_type,
        required: flag(&input.required),
        options,
        position,
    })
}

fn field_details(f: &category_field::Model) -> serde_json::Value {
    json!({
        "category_id": f.category_id,
        "code": f.code,
        "label_ro": f.label_ro,
        "label_ru": f.label_ru,
        "label_en": f.label_en,
        "field_type": f.field_type,
        "required": f.required,
        "options": f.options,
        "position": f.position,
    })
}

/// Adds a question to category `category_id` (last, unless a position is given).
pub async fn add_field(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    category_id: i64,
    input: &FieldInput,
    now: DateTime<Utc>,
) -> Result<CategoryAdminView, AppError> {
    let account = admin(principal)?;
    let cat = administered_category(db, account, category_id).await?;
    let existing = super::category_fields::fields_of(db, cat.id).await?;
    if existing.len() >= FIELDS_MAX {
        return Err(AppError::field("code", "field_count"));
    }
    let v = check_field(db, cat.id, input, None).await?;
    let position = v
        .position
        .unwrap_or_else(|| existing.iter().map(|f| f.position + 1).max().unwrap_or(0));
    let txn = db.begin().await?;
    let row = category_field::ActiveModel {
        category_id: Set(cat.id),
        code: Set(v.code),
        label_ro: Set(v.label_ro),
        label_ru: Set(v.label_ru),
        label_en: Set(v.label_en),
        field_type: Set(v.field_type),
        required: Set(v.required),
        options: Set(v.options),
        position: Set(position),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| unique_violation(e, "code", "field_code_taken"))?;
    audit::record(
        &txn,
        entry(
            "admin.category_field.create",
            account,
            cat.institution_id,
            ("category_field", row.id),
        )
        .details(field_details(&row)),
        now,
    )
    .await?;
    txn.commit().await?;
    view_of(db, cat).await
}

/// Question `id` with its category, if `account` administers the category's institution.
async fn administered_field<C: ConnectionTrait>(
    db: &C,
    account: &Account,
    id: i64,
) -> Result<(category_field::Model, category::Model), AppError> {
    let f = category_field::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let cat = administered_category(db, account, f.category_id).await?;
    Ok((f, cat))
}

/// Changes question `id`. Cases already filed keep their answers as they were asked.
pub async fn update_field(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    input: &FieldInput,
    now: DateTime<Utc>,
) -> Result<CategoryAdminView, AppError> {
    let account = admin(principal)?;
    let (current, cat) = administered_field(db, account, id).await?;
    let v = check_field(db, cat.id, input, Some(id)).await?;
    let before = field_details(&current);
    let mut row = current.clone().into_active_model();
    row.code = Set(v.code);
    row.label_ro = Set(v.label_ro);
    row.label_ru = Set(v.label_ru);
    row.label_en = Set(v.label_en);
    row.field_type = Set(v.field_type);
    row.required = Set(v.required);
    row.options = Set(v.options);
    row.position = Set(v.position.unwrap_or(current.position));
    if !row.is_changed() {
        return view_of(db, cat).await;
    }
    row.updated_at = Set(now);
    let txn = db.begin().await?;
    let row = row
        .update(&txn)
        .await
        .map_err(|e| unique_violation(e, "code", "field_code_taken"))?;
    audit::record(
        &txn,
        entry(
            "admin.category_field.update",
            account,
            cat.institution_id,
            ("category_field", row.id),
        )
        .details(json!({"before": before, "after": field_details(&row)})),
        now,
    )
    .await?;
    txn.commit().await?;
    view_of(db, cat).await
}

/// Removes question `id`. Cases already filed keep their answers with its labels.
pub async fn remove_field(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
    now: DateTime<Utc>,
) -> Result<CategoryAdminView, AppError> {
    let account = admin(principal)?;
    let (current, cat) = administered_field(db, account, id).await?;
    let txn = db.begin().await?;
    category_field::Entity::delete_by_id(current.id)
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        entry(
            "admin.category_field.delete",
            account,
            cat.institution_id,
            ("category_field", current.id),
        )
        .details(field_details(&current)),
        now,
    )
    .await?;
    txn.commit().await?;
    view_of(db, cat).await
}
