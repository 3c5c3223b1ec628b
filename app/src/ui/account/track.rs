//! Following a case: asking for a tracking link, and the case page a link (or an account)
//! opens.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::forms::{ErrorSummary, TextField, action_error, query_flag};
use crate::api::account::{RequestCaseLink, get_case};
use crate::model::AppError;
use crate::ui::prefs::use_prefs;

#[component]
pub fn TrackPage() -> impl IntoView {
    let a = use_prefs().lang.account();
    let action = ServerAction::<RequestCaseLink>::new();
    let error = action_error(action);
    let sent = query_flag("trimis");
    let invalid = query_flag("link");
    view! {
        <Title text=a.track_title/>
        <div class="narrow">
            <ErrorSummary error/>
            <h1>{a.track_title}</h1>
            {move || invalid.get().map(|_| view! { <p class="notice notice-warning" role="status">{a.track_invalid}</p> })}
            {move || sent.get().map(|_| view! { <p class="notice notice-success" role="status">{a.track_sent}</p> })}
            <p>{a.track_intro}</p>
            <ActionForm action attr:novalidate=true>
                <TextField name="registration_number" label=a.registration_number hint=a.registration_number_hint error/>
                <TextField name="email" label=a.email kind="email" autocomplete="email" error/>
                <div class="actions"><button type="submit">{a.submit_track}</button></div>
            </ActionForm>
        </div>
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let a = use_prefs().lang.account();
    let f = use_prefs().lang.filing();
    let just_filed = query_flag("nou");
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let case = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_case(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(c) => view! {
                        <Title text=format!("{} {}", a.case_title, c.registration_number)/>
                        {just_filed.get_untracked().map(|_| view! {
                            <div class="panel-confirmation" role="status">
                                <h1>{f.receipt_title}</h1>
                                <p>{f.receipt_number}<strong>{c.registration_number.clone()}</strong></p>
                            </div>
                            <p>{f.receipt_next}</p>
                        })}
                        <h1 class:visually-hidden=just_filed.get_untracked().is_some()>{a.case_title}" "{c.registration_number.clone()}</h1>
                        <p class="lead">{c.subject.clone()}</p>
                        <dl class="summary-list">
                            <dt>{a.case_status}</dt><dd>{c.status_label.clone()}</dd>
                            <dt>{a.case_filed}</dt><dd>{c.filed_at.get(..10).unwrap_or_default().to_string()}</dd>
                            <dt>{a.case_due}</dt><dd>{c.answer_due.clone().unwrap_or_default()}</dd>
                        </dl>
                        <p class="case-body">{c.body.clone()}</p>
                        <h2>{a.case_history}</h2>
                        <ol class="timeline">
                            {c.history.iter().map(|h| view! {
                                <li><strong>{h.to_label.clone()}</strong>" · "{h.at.get(..10).unwrap_or_default().to_string()}
                                    {h.note.clone().map(|n| view! { <p>{n}</p> })}
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                    Err(_) => {
                        #[cfg(feature = "ssr")]
                        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                            res.set_status(http::StatusCode::NOT_FOUND);
                        }
                        view! {
                            <Title text=a.case_title/>
                            <h1>{a.case_title}</h1>
                            <p>{a.case_not_found}</p>
                            <p><a href="/urmarire">{a.track_title}</a></p>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
