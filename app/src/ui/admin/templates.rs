//! `/admin/sabloane`: every mail template per language, with whether the administrator's text
//! is in use; `/admin/sabloane/{template}/{lang}`: the editor. Its preview fills the text with a
//! sample case's values and shows the problems next to the fields. Without JavaScript the
//! "Preview" button sends the text to this page by GET (nothing is stored); once hydrated the
//! preview follows the typing and the button goes away. "Save" posts to a server function that
//! checks again: a refused text changes nothing.

use std::time::Duration;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::mail_templates::{
    ResetTemplate, SaveTemplate, admin_template, admin_templates, preview_template,
};
use crate::model::AppError;
use crate::model::mail_templates::{TemplatePreview, TemplateText};
use crate::ui::account::forms::{ErrorSummary, action_error, field_message, query_flag};
use crate::ui::prefs::use_prefs;

const LANGS: [&str; 3] = ["ro", "ru", "en"];

fn lang_name(t: &crate::i18n::templates::TemplateTexts, code: &str) -> String {
    LANGS
        .iter()
        .position(|l| *l == code)
        .map_or_else(|| code.to_string(), |i| t.langs[i].to_string())
}

/// `/admin/sabloane`
#[component]
pub fn TemplatesPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.templates();
    let list = Resource::new(|| (), |_| admin_templates());
    view! {
        <Title text=t.title/>
        <h1>{t.title}</h1>
        <p>{t.intro}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(AppError::Forbidden | AppError::Unauthorized) => view! { <p class="notice">{t.admins_only}</p> }.into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{lang.texts().load_failed}</p> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=t.title>
                            <table>
                                <caption class="visually-hidden">{t.title}</caption>
                                <thead><tr>
                                    <th scope="col">{t.col_template}</th>
                                    <th scope="col">{t.col_lang}</th>
                                    <th scope="col">{t.col_text}</th>
                                    <th scope="col"><span class="visually-hidden">{t.edit}</span></th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| {
                                        let href = format!("/admin/sabloane/{}/{}", r.template, r.lang);
                                        let state = match &r.updated_at {
                                            Some(at) if r.overridden => t.own.replace("{at}", at),
                                            _ => t.builtin.to_string(),
                                        };
                                        let label = format!("{} {} ({})", t.edit, r.template, lang_name(t, &r.lang));
                                        view! {
                                            <tr>
                                                <td><code>{r.template.clone()}</code></td>
                                                <td>{lang_name(t, &r.lang)}</td>
                                                <td>{state}</td>
                                                <td><a href=href aria-label=label>{t.edit}</a></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/admin/sabloane/{template}/{lang}`
#[component]
pub fn TemplatePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.templates();
    let params = use_params_map();
    let key = Memo::new(move |_| {
        params.with(|p| {
            (
                p.get("template").unwrap_or_default(),
                p.get("lang").unwrap_or_default(),
            )
        })
    });
    let save = ServerAction::<SaveTemplate>::new();
    let reset = ServerAction::<ResetTemplate>::new();
    let saved = query_flag("salvat");
    let query = use_query_map();
    // A text sent by the "Preview" button (a GET of this page).
    let typed = Memo::new(move |_| {
        query.with(|q| match (q.get("subject"), q.get("body")) {
            (Some(s), Some(b)) => Some((s, b)),
            _ => None,
        })
    });
    // The text and its preview load together: the page renders with both.
    let data = Resource::new(
        move || {
            (
                key.get(),
                typed.get(),
                save.version().get(),
                reset.version().get(),
            )
        },
        |((template, lang), typed, _, _)| async move {
            let d = admin_template(template.clone(), lang.clone()).await?;
            let (subject, body) = typed.unwrap_or_else(|| (d.subject.clone(), d.body.clone()));
            let preview = preview_template(template, lang, subject.clone(), body.clone()).await;
            Ok::<_, AppError>(Loaded {
                d,
                subject,
                body,
                preview,
            })
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(AppError::Forbidden | AppError::Unauthorized) => view! {
                        <Title text=t.title/>
                        <h1>{t.title}</h1>
                        <p class="notice">{t.admins_only}</p>
                    }.into_any(),
                    Err(AppError::NotFound) => view! {
                        <Title text=t.title/>
                        <h1>{t.title}</h1>
                        <p class="notice">{t.not_found}</p>
                        <p><a href="/admin/sabloane">{t.back}</a></p>
                    }.into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{lang.texts().load_failed}</p> }.into_any(),
                    Ok(l) => view! { <Editor l save reset saved/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A template's text in use, the text in the editor and its preview.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Loaded {
    d: TemplateText,
    subject: String,
    body: String,
    preview: Result<TemplatePreview, AppError>,
}

/// The editor of one template: the form, the variables and the preview.
#[component]
fn Editor(
    l: Loaded,
    save: ServerAction<SaveTemplate>,
    reset: ServerAction<ResetTemplate>,
    saved: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.templates();
    let Loaded {
        d,
        subject: subject0,
        body: body0,
        preview,
    } = l;
    let subject = RwSignal::new(subject0.clone());
    let body = RwSignal::new(body0.clone());
    // The preview: the page's, then (hydrated) the text's once the typing pauses.
    let live = RwSignal::new(preview);
    let typed = StoredValue::new(0u64);
    let names = StoredValue::new((d.template.clone(), d.lang.clone()));
    let settle = move || {
        typed.update_value(|n| *n += 1);
        let mine = typed.get_value();
        let (template, code) = names.get_value();
        set_timeout(
            move || {
                if typed.get_value() != mine {
                    return;
                }
                let (s, b) = (subject.get_untracked(), body.get_untracked());
                leptos::task::spawn_local(async move {
                    let result = preview_template(template, code, s, b).await;
                    // An answer to older text is dropped.
                    if typed.get_value() == mine {
                        live.set(result);
                    }
                });
            },
            Duration::from_millis(400),
        );
    };
    let save_error = action_error(save);
    let reset_error = action_error(reset);
    // The problems: of the refused save (or reset), else of the text previewed.
    let error = Signal::derive(move || {
        save_error
            .get()
            .or_else(|| reset_error.get())
            .or_else(|| live.get().err())
    });
    let js = RwSignal::new(false);
    Effect::new(move |_| js.set(true));
    let title = t
        .edit_title
        .replace("{template}", &d.template)
        .replace("{lang}", &lang_name(t, &d.lang));
    let here = format!("/admin/sabloane/{}/{}", d.template, d.lang);
    let message = move |field: &'static str| move || field_message(&error.get(), field);
    let invalid = move |field: &'static str| {
        move || {
            field_message(&error.get(), field)
                .is_some()
                .then_some("true")
        }
    };
    let described = move |field: &'static str, hint: bool| {
        move || {
            let mut ids = Vec::new();
            if hint {
                ids.push(format!("{field}-hint"));
            }
            if field_message(&error.get(), field).is_some() {
                ids.push(format!("{field}-error"));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let variables = d.variables.clone();
    let (tpl_name, tpl_lang) = (d.template.clone(), d.lang.clone());
    let reset_form = d.overridden.then(move || {
        view! {
            <h2 id="reset-title">{t.reset}</h2>
            <p id="reset-hint">{t.reset_hint}</p>
            <ActionForm action=reset attr:aria-labelledby="reset-title">
                <input type="hidden" name="template" value=tpl_name/>
                <input type="hidden" name="lang" value=tpl_lang/>
                <button type="submit" class="button-secondary" aria-describedby="reset-hint">{t.reset}</button>
            </ActionForm>
        }
    });
    view! {
        <Title text=title.clone()/>
        <p><a href="/admin/sabloane">{t.back}</a></p>
        <h1>{title}</h1>
        <p>{t.edit_intro}</p>
        {move || saved.get().map(|_| view! { <p class="notice notice-success" role="status">{t.saved}</p> })}
        <p>{if d.overridden { t.in_use_own } else { t.in_use_builtin }}</p>
        <ErrorSummary error/>
        <ActionForm action=save attr:novalidate=true attr:aria-label=t.title attr:id="template-form">
            <input type="hidden" name="template" value=d.template.clone()/>
            <input type="hidden" name="lang" value=d.lang.clone()/>
            <div class="form-group" class:has-error=move || message("subject")().is_some()>
                <label for="subject">{t.subject}</label>
                {move || message("subject")().map(|m| view! { <p class="field-error" id="subject-error">{m}</p> })}
                <input type="text" id="subject" name="subject" maxlength="500" required
                    prop:value=move || subject.get() value=subject0.clone()
                    aria-invalid=invalid("subject") aria-describedby=described("subject", false)
                    on:input=move |ev| { subject.set(event_target_value(&ev)); settle(); }/>
            </div>
            <div class="form-group" class:has-error=move || message("body")().is_some()>
                <label for="body">{t.body}</label>
                <p class="hint" id="body-hint">{t.body_hint}</p>
                {move || message("body")().map(|m| view! { <p class="field-error" id="body-error">{m}</p> })}
                <textarea id="body" name="body" rows="14" maxlength="20000" required spellcheck="false"
                    prop:value=move || body.get()
                    aria-invalid=invalid("body") aria-describedby=described("body", true)
                    on:input=move |ev| { body.set(event_target_value(&ev)); settle(); }>{body0.clone()}</textarea>
            </div>
            <div class="button-row">
                {move || (!js.get()).then(|| view! {
                    <button type="submit" class="button-secondary" formmethod="get" formaction=here.clone() formnovalidate=true>{t.preview}</button>
                })}
                <button type="submit">{t.save}</button>
            </div>
        </ActionForm>
        <details class="variables">
            <summary>{t.variables}</summary>
            <ul class="inline-list">
                {variables.into_iter().map(|v| view! { <li><code>{format!("{{{{ {v} }}}}")}</code></li> }).collect_view()}
            </ul>
        </details>
        <section aria-labelledby="preview-title">
            <h2 id="preview-title">{t.preview_title}</h2>
            <div aria-live="polite">
                {move || match live.get() {
                    Ok(p) => view! {
                        <p>{t.preview_intro}</p>
                        <div class="mail-preview">
                            <p><strong>{t.preview_subject}</strong>" "<span id="preview-subject">{p.subject}</span></p>
                            <pre id="preview-body">{p.body}</pre>
                        </div>
                    }.into_any(),
                    Err(AppError::Validation { .. }) => view! { <p class="notice notice-warning">{t.preview_problems}</p> }.into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{lang.texts().load_failed}</p> }.into_any(),
                }}
            </div>
        </section>
        {reset_form}
    }
}
