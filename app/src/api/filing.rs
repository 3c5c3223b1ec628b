//! Server functions of the citizen's pages: the filing form, filing, "my cases".

// `file_case` takes the form's fields one by one (their names are the form's), more than
// clippy's default of seven.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::case::CasePage;
use crate::model::filing::FilingOptions;

/// What the filing form offers, named in `lang`.
#[server(endpoint = "filing_options")]
pub async fn get_filing_options(lang: Lang) -> Result<FilingOptions, AppError> {
    let state = super::state()?;
    crate::backend::citizen_filing::options(&state.db, lang).await
}

/// Files the form; the answer is the receipt page. (Flat arguments: the form's field names.)
#[server(endpoint = "file_case")]
pub async fn file_case(
    kind: String,
    department_id: Option<String>,
    category_id: Option<String>,
    subject: String,
    body: String,
    address: Option<String>,
    decision_number: Option<String>,
    decision_date: Option<String>,
    postal_address: Option<String>,
    consent_processing: Option<String>,
    consent_publish: Option<String>,
    confirm_repeat: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::auth::request::{client_of, principal_of};
    let state = super::state()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    let form = crate::model::filing::FilingInput {
        kind,
        department_id,
        category_id,
        subject,
        body,
        address,
        decision_number,
        decision_date,
        postal_address,
        consent_processing,
        consent_publish,
        confirm_repeat,
    };
    let receipt = crate::backend::citizen_filing::file(
        &state.db,
        &state.config,
        principal_of(&parts).as_ref(),
        form,
        &client_of(&parts, state.config.trust_forwarded_for),
    )
    .await?;
    leptos_axum::redirect(&format!("/cazuri/{}?nou=1", receipt.id));
    Ok(())
}

/// The signed-in user's own cases (as petitioner), newest first.
#[server(endpoint = "my_cases")]
pub async fn my_cases(page: Option<u64>) -> Result<CasePage, AppError> {
    use crate::backend::auth::request::principal_of;
    use crate::backend::cases::{self, CaseFilter};
    let state = super::state()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    let principal = principal_of(&parts);
    let account = crate::backend::auth::access::require_account(principal.as_ref())?;
    cases::own_cases(
        &state.db,
        account.user_id,
        CaseFilter {
            page,
            ..Default::default()
        },
        crate::ui::prefs::current().0,
    )
    .await
}
