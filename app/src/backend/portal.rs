//! What the public pages show about the institution that runs the portal.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::backend::entity::{department, institution};
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::portal::{DepartmentSummary, PortalInfo};

/// Picks the name for `lang` from the three stored translations.
pub fn localized<'a>(lang: Lang, ro: &'a str, ru: &'a str, en: &'a str) -> &'a str {
    let chosen = match lang {
        Lang::Ro => ro,
        Lang::Ru => ru,
        Lang::En => en,
    };
    if chosen.is_empty() { ro } else { chosen }
}

/// The portal's home institution: the first one created.
pub async fn home_institution<C: sea_orm::ConnectionTrait>(
    db: &C,
) -> Result<institution::Model, AppError> {
    institution::Entity::find()
        .order_by_asc(institution::Column::Id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The active departments of an institution as `(id, name in lang)`, in creation order.
pub async fn active_departments(
    db: &DatabaseConnection,
    institution_id: i64,
    lang: Lang,
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(department::Entity::find()
        .filter(department::Column::InstitutionId.eq(institution_id))
        .filter(department::Column::Active.eq(true))
        .order_by_asc(department::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|d| {
            let name = localized(lang, &d.name_ro, &d.name_ru, &d.name_en).to_string();
            (d.id, name)
        })
        .collect())
}

/// The portal's home institution with its active departments.
pub async fn portal_info(db: &DatabaseConnection, lang: Lang) -> Result<PortalInfo, AppError> {
    let inst = home_institution(db).await?;
    let departments = active_departments(db, inst.id, lang)
        .await?
        .into_iter()
        .map(|(id, name)| DepartmentSummary { id, name })
        .collect();
    Ok(PortalInfo {
        institution_name: localized(lang, &inst.name_ro, &inst.name_ru, &inst.name_en).to_string(),
        institution_email: inst.email,
        departments,
    })
}
