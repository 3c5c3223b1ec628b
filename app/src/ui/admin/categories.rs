//! `/admin/categorii[?institutie=ID]`: an institution's categories (add, change, deactivate)
//! and each category's own questions (add, change, remove), as the filing form and Open311
//! ask them. Plain forms that post to server functions: each works without JavaScript, shows
//! its errors next to its own fields (their ids carry the form's prefix: `nc-`, `c{id}-`,
//! `nf{id}-`, `f{id}-`) and, once done, the page again at the category with a notice.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::categories_admin::{
    AddCategoryField, CreateCategory, RemoveCategoryField, UpdateCategory, UpdateCategoryField,
    admin_categories,
};
use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::categories::{CategoryAdminView, CategoryList, FIELD_TYPES, FieldAdminView};
use crate::model::filing::KINDS;
use crate::ui::account::forms::{ErrorSummary, action_error, last_answered_error, query_flag};
use crate::ui::admin::institutions::{Choose, Field, Problem, described};
use crate::ui::prefs::use_prefs;

#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateCategory>,
    update: ServerAction<UpdateCategory>,
    add_field: ServerAction<AddCategoryField>,
    update_field: ServerAction<UpdateCategoryField>,
    remove_field: ServerAction<RemoveCategoryField>,
}

fn kind_label(lang: Lang, kind: &str) -> &'static str {
    let t = lang.texts();
    match kind {
        "complaint" => t.kind_complaint,
        "prior_complaint" => t.kind_prior_complaint,
        "information_request" => t.kind_information_request,
        _ => t.kind_petition,
    }
}

fn type_label(lang: Lang, field_type: &str) -> &'static str {
    let t = lang.categories();
    FIELD_TYPES
        .iter()
        .position(|f| *f == field_type)
        .map_or("", |i| t.types[i])
}

/// Whether the last error concerns the form whose inputs start with `prefix` (its section is
/// then shown open).
fn concerns(error: Signal<Option<AppError>>, prefix: String) -> impl Fn() -> bool + Send + Sync {
    move || {
        error
            .get()
            .and_then(|e| e.fields().map(|f| f.keys().any(|k| k.starts_with(&prefix))))
            .unwrap_or(false)
    }
}

