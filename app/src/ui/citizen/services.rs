//! `/servicii`: the city's service registry, searchable by anyone (a plain GET form), each
//! service with a link to file a petition about it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::portal::list_services;
use crate::ui::prefs::use_prefs;

#[component]
pub fn ServicesPage() -> impl IntoView {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let f = lang.filing();
    let query = use_query_map();
    let q = move || query.with(|q| q.get("q")).filter(|s| !s.trim().is_empty());
    let services = Resource::new(move || (lang, q()), |(lang, q)| list_services(lang, q));
    view! {
        <Title text=f.services_title/>
        <h1>{f.services_title}</h1>
        <p>{f.services_intro}</p>
        <form method="get" action="/servicii" role="search" class="search-inline">
            <label for="q">{f.services_search}</label>
            <input type="search" id="q" name="q" value=q/>
            <button type="submit" class="button-secondary">{f.search_button}</button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match services.await {
                    Ok(list) if list.is_empty() => view! { <p role="status">{f.services_none}</p> }.into_any(),
                    Ok(list) => view! {
                        <p role="status">{f.services_count.replace("{n}", &list.len().to_string())}</p>
                        <div class="table-wrap">
                            <table>
                                <caption class="visually-hidden">{f.services_title}</caption>
                                <thead><tr>
                                    <th scope="col">{f.service}</th>
                                    <th scope="col">{f.services_provider}</th>
                                    <th scope="col">{f.services_area}</th>
                                    <th scope="col"><span class="visually-hidden">{f.nav_file}</span></th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|s| view! {
                                        <tr>
                                            <td>{s.name.clone()}</td>
                                            <td>{s.provider.clone()}{s.private.then(|| format!(" ({})", f.services_private))}</td>
                                            <td>{s.area.clone().unwrap_or_else(|| f.service_city_wide.to_string())}</td>
                                            <td><a href=format!("/depune?serviciu={}", s.id)>{f.services_file}<span class="visually-hidden">{format!(": {}", s.name)}</span></a></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(_) => view! { <p class="notice notice-warning">{prefs.texts().load_failed}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
