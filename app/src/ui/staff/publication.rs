//! Publication for staff: the section of the case page (consent, state, the way to prepare,
//! see and withdraw the publication) and the redaction page (`/cazuri/{id}/publicare`): the
//! case's texts with the personal data found in them highlighted, one ticked box per piece,
//! a box for strings to remove by hand, "Preview" (a plain GET of the same page) and
//! "Publish" (a plain multipart post). Both forms work without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use leptos::server_fn::ServerFn;

use crate::api::publication::{PublishCase, UnpublishCase, get_publication_draft};
use crate::model::AppError;
use crate::model::publication::{DraftSpan, DraftText, PublicationDraft, PublicationStatus};
use crate::ui::account::forms::{ErrorSummary, FieldError, query_flag};
use crate::ui::multipart::MultipartForm;
use crate::ui::prefs::use_prefs;

/// The publication section of a case's staff page.
#[component]
pub fn PublicationSection(case_id: i64, status: PublicationStatus) -> impl IntoView {
    let t = use_prefs().lang.publication();
    let published_now = query_flag("publicat").get_untracked().is_some() && status.published;
    let withdrawn_now = query_flag("retras").get_untracked().is_some() && !status.published;
    let prepare_href = format!("/cazuri/{case_id}/publicare");
    let state = if status.published {
        let when = status
            .published_at
            .as_deref()
            .and_then(|a| a.get(..16))
            .unwrap_or_default()
            .replace('T', " ");
        let line = t
            .published_on
            .replace("{date}", &when)
            .replace("{name}", status.published_by.as_deref().unwrap_or("—"))
            .replace("{n}", &status.redactions.to_string());
        view! {
            <p>{line}</p>
            {status.consent.then(|| view! {
                <ul class="inline-links">
                    <li><a href=format!("/publicate/{case_id}")>{t.public_link}</a></li>
                    <li><a href=prepare_href.clone()>{t.prepare_again}</a></li>
                </ul>
            })}
            <form method="post" action=UnpublishCase::PATH class="actions">
                <input type="hidden" name="case_id" value=case_id.to_string()/>
                <button type="submit" class="button-secondary">{t.unpublish}</button>
            </form>
        }
        .into_any()
    } else if status.consent {
        view! {
            <p>{t.not_published}</p>
            <p><a class="button" href=prepare_href.clone()>{t.prepare}</a></p>
        }
        .into_any()
    } else {
        ().into_any()
    };
    view! {
        <section aria-labelledby="publication-title" class="publication">
            <h2 id="publication-title">{t.section_title}</h2>
            {published_now.then(|| view! { <p class="notice notice-success" role="status">{t.published_notice}</p> })}
            {withdrawn_now.then(|| view! { <p class="notice notice-success" role="status">{t.unpublished_notice}</p> })}
            <p>{if status.consent { t.consent_given } else { t.no_consent }}</p>
            {state}
        </section>
    }
}

/// `text` cut at the pieces found in it: (piece, the span when it is one).
fn pieces(text: &str, spans: &[DraftSpan]) -> Vec<(String, Option<DraftSpan>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    for s in spans {
        if s.start < at || s.end > chars.len() || s.start >= s.end {
            continue;
        }
        if s.start > at {
            out.push((chars[at..s.start].iter().collect(), None));
        }
        out.push((chars[s.start..s.end].iter().collect(), Some(s.clone())));
        at = s.end;
    }
    if at < chars.len() {
        out.push((chars[at..].iter().collect(), None));
    }
    out
}

