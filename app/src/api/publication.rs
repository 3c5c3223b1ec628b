//! Server functions of publication: the staff's redaction page and its forms, and the public
//! list and page of published cases.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::publication::{PublicationDraft, PublishedCase, PublishedPage};

/// The case's texts with the personal data found in them (the case's staff only); `extra`:
/// strings named by hand, one per line.
#[server(endpoint = "publication_draft")]
pub async fn get_publication_draft(
    case_id: i64,
    extra: Option<String>,
) -> Result<PublicationDraft, AppError> {
    let state = super::state()?;
    let extra: Vec<String> = extra.into_iter().collect();
    crate::backend::publication::draft(&state.db, super::principal()?.as_ref(), case_id, &extra)
        .await
}

/// Publishes a case as the redaction form says (a plain form: `case_id`, `version`, every
/// piece offered as `offered`, those ticked for removal as `remove`, `extra` lines), then
/// shows the case page.
#[server(endpoint = "publish_case", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn publish_case(data: leptos::server_fn::codec::MultipartData) -> Result<(), AppError> {
    use crate::model::publication::PublishChoice;
    let state = super::state()?;
    let multipart = data.into_inner().ok_or(AppError::Internal)?;
    let form = crate::backend::multipart_form::read(multipart).await?;
    let case_id: i64 = form
        .text("case_id")
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("case_id: a number".into()))?;
    let removed = form.all("remove");
    // Pieces offered and left unticked stay; every other one is removed.
    let keep = form
        .all("offered")
        .iter()
        .filter(|id| !removed.contains(id))
        .cloned()
        .collect();
    let choice = PublishChoice {
        version: form.text("version").trim().parse().ok(),
        keep,
        extra: vec![form.text("extra")],
    };
    crate::backend::publication::publish(&state.db, super::principal()?.as_ref(), case_id, &choice)
        .await?;
    leptos_axum::redirect(&format!("/cazuri/{case_id}?publicat=1#publication-title"));
    Ok(())
}

/// Takes a case off the public pages, then shows the case page.
#[server(endpoint = "unpublish_case")]
pub async fn unpublish_case(case_id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    crate::backend::publication::unpublish(&state.db, super::principal()?.as_ref(), case_id)
        .await?;
    leptos_axum::redirect(&format!("/cazuri/{case_id}?retras=1#publication-title"));
    Ok(())
}

/// A page of the published cases, searched by the words of `q`.
#[server(endpoint = "published_cases")]
pub async fn published_cases(
    lang: Lang,
    q: Option<String>,
    page: Option<u64>,
) -> Result<PublishedPage, AppError> {
    use crate::model::publication::PublishedQuery;
    let state = super::state()?;
    crate::backend::publication::public_page(
        &state.db,
        &PublishedQuery {
            q,
            page,
            per_page: None,
        },
        lang,
    )
    .await
}

/// One published case.
#[server(endpoint = "published_case")]
pub async fn get_published_case(lang: Lang, id: i64) -> Result<PublishedCase, AppError> {
    let state = super::state()?;
    crate::backend::publication::public_case(&state.db, id, lang).await
}
