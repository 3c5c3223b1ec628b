//! The privacy notice (`/confidentialitate`): what personal data is kept, why, for how long,
//! the data subject's rights and where to complain, with the institution's contact.

use leptos::prelude::*;
use leptos_meta::Title;

use super::app::PortalResource;
use super::prefs::use_prefs;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let p = use_prefs().lang.privacy();
    let portal = expect_context::<PortalResource>();
    view! {
        <Title text=p.title/>
        <h1>{p.title}</h1>
        <p class="lead">{p.intro}</p>
        {p.sections.iter().map(|(heading, paragraphs)| view! {
            <h2>{*heading}</h2>
            {paragraphs.iter().map(|x| view! { <p>{*x}</p> }).collect_view()}
        }).collect_view()}
        <h2 id="contact">{p.contact_heading}</h2>
        <p>{p.contact_text}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                portal.await.ok().map(|info| {
                    let email = info.institution_email.map(|e| {
                        let href = format!("mailto:{e}");
                        view! { " · " <a href=href>{e}</a> }
                    });
                    view! { <p>{info.institution_name}{email}</p> }
                })
            })}
        </Suspense>
    }
}
