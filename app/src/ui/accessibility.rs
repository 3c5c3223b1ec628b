//! The accessibility statement required of public-sector sites (Directive (EU) 2016/2102),
//! with the way to report an accessibility problem.

use leptos::prelude::*;
use leptos_meta::Title;

use super::app::PortalResource;
use super::prefs::use_prefs;

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let t = use_prefs().texts();
    let portal = expect_context::<PortalResource>();
    view! {
        <Title text=t.a11y_title/>
        <h1>{t.a11y_title}</h1>
        <p>{t.a11y_intro}</p>
        <h2>{t.a11y_status_heading}</h2>
        <p>{t.a11y_status_text}</p>
        <h2 id="feedback">{t.a11y_feedback_heading}</h2>
        <p>{t.a11y_feedback_text}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                portal.await.ok().and_then(|p| p.institution_email).map(|e| {
                    let href = format!("mailto:{e}?subject=Accesibilitate");
                    view! { <p><a href=href>{e}</a></p> }
                })
            })}
        </Suspense>
        <h2>{t.a11y_enforcement_heading}</h2>
        <p>{t.a11y_enforcement_text}</p>
    }
}
