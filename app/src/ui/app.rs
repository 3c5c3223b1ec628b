//! The HTML shell and the router.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use super::accessibility::AccessibilityPage;
use super::home::HomePage;
use super::layout::{Footer, Header};
use super::not_found::NotFound;
use super::prefs::{self, Prefs};
use super::workflows::{WorkflowPage, WorkflowsPage};
use crate::api::portal::get_portal_info;
use crate::model::AppError;
use crate::model::portal::PortalInfo;

/// The document around the application, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let (lang, large) = prefs::current();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() data-text=if large { "large" } else { "normal" }>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The portal's institution, loaded once per page and shared by header, footer and pages.
pub type PortalResource = Resource<Result<PortalInfo, AppError>>;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let (lang, large) = prefs::current();
    let prefs = Prefs {
        lang,
        large_text: RwSignal::new(large),
    };
    provide_context(prefs);
    let portal: PortalResource = Resource::new(move || lang, get_portal_info);
    provide_context(portal);
    let t = lang.texts();

    view! {
        <Stylesheet id="leptos" href="/pkg/petitio.css"/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Meta name="description" content=t.portal_tagline/>
        <Title formatter=move |page: String| {
            if page.is_empty() { t.portal_name.to_string() } else { format!("{page} · {}", t.portal_name) }
        }/>
        <Router>
            <a class="skip-link" href="#main">{t.skip_to_content}</a>
            <Header/>
            <main id="main" tabindex="-1" class="container">
                // Async: the whole page is rendered before it is sent, so it reads complete
                // without JavaScript and to any client that does not run scripts.
                <Routes fallback=NotFound>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/accesibilitate") view=AccessibilityPage ssr=SsrMode::Async/>
                    <Route path=path!("/fluxuri") view=WorkflowsPage ssr=SsrMode::Async/>
                    <Route path=path!("/fluxuri/:name") view=WorkflowPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
