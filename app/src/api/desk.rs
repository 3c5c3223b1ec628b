//! Server functions of the officer's desk: internal notes, bulk assignment, registering a
//! petition on the petitioner's behalf, and the canned answers managers keep.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::staff::{CannedAnswer, Choice};

/// Adds an internal note to a case (staff of its scope only).
#[server(endpoint = "add_case_note")]
pub async fn add_case_note(case_id: i64, note: String) -> Result<(), AppError> {
    let state = super::state()?;
    crate::backend::staff_case::add_note(&state.db, super::principal()?.as_ref(), case_id, &note)
        .await?;
    leptos_axum::redirect(&format!("/cazuri/{case_id}#notes-title"));
    Ok(())
}

/// The officers the asker may give cases to (empty for officers).
#[server(endpoint = "assignable_officers")]
pub async fn assignable_officers() -> Result<Vec<Choice>, AppError> {
    let state = super::state()?;
    let principal = super::principal()?;
    let account = crate::backend::auth::access::require_account(principal.as_ref())?;
    crate::backend::staff_case::assignable(&state.db, account).await
}

/// Assigns the ticked cases of a queue page to one officer, then shows the queue again with
/// what was done (`back`: the queue's filters, as its address had them).
#[server(endpoint = "bulk_assign", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn bulk_assign(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<crate::model::staff::BulkResult, AppError> {
    let state = super::state()?;
    let multipart = data.into_inner().ok_or(AppError::Internal)?;
    let form = crate::backend::multipart_form::read(multipart).await?;
    let ids: Vec<i64> = form
        .all("case_ids")
        .iter()
        .filter_map(|v| v.trim().parse().ok())
        .collect();
    let assignee: i64 = form
        .text("assignee_id")
        .trim()
        .parse()
        .map_err(|_| AppError::field("assignee_id", "choice_invalid"))?;
    let result = crate::backend::case_actions::assign_many(
        &state.db,
        &state.config,
        super::principal()?.as_ref(),
        &ids,
        assignee,
    )
    .await?;
    // Without JavaScript the queue is shown again with the outcome in its address.
    let back = form.text("back");
    let back = if back
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "=&_-.%+".contains(c))
    {
        back
    } else {
        String::new()
    };
    let refused: String = result
        .refused
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(",")
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b',' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    leptos_axum::redirect(&format!(
        "/birou?{back}{}repartizate={}&nerepartizate={refused}",
        if back.is_empty() { "" } else { "&" },
        result.assigned.len(),
    ));
    Ok(result)
}

/// Registers a petition that came on paper, by post, by e-mail or orally (staff only).
#[server(endpoint = "register_on_behalf", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn register_on_behalf(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<(), AppError> {
    let state = super::state()?;
    let multipart = data.into_inner().ok_or(AppError::Internal)?;
    let (form, uploads) = crate::backend::multipart_form::read_filing(multipart).await?;
    let receipt = crate::backend::citizen_filing::register_on_behalf(
        &state.db,
        &state.config,
        super::principal()?.as_ref(),
        form,
        uploads,
        crate::ui::prefs::current().0,
    )
    .await?;
    leptos_axum::redirect(&format!("/cazuri/{}?nou=1", receipt.id));
    Ok(())
}

/// The canned answers the asker manages.
#[server(endpoint = "canned_answers")]
pub async fn canned_answers(lang: Lang) -> Result<Vec<CannedAnswer>, AppError> {
    let state = super::state()?;
    crate::backend::canned_answers::list(&state.db, super::principal()?.as_ref(), lang).await
}

/// Creates or changes a canned answer.
#[server(endpoint = "save_canned_answer")]
pub async fn save_canned_answer(
    id: Option<String>,
    category_id: Option<String>,
    title: String,
    body: String,
) -> Result<(), AppError> {
    use crate::model::staff::CannedInput;
    let state = super::state()?;
    crate::backend::canned_answers::save(
        &state.db,
        super::principal()?.as_ref(),
        &CannedInput {
            id,
            category_id,
            title,
            body,
        },
    )
    .await?;
    leptos_axum::redirect("/birou/raspunsuri-tip?salvat=1");
    Ok(())
}

/// Deletes a canned answer.
#[server(endpoint = "delete_canned_answer")]
pub async fn delete_canned_answer(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    crate::backend::canned_answers::delete(&state.db, super::principal()?.as_ref(), id).await?;
    leptos_axum::redirect("/birou/raspunsuri-tip");
    Ok(())
}
