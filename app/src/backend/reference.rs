//! The reference data other systems read before filing (`GET /api/v1/institutions`,
//! `GET /api/v1/categories`), and the workflow definitions an administrator reads and
//! uploads (`GET /api/v1/workflows`, `PUT /api/v1/workflows/{name}`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::auth::access::Account;
use super::entity::{category, department, institution, workflow_definition as wd};
use super::portal::localized;
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::portal::DepartmentSummary;

/// An institution with its active departments, named in the asker's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InstitutionView {
    pub id: i64,
    pub name: String,
    pub departments: Vec<DepartmentSummary>,
}

/// A category of cases (a service, in Open311's words).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CategoryView {
    pub id: i64,
    pub institution_id: i64,
    pub code: String,
    pub name: String,
    /// The kind of case it files: `petition`, `complaint`, `prior_complaint` or
    /// `information_request`.
    pub case_kind: String,
    /// The category's own questions, answered in a filing's `extra` by their `code`.
    pub fields: Vec<crate::model::categories::FieldView>,
}

/// A workflow definition in its newest version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WorkflowView {
    pub name: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    /// The definition as TOML.
    pub source: String,
}

impl From<wd::Model> for WorkflowView {
    fn from(r: wd::Model) -> Self {
        WorkflowView {
            name: r.name,
            version: r.version,
            created_at: r.created_at,
            source: r.source,
        }
    }
}

/// A definition to store: its TOML.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowUpload {
    pub source: String,
}

/// The definition's TOML may be this long at most.
pub const WORKFLOW_MAX_BYTES: usize = super::workflow_admin::SOURCE_MAX_BYTES;

/// Every institution of the portal, with its active departments.
pub async fn institutions(
    db: &DatabaseConnection,
    lang: Lang,
) -> Result<Vec<InstitutionView>, AppError> {
    let departments = department::Entity::find()
        .filter(department::Column::Active.eq(true))
        .order_by_asc(department::Column::Id)
        .all(db)
        .await?;
    let mut by_institution: BTreeMap<i64, Vec<DepartmentSummary>> = BTreeMap::new();
    for d in departments {
        by_institution
            .entry(d.institution_id)
            .or_default()
            .push(DepartmentSummary {
                id: d.id,
                name: localized(lang, &d.name_ro, &d.name_ru, &d.name_en).to_string(),
            });
    }
    Ok(institution::Entity::find()
        .order_by_asc(institution::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|i| InstitutionView {
            id: i.id,
            name: localized(lang, &i.name_ro, &i.name_ru, &i.name_en).to_string(),
            departments: by_institution.remove(&i.id).unwrap_or_default(),
        })
        .collect())
}

/// The active categories of every institution.
pub async fn categories(
    db: &DatabaseConnection,
    lang: Lang,
) -> Result<Vec<CategoryView>, AppError> {
    let categories = category::Entity::find()
        .filter(category::Column::Active.eq(true))
        .order_by_asc(category::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = categories.iter().map(|c| c.id).collect();
    let mut fields = super::category_fields::fields_by_category(db, &ids).await?;
    Ok(categories
        .into_iter()
        .map(|c| CategoryView {
            id: c.id,
            institution_id: c.institution_id,
            name: localized(lang, &c.name_ro, &c.name_ru, &c.name_en).to_string(),
            fields: fields
                .remove(&c.id)
                .unwrap_or_default()
                .iter()
                .map(|f| super::category_fields::view(f, lang))
                .collect(),
            code: c.code,
            case_kind: c.case_kind,
        })
        .collect())
}

/// The definitions serve every institution of the portal: an administrator of the whole
/// portal, or of the institution that runs it (the home institution), manages them.
async fn require_portal_admin(db: &DatabaseConnection, account: &Account) -> Result<(), AppError> {
    super::workflow_admin::require_definition_admin(db, account).await
}

/// Every definition in its newest version (administrators of the portal).
pub async fn workflows(
    db: &DatabaseConnection,
    account: &Account,
) -> Result<Vec<WorkflowView>, AppError> {
    require_portal_admin(db, account).await?;
    let mut newest: BTreeMap<String, wd::Model> = BTreeMap::new();
    for row in wd::Entity::find()
        .order_by_asc(wd::Column::Name)
        .order_by_asc(wd::Column::Version)
        .all(db)
        .await?
    {
        newest.insert(row.name.clone(), row);
    }
    Ok(newest.into_values().map(WorkflowView::from).collect())
}

/// Validates `upload` and stores it as the next version of definition `name` (running cases
/// keep theirs). Every problem is named with its line and column under `source`; a document
/// that names another definition is refused.
pub async fn store_workflow(
    db: &DatabaseConnection,
    account: &Account,
    name: &str,
    upload: WorkflowUpload,
    now: DateTime<Utc>,
) -> Result<WorkflowView, AppError> {
    let (name, version) =
        super::workflow_admin::store(db, account, &upload.source, Some(name), now).await?;
    let row = wd::Entity::find()
        .filter(wd::Column::Name.eq(name.as_str()))
        .filter(wd::Column::Version.eq(version))
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(row.into())
}
