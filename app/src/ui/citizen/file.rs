//! The filing form. A plain HTML form (it works without JavaScript); the server checks every
//! field and answers with the error summary and the errors next to the fields, or the receipt.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::filing::{FileCase, get_filing_options};
use crate::model::account::Viewer;
use crate::model::filing::BODY_MAX;
use crate::ui::account::forms::{ErrorSummary, FieldError, TextField, action_error, field_message};
use crate::ui::app::ViewerResource;
use crate::ui::prefs::use_prefs;

#[component]
pub fn FilePage() -> impl IntoView {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let f = lang.filing();
    let viewer = expect_context::<ViewerResource>();
    let options = Resource::new(move || lang, get_filing_options);
    let action = ServerAction::<FileCase>::new();
    let error = action_error(action);
    view! {
        <Title text=f.file_title/>
        <div class="narrow">
            <ErrorSummary error/>
            <h1>{f.file_title}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match (viewer.await, options.await) {
                        (Ok(Viewer::User(me)), Ok(opts)) => view! {
                            <p>{f.file_intro}</p>
                            <ActionForm action attr:novalidate=true>
                                <KindChoice error/>
                                <div class="form-group" class:has-error=move || field_message(&error.get(), "department_id").is_some()>
                                    <label for="department_id">{f.department}</label>
                                    <p class="hint" id="department_id-hint">{f.department_hint}</p>
                                    <FieldError name="department_id" error/>
                                    <select id="department_id" name="department_id" aria-describedby="department_id-hint">
                                        <option value="">{f.dont_know}</option>
                                        {opts.departments.iter().map(|d| view! { <option value=d.id.to_string()>{d.name.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group" class:has-error=move || field_message(&error.get(), "category_id").is_some()>
                                    <label for="category_id">{f.category}</label>
                                    <p class="hint" id="category_id-hint">{f.category_hint}</p>
                                    <FieldError name="category_id" error/>
                                    <select id="category_id" name="category_id" aria-describedby="category_id-hint">
                                        <option value="">"—"</option>
                                        {opts.categories.iter().map(|c| view! { <option value=c.id.to_string()>{c.name.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <TextField name="subject" label=f.subject hint=f.subject_hint error/>
                                <div class="form-group" class:has-error=move || field_message(&error.get(), "body").is_some()>
                                    <label for="body">{f.body}</label>
                                    <p class="hint" id="body-hint">{f.body_hint}</p>
                                    <FieldError name="body" error/>
                                    <textarea id="body" name="body" rows="10" maxlength=BODY_MAX.to_string() aria-describedby="body-hint" required=true></textarea>
                                </div>
                                <TextField name="address" label=f.address hint=f.address_hint optional=true error/>
                                <TextField name="decision_number" label=f.decision_number hint=f.decision_hint optional=true error/>
                                <TextField name="decision_date" label=f.decision_date kind="date" optional=true error/>
                                <h2>{f.petitioner}</h2>
                                <dl class="summary-list">
                                    <dt>{lang.account().full_name}</dt><dd>{me.full_name.clone()}</dd>
                                    <dt>{lang.account().email}</dt><dd>{me.email.clone()}</dd>
                                </dl>
                                <TextField name="postal_address" label=f.postal_address hint=f.postal_address_hint autocomplete="street-address" optional=true error/>
                                <div class="form-group" class:has-error=move || field_message(&error.get(), "consent_processing").is_some()>
                                    <FieldError name="consent_processing" error/>
                                    <div class="choice">
                                        <input type="checkbox" id="consent_processing" name="consent_processing" value="on" required=true/>
                                        <label for="consent_processing">{f.consent_processing}</label>
                                    </div>
                                    <div class="choice">
                                        <input type="checkbox" id="consent_publish" name="consent_publish" value="on"/>
                                        <label for="consent_publish">{f.consent_publish}</label>
                                    </div>
                                </div>
                                // Offered once the server found a similar open case.
                                {move || {
                                    let similar = error.get().and_then(|e| e.fields().and_then(|f| f.get("subject")).and_then(|c| c.first()).cloned()).is_some_and(|c| c.starts_with("similar_case:"));
                                    similar.then(|| view! {
                                        <div class="form-group">
                                            <div class="choice">
                                                <input type="checkbox" id="confirm_repeat" name="confirm_repeat" value="on"/>
                                                <label for="confirm_repeat">{f.confirm_repeat}</label>
                                            </div>
                                        </div>
                                    })
                                }}
                                <div class="actions"><button type="submit">{f.submit}</button></div>
                            </ActionForm>
                        }.into_any(),
                        (Ok(_), _) => view! {
                            <p class="notice">{f.must_login}" "<a href="/autentificare?next=/depune">{lang.account().login_title}</a></p>
                        }.into_any(),
                        _ => view! { <p class="notice notice-warning">{prefs.texts().load_failed}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The four kinds of case, as radio buttons with their explanations.
#[component]
fn KindChoice(error: Signal<Option<crate::model::AppError>>) -> impl IntoView {
    let prefs = use_prefs();
    let t = prefs.texts();
    let f = prefs.lang.filing();
    let kinds = [
        ("petition", t.kind_petition, t.kind_petition_help),
        ("complaint", t.kind_complaint, t.kind_complaint_help),
        (
            "prior_complaint",
            t.kind_prior_complaint,
            t.kind_prior_complaint_help,
        ),
        (
            "information_request",
            t.kind_information_request,
            t.kind_information_request_help,
        ),
    ];
    view! {
        <div class="form-group" class:has-error=move || field_message(&error.get(), "kind").is_some()>
            <fieldset>
                <legend>{f.kind_legend}</legend>
                <FieldError name="kind" error/>
                {kinds.into_iter().enumerate().map(|(i, (value, label, help))| {
                    // The first radio carries the id the error summary links to.
                    let id = if i == 0 { "kind".to_string() } else { format!("kind-{value}") };
                    let hint = format!("{id}-hint");
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name="kind" value=value aria-describedby=hint.clone() checked={i == 0}/>
                            <div>
                                <label for=id>{label}</label>
                                <p class="hint" id=hint>{help}</p>
                            </div>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        </div>
    }
}
