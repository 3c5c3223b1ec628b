//! `/birou/indicatori`: the managers' dashboard. The period and scope are a GET form (a plain
//! page load without JavaScript); every number links to the queue filtered to exactly the
//! cases it counts; every chart is SVG drawn on the server, with the table of its numbers.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::metrics::get_metrics;
use crate::i18n::metrics::MetricsTexts;
use crate::model::AppError;
use crate::model::metrics::{GroupRow, Indicators, MetricsQuery};
use crate::ui::account::forms::{ErrorSummary, FieldError, filter_error};
use crate::ui::charts::{BarChart, Series};
use crate::ui::prefs::use_prefs;
use crate::ui::staff::queue::encode;

fn query_from(q: &leptos_router::params::ParamsMap) -> MetricsQuery {
    let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
    MetricsQuery {
        from: get("from"),
        to: get("to"),
        institution_id: get("institution_id"),
        department_id: get("department_id"),
        assignee_id: get("assignee_id"),
        category_id: get("category_id"),
        service_id: get("service_id"),
        kind: get("kind"),
        channel: get("channel"),
    }
}

/// The scope's filters that are set, as query pairs.
fn scope_pairs(q: &MetricsQuery) -> Vec<(String, String)> {
    [
        ("department_id", &q.department_id),
        ("assignee_id", &q.assignee_id),
        ("category_id", &q.category_id),
        ("service_id", &q.service_id),
        ("kind", &q.kind),
        ("channel", &q.channel),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().map(|v| (k.to_string(), v)))
    .collect()
}