/// `/admin/categorii`
#[component]
pub fn CategoriesPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.categories();
    let query = use_query_map();
    let institution =
        Memo::new(move |_| query.with(|q| q.get("institutie").and_then(|s| s.parse::<i64>().ok())));
    let a = Actions {
        create: ServerAction::new(),
        update: ServerAction::new(),
        add_field: ServerAction::new(),
        update_field: ServerAction::new(),
        remove_field: ServerAction::new(),
    };
    let errors = [
        action_error(a.create),
        action_error(a.update),
        action_error(a.add_field),
        action_error(a.update_field),
        action_error(a.remove_field),
    ];
    let versions = [
        a.create.version(),
        a.update.version(),
        a.add_field.version(),
        a.update_field.version(),
        a.remove_field.version(),
    ];
    let error = last_answered_error(errors, versions);
    let saved = query_flag("salvat");
    let data = Resource::new(
        move || (institution.get(), lang, versions.map(|v| v.get())),
        |(institution, lang, _)| admin_categories(institution, lang),
    );
    view! {
        <Title text=t.title/>
        <h1>{t.title}</h1>
        <p>{t.intro}</p>
        <ErrorSummary error/>
        {move || (saved.get().is_some() && error.get().is_none()).then(|| view! {
            <p class="notice notice-success" role="status">{t.saved}</p>
        })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(AppError::Forbidden | AppError::Unauthorized) => view! { <p class="notice">{t.admins_only}</p> }.into_any(),
                    Err(AppError::NotFound) => view! { <p class="notice">{t.not_found}</p> }.into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{lang.texts().load_failed}</p> }.into_any(),
                    Ok(l) => view! { <CategoriesBody l error a/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CategoriesBody(l: CategoryList, error: Signal<Option<AppError>>, a: Actions) -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.categories();
    let CategoryList {
        institution_id,
        institution_name,
        institutions,
        departments,
        categories,
    } = l;
    let chooser = (institutions.len() > 1).then(|| {
        let options = institutions
            .iter()
            .map(|(id, name)| {
                let is = *id == institution_id;
                view! { <option value=id.to_string() selected=is>{name.clone()}</option> }
            })
            .collect_view();
        view! {
            <form method="get" action="/admin/categorii" class="search-inline">
                <div class="form-group">
                    <label for="institutie">{t.institution}</label>
                    <select id="institutie" name="institutie">{options}</select>
                </div>
                <button type="submit">{t.show}</button>
            </form>
        }
    });
    let summary = if categories.is_empty() {
        view! { <p>{t.empty}</p> }.into_any()
    } else {
        let rows = categories
            .iter()
            .map(|c| {
                let state = if c.active { t.active } else { t.inactive };
                view! {
                    <tr>
                        <td><code>{c.code.clone()}</code></td>
                        <td><a href=format!("#c{}", c.id)>{c.name_ro.clone()}</a></td>
                        <td>{kind_label(lang, &c.case_kind)}</td>
                        <td>{c.fields.len()}</td>
                        <td>{c.cases}</td>
                        <td>{state}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="categories-title">
                <table>
                    <caption class="visually-hidden">{t.title}</caption>
                    <thead><tr>
                        <th scope="col">{t.col_code}</th>
                        <th scope="col">{t.col_name}</th>
                        <th scope="col">{t.col_kind}</th>
                        <th scope="col">{t.col_fields}</th>
                        <th scope="col">{t.col_cases}</th>
                        <th scope="col">{t.col_state}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let sections = categories
        .into_iter()
        .map(|c| view! { <CategorySection c departments=departments.clone() error a/> })
        .collect_view();
    view! {
        {chooser}
        <h2 id="categories-title">{institution_name}</h2>
        {summary}
        {sections}
        <section aria-labelledby="new-category-title">
            <h2 id="new-category-title">{t.new_title}</h2>
            <ActionForm action=a.create attr:novalidate=true attr:aria-labelledby="new-category-title">
                <input type="hidden" name="institution_id" value=institution_id.to_string()/>
                <CategoryFields prefix="nc-".into() current=None departments error/>
                <button type="submit">{t.create}</button>
            </ActionForm>
        </section>
    }
}

/// The fields of a category's form.
#[component]
fn CategoryFields(
    prefix: String,
    current: Option<CategoryAdminView>,
    departments: Vec<(i64, String)>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.categories();
    let id = |f: &str| format!("{prefix}{f}");
    let c = current.as_ref();
    let kinds: Vec<(String, String)> = KINDS
        .iter()
        .map(|k| (k.to_string(), kind_label(lang, k).to_string()))
        .collect();
    let mut deps = vec![(String::new(), t.none.to_string())];
    deps.extend(departments.into_iter().map(|(id, n)| (id.to_string(), n)));
    let active_id = id("active");
    let active = c.is_none_or(|c| c.active);
    view! {
        <Field id=id("code") name="form[code]" label=t.code hint=t.code_hint maxlength=64 value=c.map(|c| c.code.clone()).unwrap_or_default() error/>
        <Field id=id("name_ro") name="form[name_ro]" label=t.name_ro value=c.map(|c| c.name_ro.clone()).unwrap_or_default() error/>
        <Field id=id("name_ru") name="form[name_ru]" label=t.name_ru hint=t.fallback_hint optional=true value=c.map(|c| c.name_ru.clone()).unwrap_or_default() error/>
        <Field id=id("name_en") name="form[name_en]" label=t.name_en hint=t.fallback_hint optional=true value=c.map(|c| c.name_en.clone()).unwrap_or_default() error/>
        <Choose id=id("case_kind") name="form[case_kind]" label=t.case_kind options=kinds selected=c.map(|c| c.case_kind.clone()).unwrap_or_else(|| "petition".into()) error/>
        <Choose id=id("default_department_id") name="form[default_department_id]" label=t.default_department options=deps selected=c.and_then(|c| c.default_department_id).map(|d| d.to_string()).unwrap_or_default() error/>
        <div class="form-group">
            <div class="choice">
                <input type="checkbox" id=active_id.clone() name="form[active]" value="on" checked=active/>
                <label for=active_id>{t.active_label}</label>
            </div>
        </div>
    }
}

/// The fields of a question's form.
#[component]
fn QuestionFields(
    prefix: String,
    current: Option<FieldAdminView>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.categories();
    let id = |f: &str| format!("{prefix}{f}");
    let f = current.as_ref();
    let types: Vec<(String, String)> = FIELD_TYPES
        .iter()
        .zip(t.types)
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect();
    let (required_id, options_id) = (id("required"), id("options"));
    let required = f.is_some_and(|f| f.required);
    view! {
        <Field id=id("code") name="form[code]" label=t.field_code hint=t.field_code_hint maxlength=64 value=f.map(|f| f.code.clone()).unwrap_or_default() error/>
        <Field id=id("label_ro") name="form[label_ro]" label=t.label_ro value=f.map(|f| f.label_ro.clone()).unwrap_or_default() error/>
        <Field id=id("label_ru") name="form[label_ru]" label=t.label_ru hint=t.fallback_hint optional=true value=f.map(|f| f.label_ru.clone()).unwrap_or_default() error/>
        <Field id=id("label_en") name="form[label_en]" label=t.label_en hint=t.fallback_hint optional=true value=f.map(|f| f.label_en.clone()).unwrap_or_default() error/>
        <Choose id=id("field_type") name="form[field_type]" label=t.field_type options=types selected=f.map(|f| f.field_type.clone()).unwrap_or_else(|| "text".into()) error/>
        <div class="form-group">
            <label for=options_id.clone()>{t.options}</label>
            <p class="hint" id=format!("{options_id}-hint")>{t.options_hint}</p>
            <Problem id=options_id.clone() error/>
            <textarea id=options_id.clone() name="form[options]" rows="4" aria-describedby=described(error, options_id.clone(), true)>{f.map(|f| f.options.clone())}</textarea>
        </div>
        <Field id=id("position") name="form[position]" label=t.position hint=t.position_hint kind="number" optional=true maxlength=4 value=f.map(|f| f.position.to_string()).unwrap_or_default() error/>
        <div class="form-group">
            <div class="choice">
                <input type="checkbox" id=required_id.clone() name="form[required]" value="on" checked=required/>
                <label for=required_id>{t.required}</label>
            </div>
        </div>
    }
}

/// One category: its form, its questions and the form adding one.
#[component]
fn CategorySection(
    c: CategoryAdminView,
    departments: Vec<(i64, String)>,
    error: Signal<Option<AppError>>,
    a: Actions,
) -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.categories();
    let (cid, name) = (c.id, c.name_ro.clone());
    let title_id = format!("c{cid}-title");
    let labelled_by = title_id.clone();
    let fields_title_id = format!("c{cid}-fields-title");
    let table_labelled_by = fields_title_id.clone();
    let questions = if c.fields.is_empty() {
        view! { <p>{t.fields_empty}</p> }.into_any()
    } else {
        let rows = c
            .fields
            .iter()
            .map(|f| {
                view! {
                    <tr>
                        <td>{f.position}</td>
                        <td>{f.label_ro.clone()}</td>
                        <td><code>{f.code.clone()}</code></td>
                        <td>{type_label(lang, &f.field_type)}</td>
                        <td>{if f.required { t.yes } else { t.no }}</td>
                    </tr>
                }
            })
            .collect_view();
        let edits = c
            .fields
            .iter()
            .cloned()
            .map(|f| view! { <QuestionEdit f error a/> })
            .collect_view();
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby=table_labelled_by>
                <table>
                    <caption class="visually-hidden">{t.fields_title.replace("{name}", &name)}</caption>
                    <thead><tr>
                        <th scope="col">{t.col_position}</th>
                        <th scope="col">{t.col_label}</th>
                        <th scope="col">{t.col_code}</th>
                        <th scope="col">{t.col_type}</th>
                        <th scope="col">{t.col_required}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {edits}
        }
        .into_any()
    };
    let edit_open = concerns(error, format!("c{cid}-"));
    let new_open = concerns(error, format!("nf{cid}-"));
    view! {
        <section id=format!("c{cid}") aria-labelledby=labelled_by>
            <h2 id=title_id>{c.name_ro.clone()}" "<small>"("{if c.active { t.active } else { t.inactive }}")"</small></h2>
            <details open=edit_open>
                <summary>{t.edit.replace("{name}", &name)}</summary>
                <ActionForm action=a.update attr:novalidate=true>
                    <input type="hidden" name="id" value=cid.to_string()/>
                    <CategoryFields prefix=format!("c{cid}-") current=Some(c.clone()) departments error/>
                    <button type="submit">{t.save}</button>
                </ActionForm>
            </details>
            <h3 id=fields_title_id>{t.fields_title.replace("{name}", &name)}</h3>
            {questions}
            <details open=new_open>
                <summary>{t.new_field}</summary>
                <ActionForm action=a.add_field attr:novalidate=true>
                    <input type="hidden" name="category_id" value=cid.to_string()/>
                    <QuestionFields prefix=format!("nf{cid}-") current=None error/>
                    <button type="submit">{t.add_field}</button>
                </ActionForm>
            </details>
        </section>
    }
}

/// One question's form, and the button removing it.
#[component]
fn QuestionEdit(f: FieldAdminView, error: Signal<Option<AppError>>, a: Actions) -> impl IntoView {
    let t = use_prefs().lang.categories();
    let fid = f.id;
    let open = concerns(error, format!("f{fid}-"));
    let label = f.label_ro.clone();
    view! {
        <details open=open>
            <summary>{t.edit.replace("{name}", &label)}</summary>
            <ActionForm action=a.update_field attr:novalidate=true>
                <input type="hidden" name="id" value=fid.to_string()/>
                <QuestionFields prefix=format!("f{fid}-") current=Some(f) error/>
                <button type="submit">{t.save_field}</button>
            </ActionForm>
            <ActionForm action=a.remove_field>
                <input type="hidden" name="id" value=fid.to_string()/>
                <p class="hint">{t.remove_hint}</p>
                <button type="submit" class="button-secondary">{t.remove_field}</button>
            </ActionForm>
        </details>
    }
}
