//! The account page: who is signed in, password change, logout here or everywhere.

use leptos::prelude::*;
use leptos_meta::Title;

use super::forms::{ErrorSummary, TextField, action_error, query_flag, refresh_viewer_on_success};
use crate::api::account::{ChangePassword, Logout, LogoutEverywhere};
use crate::model::account::{Role, Viewer};
use crate::ui::app::ViewerResource;
use crate::ui::prefs::use_prefs;

pub fn role_name(role: Role, a: &crate::i18n::account::AccountTexts) -> &'static str {
    match role {
        Role::Citizen => a.role_citizen,
        Role::Officer => a.role_officer,
        Role::Manager => a.role_manager,
        Role::Admin => a.role_admin,
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let a = use_prefs().lang.account();
    let viewer = expect_context::<ViewerResource>();
    let change = ServerAction::<ChangePassword>::new();
    let error = action_error(change);
    let changed = query_flag("parola");
    let logout_all = ServerAction::<LogoutEverywhere>::new();
    let logout = ServerAction::<Logout>::new();
    refresh_viewer_on_success(logout);
    refresh_viewer_on_success(logout_all);
    view! {
        <Title text=a.account_title/>
        <h1>{a.account_title}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(Viewer::User(me)) => view! {
                        {move || changed.get().map(|_| view! { <p class="notice notice-success" role="status">{a.password_changed}</p> })}
                        <dl class="summary-list">
                            <dt>{a.account_signed_in_as}</dt>
                            <dd>{me.full_name.clone()}" ("{me.email.clone()}")"</dd>
                            <dt>{a.account_role}</dt>
                            <dd>{role_name(me.role, a)}</dd>
                        </dl>
                        <section aria-labelledby="change-password">
                            <h2 id="change-password">{a.change_password_title}</h2>
                            <ErrorSummary error/>
                            <ActionForm action=change attr:novalidate=true>
                                <TextField name="current_password" label=a.current_password kind="password" autocomplete="current-password" error/>
                                <TextField name="new_password" label=a.new_password kind="password" autocomplete="new-password" hint=a.password_hint error/>
                                <div class="actions"><button type="submit">{a.submit_change_password}</button></div>
                            </ActionForm>
                        </section>
                        {(me.role != Role::Citizen).then(|| view! { <super::mail_preference::MailPreferenceSection/> })}
                        <super::data_rights::DataRightsSection/>
                        <section aria-labelledby="sessions">
                            <h2 id="sessions">{a.sessions_title}</h2>
                            <p>{a.sessions_text}</p>
                            <div class="actions">
                                <ActionForm action=logout attr:novalidate=true>
                                    <button type="submit" class="button-secondary">{a.logout}</button>
                                </ActionForm>
                                <ActionForm action=logout_all attr:novalidate=true>
                                    <button type="submit" class="button-warning">{a.logout_everywhere}</button>
                                </ActionForm>
                            </div>
                        </section>
                    }.into_any(),
                    _ => view! {
                        <p class="notice">{a.must_login}" "<a href="/autentificare?next=/cont">{a.login_title}</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
