//! The public pages of published cases: `/publicate` (searchable, a page at a time) and
//! `/publicate/{id}` (a case with its answer). Only the redacted version is ever read here;
//! each removed piece shows as a marked `[date personale eliminate]` (in the reader's
//! language), which screen readers read as it is written.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::publication::{get_published_case, published_cases};
use crate::ui::layout::urlencode;
use crate::ui::prefs::use_prefs;

/// A published text, each marker set apart.
#[component]
pub fn Redacted(text: String, marker: String) -> impl IntoView {
    let parts: Vec<String> = text.split(marker.as_str()).map(str::to_string).collect();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let mark = (i > 0).then(|| view! { <span class="redacted">{marker.clone()}</span> });
            view! { {mark}{part} }
        })
        .collect_view()
}

fn list_href(q: &Option<String>, page: u64) -> String {
    match q {
        Some(q) => format!("/publicate?q={}&page={page}", urlencode(q)),
        None => format!("/publicate?page={page}"),
    }
}

/// `/publicate`: the published cases, newest first, searchable.
#[component]
pub fn PublishedListPage() -> impl IntoView {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let t = lang.publication();
    let query = use_query_map();
    let q = move || query.with(|q| q.get("q")).filter(|s| !s.trim().is_empty());
    let page = move || {
        query
            .with(|q| q.get("page"))
            .and_then(|p| p.parse::<u64>().ok())
    };
    let list = Resource::new(
        move || (q(), page()),
        move |(q, page)| published_cases(lang, q, page),
    );
    view! {
        <Title text=t.list_title/>
        <h1>{t.list_title}</h1>
        <p>{t.list_intro}</p>
        <form method="get" action="/publicate" role="search" class="search-inline">
            <label for="q">{t.search_label}</label>
            <input type="search" id="q" name="q" value=q/>
            <button type="submit" class="button-secondary">{t.search_button}</button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(p) if p.items.is_empty() => view! { <p role="status">{t.none}</p> }.into_any(),
                    Ok(p) => {
                        let pages = p.total.div_ceil(p.per_page).max(1);
                        let label = t.page_of.replace("{page}", &p.page.to_string()).replace("{pages}", &pages.to_string());
                        let q = q();
                        let nav = (p.page > 1 || p.has_next).then(|| view! {
                            <nav class="pagination" aria-label=label.clone()>
                                {(p.page > 1).then(|| view! { <a href=list_href(&q, p.page - 1) rel="prev">{t.previous}</a> })}
                                " "<span>{label.clone()}</span>" "
                                {p.has_next.then(|| view! { <a href=list_href(&q, p.page + 1) rel="next">{t.next}</a> })}
                            </nav>
                        });
                        let marker = p.marker.clone();
                        view! {
                            <p role="status">{t.count.replace("{n}", &p.total.to_string())}</p>
                            <ul class="published-list">
                                {p.items.into_iter().map(|c| view! {
                                    <li>
                                        <h2><a href=format!("/publicate/{}", c.id)><Redacted text=c.subject marker=marker.clone()/></a></h2>
                                        <p class="hint">{c.registration_number}" · "{c.kind}" · "{t.published}" "{c.published_on}
                                            {c.answered.then(|| format!(" · {}", t.answer_heading))}</p>
                                        <p><Redacted text=c.excerpt marker=marker.clone()/></p>
                                    </li>
                                }).collect_view()}
                            </ul>
                            {nav}
                        }
                        .into_any()
                    }
                    Err(_) => view! { <p class="notice notice-warning">{prefs.texts().load_failed}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/publicate/{id}`: a published case and its answer.
#[component]
pub fn PublishedCasePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.publication();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let case = Resource::new(id, move |id| async move {
        match id {
            Some(id) => get_published_case(lang, id).await,
            None => Err(crate::model::AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(c) => {
                        let title = t.case_title.replace("{number}", &c.registration_number);
                        let m = c.marker.clone();
                        let row = |label: &'static str, value: Option<String>| {
                            value.map(|v| view! { <dt>{label}</dt><dd>{v}</dd> })
                        };
                        view! {
                            <Title text=title.clone()/>
                            <p><a href="/publicate">{t.back_to_list}</a></p>
                            <h1>{title}</h1>
                            <p class="lead"><Redacted text=c.subject marker=m.clone()/></p>
                            <p class="notice">{t.redaction_note.replace("{marker}", &c.marker)}</p>
                            <dl class="summary-list">
                                <dt>{t.institution}</dt><dd>{c.institution}</dd>
                                {row(t.category, c.category)}
                                <dt>{t.status}</dt><dd>{c.status}{c.outcome.map(|o| format!(" ({o})"))}</dd>
                                <dt>{t.filed}</dt><dd>{c.filed_on}</dd>
                                {row(t.answered, c.answered_on)}
                                <dt>{t.published}</dt><dd>{c.published_on}</dd>
                                {c.address.map(|a| view! { <dt>{t.place}</dt><dd><Redacted text=a marker=m.clone()/></dd> })}
                            </dl>
                            <h2>{t.request_heading}</h2>
                            <p class="case-body"><Redacted text=c.body marker=m.clone()/></p>
                            <h2>{t.answer_heading}</h2>
                            {match c.answer {
                                Some(a) => view! { <div class="panel case-answer"><p class="pre"><Redacted text=a marker=m.clone()/></p></div> }.into_any(),
                                None => view! { <p>{t.no_answer_public}</p> }.into_any(),
                            }}
                        }
                        .into_any()
                    }
                    Err(_) => {
                        #[cfg(feature = "ssr")]
                        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                            res.set_status(http::StatusCode::NOT_FOUND);
                        }
                        view! {
                            <Title text=t.list_title/>
                            <h1>{t.list_title}</h1>
                            <p>{t.not_found}</p>
                            <p><a href="/publicate">{t.back_to_list}</a></p>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
