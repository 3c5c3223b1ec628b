//! "My petitions": the signed-in user's own cases, newest first.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::filing::my_cases;
use crate::ui::prefs::use_prefs;

#[component]
pub fn MyCasesPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let f = lang.filing();
    let a = lang.account();
    let cases = Resource::new(|| (), |_| my_cases(None));
    view! {
        <Title text=f.my_cases_title/>
        <h1>{f.my_cases_title}</h1>
        <p><a class="button" href="/depune">{f.nav_file}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(page) if page.items.is_empty() => view! { <p>{f.my_cases_empty}</p> }.into_any(),
                    Ok(page) => view! {
                        <div class="table-wrap">
                            <table>
                                <caption class="visually-hidden">{f.my_cases_title}</caption>
                                <thead><tr>
                                    <th scope="col">{f.col_number}</th>
                                    <th scope="col">{f.col_subject}</th>
                                    <th scope="col">{f.col_status}</th>
                                    <th scope="col">{f.col_due}</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|c| view! {
                                        <tr>
                                            <td><a href=format!("/cazuri/{}", c.id)>{c.registration_number}</a></td>
                                            <td>{c.subject}</td>
                                            <td>{c.status_label}</td>
                                            <td>
                                                {c.answer_due.unwrap_or_default()}
                                                {c.overdue.then(|| view! { " " <span class="tag tag-bad">{f.overdue}</span> })}
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(_) => view! {
                        <p class="notice">{a.must_login}" "<a href="/autentificare?next=/cazurile-mele">{a.login_title}</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