fn query_string(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The queue's address for the cases a number counts: the scope's filters and `extra`.
fn drill(q: &MetricsQuery, m: &Indicators, what: &str, extra: &[(&str, String)]) -> String {
    format!("/birou?{}", query_string(&drill_pairs(q, m, what, extra)))
}

/// The queue filter of the cases a number counts.
fn drill_pairs(
    q: &MetricsQuery,
    m: &Indicators,
    what: &str,
    extra: &[(&str, String)],
) -> Vec<(String, String)> {
    let mut pairs = scope_pairs(q);
    let period = |from: &str, to: &str| {
        vec![
            (from.to_string(), m.from.clone()),
            (to.to_string(), m.to.clone()),
        ]
    };
    let mut add: Vec<(String, String)> = match what {
        "received" => {
            let mut v = vec![("status".into(), "all".into())];
            v.extend(period("filed_from", "filed_to"));
            v
        }
        "answered" => {
            let mut v = vec![("status".into(), "all".into())];
            v.extend(period("answered_from", "answered_to"));
            v
        }
        "forwarded" | "dismissed" | "withdrawn" => {
            let mut v = vec![("status".into(), what.to_string())];
            v.extend(period("closed_from", "closed_to"));
            v
        }
        _ => vec![("status".into(), "waiting".into())],
    };
    pairs.append(&mut add);
    pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
    pairs
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{v:.1} %"))
}

fn days(v: Option<i64>, t: &MetricsTexts) -> String {
    v.map_or_else(|| format!("— ({})", t.too_few), |d| d.to_string())
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let t = lang.metrics();
    let s = lang.staff();
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(query_from));
    let data = Resource::new(move || (q.get(), lang), |(q, lang)| get_metrics(q, lang));
    let error = filter_error(data);
    view! {
        <Title text=t.title/>
        <h1>{t.title}</h1>
        <p>{t.intro}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let q = q.get();
                let result = data.await;
                if matches!(result, Err(AppError::Unauthorized | AppError::Forbidden)) {
                    return view! {
                        <p class="notice">{t.managers_only}" "<a href="/autentificare?next=/birou/indicatori">{lang.account().login_title}</a></p>
                    }.into_any();
                }
                let choices = result.as_ref().ok().map(|(_, c)| c.clone()).unwrap_or_default();
                let shown = result.as_ref().ok().map(|(m, _)| (m.from.clone(), m.to.clone()));
                let (from, to) = shown.unwrap_or((q.from.clone().unwrap_or_default(), q.to.clone().unwrap_or_default()));
                let sel = |v: &Option<String>, option: &str| v.as_deref() == Some(option);
                let scope = q.clone();
                let kinds = [("petition", prefs.texts().kind_petition), ("complaint", prefs.texts().kind_complaint), ("prior_complaint", prefs.texts().kind_prior_complaint), ("information_request", prefs.texts().kind_information_request), ("data_rectification", lang.data_rights().subject_rectification), ("data_erasure", lang.data_rights().subject_erasure)];
                let desk = lang.desk();
                let channels = [("online", desk.ch_online), ("paper", desk.ch_paper), ("post", desk.ch_post), ("oral", desk.ch_oral), ("email", desk.ch_email)];
                view! {
                    <ErrorSummary error/>
                    <details class="filters" open=true>
                        <summary>{t.filters}</summary>
                        <Form method="get" action="/birou/indicatori">
                            <div class="filter-grid">
                                <div class="form-group">
                                    <label for="from">{t.from}</label>
                                    <FieldError name="from" error/>
                                    <input type="date" id="from" name="from" value=from.clone()/>
                                </div>
                                <div class="form-group">
                                    <label for="to">{t.to}</label>
                                    <FieldError name="to" error/>
                                    <input type="date" id="to" name="to" value=to.clone()/>
                                </div>
                                <div class="form-group">
                                    <label for="department_id">{lang.filing().department}</label>
                                    <select id="department_id" name="department_id">
                                        <option value="">{t.any}</option>
                                        {choices.departments.iter().map(|(id, name)| { let id = id.to_string(); view! { <option value=id.clone() selected=sel(&q.department_id, &id)>{name.clone()}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label for="assignee_id">{t.officer}</label>
                                    <select id="assignee_id" name="assignee_id">
                                        <option value="">{t.any}</option>
                                        {choices.officers.iter().map(|(id, name)| { let id = id.to_string(); view! { <option value=id.clone() selected=sel(&q.assignee_id, &id)>{name.clone()}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label for="category_id">{lang.filing().category}</label>
                                    <select id="category_id" name="category_id">
                                        <option value="">{t.any}</option>
                                        {choices.categories.iter().map(|(id, name)| { let id = id.to_string(); view! { <option value=id.clone() selected=sel(&q.category_id, &id)>{name.clone()}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label for="service_id">{lang.filing().service}</label>
                                    <select id="service_id" name="service_id">
                                        <option value="">{t.any}</option>
                                        {choices.services.iter().map(|(id, name)| { let id = id.to_string(); view! { <option value=id.clone() selected=sel(&q.service_id, &id)>{name.clone()}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label for="kind">{s.kind}</label>
                                    <FieldError name="kind" error/>
                                    <select id="kind" name="kind">
                                        <option value="">{t.any}</option>
                                        {kinds.into_iter().map(|(k, label)| view! { <option value=k selected=sel(&q.kind, k)>{label}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label for="channel">{t.channel}</label>
                                    <FieldError name="channel" error/>
                                    <select id="channel" name="channel">
                                        <option value="">{t.any}</option>
                                        {channels.into_iter().map(|(c, label)| view! { <option value=c selected=sel(&q.channel, c)>{label}</option> }).collect_view()}
                                    </select>
                                </div>
                            </div>
                            <div class="actions">
                                <button type="submit">{t.apply}</button>
                                " "<a href="/birou/indicatori">{s.reset}</a>
                            </div>
                        </Form>
                    </details>
                    {match result {
                        Ok((m, _)) => view! { <Dashboard m q=scope/> }.into_any(),
                        Err(AppError::Validation { .. }) => ().into_any(),
                        Err(_) => view! { <p class="notice notice-warning">{prefs.texts().load_failed}</p> }.into_any(),
                    }}
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn Dashboard(m: Indicators, q: MetricsQuery) -> Vec<AnyView> {
    let t = use_prefs().lang.metrics();
    let link = |what: &str, extra: &[(&str, String)], n: u64| {
        let href = drill(&q, &m, what, extra);
        view! { <a href=href class="kpi-number">{n.to_string()}</a> }
    };
    let kpis = vec![
        (t.received, link("received", &[], m.received)),
        (t.answered, link("answered", &[], m.answered)),
        (
            t.on_time,
            link("answered", &[("late", "no".into())], m.answered_on_time),
        ),
        (
            t.late,
            link("answered", &[("late", "yes".into())], m.answered_late),
        ),
        (
            t.satisfied,
            link("answered", &[("outcome", "satisfied".into())], m.satisfied),
        ),
        (t.forwarded, link("forwarded", &[], m.forwarded)),
        (t.dismissed, link("dismissed", &[], m.dismissed)),
        (t.withdrawn, link("withdrawn", &[], m.withdrawn)),
        (t.open_now, link("waiting", &[], m.open_now)),
        (
            t.overdue_now,
            link("waiting", &[("overdue", "on".into())], m.overdue_open),
        ),
    ];
    let weeks: Vec<String> = m
        .weeks
        .iter()
        .map(|w| w.week.get(5..).unwrap_or(&w.week).to_string())
        .collect();
    let on_time_labels: Vec<String> = m.by_department.iter().map(|d| d.name.clone()).collect();
    let r = &m.response;
    let headline = view! {
        <section aria-labelledby="kpi-title">
            <h2 id="kpi-title">{format!("{} – {}", m.from, m.to)}</h2>
            <p class="hint">{t.computed_at.replace("{t}", &m.computed_at)}</p>
            <dl class="kpis">
                {kpis.into_iter().map(|(label, value)| view! { <div class="kpi"><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}
                <div class="kpi"><dt>{t.on_time_rate}</dt><dd class="kpi-number">{pct(m.on_time_rate)}</dd></div>
                <div class="kpi"><dt>{t.satisfied_rate}</dt><dd class="kpi-number">{pct(m.satisfied_rate)}</dd></div>
            </dl>
        </section>
    }
    .into_any();
    let indicators_csv = {
        let mut pairs = vec![
            ("from".to_string(), m.from.clone()),
            ("to".to_string(), m.to.clone()),
        ];
        pairs.extend(scope_pairs(&q));
        format!("/api/v1/metrics.csv?{}", query_string(&pairs))
    };
    let cases_csv = format!(
        "/api/v1/exports/cases.csv?{}",
        query_string(&drill_pairs(&q, &m, "received", &[]))
    );
    let downloads = view! {
        <section aria-labelledby="exports-title">
            <h2 id="exports-title">{t.exports}</h2>
            <ul>
                <li><a href=indicators_csv download="" rel="external">{t.export_csv}</a></li>
                <li><a href=cases_csv download="" rel="external">{t.export_cases.replace("{n}", &m.received.to_string())}</a></li>
            </ul>
        </section>
    }
    .into_any();
    let response = view! {
        <section aria-labelledby="response-title">
            <h2 id="response-title">{t.response_title}</h2>
            <p>{t.response_note}</p>
            <dl class="summary-list">
                <dt>{t.sample}</dt><dd>{r.sample.to_string()}</dd>
                <dt>{t.median}</dt><dd>{format!("{} {} · {} {}", days(r.median_days, t), t.calendar_days, days(r.median_working_days, t), t.working_days)}</dd>
                <dt>{t.p90}</dt><dd>{format!("{} {} · {} {}", days(r.p90_days, t), t.calendar_days, days(r.p90_working_days, t), t.working_days)}</dd>
            </dl>
            <BarChart id="chart-distribution" caption=t.chart_distribution label_header=t.days
                labels=r.distribution.iter().map(|b| b.label.clone()).collect()
                series=vec![Series { name: t.count, class: "series-1", values: r.distribution.iter().map(|b| Some(b.count as f64)).collect() }]/>
        </section>
    }
    .into_any();
    let over_time = view! {
        <section aria-labelledby="weeks-title">
            <h2 id="weeks-title">{t.chart_weeks}</h2>
            <BarChart id="chart-weeks" caption=t.chart_weeks label_header=t.week labels=weeks.clone()
                series=vec![
                    Series { name: t.received, class: "series-1", values: m.weeks.iter().map(|w| Some(w.received as f64)).collect() },
                    Series { name: t.answered, class: "series-2", values: m.weeks.iter().map(|w| Some(w.answered as f64)).collect() },
                ]/>
            <BarChart id="chart-backlog" caption=t.chart_backlog label_header=t.week labels=weeks
                series=vec![
                    Series { name: t.open_at_end, class: "series-1", values: m.weeks.iter().map(|w| Some(w.open_at_end as f64)).collect() },
                    Series { name: t.overdue_at_end, class: "series-3", values: m.weeks.iter().map(|w| w.overdue_at_end.map(|n| n as f64)).collect() },
                ]/>
        </section>
    }
    .into_any();
    let breakdown = view! {
        <section aria-labelledby="departments-title">
            <h2 id="departments-title">{t.by_department}</h2>
            <BarChart id="chart-on-time" caption=t.chart_on_time label_header=t.name labels=on_time_labels top=100.0
                series=vec![Series { name: t.on_time_rate, class: "series-2", values: m.by_department.iter().map(|d| d.on_time_rate).collect() }]/>
            <p class="hint">{t.ranking_note}</p>
            <GroupTable rows=m.by_department.clone() key="department_id" m=m.clone() q=q.clone() caption=t.by_department/>
            <h2 id="officers-title">{t.by_officer}</h2>
            <GroupTable rows=m.by_officer.clone() key="assignee_id" m=m.clone() q=q.clone() caption=t.by_officer/>
        </section>
    }
    .into_any();
    let ratings = view! {
        <section aria-labelledby="satisfaction-title">
            <h2 id="satisfaction-title">{t.satisfaction_title}</h2>
            <dl class="summary-list">
                <dt>{t.rated}</dt><dd>{m.satisfaction.rated.to_string()}</dd>
                <dt>{t.share_rated}</dt><dd>{pct(m.satisfaction.share_rated)}</dd>
                <dt>{t.mean_rating}</dt><dd>{m.satisfaction.mean.map_or_else(|| "—".into(), |v| format!("{v:.1}"))}</dd>
            </dl>
            <BarChart id="chart-ratings" caption=t.satisfaction_title label_header=t.rating
                labels=(1..=5).map(|n: u32| n.to_string()).collect()
                series=vec![Series { name: t.count, class: "series-1", values: m.satisfaction.distribution.iter().map(|n| Some(*n as f64)).collect() }]/>
        </section>
    }
    .into_any();
    vec![headline, response, over_time, breakdown, ratings, downloads]
}

/// A breakdown's table: each count links to its cases.
#[component]
fn GroupTable(
    rows: Vec<GroupRow>,
    key: &'static str,
    m: Indicators,
    q: MetricsQuery,
    caption: &'static str,
) -> AnyView {
    let t = use_prefs().lang.metrics();
    let body = rows
        .into_iter()
        .map(|r| {
            let mut scoped = q.clone();
            match key {
                "department_id" => scoped.department_id = Some(r.id.to_string()),
                _ => scoped.assignee_id = Some(r.id.to_string()),
            }
            let cell = |what: &str, extra: &[(&str, String)], n: u64| {
                let href = drill(&scoped, &m, what, extra);
                view! { <td class="num"><a href=href>{n.to_string()}</a></td> }
            };
            view! {
                <tr>
                    <th scope="row">{r.name.clone()}</th>
                    {cell("received", &[], r.received)}
                    {cell("answered", &[], r.answered)}
                    {cell("answered", &[("late", "yes".into())], r.answered_late)}
                    <td class="num">{pct(r.on_time_rate)}</td>
                    {cell("waiting", &[], r.open)}
                    {cell("waiting", &[("overdue", "on".into())], r.overdue_open)}
                    <td class="num">{r.median_response_days.map_or_else(|| format!("— (n={})", r.sample), |d| format!("{d} (n={})", r.sample))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=caption>
            <table>
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.name}</th>
                        <th scope="col">{t.received}</th>
                        <th scope="col">{t.answered}</th>
                        <th scope="col">{t.late}</th>
                        <th scope="col">{t.on_time_rate}</th>
                        <th scope="col">{t.open_now}</th>
                        <th scope="col">{t.overdue_now}</th>
                        <th scope="col">{t.median}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}
