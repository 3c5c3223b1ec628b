//! The HTML shell and the router.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use super::accessibility::AccessibilityPage;
use super::account::login::{ForgotPasswordPage, LoginPage, RegisterPage, ResetPasswordPage};
use super::account::my_account::AccountPage;
use super::account::track::{CasePage, TrackPage};
use super::admin::audit::AuditPage;
use super::admin::calendars::CalendarsPage;
use super::admin::categories::CategoriesPage;
use super::admin::institutions::{InstitutionPage, InstitutionsPage};
use super::admin::outbox::OutboxPage;
use super::admin::services::{ServiceAdminPage, ServicesAdminPage};
use super::admin::templates::{TemplatePage, TemplatesPage};
use super::admin::users::{UserPage, UsersPage};
use super::admin::workflows::WorkflowAdminPage;
use super::citizen::file::{ConfirmFilingPage, FilePage, RegisterOnBehalfPage};
use super::citizen::my_cases::MyCasesPage;
use super::citizen::services::ServicesPage;
use super::home::HomePage;
use super::layout::{Footer, Header};
use super::not_found::NotFound;
use super::prefs::{self, Prefs};
use super::privacy::PrivacyPage;
use super::published::{PublishedCasePage, PublishedListPage};
use super::staff::canned::CannedAnswersPage;
use super::staff::dashboard::DashboardPage;
use super::staff::publication::PublicationPage;
use super::staff::queue::QueuePage;
use super::statistics::PublicStatisticsPage;
use super::workflows::{WorkflowPage, WorkflowsPage};
use crate::api::account::get_viewer;
use crate::api::portal::get_portal_info;
use crate::model::AppError;
use crate::model::account::Viewer;
use crate::model::portal::PortalInfo;

/// The document around the application, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
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

/// Who is looking (anonymous, a user, a tracking-link holder), loaded once per page.
pub type ViewerResource = Resource<Result<Viewer, AppError>>;

/// Changes when the session changes in the browser (login, logout).
#[derive(Clone, Copy)]
pub struct AuthVersion(pub RwSignal<u32>);

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let (lang, large) = prefs::current();
    let prefs = Prefs {
        lang,
        large_text: RwSignal::new(large),
    };
    provide_context(prefs);
    // Boxed, as the queue page's resources are (staff/queue.rs).
    let portal: PortalResource =
        Resource::new(move || lang, |lang| Box::pin(get_portal_info(lang)));
    provide_context(portal);
    // Bumped when a login or logout succeeds, so that the header and pages see the new session
    // after the client-side navigation that follows.
    let auth_version = AuthVersion(RwSignal::new(0));
    provide_context(auth_version);
    let viewer: ViewerResource =
        Resource::new(move || auth_version.0.get(), |_| Box::pin(get_viewer()));
    provide_context(viewer);
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
                    <Route path=path!("/autentificare") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/inregistrare") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/parola/uitata") view=ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/parola/noua") view=ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/cont") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/urmarire") view=TrackPage ssr=SsrMode::Async/>
                    <Route path=path!("/cazuri/:id") view=CasePage ssr=SsrMode::Async/>
                    <Route path=path!("/cazuri/:id/publicare") view=PublicationPage ssr=SsrMode::Async/>
                    <Route path=path!("/publicate") view=PublishedListPage ssr=SsrMode::Async/>
                    <Route path=path!("/publicate/:id") view=PublishedCasePage ssr=SsrMode::Async/>
                    <Route path=path!("/confidentialitate") view=PrivacyPage ssr=SsrMode::Async/>
                    <Route path=path!("/depune") view=FilePage ssr=SsrMode::Async/>
                    <Route path=path!("/depune/confirmati") view=ConfirmFilingPage ssr=SsrMode::Async/>
                    <Route path=path!("/birou") view=QueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/posta") view=OutboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/jurnal") view=AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/institutii") view=InstitutionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/institutii/:id") view=InstitutionPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/fluxuri") view=WorkflowAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/utilizatori") view=UsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/servicii") view=ServicesAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/servicii/:id") view=ServiceAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/utilizatori/:id") view=UserPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/sabloane") view=TemplatesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/calendare") view=CalendarsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/categorii") view=CategoriesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/sabloane/:template/:lang") view=TemplatePage ssr=SsrMode::Async/>
                    <Route path=path!("/birou/inregistrare") view=RegisterOnBehalfPage ssr=SsrMode::Async/>
                    <Route path=path!("/birou/raspunsuri-tip") view=CannedAnswersPage ssr=SsrMode::Async/>
                    <Route path=path!("/birou/indicatori") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/servicii") view=ServicesPage ssr=SsrMode::Async/>
                    <Route path=path!("/statistici") view=PublicStatisticsPage ssr=SsrMode::Async/>
                    <Route path=path!("/cazurile-mele") view=MyCasesPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

/// The page's Content-Security-Policy: scripts from this site plus the inline hydration script
/// carrying this response's nonce, WebAssembly, styles from this site only, no framing.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    // Development only: the live-reload socket of `cargo leptos watch`.
    let dev = use_context::<crate::backend::AppState>().is_some_and(|s| !s.config.production);
    let connect = if dev {
        " ws://127.0.0.1:* ws://localhost:*"
    } else {
        ""
    };
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'{connect}; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(v) = http::HeaderValue::from_str(&csp) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
    }
}
