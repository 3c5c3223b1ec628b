//! Canned answers: an institution's ready-made texts per category, which officers insert into
//! answers and requests for information. Managed by the institution's managers and
//! administrators; every change is stamped with who made it and when.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use super::auth::Principal;
use super::auth::access::{Account, require_account};
use super::entity::{canned_answer, category};
use super::portal::{home_institution, localized};
use crate::i18n::Lang;
use crate::model::account::Role;
use crate::model::staff::{CANNED_BODY_MAX, CANNED_TITLE_MAX, CannedAnswer, CannedInput};
use crate::model::{AppError, FieldErrors};

/// The institution whose canned answers `account` manages (a manager's or an administrator's),
/// or `Forbidden`.
async fn managed_institution(db: &DatabaseConnection, account: &Account) -> Result<i64, AppError> {
    if account.is_global_admin() {
        return Ok(home_institution(db).await?.id);
    }
    account
        .grants
        .iter()
        .find(|g| matches!(g.role, Role::Manager | Role::Admin))
        .and_then(|g| g.institution_id)
        .ok_or(AppError::Forbidden)
}

/// The canned answers the asker manages, by title.
pub async fn list(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    lang: Lang,
) -> Result<Vec<CannedAnswer>, AppError> {
    let account = require_account(principal)?;
    let inst = managed_institution(db, account).await?;
    let categories: std::collections::BTreeMap<i64, String> = category::Entity::find()
        .filter(category::Column::InstitutionId.eq(inst))
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            let name = localized(lang, &c.name_ro, &c.name_ru, &c.name_en).to_string();
            (c.id, name)
        })
        .collect();
    Ok(canned_answer::Entity::find()
        .filter(canned_answer::Column::InstitutionId.eq(inst))
        .order_by_asc(canned_answer::Column::Title)
        .order_by_asc(canned_answer::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| CannedAnswer {
            id: c.id,
            category: c.category_id.and_then(|id| categories.get(&id).cloned()),
            category_id: c.category_id,
            title: c.title,
            body: c.body,
            updated_at: c.updated_at.to_rfc3339(),
        })
        .collect())
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Creates (no `id`) or changes a canned answer; every problem at once.
pub async fn save(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    input: &CannedInput,
) -> Result<i64, AppError> {
    let account = require_account(principal)?;
    let inst = managed_institution(db, account).await?;
    let mut errors = FieldErrors::new();
    let mut fail = |field: &str, code: &str| {
        errors.entry(field.into()).or_default().push(code.into());
    };
    let title = input.title.trim();
    let body = input.body.trim();
    if title.is_empty() || title.chars().count() as u64 > CANNED_TITLE_MAX {
        fail("title", "canned_title_length");
    }
    if body.is_empty() || body.chars().count() as u64 > CANNED_BODY_MAX {
        fail("body", "canned_body_length");
    }
    let category_id = match blank(&input.category_id) {
        None => None,
        Some(s) => match s.parse::<i64>() {
            Ok(id) => {
                let ok = category::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    .is_some_and(|c| c.institution_id == inst);
                if !ok {
                    fail("category_id", "choice_invalid");
                }
                Some(id)
            }
            Err(_) => {
                fail("category_id", "choice_invalid");
                None
            }
        },
    };
    let id = match blank(&input.id) {
        None => None,
        Some(s) => Some(s.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    if !errors.is_empty() {
        return Err(AppError::Validation {
            message: "validation failed".into(),
            fields: errors,
        });
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    let (id, verb) = match id {
        Some(id) => {
            let row = canned_answer::Entity::find_by_id(id)
                .filter(canned_answer::Column::InstitutionId.eq(inst))
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut row = row.into_active_model();
            row.title = Set(title.to_string());
            row.body = Set(body.to_string());
            row.category_id = Set(category_id);
            row.updated_by = Set(Some(account.user_id));
            row.updated_at = Set(now);
            row.update(&txn).await?;
            (id, "admin.canned_answer.update")
        }
        None => {
            let row = canned_answer::ActiveModel {
                institution_id: Set(inst),
                category_id: Set(category_id),
                title: Set(title.to_string()),
                body: Set(body.to_string()),
                updated_by: Set(Some(account.user_id)),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            (row.id, "admin.canned_answer.create")
        }
    };
    super::audit::record(
        &txn,
        super::audit::Entry::new(verb)
            .chain(Some(inst))
            .by_account(account, Some(inst))
            .target("canned_answer", id)
            .details(serde_json::json!({ "title": title, "category_id": category_id })),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Deletes a canned answer of the asker's institution.
pub async fn delete(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: i64,
) -> Result<(), AppError> {
    let account = require_account(principal)?;
    let inst = managed_institution(db, account).await?;
    let txn = db.begin().await?;
    let gone = canned_answer::Entity::delete_many()
        .filter(canned_answer::Column::Id.eq(id))
        .filter(canned_answer::Column::InstitutionId.eq(inst))
        .exec(&txn)
        .await?;
    if gone.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    super::audit::record(
        &txn,
        super::audit::Entry::new("admin.canned_answer.delete")
            .chain(Some(inst))
            .by_account(account, Some(inst))
            .target("canned_answer", id),
        Utc::now(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
