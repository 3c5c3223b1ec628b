//! `/admin/jurnal`: the audit trail, newest first, filtered by case, user, action and days
//! (a plain GET form), with older pages and the CSV of the same selection.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::admin::get_audit;
use crate::model::AppError;
use crate::model::audit::{AuditFilter, FILTER_ACTIONS};
use crate::ui::account::forms::{ErrorSummary, FieldError, filter_error};
use crate::ui::prefs::use_prefs;

fn filter_from_query(q: &leptos_router::params::ParamsMap) -> AuditFilter {
    let get = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
    AuditFilter {
        case_id: get("case_id"),
        actor_id: get("actor_id"),
        action: get("action"),
        from: get("from"),
        to: get("to"),
        institution_id: get("institution_id"),
        before: get("before"),
        limit: None,
    }
}

/// `s` as a query string value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The filters (without the page) as a query string.
fn query_string(f: &AuditFilter) -> String {
    [
        ("case_id", &f.case_id),
        ("actor_id", &f.actor_id),
        ("action", &f.action),
        ("from", &f.from),
        ("to", &f.to),
        ("institution_id", &f.institution_id),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", encode(v))))
    .collect::<Vec<_>>()
    .join("&")
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.audit();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(filter_from_query));
    let data = Resource::new(move || filter.get(), get_audit);
    let error = filter_error(data);
    view! {
        <Title text=t.title/>
        <h1>{t.title}</h1>
        <p>{t.intro}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let f = filter.get();
                let result = data.await;
                if matches!(result, Err(AppError::Forbidden | AppError::Unauthorized)) {
                    return view! { <p class="notice">{t.admins_only}</p> }.into_any();
                }
                let qs = query_string(&f);
                let csv = if qs.is_empty() {
                    "/api/v1/admin/audit.csv".to_string()
                } else {
                    format!("/api/v1/admin/audit.csv?{qs}")
                };
                let sel = f.action.clone();
                view! {
                    <ErrorSummary error/>
                    <Form method="get" action="/admin/jurnal">
                        {f.institution_id.clone().map(|v| view! { <input type="hidden" name="institution_id" value=v/> })}
                        <div class="filter-grid">
                            <div class="form-group">
                                <label for="case_id">{t.filter_case}</label>
                                <p class="hint" id="case_id-hint">{t.filter_case_hint}</p>
                                <FieldError name="case_id" error/>
                                <input type="text" id="case_id" name="case_id" aria-describedby="case_id-hint" value=f.case_id.clone()/>
                            </div>
                            <div class="form-group">
                                <label for="actor_id">{t.filter_actor}</label>
                                <p class="hint" id="actor_id-hint">{t.filter_actor_hint}</p>
                                <FieldError name="actor_id" error/>
                                <input type="text" id="actor_id" name="actor_id" aria-describedby="actor_id-hint" spellcheck="false" value=f.actor_id.clone()/>
                            </div>
                            <div class="form-group">
                                <label for="action">{t.filter_action}</label>
                                <FieldError name="action" error/>
                                <select id="action" name="action">
                                    <option value="">{t.all_actions}</option>
                                    {FILTER_ACTIONS.iter().zip(t.actions).map(|(code, label)| view! {
                                        <option value=*code selected=sel.as_deref() == Some(*code)>{format!("{label} ({code})")}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="form-group">
                                <label for="from">{t.filter_from}</label>
                                <FieldError name="from" error/>
                                <input type="date" id="from" name="from" value=f.from.clone()/>
                            </div>
                            <div class="form-group">
                                <label for="to">{t.filter_to}</label>
                                <FieldError name="to" error/>
                                <input type="date" id="to" name="to" value=f.to.clone()/>
                            </div>
                        </div>
                        <div class="actions">
                            <button type="submit">{lang.staff().apply}</button>
                            " "<a href="/admin/jurnal">{lang.staff().reset}</a>
                            " "<a href=csv download>{t.export_csv}</a>
                        </div>
                    </Form>
                    {match result {
                        Err(AppError::Validation { .. }) => ().into_any(),
                        Err(_) => view! { <p class="notice notice-warning">{lang.texts().load_failed}</p> }.into_any(),
                        Ok(p) if p.items.is_empty() => view! { <p>{t.empty}</p> }.into_any(),
                        Ok(p) => {
                            let next = p.next_before.map(|b| {
                                let sep = if qs.is_empty() { "" } else { "&" };
                                format!("/admin/jurnal?{qs}{sep}before={b}")
                            });
                            let paged = f.before.is_some();
                            let first = if qs.is_empty() { "/admin/jurnal".to_string() } else { format!("/admin/jurnal?{qs}") };
                            view! {
                                <div class="table-wrap" tabindex="0" role="region" aria-label=t.title>
                                    <table>
                                        <caption class="visually-hidden">{t.title}</caption>
                                        <thead><tr>
                                            <th scope="col">{t.col_at}</th>
                                            <th scope="col">{t.col_chain}</th>
                                            <th scope="col">{t.col_action}</th>
                                            <th scope="col">{t.col_actor}</th>
                                            <th scope="col">{t.col_case}</th>
                                            <th scope="col">{t.col_target}</th>
                                            <th scope="col">{t.col_details}</th>
                                            <th scope="col">{t.col_ip}</th>
                                            <th scope="col">{t.col_hash}</th>
                                        </tr></thead>
                                        <tbody>
                                            {p.items.into_iter().map(|r| {
                                                let chain = match r.institution_id {
                                                    Some(id) => t.institution_chain.replace("{id}", &id.to_string()),
                                                    None => t.portal_chain.to_string(),
                                                };
                                                let actor = match (r.actor_name, r.actor_id) {
                                                    (Some(n), Some(id)) => format!("{n} (#{id}, {})", r.actor_role),
                                                    (None, Some(id)) => format!("#{id} ({})", r.actor_role),
                                                    _ => r.actor_role,
                                                };
                                                let case = r.case_id.map(|id| {
                                                    let label = r.registration_number.unwrap_or_else(|| format!("#{id}"));
                                                    view! { <a href=format!("/cazuri/{id}")>{label}</a> }
                                                });
                                                let target = match (r.target_type, r.target_id) {
                                                    (Some(k), Some(id)) => format!("{k} {id}"),
                                                    (Some(k), None) => k,
                                                    _ => String::new(),
                                                };
                                                let hash: String = r.hash.chars().take(12).collect();
                                                view! {
                                                    <tr>
                                                        <td>{format!("{} UTC", r.at.get(..19).unwrap_or_default().replace('T', " "))}</td>
                                                        <td>{format!("{chain} / {}", r.seq)}</td>
                                                        <td><code>{r.action}</code></td>
                                                        <td>{actor}</td>
                                                        <td>{case}</td>
                                                        <td>{target}</td>
                                                        <td><code class="audit-details">{r.details.to_string()}</code></td>
                                                        <td>{r.ip.unwrap_or_default()}</td>
                                                        <td><code>{hash}"…"</code></td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                {(paged || next.is_some()).then(|| view! {
                                    <nav class="pagination" aria-label=t.title>
                                        {paged.then(|| view! { <a href=first.clone()>{t.newest}</a> })}
                                        {next.clone().map(|n| view! { <a href=n rel="next">{t.older}</a> })}
                                    </nav>
                                })}
                            }.into_any()
                        }
                    }}
                }.into_any()
            })}
        </Suspense>
    }
}
