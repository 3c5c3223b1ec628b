//! One form per transition the reader may fire now, asking exactly the fields the workflow
//! definition requires (and offering its optional ones): the answer with its outcome and
//! documents, a reason, the competent authority, an officer, a department, the days of an
//! extension. The same forms serve the petitioner (reply, contest, withdraw) and staff.
//! Plain multipart forms (they work without JavaScript); with it they are sent in place.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::account::ActOnCase;
#[cfg(feature = "hydrate")]
use crate::api::account::act_on_case;
use crate::model::AppError;
use crate::model::case::ActionView;
use crate::model::filing::ATTACH_ACCEPT;
use crate::model::staff::{CannedText, Choice, StaffCaseView};
use crate::ui::account::forms::{ErrorSummary, field_message};
use crate::ui::multipart::MultipartForm;
use crate::ui::prefs::use_prefs;

/// The error of `field` (named `{transition}-{field}`) under its label.
#[component]
fn FieldErr(id: String, error: Signal<Option<AppError>>) -> impl IntoView {
    let err_id = format!("{id}-error");
    move || {
        field_message(&error.get(), &id)
            .map(|m| view! { <p class="field-error" id=err_id.clone()>{m}</p> })
    }
}

fn options(choices: &[Choice]) -> impl IntoView + use<> {
    choices
        .iter()
        .map(|c| view! { <option value=c.value.clone()>{c.label.clone()}</option> })
        .collect_view()
}

/// A text box, with the canned answers to insert when there are some.
#[component]
fn TextBox(
    id: String,
    name: &'static str,
    label: String,
    rows: u32,
    required: bool,
    canned: Vec<CannedText>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let t = use_prefs().lang.desk();
    let area = NodeRef::<leptos::html::Textarea>::new();
    let pick = NodeRef::<leptos::html::Select>::new();
    // The insert button needs JavaScript: it appears once the page is hydrated.
    let js = RwSignal::new(false);
    Effect::new(move |_| js.set(true));
    let message = {
        let id = id.clone();
        Signal::derive(move || field_message(&error.get(), &id))
    };
    let invalid = move || message.with(Option::is_some);
    let described = {
        let err_id = format!("{id}-error");
        move || message.with(Option::is_some).then(|| err_id.clone())
    };
    let pick_id = format!("{id}-canned");
    let insert_list = canned.clone();
    let insert = move |_| {
        let (Some(area), Some(pick)) = (area.get(), pick.get()) else {
            return;
        };
        let chosen = pick.value();
        if let Some(c) = insert_list.iter().find(|c| c.id.to_string() == chosen) {
            let current = area.value();
            let joined = if current.trim().is_empty() {
                c.body.clone()
            } else {
                format!("{current}\n\n{}", c.body)
            };
            area.set_value(&joined);
        }
    };
    let has_canned = !canned.is_empty();
    view! {
        <div class="form-group" class:has-error=invalid>
            <label for=id.clone()>{label}</label>
            <FieldErr id=id.clone() error/>
            {has_canned.then(|| {
                let canned_js = canned.clone();
                let pick_id = pick_id.clone();
                let insert = insert.clone();
                move || js.get().then(|| {
                    let insert = insert.clone();
                    view! {
                        <div class="canned-insert">
                            <label for=pick_id.clone()>{t.canned_pick}</label>
                            <select id=pick_id.clone() node_ref=pick>
                                {canned_js.iter().map(|c| view! { <option value=c.id.to_string()>{c.title.clone()}</option> }).collect_view()}
                            </select>
                            <button type="button" class="button-secondary" on:click=insert>{t.canned_insert}</button>
                        </div>
                    }
                })
            })}
            <textarea id=id.clone() name=name rows=rows.to_string() required=required node_ref=area
                aria-invalid=move || invalid().then_some("true") aria-describedby=described></textarea>
            {has_canned.then(|| view! {
                <details class="canned-copy">
                    <summary>{t.canned_copy}</summary>
                    <dl>
                        {canned.iter().map(|c| view! { <dt>{c.title.clone()}</dt><dd class="pre">{c.body.clone()}</dd> }).collect_view()}
                    </dl>
                </details>
            })}
        </div>
    }
}

