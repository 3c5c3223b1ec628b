//! `/birou`: the officer's queue. The filters are a GET form (without JavaScript a plain page
//! load; with it, the router updates the list in place); the list is ordered so that no term
//! can be missed, each term shown with its days left in words and in colour.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::desk::{BulkAssign, assignable_officers};
use crate::api::queues::{get_queue, get_queue_choices};
use crate::model::AppError;
use crate::model::queue::{QueueFilter, QueueLine, QueueLines};
use crate::model::staff::Choice;
use crate::ui::account::forms::{ErrorSummary, FieldError, filter_error};
use crate::ui::prefs::use_prefs;
use leptos::server_fn::ServerFn;

/// The filter as the address gives it.
fn filter_from_query(q: &leptos_router::params::ParamsMap) -> QueueFilter {
    let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
    QueueFilter {
        view: get("view"),
        assignee: None,
        status: get("status"),
        kind: get("kind"),
        category_id: get("category_id"),
        service_id: get("service_id"),
        department_id: get("department_id"),
        overdue: get("overdue"),
        due_within: get("due_within"),
        filed_from: get("filed_from"),
        filed_to: get("filed_to"),
        assignee_id: get("assignee_id"),
        channel: get("channel"),
        answered_from: get("answered_from"),
        answered_to: get("answered_to"),
        closed_from: get("closed_from"),
        closed_to: get("closed_to"),
        late: get("late"),
        outcome: get("outcome"),
        q: get("q"),
        page: get("page"),
        per_page: None,
    }
}

/// The address of page `page` with the same filters.
fn page_href(f: &QueueFilter, page: u64) -> String {
    let pairs = [
        ("view", &f.view),
        ("status", &f.status),
        ("kind", &f.kind),
        ("category_id", &f.category_id),
        ("service_id", &f.service_id),
        ("department_id", &f.department_id),
        ("overdue", &f.overdue),
        ("due_within", &f.due_within),
        ("filed_from", &f.filed_from),
        ("filed_to", &f.filed_to),
        ("assignee_id", &f.assignee_id),
        ("channel", &f.channel),
        ("answered_from", &f.answered_from),
        ("answered_to", &f.answered_to),
        ("closed_from", &f.closed_from),
        ("closed_to", &f.closed_to),
        ("late", &f.late),
        ("outcome", &f.outcome),
        ("q", &f.q),
    ];
    let mut query: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", encode(v))))
        .collect();
    query.push(format!("page={page}"));
    format!("/birou?{}", query.join("&"))
}

