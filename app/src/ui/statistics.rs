//! `/statistici`: the public statistics (no login): each institution's headline indicators over
//! a period, by service, without personal data; the same as open data (JSON, CSV).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::metrics::get_public_statistics;
use crate::model::metrics::{MetricsQuery, PublicStatistics};
use crate::ui::charts::{BarChart, Series};
use crate::ui::prefs::use_prefs;

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{v:.1} %"))
}

#[component]
pub fn PublicStatisticsPage() -> impl IntoView {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let t = lang.metrics();
    let query = use_query_map();
    let q = Memo::new(move |_| {
        query.with(|p| MetricsQuery {
            from: p.get("from").filter(|v| !v.is_empty()),
            to: p.get("to").filter(|v| !v.is_empty()),
            ..Default::default()
        })
    });
    let data = Resource::new(
        move || (q.get(), lang),
        |(q, lang)| get_public_statistics(q, lang),
    );
    view! {
        <Title text=t.public_title/>
        <h1>{t.public_title}</h1>
        <p>{t.public_intro}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = data.await;
                let (from, to) = list
                    .as_ref()
                    .ok()
                    .and_then(|l| l.first())
                    .map(|p| (p.indicators.from.clone(), p.indicators.to.clone()))
                    .unwrap_or_default();
                let open_data = format!("from={from}&to={to}");
                let body = match list {
                    Ok(list) => list.into_iter().map(|p| view! { <Institution p/> }).collect_view().into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{prefs.texts().load_failed}</p> }.into_any(),
                };
                view! {
                    <Form method="get" action="/statistici">
                        <div class="filter-grid">
                            <div class="form-group">
                                <label for="from">{t.from}</label>
                                <input type="date" id="from" name="from" value=from.clone()/>
                            </div>
                            <div class="form-group">
                                <label for="to">{t.to}</label>
                                <input type="date" id="to" name="to" value=to.clone()/>
                            </div>
                        </div>
                        <div class="actions"><button type="submit">{t.apply}</button></div>
                    </Form>
                    <p>
                        {t.open_data}": "
                        <a href=format!("/api/v1/public/statistics.json?{open_data}") rel="external">"JSON"</a>
                        " · "
                        <a href=format!("/api/v1/public/statistics.csv?{open_data}") rel="external" download="">"CSV"</a>
                    </p>
                    {body}
                }
                .into_any()
            })}
        </Suspense>
    }
}

#[component]
fn Institution(p: PublicStatistics) -> AnyView {
    let t = use_prefs().lang.metrics();
    let m = p.indicators;
    let id = format!("stat-{}", p.institution_id);
    let kpis = [
        (t.received, m.received.to_string()),
        (t.answered, m.answered.to_string()),
        (t.on_time_rate, pct(m.on_time_rate)),
        (t.satisfied_rate, pct(m.satisfied_rate)),
        (t.open_now, m.open_now.to_string()),
        (t.overdue_now, m.overdue_open.to_string()),
        (
            t.median,
            m.response.median_days.map_or_else(
                || format!("— ({})", t.too_few),
                |d| format!("{d} {}", t.calendar_days),
            ),
        ),
        (
            t.mean_rating,
            m.satisfaction
                .mean
                .map_or_else(|| "—".into(), |v| format!("{v:.1}")),
        ),
    ];
    let weeks: Vec<String> = m
        .weeks
        .iter()
        .map(|w| w.week.get(5..).unwrap_or(&w.week).to_string())
        .collect();
    let services = m
        .by_service
        .iter()
        .map(|r| {
            view! {
                <tr>
                    <th scope="row">{r.name.clone()}</th>
                    <td class="num">{r.received.to_string()}</td>
                    <td class="num">{r.answered.to_string()}</td>
                    <td class="num">{pct(r.on_time_rate)}</td>
                    <td class="num">{r.median_response_days.map_or_else(|| format!("— (n={})", r.sample), |d| format!("{d} (n={})", r.sample))}</td>
                </tr>
            }
        })
        .collect_view();
    let has_services = !m.by_service.is_empty();
    view! {
        <section aria-labelledby=id.clone()>
            <h2 id=id.clone()>{p.institution}</h2>
            <dl class="kpis">
                {kpis.into_iter().map(|(label, value)| view! { <div class="kpi"><dt>{label}</dt><dd class="kpi-number">{value}</dd></div> }).collect_view()}
            </dl>
            <BarChart id=format!("{id}-weeks") caption=t.chart_weeks label_header=t.week labels=weeks
                series=vec![
                    Series { name: t.received, class: "series-1", values: m.weeks.iter().map(|w| Some(w.received as f64)).collect() },
                    Series { name: t.answered, class: "series-2", values: m.weeks.iter().map(|w| Some(w.answered as f64)).collect() },
                ]/>
            {has_services.then(|| view! {
                <h3>{t.by_service}</h3>
                <div class="table-wrap" tabindex="0" role="region" aria-label=t.by_service>
                    <table>
                        <thead><tr>
                            <th scope="col">{t.name}</th>
                            <th scope="col">{t.received}</th>
                            <th scope="col">{t.answered}</th>
                            <th scope="col">{t.on_time_rate}</th>
                            <th scope="col">{t.median}</th>
                        </tr></thead>
                        <tbody>{services}</tbody>
                    </table>
                </div>
            })}
        </section>
    }
    .into_any()
}