/// The form of one transition.
#[component]
fn TransitionForm(
    action: MultipartForm,
    case_id: i64,
    version: i32,
    a: ActionView,
    staff: Option<StaffCaseView>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let prefs = use_prefs();
    let f = prefs.lang.filing();
    let t = prefs.lang.desk();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        action.submit(ev, |data| act_on_case(data.into()));
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let is_staff = staff.is_some();
    // The petitioner's forms offer no choices.
    let s = staff.unwrap_or_default();
    let fields: Vec<(String, bool)> = a
        .fields
        .iter()
        .map(|x| (x.clone(), true))
        .chain(a.optional.iter().map(|x| (x.clone(), false)))
        .collect();
    let tid = a.id.clone();
    let action_label = a.label.clone();
    let label_of = move |name: &str, required: bool| -> String {
        if !is_staff && matches!(name, "reason" | "note") {
            // The petitioner's one text box, named by its action.
            return format!("{action_label} — {}", f.action_text);
        }
        let base = match name {
            "answer" => t.f_answer,
            "outcome" => t.f_outcome,
            "reason" => t.f_reason,
            "target_institution_id" => t.f_target_institution,
            "assignee_id" => t.f_assignee,
            "department_id" => t.f_department,
            "extension_days" => t.f_extension_days,
            "attachments" => t.f_attachments,
            _ => t.f_note,
        };
        if required {
            base.to_string()
        } else {
            format!("{base} {}", t.optional)
        }
    };
    let inputs = fields
        .into_iter()
        .map(|(name, required)| {
            let id = format!("{tid}-{name}");
            let label = label_of(&name, required);
            let select = |choices: &[Choice]| {
                view! {
                    <div class="form-group">
                        <label for=id.clone()>{label.clone()}</label>
                        <FieldErr id=id.clone() error/>
                        <select id=id.clone() name=name.clone() required=required>
                            <option value="">{t.choose}</option>
                            {options(choices)}
                        </select>
                    </div>
                }
                .into_any()
            };
            match name.as_str() {
                "answer" => view! { <TextBox id=id.clone() name="answer" label rows=10 required canned=s.canned.clone() error/> }.into_any(),
                "reason" => {
                    let canned = if tid == "request_info" { s.canned.clone() } else { vec![] };
                    view! { <TextBox id=id.clone() name="reason" label rows=4 required canned error/> }.into_any()
                }
                "note" => view! { <TextBox id=id.clone() name="note" label rows=3 required canned=vec![] error/> }.into_any(),
                "outcome" => view! {
                    <div class="form-group">
                        <fieldset>
                            <legend>{label.clone()}</legend>
                            <FieldErr id=id.clone() error/>
                            {s.outcomes.iter().enumerate().map(|(i, o)| {
                                let oid = if i == 0 { id.clone() } else { format!("{id}-{}", o.value) };
                                view! {
                                    <div class="choice">
                                        <input type="radio" id=oid.clone() name="outcome" value=o.value.clone()/>
                                        <label for=oid>{o.label.clone()}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                    </div>
                }.into_any(),
                "target_institution_id" => select(&s.institutions),
                "assignee_id" => select(&s.officers),
                "department_id" => select(&s.departments),
                "extension_days" => {
                    let max = a.extension_max.unwrap_or(0);
                    let hint_id = format!("{id}-hint");
                    view! {
                        <div class="form-group">
                            <label for=id.clone()>{label.clone()}</label>
                            <p class="hint" id=hint_id.clone()>{t.f_extension_hint.replace("{max}", &max.to_string())}</p>
                            <FieldErr id=id.clone() error/>
                            <input type="number" id=id.clone() name="extension_days" min="1" max=max.to_string() inputmode="numeric" required=required aria-describedby=hint_id/>
                        </div>
                    }.into_any()
                }
                "attachments" => view! {
                    <div class="form-group">
                        <label for=id.clone()>{if is_staff { label.clone() } else { f.attachments.to_string() }}</label>
                        <FieldErr id=id.clone() error/>
                        <input type="file" id=id.clone() name="attachments" multiple=true accept=ATTACH_ACCEPT/>
                    </div>
                }.into_any(),
                _ => ().into_any(),
            }
        })
        .collect_view();
    let confirm = (a.id == "withdraw").then(|| {
        let confirm_id = format!("{}-confirm", a.id);
        view! {
            <FieldErr id=confirm_id.clone() error/>
            <div class="choice">
                <input type="checkbox" id=confirm_id.clone() name="confirm" value="on" required=true/>
                <label for=confirm_id>{f.confirm_withdraw}</label>
            </div>
        }
    });
    let heading_id = format!("{}-title", a.id);
    let labelled_by = heading_id.clone();
    view! {
        <form method="post" action=ActOnCase::PATH enctype="multipart/form-data" novalidate=true class="case-action" aria-labelledby=labelled_by on:submit=on_submit>
            <h3 id=heading_id>{a.label.clone()}</h3>
            <input type="hidden" name="case_id" value=case_id.to_string()/>
            <input type="hidden" name="transition" value=a.id.clone()/>
            <input type="hidden" name="expected_version" value=version.to_string()/>
            {inputs}
            {confirm}
            <button type="submit" class="button-secondary" disabled=move || action.pending.get()>{a.label.clone()}</button>
        </form>
    }
}

/// The forms of every transition the reader may fire now, with the outcome of the last one:
/// done, refused with the fields' errors, or refused because someone else changed the case
/// meanwhile (the page then shows the case as it is now).
#[component]
pub fn TransitionForms(
    action: MultipartForm,
    case_id: i64,
    version: i32,
    actions: Vec<ActionView>,
    staff: Option<StaffCaseView>,
) -> impl IntoView {
    let prefs = use_prefs();
    let f = prefs.lang.filing();
    let t = prefs.lang.desk();
    let error = action.error(ActOnCase::PATH);
    let done_no_js = crate::ui::account::forms::query_flag("gata");
    let title = if staff.is_some() {
        t.actions_title
    } else {
        f.actions_title
    };
    (!actions.is_empty()).then(|| {
        view! {
            <section aria-labelledby="actions-title" class="case-actions">
                <h2 id="actions-title">{title}</h2>
                {move || match error.get() {
                    Some(AppError::Conflict(_)) => Some(view! { <p class="notice notice-warning" role="alert">{t.conflict}</p> }.into_any()),
                    Some(_) => Some(view! { <ErrorSummary error/> }.into_any()),
                    None => (matches!(action.result.get(), Some(Ok(()))) || (action.result.get().is_none() && done_no_js.get().is_some()))
                        .then(|| view! { <p class="notice notice-success" role="status">{t.done}</p> }.into_any()),
                }}
                // Keyed by the case's version: after an action the forms are new, with empty
                // text boxes (no stale text lands in the next action).
                <For
                    each=move || actions.clone()
                    key=move |a| (a.id.clone(), version)
                    children=move |a| view! { <TransitionForm action case_id version a staff=staff.clone() error/> }
                />
            </section>
        }
    })
}
