//! Following a case: asking for a tracking link, and the case page a link (or an account)
//! opens.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::forms::{ErrorSummary, FieldError, TextField, action_error, query_flag};

use crate::api::account::{RateCase, RequestCaseLink, get_case};
use crate::api::data_rights::AnswerDataRequest;
use crate::api::desk::AddCaseNote;
use crate::model::AppError;
use crate::model::case::AttachmentView;
use crate::model::data_rights::is_data_request;
use crate::ui::case_actions::TransitionForms;
use crate::ui::multipart::MultipartForm;
use crate::ui::prefs::use_prefs;
use crate::ui::staff::case_desk::{CaseDesk, CaseDeskNotes};
use crate::ui::staff::data_request::DataRequestDesk;

#[component]
pub fn TrackPage() -> impl IntoView {
    let a = use_prefs().lang.account();
    let action = ServerAction::<RequestCaseLink>::new();
    let error = action_error(action);
    let sent = query_flag("trimis");
    let invalid = query_flag("link");
    let number = query_flag("registration_number");
    view! {
        <Title text=a.track_title/>
        <div class="narrow">
            <ErrorSummary error/>
            <h1>{a.track_title}</h1>
            {move || invalid.get().map(|_| view! { <p class="notice notice-warning" role="status">{a.track_invalid}</p> })}
            {move || sent.get().map(|_| view! { <p class="notice notice-success" role="status">{a.track_sent}</p> })}
            <p>{a.track_intro}</p>
            <ActionForm action attr:novalidate=true>
                <TextField name="registration_number" label=a.registration_number hint=a.registration_number_hint value=number.get_untracked().unwrap_or_default() error/>
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
    // Reloaded after each action, so the page shows the case as it is now.
    let act = MultipartForm::new();
    let rate = ServerAction::<RateCase>::new();
    let note = ServerAction::<AddCaseNote>::new();
    let data_answer = ServerAction::<AnswerDataRequest>::new();
    let case = Resource::new(
        move || {
            (
                id(),
                act.done.get(),
                rate.version().get(),
                note.version().get(),
                data_answer.version().get(),
            )
        },
        |(id, _, _, _, _)| async move {
            match id {
                Some(id) => get_case(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
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
                        {c.staff.clone().map(|staff| view! { <CaseDesk staff/> })}
                        <p class="case-body">{c.body.clone()}</p>
                        {(!c.extra.is_empty()).then(|| view! {
                            <h2>{use_prefs().lang.categories().answers_title}</h2>
                            <dl class="summary-list">
                                {c.extra.iter().map(|x| view! { <dt>{x.label.clone()}</dt><dd>{x.text.clone()}</dd> }).collect_view()}
                            </dl>
                        })}
                        <AttachmentList items=c.attachments.iter().filter(|x| x.event_id.is_none()).cloned().collect() title=Some(f.case_attachments)/>
                        <TransitionForms action=act case_id=c.id version=c.version actions=c.available_transitions.clone() staff=c.staff.clone()/>
                        {(c.staff.is_some() && is_data_request(&c.kind)).then(|| view! { <DataRequestDesk case_id=c.id action=data_answer/> })}
                        {c.staff.clone().map(|staff| view! { <CaseDeskNotes case_id=c.id staff note/> })}
                        {query_flag("evaluat").get_untracked().filter(|_| c.rating.is_some()).map(|score| view! {
                            <p class="notice notice-success" role="status">{f.rated_from_mail.replace("{score}", &score)}</p>
                        })}
                        {c.can_rate.then(|| view! {
                            <RateAnswer action=rate case_id=c.id current=c.rating/>
                            <p><a href=format!("/depune?contesta={}", c.id)>{f.contest_link}</a></p>
                        })}
                        <h2>{a.case_history}</h2>
                        <ol class="timeline">
                            {c.history.iter().map(|h| view! {
                                <li><strong>{h.to_label.clone()}</strong>" · "{h.at.get(..10).unwrap_or_default().to_string()}
                                    {h.forwarded_to.clone().map(|i| view! { <p>{f.timeline_forwarded.replace("{institution}", &i)}</p> })}
                                    {h.reason.clone().map(|n| view! { <p>{n}</p> })}
                                    {h.due.clone().map(|d| view! { <p>{f.timeline_due.replace("{due}", &d)}</p> })}
                                    {h.answer.clone().map(|n| view! { <div class="panel case-answer"><p>{n}</p></div> })}
                                    {h.note.clone().map(|n| view! { <p>{n}</p> })}
                                    <AttachmentList items=c.attachments.iter().filter(|x| x.event_id == Some(h.id)).cloned().collect() title=None/>
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

/// Links to download attachments, with their type and size.
#[component]
fn AttachmentList(items: Vec<AttachmentView>, title: Option<&'static str>) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            {title.map(|t| view! { <h2>{t}</h2> })}
            <ul class="attachments">
                {items.into_iter().map(|x| {
                    let kind = x.name.rsplit_once('.').map(|(_, e)| e.to_uppercase()).unwrap_or_default();
                    let size = if x.size >= 1024 * 1024 {
                        format!("{:.1} MB", x.size as f64 / 1024.0 / 1024.0)
                    } else {
                        format!("{} KB", (x.size + 1023) / 1024)
                    };
                    view! {
                        <li><a href=format!("/fisiere/{}", x.id) download=x.name.clone()>{x.name.clone()}</a>" ("{kind}", "{size}")"</li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}

/// The petitioner's rating of the answer: five choices and a comment (a plain form).
#[component]
fn RateAnswer(action: ServerAction<RateCase>, case_id: i64, current: Option<i32>) -> impl IntoView {
    let f = use_prefs().lang.filing();
    let error = action_error(action);
    view! {
        <section aria-labelledby="rate-title" class="rate-answer">
            <h2 id="rate-title">{f.rate_legend}</h2>
            {current.map(|score| view! {
                <p class="notice notice-success">{f.rate_current.replace("{score}", &score.to_string())}</p>
            })}
            <ErrorSummary error/>
            <ActionForm action attr:novalidate=true>
                <input type="hidden" name="case_id" value=case_id.to_string()/>
                <fieldset>
                    <legend class="visually-hidden">{f.rate_legend}</legend>
                    <FieldError name="score" error/>
                    {(1..=5).map(|score: i32| {
                        let id = if score == 1 { "score".to_string() } else { format!("score-{score}") };
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="score" value=score.to_string() checked={current == Some(score)}/>
                                <label for=id>{f.rate_scores[(score - 1) as usize]}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="form-group">
                    <label for="comment">{f.rate_comment}</label>
                    <FieldError name="comment" error/>
                    <textarea id="comment" name="comment" rows="3"></textarea>
                </div>
                <button type="submit" class="button-secondary">{f.rate_submit}</button>
            </ActionForm>
        </section>
    }
}
