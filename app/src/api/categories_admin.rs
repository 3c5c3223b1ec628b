//! Server functions of `/admin/categorii`: an institution's categories and their own
//! questions (see `backend::categories_admin`). The forms post here without JavaScript; after
//! a change the page is shown again with a notice. A refused form's field errors come back
//! named after that form's inputs (`c12-name_ro` for category 12's, `nf12-code` for its new
//! question's, `f5-label_ro` for question 5's), each shown next to its own field.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::categories::{CategoryInput, CategoryList, FieldInput};

#[cfg(feature = "ssr")]
use super::scoped;

/// The page again, at category `category_id`, with a notice.
#[cfg(feature = "ssr")]
fn back_to(institution_id: i64, category_id: i64) {
    leptos_axum::redirect(&format!(
        "/admin/categorii?institutie={institution_id}&salvat=1#c{category_id}"
    ));
}

/// The categories of an institution (none: the first the reader administers).
#[server(endpoint = "admin_categories")]
pub async fn admin_categories(
    institution_id: Option<i64>,
    lang: Lang,
) -> Result<CategoryList, AppError> {
    let state = super::state()?;
    crate::backend::categories_admin::list(
        &state.db,
        super::principal()?.as_ref(),
        institution_id,
        lang,
    )
    .await
}

/// Adds a category.
#[server(endpoint = "create_category")]
pub async fn create_category(institution_id: i64, form: CategoryInput) -> Result<(), AppError> {
    let state = super::state()?;
    let view = crate::backend::categories_admin::create_category(
        &state.db,
        super::principal()?.as_ref(),
        institution_id,
        &form,
        state.config.clock.now(),
    )
    .await
    .map_err(|e| scoped("nc-", e))?;
    state.cache.clear();
    back_to(view.institution_id, view.id);
    Ok(())
}

/// Changes a category.
#[server(endpoint = "update_category")]
pub async fn update_category(id: i64, form: CategoryInput) -> Result<(), AppError> {
    let state = super::state()?;
    let view = crate::backend::categories_admin::update_category(
        &state.db,
        super::principal()?.as_ref(),
        id,
        &form,
        state.config.clock.now(),
    )
    .await
    .map_err(|e| scoped(&format!("c{id}-"), e))?;
    state.cache.clear();
    back_to(view.institution_id, view.id);
    Ok(())
}

/// Adds a question to a category.
#[server(endpoint = "add_category_field")]
pub async fn add_category_field(category_id: i64, form: FieldInput) -> Result<(), AppError> {
    let state = super::state()?;
    let view = crate::backend::categories_admin::add_field(
        &state.db,
        super::principal()?.as_ref(),
        category_id,
        &form,
        state.config.clock.now(),
    )
    .await
    .map_err(|e| scoped(&format!("nf{category_id}-"), e))?;
    state.cache.clear();
    back_to(view.institution_id, view.id);
    Ok(())
}

/// Changes a question.
#[server(endpoint = "update_category_field")]
pub async fn update_category_field(id: i64, form: FieldInput) -> Result<(), AppError> {
    let state = super::state()?;
    let view = crate::backend::categories_admin::update_field(
        &state.db,
        super::principal()?.as_ref(),
        id,
        &form,
        state.config.clock.now(),
    )
    .await
    .map_err(|e| scoped(&format!("f{id}-"), e))?;
    state.cache.clear();
    back_to(view.institution_id, view.id);
    Ok(())
}

/// Removes a question (filed cases keep their answers).
#[server(endpoint = "remove_category_field")]
pub async fn remove_category_field(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let view = crate::backend::categories_admin::remove_field(
        &state.db,
        super::principal()?.as_ref(),
        id,
        state.config.clock.now(),
    )
    .await?;
    state.cache.clear();
    back_to(view.institution_id, view.id);
    Ok(())
}
