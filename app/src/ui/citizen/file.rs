//! The filing form. A plain HTML form (it works without JavaScript); the server checks every
//! field and answers with the error summary and the errors next to the fields, or the receipt.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::desk::RegisterOnBehalf;
#[cfg(feature = "hydrate")]
use crate::api::desk::register_on_behalf;
use crate::api::filing::{FileCase, get_filing_options};
#[cfg(feature = "hydrate")]
use crate::api::filing::{file_case, similar_case};
use crate::model::AppError;
use crate::model::account::Viewer;
use crate::model::categories::{CategoryFields, FieldView};
use crate::model::filing::{
    ATTACH_ACCEPT, ATTACH_MAX_BYTES, ATTACH_MAX_FILES, ATTACH_MAX_TOTAL, BODY_MAX, KINDS,
};
use crate::ui::account::forms::{ErrorSummary, FieldError, TextField, field_message};
use crate::ui::app::ViewerResource;
use crate::ui::multipart::MultipartForm;
use crate::ui::prefs::use_prefs;

/// `/birou/inregistrare`: staff register a petition that came on paper, by post, by e-mail or
/// orally, with the same form.
#[component]
pub fn RegisterOnBehalfPage() -> impl IntoView {
    view! { <FilingForm on_behalf=true/> }
}

/// `/depune`: the citizen's filing form.
#[component]
pub fn FilePage() -> impl IntoView {
    view! { <FilingForm on_behalf=false/> }
}

