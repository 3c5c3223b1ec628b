//! Login, registration and password pages.

use leptos::prelude::*;
use leptos_meta::Title;

use super::forms::{ErrorSummary, TextField, action_error, query_flag, refresh_viewer_on_success};
use crate::api::account::{ForgotPassword, Login, Register, ResetPassword};
use crate::ui::prefs::use_prefs;

#[component]
pub fn LoginPage() -> impl IntoView {
    let a = use_prefs().lang.account();
    let action = ServerAction::<Login>::new();
    refresh_viewer_on_success(action);
    let error = action_error(action);
    let confirmed = query_flag("confirmat");
    let password_set = query_flag("parola");
    let next = query_flag("next");
    view! {
        <Title text=a.login_title/>
        <div class="narrow">
            <ErrorSummary error/>
            <h1>{a.login_title}</h1>
            {move || match confirmed.get().as_deref() {
                Some("1") => Some(view! { <p class="notice notice-success" role="status">{a.verified_ok}</p> }.into_any()),
                Some(_) => Some(view! { <p class="notice notice-warning" role="status">{a.verified_bad}</p> }.into_any()),
                None => None,
            }}
            {move || password_set.get().map(|_| view! { <p class="notice notice-success" role="status">{a.password_set}</p> })}
            <p>{a.login_intro}</p>
            <ActionForm action attr:novalidate=true>
                <input type="hidden" name="next" value=move || next.get().unwrap_or_default()/>
                <TextField name="email" label=a.email kind="email" autocomplete="username" error/>
                <TextField name="password" label=a.password kind="password" autocomplete="current-password" error/>
                <div class="actions">
                    <button type="submit">{a.submit_login}</button>
                    <a href="/parola/uitata">{a.forgot_link}</a>
                </div>
            </ActionForm>
            <p>{a.no_account}" "<a href="/inregistrare">{a.register_title}</a></p>
        </div>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let a = use_prefs().lang.account();
    let action = ServerAction::<Register>::new();
    let error = action_error(action);
    let sent = query_flag("trimis");
    view! {
        <Title text=a.register_title/>
        <div class="narrow">
            <h1>{a.register_title}</h1>
            {move || if sent.get().is_some() {
                view! { <div class="panel-confirmation" role="status"><p>{a.register_sent}</p></div> }.into_any()
            } else {
                view! {
                    <ErrorSummary error/>
                    <p>{a.register_intro}</p>
                    <ActionForm action attr:novalidate=true>
                        <TextField name="full_name" label=a.full_name autocomplete="name" error/>
                        <TextField name="email" label=a.email kind="email" autocomplete="email" hint=a.email_hint error/>
                        <TextField name="password" label=a.password kind="password" autocomplete="new-password" hint=a.password_hint error/>
                        <div class="actions">
                            <button type="submit">{a.submit_register}</button>
                        </div>
                    </ActionForm>
                    <p>{a.have_account}" "<a href="/autentificare">{a.login_title}</a></p>
                }.into_any()
            }}
        </div>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let a = use_prefs().lang.account();
    let action = ServerAction::<ForgotPassword>::new();
    let error = action_error(action);
    let sent = query_flag("trimis");
    view! {
        <Title text=a.forgot_title/>
        <div class="narrow">
            <ErrorSummary error/>
            <h1>{a.forgot_title}</h1>
            {move || sent.get().map(|_| view! { <p class="notice notice-success" role="status">{a.forgot_sent}</p> })}
            <p>{a.forgot_intro}</p>
            <ActionForm action attr:novalidate=true>
                <TextField name="email" label=a.email kind="email" autocomplete="email" error/>
                <div class="actions">
                    <button type="submit">{a.submit_forgot}</button>
                </div>
            </ActionForm>
        </div>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let a = use_prefs().lang.account();
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    let token = query_flag("token");
    view! {
        <Title text=a.reset_title/>
        <div class="narrow">
            <ErrorSummary error/>
            <h1>{a.reset_title}</h1>
            <p>{a.reset_intro}</p>
            <ActionForm action attr:novalidate=true>
                <input type="hidden" name="token" value=move || token.get().unwrap_or_default()/>
                <TextField name="password" label=a.new_password kind="password" autocomplete="new-password" hint=a.password_hint error/>
                <div class="actions">
                    <button type="submit">{a.submit_reset}</button>
                </div>
            </ActionForm>
            <p><a href="/parola/uitata">{a.forgot_title}</a></p>
        </div>
    }
}
