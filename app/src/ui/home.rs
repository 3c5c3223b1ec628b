//! The public home page.

use leptos::prelude::*;
use leptos_meta::Title;

use super::app::PortalResource;
use super::prefs::use_prefs;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_prefs().texts();
    let f = use_prefs().lang.filing();
    let portal = expect_context::<PortalResource>();
    let kinds = [
        (t.kind_petition, t.kind_petition_help),
        (t.kind_complaint, t.kind_complaint_help),
        (t.kind_prior_complaint, t.kind_prior_complaint_help),
        (t.kind_information_request, t.kind_information_request_help),
    ];

    view! {
        <Title text=""/>
        <section class="hero" aria-labelledby="home-heading">
            <h1 id="home-heading">{t.home_heading}</h1>
            <p class="lead">{t.home_intro}</p>
            <p><a class="button" href="/depune">{f.nav_file}</a></p>
            // A plain GET form: the tracking page opens with the number filled in.
            <form class="search-number" method="get" action="/urmarire">
                <label for="registration_number">{f.search_number}</label>
                <div class="inline-form">
                    <input type="search" id="registration_number" name="registration_number" placeholder="CHI-2026-000123"/>
                    <button type="submit" class="button-secondary">{f.search_button}</button>
                </div>
            </form>
        </section>

        <section aria-labelledby="what-heading">
            <h2 id="what-heading">{t.home_what_heading}</h2>
            <ul class="card-list">
                {kinds
                    .into_iter()
                    .map(|(name, help)| {
                        view! {
                            <li class="card">
                                <h3>{name}</h3>
                                <p>{help}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>

        <section aria-labelledby="terms-heading">
            <h2 id="terms-heading">{t.home_terms_heading}</h2>
            <p>{t.home_terms_text}</p>
        </section>

        <section aria-labelledby="departments-heading">
            <h2 id="departments-heading">{t.home_departments_heading}</h2>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match portal.await {
                        Ok(info) => {
                            view! {
                                <p class="institution-name">{info.institution_name}</p>
                                <ul class="department-list">
                                    {info
                                        .departments
                                        .into_iter()
                                        .map(|d| view! { <li data-id=d.id>{d.name}</li> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(_) => view! { <p class="notice">{t.load_failed}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
