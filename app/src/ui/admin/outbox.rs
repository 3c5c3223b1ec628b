//! `/admin/posta`: the outbox, newest first, filtered by status; a dead mail can be sent again.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::admin::{ResendMail, get_outbox};
use crate::model::AppError;
use crate::ui::account::forms::{ErrorSummary, action_error, query_flag};
use crate::ui::prefs::use_prefs;

const STATUSES: [&str; 4] = ["pending", "sending", "sent", "dead"];

#[component]
pub fn OutboxPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let t = lang.desk();
    let query = use_query_map();
    let status = Memo::new(move |_| query.with(|q| q.get("stare").filter(|s| !s.is_empty())));
    let page =
        Memo::new(move |_| query.with(|q| q.get("pagina").and_then(|p| p.parse::<u64>().ok())));
    let resend = ServerAction::<ResendMail>::new();
    let error = action_error(resend);
    let resent = query_flag("retrimis");
    let data = Resource::new(
        move || (status.get(), page.get(), resend.version().get()),
        |(s, p, _)| get_outbox(s, p),
    );
    let label = move |s: &str| {
        STATUSES
            .iter()
            .position(|x| *x == s)
            .map_or(s.to_string(), |i| t.outbox_statuses[i].to_string())
    };
    view! {
        <Title text=t.outbox_title/>
        <h1>{t.outbox_title}</h1>
        <p>{t.outbox_intro}</p>
        <ErrorSummary error/>
        {move || resent.get().map(|_| view! { <p class="notice notice-success" role="status">{t.done}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(AppError::Forbidden | AppError::Unauthorized) => view! { <p class="notice">{t.outbox_admins_only}</p> }.into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{lang.texts().load_failed}</p> }.into_any(),
                    Ok(p) => {
                        let current = status.get_untracked();
                        let selected = current.clone();
                        view! {
                            <Form method="get" action="/admin/posta">
                                <div class="inline-form">
                                    <label for="stare">{t.outbox_status}</label>
                                    <select id="stare" name="stare">
                                        <option value="">{t.outbox_all}</option>
                                        {p.counts.iter().map(|(s, n)| view! {
                                            <option value=s.clone() selected=selected.as_deref() == Some(s.as_str())>{format!("{} ({n})", label(s))}</option>
                                        }).collect_view()}
                                    </select>
                                    <button type="submit" class="button-secondary">{lang.staff().apply}</button>
                                </div>
                            </Form>
                            {if p.rows.is_empty() {
                                view! { <p>{t.outbox_empty}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap" tabindex="0" role="region" aria-label=t.outbox_title>
                                        <table>
                                            <caption class="visually-hidden">{t.outbox_title}</caption>
                                            <thead><tr>
                                                <th scope="col">{t.col_created}</th>
                                                <th scope="col">{t.col_to}</th>
                                                <th scope="col">{t.col_template}</th>
                                                <th scope="col">{t.col_subject}</th>
                                                <th scope="col">{t.outbox_status}</th>
                                                <th scope="col" class="num">{t.col_attempts}</th>
                                                <th scope="col">{t.col_error}</th>
                                            </tr></thead>
                                            <tbody>
                                                {p.rows.iter().map(|m| {
                                                    let dead = m.status == "dead";
                                                    let id = m.id.to_string();
                                                    view! {
                                                        <tr>
                                                            <td>{m.created_at.get(..16).unwrap_or_default().replace('T', " ")}</td>
                                                            <td>{m.to.clone()}</td>
                                                            <td>{m.template.clone()}</td>
                                                            <td>{m.subject.clone()}</td>
                                                            <td>{label(&m.status)}</td>
                                                            <td class="num">{m.attempts}</td>
                                                            <td>{m.last_error.clone().or(m.smtp_response.clone()).unwrap_or_default()}
                                                                {dead.then(|| view! {
                                                                    <ActionForm action=resend>
                                                                        <input type="hidden" name="id" value=id.clone()/>
                                                                        <button type="submit" class="button-secondary">{t.resend}<span class="visually-hidden">{format!(" #{id}")}</span></button>
                                                                    </ActionForm>
                                                                })}
                                                            </td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    {(p.page > 1 || p.has_next).then(|| view! {
                                        <nav class="pagination" aria-label=t.outbox_title>
                                            {(p.page > 1).then(|| view! { <a href=format!("/admin/posta?stare={}&pagina={}", current.clone().unwrap_or_default(), p.page - 1) rel="prev">{lang.staff().previous}</a> })}
                                            {p.has_next.then(|| view! { <a href=format!("/admin/posta?stare={}&pagina={}", current.clone().unwrap_or_default(), p.page + 1) rel="next">{lang.staff().next}</a> })}
                                        </nav>
                                    })}
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
