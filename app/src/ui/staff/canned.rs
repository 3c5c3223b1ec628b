//! `/birou/raspunsuri-tip`: the canned answers of the institution, kept by its managers. Plain
//! forms: one to add, one per answer to change it, one to delete it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::desk::{DeleteCannedAnswer, SaveCannedAnswer, canned_answers};
use crate::api::filing::get_filing_options;
use crate::model::AppError;
use crate::model::filing::Choice as Category;
use crate::model::staff::CannedAnswer;
use crate::ui::account::forms::{ErrorSummary, FieldError, action_error, query_flag};
use crate::ui::prefs::use_prefs;

#[component]
pub fn CannedAnswersPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.desk();
    let save = ServerAction::<SaveCannedAnswer>::new();
    let delete = ServerAction::<DeleteCannedAnswer>::new();
    let error = action_error(save);
    let saved = query_flag("salvat");
    let list = Resource::new(
        move || (lang, save.version().get(), delete.version().get()),
        |(lang, _, _)| canned_answers(lang),
    );
    let options = Resource::new(move || lang, get_filing_options);
    view! {
        <Title text=t.canned_title/>
        <h1>{t.canned_title}</h1>
        <p>{t.canned_intro}</p>
        <ErrorSummary error/>
        {move || saved.get().map(|_| view! { <p class="notice notice-success" role="status">{t.done}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let categories = options.await.map(|o| o.categories).unwrap_or_default();
                match list.await {
                    Err(AppError::Forbidden | AppError::Unauthorized) => view! {
                        <p class="notice">{t.canned_managers_only}</p>
                    }.into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{lang.texts().load_failed}</p> }.into_any(),
                    Ok(items) => view! {
                        {if items.is_empty() {
                            view! { <p>{t.canned_empty}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="canned-list">
                                    {items.into_iter().map(|c| view! { <CannedItem c categories=categories.clone() save delete/> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h2 id="new-title">{t.canned_new}</h2>
                        <ActionForm action=save attr:novalidate=true attr:aria-labelledby="new-title">
                            <CannedFields prefix="" c=None categories error/>
                            <button type="submit">{t.canned_save}</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CannedItem(
    c: CannedAnswer,
    categories: Vec<Category>,
    save: ServerAction<SaveCannedAnswer>,
    delete: ServerAction<DeleteCannedAnswer>,
) -> impl IntoView {
    let t = use_prefs().lang.desk();
    let no_error = Signal::derive(|| None);
    let prefix = format!("c{}-", c.id);
    let (id, title, body) = (c.id.to_string(), c.title.clone(), c.body.clone());
    let delete_id = id.clone();
    let category = c
        .category
        .clone()
        .unwrap_or_else(|| t.canned_all_categories.to_string());
    let of_title = format!(": {title}");
    view! {
        <li>
            <h3>{title}</h3>
            <p class="hint">{category}</p>
            <p class="pre">{body}</p>
            <details>
                <summary>{t.canned_edit}<span class="visually-hidden">{of_title.clone()}</span></summary>
                <ActionForm action=save attr:novalidate=true>
                    <input type="hidden" name="id" value=id/>
                    <CannedFields prefix=prefix c=Some(c) categories error=no_error/>
                    <button type="submit">{t.canned_save}</button>
                </ActionForm>
            </details>
            <ActionForm action=delete>
                <input type="hidden" name="id" value=delete_id/>
                <button type="submit" class="button-secondary">{t.canned_delete}<span class="visually-hidden">{of_title}</span></button>
            </ActionForm>
        </li>
    }
}

/// The fields of a canned answer; ids carry `prefix` so that several forms fit on one page.
#[component]
fn CannedFields(
    prefix: impl Into<String>,
    c: Option<CannedAnswer>,
    categories: Vec<Category>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let t = use_prefs().lang.desk();
    let p = prefix.into();
    let (title_id, body_id, cat_id) = (
        format!("{p}title"),
        format!("{p}body"),
        format!("{p}category_id"),
    );
    let current_cat = c.as_ref().and_then(|c| c.category_id);
    view! {
        <div class="form-group">
            <label for=title_id.clone()>{t.canned_title_field}</label>
            {p.is_empty().then(|| view! { <FieldError name="title" error/> })}
            <input type="text" id=title_id name="title" maxlength="200" required=true value=c.as_ref().map(|c| c.title.clone())/>
        </div>
        <div class="form-group">
            <label for=cat_id.clone()>{t.canned_category}</label>
            {p.is_empty().then(|| view! { <FieldError name="category_id" error/> })}
            <select id=cat_id name="category_id">
                <option value="">{t.canned_all_categories}</option>
                {categories.iter().map(|k| view! { <option value=k.id.to_string() selected=current_cat == Some(k.id)>{k.name.clone()}</option> }).collect_view()}
            </select>
        </div>
        <div class="form-group">
            <label for=body_id.clone()>{t.canned_body}</label>
            {p.is_empty().then(|| view! { <FieldError name="body" error/> })}
            <textarea id=body_id name="body" rows="6" required=true>{c.as_ref().map(|c| c.body.clone())}</textarea>
        </div>
    }
}
