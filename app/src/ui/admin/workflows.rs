//! `/admin/fluxuri`: the workflow definitions with their versions (who saved each, when), the
//! editor that checks a definition (typed, pasted or uploaded) and saves it as a new version,
//! and each institution's choice of definition per kind of request. Plain forms: without
//! JavaScript "check" keeps the document as a draft and the page comes back on it
//! (`?ciorna={id}`) with every problem and its line next to the text area, or, when it checks,
//! with its diagram, its deadlines for a registration date and the button that saves it.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::workflow_admin::{
    CheckWorkflow, SaveWorkflow, SetInstitutionWorkflows, UploadWorkflow, workflow_admin,
};
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::workflow_admin::{
    CHOOSABLE_KINDS, DefinitionSummary, DraftView, InstitutionWorkflows, KindChoice,
    WorkflowAdminPage as PageData, WorkflowProblem,
};
use crate::model::workflow_view::WorkflowView;
use crate::ui::account::forms::{ErrorSummary, action_error, field_message};
use crate::ui::multipart::MultipartForm;
use crate::ui::prefs::use_prefs;

/// The forms of the page.
#[derive(Clone, Copy)]
struct Actions {
    check: ServerAction<CheckWorkflow>,
    save: ServerAction<SaveWorkflow>,
    choose: ServerAction<SetInstitutionWorkflows>,
}

