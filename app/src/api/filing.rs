//! Server functions of the citizen's pages: the filing form, filing, "my cases".

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::case::CasePage;
use crate::model::filing::FilingOptions;

/// What the filing form offers, named in `lang`.
#[server(endpoint = "filing_options")]
pub async fn get_filing_options(lang: Lang) -> Result<FilingOptions, AppError> {
    let state = super::state()?;
    state
        .cache
        .get("filing_options", lang, || {
            crate::backend::citizen_filing::options(&state.db, lang)
        })
        .await
}

/// Files the form (multipart: its fields and its attachments); the answer is the receipt page,
/// or, without an account, the page asking to confirm the address.
#[server(endpoint = "file_case", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn file_case(data: leptos::server_fn::codec::MultipartData) -> Result<(), AppError> {
    use crate::backend::auth::request::{client_of, principal_of};
    use crate::model::filing::Filed;
    let state = super::state()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    let multipart = data.into_inner().ok_or(AppError::Internal)?;
    let (form, uploads, submission_id) =
        crate::backend::multipart_form::read_filing_once(multipart).await?;
    let principal = principal_of(&parts);
    // A signed-in citizen's form sent twice files once (a visitor's waits for the mailed
    // confirmation, which files once by itself).
    let once = match (principal.as_ref().and_then(|p| p.account()), &submission_id) {
        (Some(account), Some(token)) => {
            crate::backend::citizen_filing::Once::for_form(token, account.user_id, &form)
        }
        _ => None,
    };
    let filed = crate::backend::citizen_filing::file(
        &state.db,
        &state.config,
        principal.as_ref(),
        form,
        uploads,
        &client_of(&parts, state.config.trust_forwarded_for),
        crate::ui::prefs::current().0,
        once,
    )
    .await?;
    match filed {
        Filed::Receipt(receipt) => leptos_axum::redirect(&format!("/cazuri/{}?nou=1", receipt.id)),
        Filed::AwaitingConfirmation { .. } => leptos_axum::redirect("/depune/confirmati"),
    }
    Ok(())
}

/// While filing: an open case of the signed-in citizen on a similar subject (its number).
#[server(endpoint = "similar_case")]
pub async fn similar_case(subject: String) -> Result<Option<String>, AppError> {
    use crate::backend::auth::request::principal_of;
    let state = super::state()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    crate::backend::citizen_filing::similar_hint(&state.db, principal_of(&parts).as_ref(), &subject)
        .await
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