#[component]
fn FilingForm(
    /// Staff registering a petition on the petitioner's behalf (the channel and the
    /// petitioner's name and address are asked; no consent box: the law allows it).
    on_behalf: bool,
) -> impl IntoView {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let f = lang.filing();
    let desk = lang.desk();
    let path = if on_behalf {
        RegisterOnBehalf::PATH
    } else {
        FileCase::PATH
    };
    let viewer = expect_context::<ViewerResource>();
    let options = Resource::new(move || lang, get_filing_options);
    // A multipart form (it carries files): with JavaScript the browser's FormData is sent to
    // the same server function the plain form posts to.
    let form = MultipartForm::new();
    let error = form.error(path);
    // A token per rendered form, so that the same form sent twice (a double click without
    // JavaScript, a resent page) files once. Made where the page is rendered; the browser
    // keeps the rendered value.
    #[cfg(feature = "ssr")]
    let submission_id = uuid::Uuid::new_v4().simple().to_string();
    #[cfg(not(feature = "ssr"))]
    let submission_id = String::new();
    let query = use_query_map();
    let contested = query
        .with_untracked(|q| q.get("contesta"))
        .filter(|v| v.parse::<i64>().is_ok());
    let chosen_service = query
        .with_untracked(|q| q.get("serviciu"))
        .and_then(|v| v.parse::<i64>().ok());
    let initial_kind = if contested.is_some() {
        "prior_complaint".to_string()
    } else {
        query.with_untracked(|q| q.get("tip")).unwrap_or_default()
    };
    let limits = f
        .attachments_hint
        .replace("{files}", &ATTACH_MAX_FILES.to_string())
        .replace("{size}", &(ATTACH_MAX_BYTES / 1024 / 1024).to_string())
        .replace("{total}", &(ATTACH_MAX_TOTAL / 1024 / 1024).to_string());
    let typed = RwSignal::new(None::<usize>);
    // The category chosen, and whether the page is hydrated: only then are the other
    // categories' questions hidden (without JavaScript every category's show, each saying
    // which category it is for).
    let chosen_category = RwSignal::new(None::<i64>);
    let hydrated = RwSignal::new(false);
    let category_select = NodeRef::<leptos::html::Select>::new();
    Effect::new(move |_| {
        hydrated.set(true);
        // The browser may have kept a choice (back, reload): its questions show.
        if let Some(select) = category_select.get() {
            chosen_category.set(select.value().parse::<i64>().ok());
        }
    });
    let similar = RwSignal::new(None::<String>);
    let on_subject = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            let subject = event_target_value(&ev);
            leptos::task::spawn_local(async move {
                if let Ok(found) = similar_case(subject).await {
                    similar.set(found);
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, similar);
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        if on_behalf {
            form.submit(ev, |data| register_on_behalf(data.into()));
        } else {
            form.submit(ev, |data| file_case(data.into()));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <Title text=if on_behalf { desk.onbehalf_title } else { f.file_title }/>
        <div class="narrow">
            <ErrorSummary error/>
            <h1>{if on_behalf { desk.onbehalf_title } else { f.file_title }}</h1>
            <Suspense fallback=|| ()>
                {move || {
                    let limits = limits.clone();
                    let initial_kind = initial_kind.clone();
                    let contested = contested.clone();
                    let submission_id = submission_id.clone();
                    Suspend::new(async move {
                    match (viewer.await, options.await) {
                        (Ok(v), Ok(opts)) => {
                            let me = match &v { Viewer::User(me) => Some(me.clone()), _ => None };
                            view! {
                            <p>{if on_behalf { desk.onbehalf_intro } else { f.file_intro }}</p>
                            <form method="post" action=path enctype="multipart/form-data" novalidate=true on:submit=on_submit>
                                <input type="hidden" name="submission_id" value=submission_id.clone()/>
                                {contested.map(|id| view! {
                                    <input type="hidden" name="linked_case_id" value=id/>
                                    <p class="notice">{f.contest_notice}</p>
                                })}
                                <KindChoice error initial=initial_kind/>
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
                                    <select id="category_id" name="category_id" aria-describedby="category_id-hint" node_ref=category_select
                                        on:change=move |ev| chosen_category.set(event_target_value(&ev).parse::<i64>().ok())>
                                        <option value="">"—"</option>
                                        {opts.categories.iter().map(|c| view! { <option value=c.id.to_string()>{c.name.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                {opts.category_fields.iter().cloned().map(|questions| view! {
                                    <ExtraQuestions questions error chosen=chosen_category hydrated/>
                                }).collect_view()}
                                <div class="form-group" class:has-error=move || field_message(&error.get(), "service_id").is_some()>
                                    <label for="service_id">{f.service}</label>
                                    <p class="hint" id="service_id-hint">{f.service_hint}</p>
                                    <FieldError name="service_id" error/>
                                    <select id="service_id" name="service_id" aria-describedby="service_id-hint">
                                        <option value="">"—"</option>
                                        {opts.services.iter().map(|(area, list)| {
                                            let label = if area.is_empty() { f.service_city_wide.to_string() } else { area.clone() };
                                            view! {
                                                <optgroup label=label>
                                                    {list.iter().map(|s| view! { <option value=s.id.to_string() selected=chosen_service == Some(s.id)>{s.name.clone()}</option> }).collect_view()}
                                                </optgroup>
                                            }
                                        }).collect_view()}
                                    </select>
                                </div>
                                // With JavaScript: a similar open case is named as soon as the subject is typed.
                                <div on:change=on_subject>
                                    <TextField name="subject" label=f.subject hint=f.subject_hint error/>
                                </div>
                                <div aria-live="polite">
                                    {move || similar.get().map(|number| view! {
                                        <p class="notice">{f.similar_case.replace("{number}", &number)}</p>
                                    })}
                                </div>
                                <div class="form-group" class:has-error=move || field_message(&error.get(), "body").is_some()>
                                    <label for="body">{f.body}</label>
                                    <p class="hint" id="body-hint">{f.body_hint}</p>
                                    <FieldError name="body" error/>
                                    <textarea id="body" name="body" rows="10" maxlength=BODY_MAX.to_string() aria-describedby="body-hint body-count" required=true
                                        on:input=move |ev| typed.set(Some(event_target_value(&ev).chars().count()))></textarea>
                                    // With JavaScript: how many characters are left (GOV.UK character count).
                                    <p class="hint" id="body-count" aria-live="polite">
                                        {move || typed.get().map(|n| {
                                            let max = BODY_MAX as usize;
                                            if n <= max {
                                                f.body_remaining.replace("{n}", &(max - n).to_string())
                                            } else {
                                                f.body_over.replace("{n}", &(n - max).to_string())
                                            }
                                        })}
                                    </p>
                                </div>
                                <TextField name="address" label=f.address hint=f.address_hint optional=true error/>
                                <TextField name="decision_number" label=f.decision_number hint=f.decision_hint optional=true error/>
                                <TextField name="decision_date" label=f.decision_date kind="date" optional=true error/>
                                <div class="form-group" class:has-error=move || field_message(&error.get(), "attachments").is_some()>
                                    <label for="attachments">{f.attachments}</label>
                                    <p class="hint" id="attachments-hint">{limits}</p>
                                    <FieldError name="attachments" error/>
                                    <input type="file" id="attachments" name="attachments" multiple=true accept=ATTACH_ACCEPT aria-describedby="attachments-hint"/>
                                </div>
                                <h2>{f.petitioner}</h2>
                                {match me {
                                    _ if on_behalf => view! {
                                        <div class="form-group" class:has-error=move || field_message(&error.get(), "channel").is_some()>
                                            <label for="channel">{desk.channel}</label>
                                            <FieldError name="channel" error/>
                                            <select id="channel" name="channel" required=true>
                                                {[("paper", desk.ch_paper), ("post", desk.ch_post), ("oral", desk.ch_oral), ("email", desk.ch_email)]
                                                    .into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                                            </select>
                                        </div>
                                        <TextField name="full_name" label=desk.onbehalf_name autocomplete="off" error/>
                                        <TextField name="email" label=desk.onbehalf_email hint=desk.onbehalf_email_hint kind="email" autocomplete="off" optional=true error/>
                                    }.into_any(),
                                    Some(me) => view! {
                                        <dl class="summary-list">
                                            <dt>{lang.account().full_name}</dt><dd>{me.full_name.clone()}</dd>
                                            <dt>{lang.account().email}</dt><dd>{me.email.clone()}</dd>
                                        </dl>
                                    }.into_any(),
                                    None => view! {
                                        <p class="hint">{f.visitor_intro}" "<a href="/autentificare?next=/depune">{lang.account().login_title}</a></p>
                                        <TextField name="full_name" label=lang.account().full_name hint=f.full_name_hint autocomplete="name" error/>
                                        <TextField name="email" label=lang.account().email hint=f.email_hint kind="email" autocomplete="email" error/>
                                    }.into_any(),
                                }}
                                <TextField name="postal_address" label=f.postal_address hint=f.postal_address_hint autocomplete="street-address" optional=true error/>
                                <div class="form-group" class:has-error=move || field_message(&error.get(), "consent_processing").is_some()>
                                    <FieldError name="consent_processing" error/>
                                    {(!on_behalf).then(|| view! {
                                        <div class="choice">
                                            <input type="checkbox" id="consent_processing" name="consent_processing" value="on" required=true/>
                                            <label for="consent_processing">{f.consent_processing}</label>
                                        </div>
                                    })}
                                    <div class="choice">
                                        <input type="checkbox" id="consent_publish" name="consent_publish" value="on"/>
                                        <label for="consent_publish">{f.consent_publish}</label>
                                    </div>
                                    <p class="hint"><a href="/confidentialitate">{lang.privacy().form_link}</a></p>
                                </div>
                                // Offered once the server found a similar open case.
                                {move || {
                                    let similar_found = error.get().and_then(|e| e.fields().and_then(|f| f.get("subject")).and_then(|c| c.first()).cloned()).is_some_and(|c| c.starts_with("similar_case:"))
                                        || similar.get().is_some();
                                    similar_found.then(|| view! {
                                        <div class="form-group">
                                            <div class="choice">
                                                <input type="checkbox" id="confirm_repeat" name="confirm_repeat" value="on"/>
                                                <label for="confirm_repeat">{f.confirm_repeat}</label>
                                            </div>
                                        </div>
                                    })
                                }}
                                <div class="actions"><button type="submit" disabled=move || form.pending.get()>{if on_behalf { desk.onbehalf_submit } else { f.submit }}</button></div>
                            </form>
                        }.into_any()},
                        _ => view! { <p class="notice notice-warning">{prefs.texts().load_failed}</p> }.into_any(),
                    }
                })}}
            </Suspense>
        </div>
    }
}

/// One category's own questions. The inputs are named `extra.{category}.{code}`: the server
/// reads only the chosen category's, and names its problems the same way.
#[component]
fn ExtraQuestions(
    questions: CategoryFields,
    error: Signal<Option<AppError>>,
    chosen: RwSignal<Option<i64>>,
    hydrated: RwSignal<bool>,
) -> impl IntoView {
    let t = use_prefs().lang.categories();
    let cid = questions.category_id;
    let hint = t.extra_hint.replace("{name}", &questions.category_name);
    view! {
        <fieldset class="extra-questions" hidden=move || hydrated.get() && chosen.get() != Some(cid)>
            <legend>{t.extra_legend.replace("{name}", &questions.category_name)}</legend>
            {move || (!hydrated.get()).then(|| view! { <p class="hint">{hint.clone()}</p> })}
            {questions.fields.into_iter().map(|f| view! { <Question cid f error/> }).collect_view()}
        </fieldset>
    }
}

/// One question of a category, as its type asks it.
#[component]
fn Question(cid: i64, f: FieldView, error: Signal<Option<AppError>>) -> impl IntoView {
    let t = use_prefs().lang.categories();
    let id = format!("extra.{cid}.{}", f.code);
    let error_id = format!("{id}-error");
    let message = {
        let id = id.clone();
        move || field_message(&error.get(), &id)
    };
    let has_error = {
        let message = message.clone();
        move || message().is_some()
    };
    let described = {
        let (message, error_id) = (message.clone(), error_id.clone());
        move || message().is_some().then(|| error_id.clone())
    };
    let label = if f.required {
        f.label.clone()
    } else {
        format!("{} {}", f.label, t.optional)
    };
    let problem = {
        let error_id = error_id.clone();
        move || message().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })
    };
    let control = match f.field_type.as_str() {
        "choice" => view! {
            <label for=id.clone()>{label}</label>
            {problem}
            <select id=id.clone() name=id.clone() aria-describedby=described>
                <option value="">{t.choose}</option>
                {f.options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
            </select>
        }.into_any(),
        "yes_no" => {
            let no_id = format!("{id}-no");
            view! {
                <fieldset aria-describedby=described>
                    <legend>{label}</legend>
                    {problem}
                    <div class="choice">
                        <input type="radio" id=id.clone() name=id.clone() value="true"/>
                        <label for=id.clone()>{t.yes}</label>
                    </div>
                    <div class="choice">
                        <input type="radio" id=no_id.clone() name=id.clone() value="false"/>
                        <label for=no_id>{t.no}</label>
                    </div>
                </fieldset>
            }.into_any()
        }
        kind => {
            let (input_type, mode) = match kind {
                "date" => ("date", None),
                "number" => ("text", Some("decimal")),
                _ => ("text", None),
            };
            view! {
                <label for=id.clone()>{label}</label>
                {problem}
                <input type=input_type id=id.clone() name=id.clone() inputmode=mode maxlength="1000" aria-describedby=described/>
            }.into_any()
        }
    };
    view! { <div class="form-group" class:has-error=has_error>{control}</div> }
}

/// After a filing without an account: the mail with the confirmation link is on its way.
#[component]
pub fn ConfirmFilingPage() -> impl IntoView {
    let f = use_prefs().lang.filing();
    let query = use_query_map();
    let invalid = query.with_untracked(|q| q.get("link")).is_some();
    view! {
        <Title text=f.confirm_title/>
        <div class="narrow">
            <h1>{f.confirm_title}</h1>
            {if invalid {
                view! { <p class="notice notice-warning" role="alert">{f.confirm_invalid}</p> }.into_any()
            } else {
                view! {
                    <div class="panel" role="status">
                        <p>{f.confirm_sent}</p>
                    </div>
                    <p>{f.confirm_next}</p>
                }.into_any()
            }}
        </div>
    }
}

/// The four kinds of case, as radio buttons with their explanations.
#[component]
fn KindChoice(error: Signal<Option<AppError>>, initial: String) -> impl IntoView {
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
                    let checked = if KINDS.contains(&initial.as_str()) { value == initial } else { i == 0 };
                    let hint = format!("{id}-hint");
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name="kind" value=value aria-describedby=hint.clone() checked=checked/>
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
