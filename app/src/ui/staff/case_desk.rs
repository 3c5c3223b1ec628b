//! The staff part of a case page: who filed it and how, its terms with how they were counted
//! ([`CaseDesk`]); the internal notes (with a form to add one), the related cases and the
//! publication ([`CaseDeskNotes`]).

use leptos::prelude::*;

use crate::api::desk::AddCaseNote;
use crate::model::staff::StaffCaseView;
use crate::ui::account::forms::{ErrorSummary, FieldError, action_error};
use crate::ui::prefs::use_prefs;
use crate::ui::staff::publication::PublicationSection;

#[component]
pub fn CaseDesk(staff: StaffCaseView) -> impl IntoView {
    let t = use_prefs().lang.desk();
    let dash = || "—".to_string();
    let row = |label: &'static str, value: Option<String>| {
        value.map(|v| view! { <dt>{label}</dt><dd>{v}</dd> })
    };
    view! {
        <dl class="summary-list">
            <dt>{t.petitioner}</dt><dd>{staff.petitioner_name.clone()}</dd>
            {row(t.email, staff.petitioner_email.clone())}
            {row(t.postal_address, staff.petitioner_address.clone())}
            <dt>{t.channel}</dt><dd>{staff.channel.clone()}</dd>
            <dt>{t.kind}</dt><dd>{staff.kind.clone()}</dd>
            <dt>{t.department}</dt><dd>{staff.department.clone().unwrap_or_else(dash)}</dd>
            {row(t.category, staff.category.clone())}
            {row(t.service, staff.service.clone())}
            <dt>{t.assignee}</dt><dd>{staff.assignee.clone().unwrap_or_else(|| t.nobody.to_string())}</dd>
            {row(t.place, staff.address.clone())}
            {row(t.decision, staff.decision_number.clone().map(|n| match &staff.decision_date {
                Some(d) => format!("{n}, {d}"),
                None => n,
            }))}
        </dl>
        <section aria-labelledby="terms-title">
            <h2 id="terms-title">{t.terms_title}</h2>
            <ul class="terms">
                {staff.timers.iter().map(|x| view! {
                    <li>
                        <strong>{x.label.clone()}</strong>" · "{x.status.clone()}" · "{x.due.clone()}
                        <ul class="term-explanation">
                            {x.explanation.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}
                        </ul>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The internal notes and the related cases (after the case's actions).
#[component]
pub fn CaseDeskNotes(
    case_id: i64,
    staff: StaffCaseView,
    /// The note form's action (the page reloads the case after each note).
    note: ServerAction<AddCaseNote>,
) -> impl IntoView {
    let t = use_prefs().lang.desk();
    let publication = staff.publication.clone();
    view! {
        <Notes case_id staff=staff.clone() action=note/>
        <section aria-labelledby="related-title">
            <h2 id="related-title">{t.related_title}</h2>
            {if staff.related.is_empty() {
                view! { <p>{t.related_empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="related">
                        {staff.related.iter().map(|r| view! {
                            <li><a href=format!("/cazuri/{}", r.id)>{r.registration_number.clone()}</a>
                                " · "{r.relation.clone()}" · "{r.subject.clone()}" · "{r.status.clone()}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <PublicationSection case_id status=publication/>
    }
}

#[component]
fn Notes(case_id: i64, staff: StaffCaseView, action: ServerAction<AddCaseNote>) -> impl IntoView {
    let t = use_prefs().lang.desk();
    let error = action_error(action);
    view! {
        <section aria-labelledby="notes-title" class="notes">
            <h2 id="notes-title">{t.notes_title}</h2>
            <p class="hint">{t.notes_hint}</p>
            {if staff.notes.is_empty() {
                view! { <p>{t.notes_empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="note-list">
                        {staff.notes.iter().map(|n| view! {
                            <li><p class="pre">{n.body.clone()}</p>
                                <p class="hint">{n.author.clone()}" · "{n.at.get(..16).unwrap_or_default().replace('T', " ")}</p></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <ErrorSummary error/>
            <ActionForm action attr:novalidate=true>
                <input type="hidden" name="case_id" value=case_id.to_string()/>
                <div class="form-group">
                    <label for="note">{t.note_label}</label>
                    <FieldError name="note" error/>
                    <textarea id="note" name="note" rows="3" required=true></textarea>
                </div>
                <button type="submit" class="button-secondary">{t.note_add}</button>
            </ActionForm>
        </section>
    }
}
