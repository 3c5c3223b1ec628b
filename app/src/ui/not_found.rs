use leptos::prelude::*;
use leptos_meta::Title;

use super::prefs::use_prefs;

/// The page for unknown addresses; answers with HTTP 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    let t = use_prefs().texts();
    view! {
        <Title text=t.not_found_title/>
        <h1>{t.not_found_title}</h1>
        <p>{t.not_found_text}</p>
        <p><a href="/">{t.back_home}</a></p>
    }
}
