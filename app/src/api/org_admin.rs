//! Server functions of `/admin/institutii`: the institutions, their departments and routing
//! rules (see `backend::org_admin`). The forms post here without JavaScript; after a change
//! the page is shown again with a notice. Several forms share one page, so a refused form's
//! field errors come back named after that form's inputs (`d12-name_ro` for department 12's),
//! each shown next to its own field.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::org_admin::{InstitutionDetail, InstitutionList};

/// An institution's form, as a plain form sends it (`form[name_ro]`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionForm {
    pub slug: Option<String>,
    pub name_ro: String,
    pub name_ru: String,
    pub name_en: String,
    pub reg_prefix: String,
    pub calendar: String,
    pub counting_rule: String,
    pub timezone: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// A department's id, or blank for none.
    pub default_department_id: Option<String>,
}

/// The page's address, shown again after a change (`anchor`: the section changed).
#[cfg(feature = "ssr")]
fn back_to(institution_id: i64, anchor: &str) {
    leptos_axum::redirect(&format!(
        "/admin/institutii/{institution_id}?salvat=1#{anchor}"
    ));
}

#[cfg(feature = "ssr")]
use super::scoped;

/// A blank-or-number field: `None` when blank; a field error when not a number.
#[cfg(feature = "ssr")]
fn optional_id(field: &str, value: Option<&str>) -> Result<Option<i64>, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| AppError::field(field, "choice_invalid")),
    }
}

#[cfg(feature = "ssr")]
fn input_of(form: InstitutionForm) -> Result<crate::model::org_admin::InstitutionInput, AppError> {
    Ok(crate::model::org_admin::InstitutionInput {
        default_department_id: optional_id(
            "default_department_id",
            form.default_department_id.as_deref(),
        )?,
        slug: form.slug,
        name_ro: form.name_ro,
        name_ru: form.name_ru,
        name_en: form.name_en,
        reg_prefix: form.reg_prefix,
        calendar: form.calendar,
        counting_rule: form.counting_rule,
        timezone: form.timezone,
        email: form.email,
        phone: form.phone,
        address: form.address,
    })
}

/// The institutions the reader administers.
#[server(endpoint = "org_institutions")]
pub async fn org_institutions(lang: Lang) -> Result<InstitutionList, AppError> {
    let state = super::state()?;
    crate::backend::org_admin::institutions(&state.db, super::principal()?.as_ref(), lang).await
}

/// An institution with its departments, routing rules and the rule form's choices.
#[server(endpoint = "org_institution")]
pub async fn org_institution(id: i64, lang: Lang) -> Result<InstitutionDetail, AppError> {
    let state = super::state()?;
    crate::backend::org_admin::detail(&state.db, super::principal()?.as_ref(), id, lang).await
}

/// Adds an institution (the portal's administrator), then shows its page.
#[server(endpoint = "create_institution")]
pub async fn create_institution(form: InstitutionForm) -> Result<(), AppError> {
    let state = super::state()?;
    let view = crate::backend::org_admin::create_institution(
        &state.db,
        super::principal()?.as_ref(),
        &input_of(form)?,
        crate::ui::prefs::current().0,
        state.config.clock.now(),
    )
    .await?;
    state.cache.clear();
    back_to(view.id, "details-title");
    Ok(())
}

/// Changes an institution's details.
#[server(endpoint = "update_institution")]
pub async fn update_institution(id: i64, form: InstitutionForm) -> Result<(), AppError> {
    let state = super::state()?;
    let input = input_of(form).map_err(|e| scoped("i-", e))?;
    crate::backend::org_admin::update_institution(
        &state.db,
        super::principal()?.as_ref(),
        id,
        &input,
        crate::ui::prefs::current().0,
        state.config.clock.now(),
    )
    .await
    .map_err(|e| scoped("i-", e))?;
    state.cache.clear();
    back_to(id, "details-title");
    Ok(())
}

