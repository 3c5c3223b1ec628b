//! The staff part of a data request's page: the petitioner's data as held, the files that must
//! still be kept, and the three answers — rectify (the corrected data), erase (allowed once no
//! file must be kept) and refuse (with the legal reason, pre-filled for an erasure). Plain
//! forms; each answer changes the data and mails the answer in one step.

use leptos::prelude::*;

use crate::api::data_rights::{AnswerDataRequest, get_data_request_panel};
use crate::model::data_rights::{DataRequestPanel, ERASURE, RECTIFICATION};
use crate::ui::account::forms::{ErrorSummary, FieldError, TextField, action_error};
use crate::ui::prefs::use_prefs;

#[component]
pub fn DataRequestDesk(case_id: i64, action: ServerAction<AnswerDataRequest>) -> impl IntoView {
    let panel = Resource::new(
        move || action.version().get(),
        move |_| get_data_request_panel(case_id),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                panel.await.ok().map(|p| view! { <Panel p action/> })
            })}
        </Suspense>
    }
}

/// The fields every answer form sends besides its own.
fn hidden(case_id: i64, version: i32, what: &'static str) -> impl IntoView {
    view! {
        <input type="hidden" name="case_id" value=case_id.to_string()/>
        <input type="hidden" name="expected_version" value=version.to_string()/>
        <input type="hidden" name="action" value=what/>
    }
}

#[component]
fn Panel(p: DataRequestPanel, action: ServerAction<AnswerDataRequest>) -> impl IntoView {
    let t = use_prefs().lang.data_rights();
    let error = action_error(action);
    let dash = || "—".to_string();
    let (case_id, version) = (p.case_id, p.version);
    let hidden = move |what: &'static str| hidden(case_id, version, what);
    let kept = p.kept.clone();
    let erasable = kept.is_empty();
    view! {
        <section aria-labelledby="data-request-title" class="data-request">
            <h2 id="data-request-title">{t.panel_title}</h2>
            <p>{t.panel_intro}</p>
            <h3>{t.held_now}</h3>
            <dl class="summary-list">
                <dt>{t.full_name}</dt><dd>{p.full_name.clone()}</dd>
                <dt>{t.email}</dt><dd>{p.email.clone().unwrap_or_else(dash)}</dd>
                <dt>{t.postal_address}</dt><dd>{p.postal_address.clone().unwrap_or_else(dash)}</dd>
            </dl>
            <h3>{t.kept_title}</h3>
            {if kept.is_empty() {
                view! { <p>{t.kept_none}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {kept.iter().map(|k| {
                            let why = match &k.kept_until {
                                None => t.kept_open.to_string(),
                                Some(d) => t.kept_until.replace("{date}", d).replace("{years}", &k.years.to_string()),
                            };
                            view! { <li><a href=format!("/cazuri/{}", k.case_id)>{k.registration_number.clone()}</a>" — "{why}</li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {p.open.then(|| view! {
                <ErrorSummary error/>
                {(p.kind == RECTIFICATION).then(|| view! {
                    <h3 id="rectify-title">{t.rectify_title}</h3>
                    <p class="hint">{t.rectify_hint}</p>
                    <ActionForm action attr:novalidate=true attr:aria-labelledby="rectify-title">
                        {hidden("rectify")}
                        <TextField name="full_name" label=t.full_name autocomplete="off" error optional=true/>
                        <TextField name="email" label=t.email kind="email" autocomplete="off" error optional=true/>
                        <TextField name="postal_address" label=t.postal_address autocomplete="off" error optional=true/>
                        <div class="form-group">
                            <label for="rectify-answer">{t.answer}</label>
                            <p class="hint" id="rectify-answer-hint">{t.answer_hint}</p>
                            <FieldError name="answer" error/>
                            <textarea id="rectify-answer" name="answer" rows="3" aria-describedby="rectify-answer-hint"></textarea>
                        </div>
                        <div class="actions"><button type="submit">{t.rectify_submit}</button></div>
                    </ActionForm>
                })}
                {(p.kind == ERASURE).then(|| view! {
                    <h3 id="erase-title">{t.erase_title}</h3>
                    {if erasable {
                        view! {
                            <p>{t.erase_text}</p>
                            <ActionForm action attr:novalidate=true attr:aria-labelledby="erase-title">
                                {hidden("erase")}
                                <div class="form-group">
                                    <label for="erase-answer">{t.answer}</label>
                                    <p class="hint" id="erase-answer-hint">{t.answer_hint}</p>
                                    <textarea id="erase-answer" name="answer" rows="3" aria-describedby="erase-answer-hint"></textarea>
                                </div>
                                <div class="actions"><button type="submit" class="button-warning">{t.erase_submit}</button></div>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! { <p class="notice notice-warning">{t.erase_blocked}</p> }.into_any()
                    }}
                })}
                <h3 id="refuse-title">{t.refuse_title}</h3>
                <ActionForm action attr:novalidate=true attr:aria-labelledby="refuse-title">
                    {hidden("refuse")}
                    <div class="form-group">
                        <label for="reason">{t.reason}</label>
                        <FieldError name="reason" error/>
                        <textarea id="reason" name="reason" rows="6">{(p.kind == ERASURE && !erasable).then(|| p.refusal_reason.clone())}</textarea>
                    </div>
                    <div class="actions"><button type="submit" class="button-secondary">{t.refuse_submit}</button></div>
                </ActionForm>
            })}
        </section>
    }
}