/// `/admin/fluxuri`
#[component]
pub fn WorkflowAdminPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.workflow_admin();
    let a = Actions {
        check: ServerAction::new(),
        save: ServerAction::new(),
        choose: ServerAction::new(),
    };
    let upload_error = MultipartForm::new().error(UploadWorkflow::PATH);
    let errors = [
        action_error(a.check),
        action_error(a.save),
        action_error(a.choose),
    ];
    // The error of the form answered last (once hydrated); rendered on the server, the one
    // the address carries back.
    let last = RwSignal::new(None::<usize>);
    let versions = [a.check.version(), a.save.version(), a.choose.version()];
    for (i, v) in versions.into_iter().enumerate() {
        Effect::new(move |_| {
            if v.get() > 0 {
                last.set(Some(i));
            }
        });
    }
    let error = Signal::derive(move || match last.get() {
        Some(i) => errors[i].get(),
        None => errors
            .iter()
            .find_map(|e| e.get())
            .or_else(|| upload_error.get()),
    });
    let query = use_query_map();
    let args = move || {
        query.with(|q| {
            (
                q.get("sursa"),
                q.get("ciorna"),
                q.get("filed"),
                q.get("salvat").zip(q.get("versiune")),
                q.get("ales").is_some(),
            )
        })
    };
    let data = Resource::new(
        move || (lang, args(), versions.map(|v| v.get())),
        |(lang, (start, draft, filed, _, _), _)| workflow_admin(lang, start, draft, filed),
    );
    view! {
        <Title text=t.title/>
        <h1>{t.title}</h1>
        <p>{t.intro}</p>
        {move || args().3.map(|(name, version)| view! {
            <p class="notice notice-success" role="status">{t.saved.replace("{name}", &name).replace("{version}", &version)}</p>
        })}
        {move || args().4.then(|| view! {
            <p class="notice notice-success" role="status">{t.choices_saved}</p>
        })}
        <ErrorSummary error/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(AppError::Forbidden | AppError::Unauthorized) => view! { <p class="notice">{t.admins_only}</p> }.into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{lang.texts().load_failed}</p> }.into_any(),
                    Ok(p) => view! { <Body p error a lang/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Body(p: PageData, error: Signal<Option<AppError>>, a: Actions, lang: Lang) -> impl IntoView {
    let t = lang.workflow_admin();
    let PageData {
        can_edit,
        definitions,
        institutions,
        source,
        start,
        draft,
        draft_missing,
    } = p;
    let problems = draft
        .as_ref()
        .map(|d| d.problems.clone())
        .unwrap_or_default();
    let result = draft.map(|d| view! { <CheckResult d save=a.save lang/> });
    let editor =
        can_edit.then(|| view! { <Editor source start problems error check=a.check lang/> });
    view! {
        {draft_missing.then(|| view! { <p class="notice notice-warning" role="status">{t.draft_missing}</p> })}
        {result}
        {editor}
        <Definitions definitions can_edit lang/>
        <section aria-labelledby="alegeri">
            <h2 id="alegeri">{t.choices_title}</h2>
            <p>{t.choices_intro}</p>
            {institutions.into_iter().map(|i| view! { <Choices i error choose=a.choose lang/> }).collect_view()}
        </section>
    }
}

/// "Line N, column M: message".
fn problem_text(
    t: &crate::i18n::workflow_admin::WorkflowAdminTexts,
    p: &WorkflowProblem,
) -> String {
    format!(
        "{}{}",
        t.problem_at
            .replace("{line}", &p.line.to_string())
            .replace("{column}", &p.column.to_string()),
        p.message
    )
}

/// The result of a check: every problem, or the definition drawn with its deadlines and the
/// button that saves it.
#[component]
fn CheckResult(d: DraftView, save: ServerAction<SaveWorkflow>, lang: Lang) -> impl IntoView {
    let t = lang.workflow_admin();
    let body = if !d.problems.is_empty() {
        let count = t
            .problems_found
            .replace("{n}", &d.problems.len().to_string());
        view! {
            <div class="error-summary" role="alert" aria-labelledby="problems-title" tabindex="-1">
                <h3 id="problems-title">{count}</h3>
                <ul>
                    {d.problems.iter().map(|p| view! { <li><a href="#source">{problem_text(t, p)}</a></li> }).collect_view()}
                </ul>
                <p>{t.problems_fix}</p>
            </div>
        }
        .into_any()
    } else if let Some(w) = d.preview {
        let name = d.name.clone().unwrap_or_default();
        let version = w.version;
        let status = if d.unchanged {
            t.unchanged.replace("{version}", &version.to_string())
        } else {
            match d.latest_version {
                None => t.new_definition.to_string(),
                Some(latest) => t
                    .next_version
                    .replace("{next}", &version.to_string())
                    .replace("{latest}", &latest.to_string()),
            }
        };
        let save_form = (!d.unchanged).then(|| {
            let label = t.save.replace("{version}", &version.to_string());
            view! {
                <ActionForm action=save>
                    <input type="hidden" name="draft" value=d.id.to_string()/>
                    <p class="hint" id="save-hint">{t.save_hint}</p>
                    <button type="submit" id="save-button" aria-describedby="save-hint">{label}</button>
                </ActionForm>
            }
        });
        view! {
            <p class="notice notice-success" role="status">{t.valid.replace("{name}", &name)}</p>
            <p>{status}</p>
            {save_form}
            <Preview w draft=d.id lang/>
        }
        .into_any()
    } else {
        ().into_any()
    };
    view! {
        <section aria-labelledby="verificare">
            <h2 id="verificare">{t.check_title}</h2>
            {body}
        </section>
    }
}

/// A checked definition: its diagram, the deadlines of a case registered on a date, its terms.
#[component]
fn Preview(w: WorkflowView, draft: i64, lang: Lang) -> impl IntoView {
    let t = lang.workflow_admin();
    let caption = t.preview_caption.replace("{date}", &w.filed);
    view! {
        <h3 id="diagram">{t.diagram_title}</h3>
        <div class="workflow-diagram" inner_html=w.svg.clone()></div>
        <h3 id="preview">{t.preview_title}</h3>
        <form method="get" action="/admin/fluxuri#preview" class="actions">
            <input type="hidden" name="ciorna" value=draft.to_string()/>
            <div class="form-group">
                <label for="filed">{t.filed_label}</label>
                <input type="date" id="filed" name="filed" value=w.filed.clone() required/>
            </div>
            <button type="submit">{t.calculate}</button>
        </form>
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="preview">
            <table>
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">{t.col_term}</th>
                    <th scope="col">{t.col_date}</th>
                    <th scope="col">{t.col_day}</th>
                </tr></thead>
                <tbody>
                    {w.preview.iter().map(|(label, date, day)| view! {
                        <tr><td>{label.clone()}</td><td><time datetime=date.clone()>{date.clone()}</time></td><td>{day.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h3 id="terms">{t.terms_title}</h3>
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="terms">
            <table>
                <thead><tr>
                    <th scope="col">{t.col_term}</th>
                    <th scope="col">{t.col_length}</th>
                    <th scope="col">{t.col_reminders}</th>
                </tr></thead>
                <tbody>
                    {w.timers.iter().map(|x| view! {
                        <tr><td>{x.label.clone()}</td><td>{x.term.clone()}</td><td>{x.reminders.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The text area (with the draft's problems next to it) and the file upload.
#[component]
fn Editor(
    source: String,
    start: Option<String>,
    problems: Vec<WorkflowProblem>,
    error: Signal<Option<AppError>>,
    check: ServerAction<CheckWorkflow>,
    lang: Lang,
) -> impl IntoView {
    let t = lang.workflow_admin();
    let has_problems = !problems.is_empty();
    let source_error = move || field_message(&error.get(), "source");
    let file_error = move || field_message(&error.get(), "file");
    let described = move || {
        let mut ids = vec!["source-hint"];
        if has_problems {
            ids.push("source-problems");
        }
        if source_error().is_some() {
            ids.push("source-error");
        }
        ids.join(" ")
    };
    let invalid = move || (has_problems || source_error().is_some()).then_some("true");
    let file_described = move || {
        let mut ids = vec!["file-hint"];
        if file_error().is_some() {
            ids.push("file-error");
        }
        ids.join(" ")
    };
    let rows = if source.is_empty() { "12" } else { "28" };
    view! {
        <section aria-labelledby="editor">
            <h2 id="editor">{t.editor_title}</h2>
            <p>{t.editor_intro}</p>
            {start.map(|name| view! { <p class="hint">{t.editing.replace("{name}", &name)}</p> })}
            <ActionForm action=check attr:novalidate=true attr:aria-labelledby="editor">
                <div class="form-group" class:has-error=move || has_problems || source_error().is_some()>
                    <label for="source">{t.source_label}</label>
                    <p class="hint" id="source-hint">{t.source_hint}</p>
                    {move || source_error().map(|m| view! { <p class="field-error" id="source-error">{m}</p> })}
                    {has_problems.then(|| view! {
                        <ul class="field-error problem-list" id="source-problems">
                            {problems.iter().map(|p| view! { <li>{problem_text(t, p)}</li> }).collect_view()}
                        </ul>
                    })}
                    <textarea
                        id="source"
                        name="source"
                        class="source-editor"
                        rows=rows
                        spellcheck="false"
                        autocomplete="off"
                        aria-describedby=described
                        aria-invalid=invalid
                    >{source}</textarea>
                </div>
                <button type="submit">{t.check}</button>
            </ActionForm>
            <h3 id="file-title">{t.file_title}</h3>
            <form method="post" action=UploadWorkflow::PATH enctype="multipart/form-data" novalidate=true aria-labelledby="file-title">
                <div class="form-group" class:has-error=move || file_error().is_some()>
                    <label for="file">{t.file_label}</label>
                    <p class="hint" id="file-hint">{t.file_hint}</p>
                    {move || file_error().map(|m| view! { <p class="field-error" id="file-error">{m}</p> })}
                    <input
                        type="file"
                        id="file"
                        name="file"
                        accept=".toml,text/plain,application/toml"
                        aria-describedby=file_described
                        aria-invalid=move || file_error().is_some().then_some("true")
                    />
                </div>
                <button type="submit" class="button-secondary">{t.upload}</button>
            </form>
        </section>
    }
}

/// The stored definitions, each with every version: who saved it and when.
#[component]
fn Definitions(definitions: Vec<DefinitionSummary>, can_edit: bool, lang: Lang) -> impl IntoView {
    let t = lang.workflow_admin();
    let rows = definitions
        .into_iter()
        .map(|d| {
            let versions = d
                .versions
                .iter()
                .map(|v| {
                    let at = v.created_at.format("%Y-%m-%d %H:%M UTC").to_string();
                    let by = v.created_by.clone().unwrap_or_else(|| t.builtin.to_string());
                    let line = t
                        .version_line
                        .replace("{version}", &v.version.to_string())
                        .replace("{at}", &at)
                        .replace("{by}", &by);
                    view! { <li>{line}</li> }
                })
                .collect_view();
            let edit = can_edit.then(|| {
                let href = format!("/admin/fluxuri?sursa={}#editor", d.name);
                let of = format!(": {}", d.name);
                view! { <a href=href>{t.edit}<span class="visually-hidden">{of}</span></a>" · " }
            });
            let public = format!("/fluxuri/{}", d.name);
            let of = format!(": {}", d.name);
            view! {
                <tr>
                    <td>{d.label.clone()}<br/><code>{d.name.clone()}</code></td>
                    <td>{t.case_type(lang, &d.case_type)}</td>
                    <td>{d.calendar.to_uppercase()}</td>
                    <td><ul class="version-list">{versions}</ul></td>
                    <td>{edit}<a href=public>{t.public_page}<span class="visually-hidden">{of}</span></a></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="definitii">
            <h2 id="definitii">{t.definitions_title}</h2>
            <p>{t.definitions_intro}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="definitii">
                <table>
                    <caption class="visually-hidden">{t.definitions_title}</caption>
                    <thead><tr>
                        <th scope="col">{t.col_definition}</th>
                        <th scope="col">{t.col_case_type}</th>
                        <th scope="col">{t.col_calendar}</th>
                        <th scope="col">{t.col_versions}</th>
                        <th scope="col">{t.col_actions}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// One institution's choices: a list per kind of request.
#[component]
fn Choices(
    i: InstitutionWorkflows,
    error: Signal<Option<AppError>>,
    choose: ServerAction<SetInstitutionWorkflows>,
    lang: Lang,
) -> impl IntoView {
    let t = lang.workflow_admin();
    let heading = format!("alegeri-{}", i.institution_id);
    let prefix = format!("w{}-", i.institution_id);
    let selects = i
        .kinds
        .into_iter()
        .map(|k| {
            let label = CHOOSABLE_KINDS
                .iter()
                .position(|x| *x == k.kind)
                .map_or("", |n| t.kinds[n]);
            view! { <KindSelect k prefix=prefix.clone() label error lang/> }
        })
        .collect_view();
    view! {
        <h3 id=heading.clone()>{i.name}</h3>
        <ActionForm action=choose attr:novalidate=true attr:aria-labelledby=heading>
            <input type="hidden" name="institution_id" value=i.institution_id.to_string()/>
            {selects}
            <button type="submit">{t.save_choices}</button>
        </ActionForm>
    }
}

#[component]
fn KindSelect(
    k: KindChoice,
    prefix: String,
    label: &'static str,
    error: Signal<Option<AppError>>,
    lang: Lang,
) -> impl IntoView {
    let t = lang.workflow_admin();
    let id = format!("{prefix}{}", k.kind);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let message = {
        let id = id.clone();
        move || field_message(&error.get(), &id)
    };
    let described = {
        let (hint_id, error_id, message) = (hint_id.clone(), error_id.clone(), message.clone());
        move || {
            let mut ids = vec![hint_id.clone()];
            if message().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    let in_use = t.in_use.replace("{name}", &k.workflow).replace(
        "{version}",
        &k.version
            .map(|v| v.to_string())
            .unwrap_or_else(|| "—".into()),
    );
    let mut options = vec![(
        String::new(),
        t.default_option.replace("{name}", &k.default),
    )];
    options.extend(
        k.options
            .iter()
            .map(|o| (o.name.clone(), format!("{} ({})", o.label, o.name))),
    );
    let chosen = k.chosen.clone().unwrap_or_default();
    let has_error = {
        let message = message.clone();
        move || message().is_some()
    };
    let invalid = {
        let message = message.clone();
        move || message().is_some().then_some("true")
    };
    view! {
        <div class="form-group" class:has-error=has_error>
            <label for=id.clone()>{label}</label>
            <p class="hint" id=hint_id>{in_use}</p>
            {move || message().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
            <select id=id name=format!("choice[{}]", k.kind) aria-describedby=described aria-invalid=invalid>
                {options.into_iter().map(|(v, l)| {
                    let selected = v == chosen;
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