/// Adds a department to an institution.
#[server(endpoint = "create_department")]
pub async fn create_department(
    institution_id: i64,
    code: String,
    name_ro: String,
    name_ru: String,
    name_en: String,
    area: Option<String>,
    email: Option<String>,
) -> Result<(), AppError> {
    use crate::model::org_admin::DepartmentInput;
    let state = super::state()?;
    crate::backend::org_admin::create_department(
        &state.db,
        super::principal()?.as_ref(),
        institution_id,
        &DepartmentInput {
            code,
            name_ro,
            name_ru,
            name_en,
            area,
            email,
            active: None,
        },
        crate::ui::prefs::current().0,
        state.config.clock.now(),
    )
    .await
    .map_err(|e| scoped("nd-", e))?;
    state.cache.clear();
    back_to(institution_id, "departments-title");
    Ok(())
}

/// Changes a department (its state stays as it is).
#[server(endpoint = "update_department")]
pub async fn update_department(
    id: i64,
    code: String,
    name_ro: String,
    name_ru: String,
    name_en: String,
    area: Option<String>,
    email: Option<String>,
) -> Result<(), AppError> {
    use crate::model::org_admin::DepartmentInput;
    let state = super::state()?;
    let view = crate::backend::org_admin::update_department(
        &state.db,
        super::principal()?.as_ref(),
        id,
        &DepartmentInput {
            code,
            name_ro,
            name_ru,
            name_en,
            area,
            email,
            active: None,
        },
        crate::ui::prefs::current().0,
        state.config.clock.now(),
    )
    .await
    .map_err(|e| scoped(&format!("d{id}-"), e))?;
    state.cache.clear();
    back_to(view.institution_id, "departments-title");
    Ok(())
}

/// Deactivates (`active` false: refused while it has open cases) or activates a department.
#[server(endpoint = "set_department_active")]
pub async fn set_department_active(id: i64, active: bool) -> Result<(), AppError> {
    let state = super::state()?;
    let view = crate::backend::org_admin::set_department_active(
        &state.db,
        super::principal()?.as_ref(),
        id,
        active,
        crate::ui::prefs::current().0,
        state.config.clock.now(),
    )
    .await
    .map_err(|e| scoped(&format!("d{id}-"), e))?;
    state.cache.clear();
    back_to(view.institution_id, "departments-title");
    Ok(())
}

/// Adds a routing rule (blank choices: none).
#[server(endpoint = "create_routing_rule")]
pub async fn create_routing_rule(
    institution_id: i64,
    category_id: Option<String>,
    service_id: Option<String>,
    area: Option<String>,
    department_id: Option<String>,
) -> Result<(), AppError> {
    use crate::model::org_admin::RoutingRuleInput;
    let state = super::state()?;
    let read = || -> Result<RoutingRuleInput, AppError> {
        Ok(RoutingRuleInput {
            category_id: optional_id("category_id", category_id.as_deref())?,
            service_id: optional_id("service_id", service_id.as_deref())?,
            area,
            department_id: optional_id("department_id", department_id.as_deref())?
                .ok_or_else(|| AppError::field("department_id", "choice_invalid"))?,
        })
    };
    let input = read().map_err(|e| scoped("r-", e))?;
    crate::backend::org_admin::create_routing_rule(
        &state.db,
        super::principal()?.as_ref(),
        institution_id,
        &input,
        crate::ui::prefs::current().0,
        state.config.clock.now(),
    )
    .await
    .map_err(|e| scoped("r-", e))?;
    back_to(institution_id, "rules-title");
    Ok(())
}

/// Removes a routing rule.
#[server(endpoint = "delete_routing_rule")]
pub async fn delete_routing_rule(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    let institution_id = crate::backend::org_admin::delete_routing_rule(
        &state.db,
        super::principal()?.as_ref(),
        id,
        state.config.clock.now(),
    )
    .await?;
    back_to(institution_id, "rules-title");
    Ok(())
}