/// One text of the draft: highlighted, then a ticked box per piece found.
#[component]
fn DraftField(x: DraftText) -> impl IntoView {
    let t = use_prefs().lang.publication();
    let label = match x.field.as_str() {
        "subject" => t.field_subject,
        "address" => t.field_address,
        "answer" => t.field_answer,
        _ => t.field_body,
    };
    let heading_id = format!("field-{}", x.field);
    let text = pieces(&x.text, &x.spans)
        .into_iter()
        .map(|(piece, span)| match span {
            Some(s) => view! {
                <mark class="personal-data">{piece}<span class="visually-hidden">{format!(" ({})", t.kind(s.kind))}</span></mark>
            }
            .into_any(),
            None => piece.into_any(),
        })
        .collect_view();
    let boxes = if x.spans.is_empty() {
        view! { <p class="hint">{t.nothing_found}</p> }.into_any()
    } else {
        view! {
            <fieldset>
                <legend>{t.found_in.replace("{field}", label)}</legend>
                {x.spans.iter().map(|s| {
                    let box_id = format!("remove-{}", s.id.replace([':', '-'], "_"));
                    let label = t.remove_label.replace("{text}", &s.text).replace("{kind}", t.kind(s.kind));
                    view! {
                        <input type="hidden" name="offered" value=s.id.clone()/>
                        <div class="choice">
                            <input type="checkbox" id=box_id.clone() name="remove" value=s.id.clone() checked=true/>
                            <label for=box_id>{label}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        }
        .into_any()
    };
    view! {
        <section class="redaction-field" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{label}</h2>
            <p class="redaction-text pre">{text}</p>
            {boxes}
        </section>
    }
}

/// `/cazuri/{id}/publicare`: the redaction page.
#[component]
pub fn PublicationPage() -> impl IntoView {
    let t = use_prefs().lang.publication();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let extra = query_flag("extra");
    let draft = Resource::new(
        move || (id(), extra.get()),
        |(id, extra)| async move {
            match id {
                Some(id) => get_publication_draft(id, extra).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let form = MultipartForm::new();
    let error = form.error(PublishCase::PATH);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match draft.await {
                    Ok(d) => view! { <Draft d error/> }.into_any(),
                    Err(e) => {
                        #[cfg(feature = "ssr")]
                        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                            res.set_status(
                                http::StatusCode::from_u16(e.status())
                                    .unwrap_or(http::StatusCode::NOT_FOUND),
                            );
                        }
                        #[cfg(not(feature = "ssr"))]
                        let _ = e;
                        view! {
                            <Title text=t.section_title/>
                            <h1>{t.section_title}</h1>
                            <p>{t.staff_only}</p>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Draft(d: PublicationDraft, error: Signal<Option<AppError>>) -> impl IntoView {
    let t = use_prefs().lang.publication();
    let title = t.draft_title.replace("{number}", &d.registration_number);
    let case_href = format!("/cazuri/{}", d.case_id);
    let has_answer = d.texts.iter().any(|x| x.field == "answer");
    let form = d.status.consent.then(|| {
        let preview_action = format!("/cazuri/{}/publicare", d.case_id);
        view! {
            <p>{t.draft_intro}</p>
            <ErrorSummary error/>
            <form method="post" action=PublishCase::PATH enctype="multipart/form-data" novalidate=true class="redaction">
                <input type="hidden" name="case_id" value=d.case_id.to_string()/>
                <input type="hidden" name="version" value=d.version.to_string()/>
                {d.texts.into_iter().map(|x| view! { <DraftField x/> }).collect_view()}
                {(!has_answer).then(|| view! { <p class="notice">{t.no_answer_yet}</p> })}
                <div class="form-group">
                    <label for="extra">{t.extra_label}</label>
                    <p class="hint" id="extra-hint">{t.extra_hint}</p>
                    <FieldError name="extra" error/>
                    <textarea id="extra" name="extra" rows="4" aria-describedby="extra-hint">{d.extra.join("\n")}</textarea>
                </div>
                <div class="actions">
                    <button type="submit" class="button-secondary" formmethod="get" formaction=preview_action>{t.preview}</button>
                    <button type="submit">{t.publish}</button>
                </div>
            </form>
        }
    });
    view! {
        <Title text=title.clone()/>
        <p><a href=case_href>{t.back}</a></p>
        <h1>{title}</h1>
        {(!d.status.consent).then(|| view! { <p class="notice notice-warning" role="alert">{t.no_consent}</p> })}
        {form}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redaction::Kind;

    #[test]
    fn a_text_is_cut_at_its_pieces_by_characters() {
        let span = |start, end| DraftSpan {
            id: format!("body:{start}-{end}"),
            kind: Kind::Name,
            start,
            end,
            text: String::new(),
        };
        let got: Vec<(String, bool)> = pieces("Șos. Ana Pop, ok", &[span(5, 12)])
            .into_iter()
            .map(|(p, s)| (p, s.is_some()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Șos. ".to_string(), false),
                ("Ana Pop".to_string(), true),
                (", ok".to_string(), false)
            ]
        );
    }
}
