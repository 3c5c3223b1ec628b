//! Server functions of `/admin/servicii`: the service registry of an institution, a service's
//! form, deactivation and reactivation, and the CSV import's check and import (see
//! `backend::services_admin`; the export is a plain link to the JSON API's CSV). The forms post
//! here without JavaScript; after a change the service's page (or the list) is shown again
//! with a notice. The new service's form shares its page with the filters, so its field
//! errors come back named after its inputs (`n-code`, …); a refused import names each problem
//! `line-{line}-{column}` (see `model::services_admin::problem_key`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::services_admin::{ServiceDetail, ServiceFilter, ServicesOverview};

#[cfg(feature = "ssr")]
use super::scoped;

/// A service's form, as a plain form sends it (`form[code]`, …; blank choices: none).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceForm {
    pub code: String,
    pub name_ro: String,
    #[serde(default)]
    pub name_ru: Option<String>,
    #[serde(default)]
    pub name_en: Option<String>,
    pub provider: String,
    #[serde(default)]
    pub provider_type: Option<String>,
    #[serde(default)]
    pub area: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    /// A ticked checkbox sends `true`; an unticked one nothing.
    #[serde(default)]
    pub accredited: Option<String>,
    #[serde(default)]
    pub category_id: Option<String>,
    #[serde(default)]
    pub department_id: Option<String>,
}

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
fn input_of(form: ServiceForm) -> Result<crate::model::services_admin::ServiceInput, AppError> {
    Ok(crate::model::services_admin::ServiceInput {
        category_id: optional_id("category_id", form.category_id.as_deref())?,
        department_id: optional_id("department_id", form.department_id.as_deref())?,
        code: form.code,
        name_ro: form.name_ro,
        name_ru: form.name_ru,
        name_en: form.name_en,
        provider: form.provider,
        provider_type: form.provider_type,
        area: form.area,
        address: form.address,
        contact: form.contact,
        accredited: form
            .accredited
            .as_deref()
            .and_then(crate::model::services_admin::parse_bool)
            .unwrap_or(false),
        active: None,
    })
}

/// The service's page again, with a notice (`flag`).
#[cfg(feature = "ssr")]
fn back_to(id: i64, flag: &str) {
    leptos_axum::redirect(&format!("/admin/servicii/{id}?{flag}=1"));
}

/// The services of an institution (`institution`: its id; blank: the first the reader
/// administers) that match `filter`, with the forms' choices.
#[server(endpoint = "admin_services")]
pub async fn admin_services(
    institution: Option<String>,
    #[server(default)] filter: ServiceFilter,
    lang: Lang,
) -> Result<ServicesOverview, AppError> {
    let state = super::state()?;
    let institution_id = match institution
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => Some(s.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    crate::backend::services_admin::overview(
        &state.db,
        super::principal()?.as_ref(),
        institution_id,
        &filter,
        lang,
    )
    .await
}

/// A service with the form's choices.
#[server(endpoint = "admin_service")]
pub async fn admin_service(id: i64, lang: Lang) -> Result<ServiceDetail, AppError> {
    let state = super::state()?;
    crate::backend::services_admin::detail(&state.db, super::principal()?.as_ref(), id, lang).await
}

/// Adds a service to an institution, then shows its page.
#[server(endpoint = "create_service")]
pub async fn create_service(institution_id: i64, form: ServiceForm) -> Result<(), AppError> {
    let state = super::state()?;
    let input = input_of(form).map_err(|e| scoped("n-", e))?;
    let view = crate::backend::services_admin::create(
        &state.db,
        super::principal()?.as_ref(),
        institution_id,
        &input,
        crate::ui::prefs::current().0,
        state.config.clock.now(),
    )
    .await
    .map_err(|e| scoped("n-", e))?;
    state.cache.clear();
    back_to(view.id, "creat");
    Ok(())
}

/// Changes a service (its state stays as it is).
#[server(endpoint = "update_service")]
pub async fn update_service(id: i64, form: ServiceForm) -> Result<(), AppError> {
    let state = super::state()?;
    let input = input_of(form)?;
    crate::backend::services_admin::update(
        &state.db,
        super::principal()?.as_ref(),
        id,
        &input,
        crate::ui::prefs::current().0,
        state.config.clock.now(),
    )
    .await?;
    state.cache.clear();
    back_to(id, "salvat");
    Ok(())
}

/// Deactivates (`active` false) or reactivates a service.
#[server(endpoint = "set_service_active")]
pub async fn set_service_active(id: i64, active: bool) -> Result<(), AppError> {
    let state = super::state()?;
    crate::backend::services_admin::set_active(
        &state.db,
        super::principal()?.as_ref(),
        id,
        active,
        crate::ui::prefs::current().0,
        state.config.clock.now(),
    )
    .await?;
    state.cache.clear();
    back_to(id, if active { "reactivat" } else { "dezactivat" });
    Ok(())
}

/// Checks (`mode` other than `import`: nothing stored) or imports (`mode=import`) an uploaded
/// CSV file (multipart: `institution_id`, `mode`, `file`). Done, the list again with the counts
/// in the address; refused, the problems (at most
/// [`crate::model::services_admin::PAGE_PROBLEMS_MAX`]) by line and column.
#[server(endpoint = "import_services", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn import_services(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<(), AppError> {
    use crate::backend::services_admin::{import_csv, report_error};
    use crate::model::services_admin::PAGE_PROBLEMS_MAX;
    let state = super::state()?;
    let principal = super::principal()?;
    let multipart = data.into_inner().ok_or(AppError::Internal)?;
    let form = crate::backend::multipart_form::read(multipart).await?;
    let institution_id: i64 = form
        .text("institution_id")
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let dry_run = form.text("mode").trim() != "import";
    let file = form
        .files
        .into_iter()
        .find(|f| !f.bytes.is_empty())
        .ok_or_else(|| AppError::field("file", "import_file_missing"))?;
    let report = import_csv(
        &state.db,
        principal.as_ref(),
        institution_id,
        &file.bytes,
        dry_run,
        state.config.clock.now(),
    )
    .await?;
    if !report.problems.is_empty() {
        return Err(report_error(&report, PAGE_PROBLEMS_MAX));
    }
    if report.applied {
        state.cache.clear();
    }
    leptos_axum::redirect(&format!(
        "/admin/servicii?institutie={institution_id}&{}=1&noi={}&actualizate={}&neschimbate={}#import-title",
        if report.applied {
            "importat"
        } else {
            "verificat"
        },
        report.created,
        report.updated,
        report.unchanged,
    ));
    Ok(())
}
