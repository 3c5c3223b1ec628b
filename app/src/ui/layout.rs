//! Header (portal and institution name, navigation, language switch, text size) and footer.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::app::{PortalResource, ViewerResource};
use super::prefs::use_prefs;
use crate::api::account::Logout;
use crate::i18n::Lang;
use crate::model::account::Viewer;

#[component]
pub fn Header() -> impl IntoView {
    let prefs = use_prefs();
    let t = prefs.texts();
    let portal = expect_context::<PortalResource>();
    let location = use_location();
    let here = move || {
        let path = location.pathname.get();
        let query = location.search.get();
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    };

    view! {
        <header class="site-header">
            <div class="container header-inner">
                <a class="brand" href="/">
                    <span class="brand-name">{t.portal_name}</span>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            portal.await.ok().map(|p| view! { <span class="brand-institution">{p.institution_name}</span> })
                        })}
                    </Suspense>
                </a>
                <div class="header-tools">
                    <nav class="lang-switch" aria-label=t.language>
                        <ul>
                            {Lang::ALL
                                .into_iter()
                                .map(|l| {
                                    let href = move || format!("/prefs/lang/{}?next={}", l.code(), urlencode(&here()));
                                    view! {
                                        <li>
                                            <a
                                                href=href
                                                hreflang=l.code()
                                                lang=l.code()
                                                aria-current=(l == prefs.lang).then_some("true")
                                                rel="nofollow"
                                            >
                                                {l.native_name()}
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </nav>
                    <TextSizeToggle next=Signal::derive(here)/>
                </div>
            </div>
            <nav class="main-nav" aria-label=t.main_navigation>
                <ul class="container">
                    <li><a href="/">{t.nav_home}</a></li>
                    <li><a href="/fluxuri">{match prefs.lang { Lang::Ro => "Termene", Lang::Ru => "Сроки", Lang::En => "Terms" }}</a></li>
                    <li><a href="/depune">{use_prefs().lang.filing().nav_file}</a></li>
                    <li><a href="/servicii">{use_prefs().lang.filing().services_title}</a></li>
                    <li><a href="/statistici">{use_prefs().lang.metrics().nav_public}</a></li>
                    <li><a href="/publicate">{use_prefs().lang.publication().nav}</a></li>
                    <li><a href="/accesibilitate">{t.nav_accessibility}</a></li>
                    <AccountNav/>
                </ul>
            </nav>
        </header>
    }
}

/// Login, or the account and logout when signed in.
#[component]
fn AccountNav() -> impl IntoView {
    let a = use_prefs().lang.account();
    let f = use_prefs().lang.filing();
    let viewer = expect_context::<ViewerResource>();
    let logout = ServerAction::<Logout>::new();
    super::account::forms::refresh_viewer_on_success(logout);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(Viewer::User(me)) => view! {
                        {(me.role != crate::model::account::Role::Citizen).then(|| view! {
                            <li class="nav-account"><a href="/birou">{use_prefs().lang.staff().nav_queue}</a></li>
                        })}
                        {matches!(me.role, crate::model::account::Role::Manager | crate::model::account::Role::Admin).then(|| view! {
                            <li><a href="/birou/indicatori">{use_prefs().lang.metrics().nav}</a></li>
                        })}
                        {(me.role == crate::model::account::Role::Admin).then(|| view! {
                            <li><a href="/admin/posta">{use_prefs().lang.desk().outbox_title}</a></li>
                            <li><a href="/admin/jurnal">{use_prefs().lang.audit().title}</a></li>
                            <li><a href="/admin/institutii">{use_prefs().lang.org_admin().nav}</a></li>
                            <li><a href="/admin/fluxuri">{use_prefs().lang.workflow_admin().nav}</a></li>
                            <li><a href="/admin/utilizatori">{use_prefs().lang.users_admin().nav}</a></li>
                            <li><a href="/admin/servicii">{use_prefs().lang.services_admin().nav}</a></li>
                            <li><a href="/admin/sabloane">{use_prefs().lang.templates().nav}</a></li>
                            <li><a href="/admin/calendare">{use_prefs().lang.calendar_admin().nav}</a></li>
                            <li><a href="/admin/categorii">{use_prefs().lang.categories().nav}</a></li>
                        })}
                        <li class:nav-account=me.role == crate::model::account::Role::Citizen><a href="/cazurile-mele">{f.nav_my_cases}</a></li>
                        <li><a href="/cont">{a.nav_account}</a></li>
                        <li>
                            <ActionForm action=logout>
                                <button type="submit" class="button-link">{a.logout}</button>
                            </ActionForm>
                        </li>
                    }.into_any(),
                    _ => view! {
                        <li class="nav-account"><a href="/autentificare">{a.nav_login}</a></li>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Enlarges the text. Without JavaScript it is a form the server answers by setting a cookie
/// and redirecting back; once hydrated it switches in place.
#[component]
pub fn TextSizeToggle(next: Signal<String>) -> impl IntoView {
    let prefs = use_prefs();
    let t = prefs.texts();
    let large = prefs.large_text;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let now_large = !large.get_untracked();
        large.set(now_large);
        #[cfg(feature = "hydrate")]
        super::prefs::apply_text_size(now_large);
    };
    view! {
        <form class="text-size" method="post" action="/prefs/text-size" on:submit=on_submit>
            <input type="hidden" name="large" value=move || if large.get() { "0" } else { "1" }/>
            <input type="hidden" name="next" value=next/>
            <button type="submit" class="button-secondary" aria-pressed=move || large.get().to_string()>
                <span aria-hidden="true">"A+ "</span>
                {t.larger_text}
            </button>
        </form>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let t = use_prefs().texts();
    let portal = expect_context::<PortalResource>();
    view! {
        <footer class="site-footer">
            <div class="container">
                <p>{t.footer_about}</p>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        portal.await.ok().map(|p| {
                            view! {
                                <p>
                                    {p.institution_name}
                                    {p.institution_email.map(|e| {
                                        let href = format!("mailto:{e}");
                                        view! { " · " <a href=href>{e}</a> }
                                    })}
                                </p>
                            }
                        })
                    })}
                </Suspense>
                <p><a href="/accesibilitate">{t.footer_accessibility}</a>" · "<a href="/confidentialitate">{use_prefs().lang.privacy().footer_link}</a></p>
            </div>
        </footer>
    }
}

/// Percent-encodes a path for use as a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn urlencode_keeps_paths_readable_and_escapes_the_rest() {
        assert_eq!(super::urlencode("/a/b"), "/a/b");
        assert_eq!(super::urlencode("/x?q=ș&y=1"), "/x%3Fq%3D%C8%99%26y%3D1");
    }
}