/// Percent-encodes a query value (everything but unreserved ASCII).
pub(crate) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
pub fn QueuePage() -> impl IntoView {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let s = lang.staff();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(filter_from_query));
    // The server functions' futures are boxed: unboxed, each (kilobytes) is copied several times
    // as the resource wraps it (bench/results/2026-11-27f-queue.md).
    let data = Resource::new(
        move || (filter.get(), lang),
        |(f, lang)| Box::pin(get_queue(f, lang)),
    );
    let choices = Resource::new(move || lang, |lang| Box::pin(get_queue_choices(lang)));
    let officers = Resource::new(|| (), |_| Box::pin(assignable_officers()));
    let d = lang.desk();
    let assigned = query.with_untracked(|q| q.get("repartizate"));
    let refused = query
        .with_untracked(|q| q.get("nerepartizate"))
        .filter(|r| !r.is_empty());
    let error = filter_error(data);
    view! {
        <Title text=s.queue_title/>
        <h1>{s.queue_title}</h1>
        <p class="desk-links">
            <a href="/birou/inregistrare">{d.onbehalf_link}</a>
            " · "<a href="/birou/raspunsuri-tip">{d.canned_link}</a>
            " · "<a href="/birou/indicatori">{lang.metrics().nav}</a>
        </p>
        {assigned.map(|n| view! { <p class="notice notice-success" role="status">{d.bulk_done.replace("{n}", &n)}</p> })}
        {refused.map(|r| view! { <p class="notice notice-warning" role="alert">{format!("{}: {}", d.bulk_refused, r)}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let f = filter.get();
                let table_filter = f.clone();
                let officers = officers.await.unwrap_or_default();
                let result = data.await;
                let choices = choices.await.unwrap_or_default();
                if matches!(result, Err(AppError::Unauthorized | AppError::Forbidden)) {
                    return view! {
                        <p class="notice">{s.staff_only}" "<a href="/autentificare?next=/birou">{lang.account().login_title}</a></p>
                    }.into_any();
                }
                let sel = |v: &Option<String>, option: &str| v.as_deref() == Some(option);
                view! {
                    <ErrorSummary error/>
                    <details class="filters" open=true>
                        <summary>{s.filters}</summary>
                        <Form method="get" action="/birou">
                            // A dashboard's drill-down narrows the list further than the form
                            // shows: those filters ride along.
                            {[("assignee_id", &f.assignee_id), ("channel", &f.channel), ("answered_from", &f.answered_from), ("answered_to", &f.answered_to), ("closed_from", &f.closed_from), ("closed_to", &f.closed_to), ("late", &f.late), ("outcome", &f.outcome)]
                                .into_iter()
                                .filter_map(|(name, v)| v.clone().map(|v| view! { <input type="hidden" name=name value=v/> }))
                                .collect_view()}
                            <div class="filter-grid">
                                <div class="form-group">
                                    <label for="view">{s.view}</label>
                                    <select id="view" name="view">
                                        <option value="all" selected=sel(&f.view, "all")>{s.view_all}</option>
                                        <option value="mine" selected=sel(&f.view, "mine")>{s.view_mine}</option>
                                        <option value="unassigned" selected=sel(&f.view, "unassigned")>{s.view_unassigned}</option>
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label for="status">{s.status}</label>
                                    <select id="status" name="status">
                                        <option value="">{s.status_open}</option>
                                        <option value="waiting" selected=sel(&f.status, "waiting")>{lang.metrics().status_waiting}</option>
                                        <option value="all" selected=sel(&f.status, "all")>{lang.metrics().status_all}</option>
                                        {choices.statuses.iter().map(|(id, label)| view! { <option value=id.clone() selected=sel(&f.status, id)>{label.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label for="kind">{s.kind}</label>
                                    <select id="kind" name="kind">
                                        <option value="">{s.any}</option>
                                        {[("petition", prefs.texts().kind_petition), ("complaint", prefs.texts().kind_complaint), ("prior_complaint", prefs.texts().kind_prior_complaint), ("information_request", prefs.texts().kind_information_request)]
                                            .into_iter().map(|(k, label)| view! { <option value=k selected=sel(&f.kind, k)>{label}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label for="department_id">{lang.filing().department}</label>
                                    <FieldError name="department_id" error/>
                                    <select id="department_id" name="department_id">
                                        <option value="">{s.any}</option>
                                        {choices.departments.iter().map(|(id, name)| { let id = id.to_string(); view! { <option value=id.clone() selected=sel(&f.department_id, &id)>{name.clone()}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label for="category_id">{lang.filing().category}</label>
                                    <select id="category_id" name="category_id">
                                        <option value="">{s.any}</option>
                                        {choices.categories.iter().map(|(id, name)| { let id = id.to_string(); view! { <option value=id.clone() selected=sel(&f.category_id, &id)>{name.clone()}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label for="due_within">{s.due_within}</label>
                                    <FieldError name="due_within" error/>
                                    <input type="number" id="due_within" name="due_within" min="0" max="366" inputmode="numeric" value=f.due_within.clone()/>
                                </div>
                                <div class="form-group">
                                    <label for="filed_from">{s.filed_from}</label>
                                    <FieldError name="filed_from" error/>
                                    <input type="date" id="filed_from" name="filed_from" value=f.filed_from.clone()/>
                                </div>
                                <div class="form-group">
                                    <label for="filed_to">{s.filed_to}</label>
                                    <FieldError name="filed_to" error/>
                                    <input type="date" id="filed_to" name="filed_to" value=f.filed_to.clone()/>
                                </div>
                                <div class="form-group filter-wide">
                                    <label for="q">{s.search}</label>
                                    <p class="hint" id="q-hint">{s.search_hint}</p>
                                    <input type="search" id="q" name="q" aria-describedby="q-hint" value=f.q.clone()/>
                                </div>
                                <div class="choice filter-wide">
                                    <input type="checkbox" id="overdue" name="overdue" value="on" checked=f.overdue.is_some()/>
                                    <label for="overdue">{s.overdue_only}</label>
                                </div>
                            </div>
                            <div class="actions">
                                <button type="submit">{s.apply}</button>
                                " "<a href="/birou">{s.reset}</a>
                            </div>
                        </Form>
                    </details>
                    {match result {
                        Ok(page) => view! { <QueueTable page f=table_filter officers/> }.into_any(),
                        Err(AppError::Validation { .. }) => ().into_any(),
                        Err(_) => view! { <p class="notice notice-warning">{prefs.texts().load_failed}</p> }.into_any(),
                    }}
                }.into_any()
            })}
        </Suspense>
    }
}

/// Days left, in words (and a class that colours them).
fn term(c: &QueueLine, s: &crate::i18n::staff::StaffTexts) -> (String, &'static str) {
    match c.days_left {
        None => (s.no_term.to_string(), "due-none"),
        Some(n) if n < 0 || c.overdue => (with_number(s.days_over, n.abs()), "due-overdue"),
        Some(0) => (s.last_day.to_string(), "due-today"),
        Some(n) if n <= 5 => (with_number(s.days_left, n), "due-soon"),
        Some(n) => (with_number(s.days_left, n), "due-ok"),
    }
}

/// `text` with its `{n}` written as `n` (50 times per page: without `str::replace`'s general
/// pattern search).
fn with_number(text: &str, n: i64) -> String {
    match text.split_once("{n}") {
        Some((before, after)) => format!("{before}{n}{after}"),
        None => text.to_string(),
    }
}

#[component]
fn QueueTable(
    page: QueueLines,
    f: QueueFilter,
    /// Whom the reader may assign cases to (empty: no bulk assignment).
    officers: Vec<Choice>,
) -> impl IntoView {
    let prefs = use_prefs();
    let s = prefs.lang.staff();
    let d = prefs.lang.desk();
    let fl = prefs.lang.filing();
    let bulk = !officers.is_empty() && !page.items.is_empty();
    // The count stops at COUNT_CAP + 1 ("more than 1,000").
    let capped = page.total > crate::model::queue::COUNT_CAP;
    let shown = if capped {
        format!("{}+", crate::model::queue::COUNT_CAP)
    } else {
        page.total.to_string()
    };
    let back = page_href(&f, page.page)
        .trim_start_matches("/birou?")
        .to_string();
    let table = (!page.items.is_empty()).then(|| view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=s.queue_title>
                    <table class="queue">
                        <caption class="visually-hidden">{s.queue_title}</caption>
                        <thead><tr>
                            {bulk.then(|| view! { <th scope="col"><span class="visually-hidden">{d.bulk_select}</span></th> })}
                            <th scope="col">{fl.col_number}</th>
                            <th scope="col">{fl.col_subject}</th>
                            <th scope="col">{s.col_petitioner}</th>
                            <th scope="col">{fl.col_status}</th>
                            <th scope="col">{s.col_term}</th>
                        </tr></thead>
                        <tbody>
                            {page.items.iter().map(|c| {
                                let (text, class) = term(c, s);
                                view! {
                                    <tr>
                                        {bulk.then(|| {
                                            let cid = format!("pick-{}", c.id);
                                            view! {
                                                <td><input type="checkbox" id=cid.clone() name="case_ids" value=c.id.to_string()/>
                                                    <label for=cid class="visually-hidden">{format!("{} {}", d.bulk_select, c.registration_number)}</label></td>
                                            }
                                        })}
                                        <td><a href=format!("/cazuri/{}", c.id)>{c.registration_number.clone()}</a></td>
                                        <td>{c.subject.clone()}</td>
                                        <td>{c.petitioner_name.clone()}</td>
                                        <td>{c.status_label.clone()}</td>
                                        <td class=class>{c.answer_due.clone().unwrap_or_default()}<br/><span class="due-text">{text}</span></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
    });
    let label = if capped {
        s.page_n.replace("{page}", &page.page.to_string())
    } else {
        s.page_of.replace("{page}", &page.page.to_string()).replace(
            "{pages}",
            &page.total.div_ceil(page.per_page).max(1).to_string(),
        )
    };
    let more_pages = page.page > 1 || page.has_next;
    view! {
        <p role="status">{s.count.replace("{n}", &shown)}</p>
        {match (table, bulk) {
            (None, _) => view! { <p>{s.empty}</p> }.into_any(),
            (Some(table), false) => table.into_any(),
            (Some(table), true) => view! {
                <form method="post" action=BulkAssign::PATH enctype="multipart/form-data" novalidate=true>
                    <input type="hidden" name="back" value=back/>
                    {table}
                    <fieldset class="bulk-assign">
                        <legend>{d.bulk_legend}</legend>
                        <label for="bulk-assignee">{d.f_assignee}</label>
                        <select id="bulk-assignee" name="assignee_id" required=true>
                            <option value="">{d.choose}</option>
                            {officers.iter().map(|o| view! { <option value=o.value.clone()>{o.label.clone()}</option> }).collect_view()}
                        </select>
                        " "<button type="submit" class="button-secondary">{d.bulk_assign}</button>
                    </fieldset>
                </form>
            }.into_any(),
        }}
        {more_pages.then(|| view! {
            <nav class="pagination" aria-label=label.clone()>
                {(page.page > 1).then(|| view! { <a href=page_href(&f, page.page - 1) rel="prev">{s.previous}</a> })}
                " "<span>{label.clone()}</span>" "
                {page.has_next.then(|| view! { <a href=page_href(&f, page.page + 1) rel="next">{s.next}</a> })}
            </nav>
        })}
    }
}
