//! Server functions of the account pages. Each works from a plain HTML form too: on success it
//! redirects (303) to the next page, on failure back to the form with the error.

use leptos::prelude::*;

use crate::model::AppError;
use crate::model::account::Viewer;
use crate::model::case::CaseView;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::backend::AppState;
    use crate::backend::auth::request::{client_of, principal_of};
    use crate::backend::auth::{ClientInfo, Principal, sessions};
    use crate::model::AppError;
    use leptos::prelude::*;

    pub struct Ctx {
        pub state: AppState,
        pub principal: Option<Principal>,
        pub client: ClientInfo,
    }

    pub fn ctx() -> Result<Ctx, AppError> {
        let state = crate::api::state()?;
        let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
        Ok(Ctx {
            principal: principal_of(&parts),
            client: client_of(&parts, state.config.trust_forwarded_for),
            state,
        })
    }

    /// Sets (or clears) the session cookie on the answer.
    pub fn set_session_cookie(token: Option<&str>, production: bool) {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>()
            && let Ok(v) = http::HeaderValue::from_str(&sessions::cookie(token, production))
        {
            res.append_header(http::header::SET_COOKIE, v);
        }
    }

    /// A path on this site only (no open redirects).
    pub fn local_path(next: &str, fallback: &str) -> String {
        if crate::backend::auth::request::is_local_path(next) {
            next.to_string()
        } else {
            fallback.to_string()
        }
    }
}

/// Who is looking at the page.
#[server(endpoint = "viewer")]
pub async fn get_viewer() -> Result<Viewer, AppError> {
    use crate::backend::auth::{Principal, accounts};
    let c = ssr::ctx()?;
    Ok(match c.principal {
        None => Viewer::Anonymous,
        Some(Principal::User(a)) => Viewer::User(accounts::me(&a)),
        Some(Principal::CaseLink { case_id, .. }) => Viewer::CaseLink { case_id },
    })
}

#[server(endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::backend::auth::accounts;
    use crate::model::account::LoginForm;
    let c = ssr::ctx()?;
    let (_, token) = accounts::login(
        &c.state.db,
        &c.state.config,
        LoginForm { email, password },
        &c.client,
    )
    .await?;
    ssr::set_session_cookie(Some(&token), c.state.config.production);
    leptos_axum::redirect(&ssr::local_path(next.as_deref().unwrap_or(""), "/cont"));
    Ok(())
}

#[server(endpoint = "register")]
pub async fn register(full_name: String, email: String, password: String) -> Result<(), AppError> {
    use crate::backend::auth::accounts;
    use crate::model::account::RegisterForm;
    let c = ssr::ctx()?;
    let (lang, _) = crate::ui::prefs::current();
    accounts::register(
        &c.state.db,
        &c.state.config,
        RegisterForm {
            full_name,
            email,
            password,
        },
        lang,
        &c.client,
    )
    .await?;
    leptos_axum::redirect("/inregistrare?trimis=1");
    Ok(())
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::backend::auth::accounts;
    let c = ssr::ctx()?;
    if let Some(p) = &c.principal {
        accounts::logout(&c.state.db, p).await?;
    }
    ssr::set_session_cookie(None, c.state.config.production);
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "logout_everywhere")]
pub async fn logout_everywhere() -> Result<(), AppError> {
    use crate::backend::auth::access::require_account;
    use crate::backend::auth::accounts;
    let c = ssr::ctx()?;
    let account = require_account(c.principal.as_ref())?;
    accounts::logout_everywhere(&c.state.db, account).await?;
    ssr::set_session_cookie(None, c.state.config.production);
    leptos_axum::redirect("/autentificare");
    Ok(())
}

#[server(endpoint = "forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    use crate::backend::auth::accounts;
    use crate::model::account::EmailForm;
    let c = ssr::ctx()?;
    accounts::request_password_reset(&c.state.db, &c.state.config, EmailForm { email }, &c.client)
        .await?;
    leptos_axum::redirect("/parola/uitata?trimis=1");
    Ok(())
}

#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use crate::backend::auth::accounts;
    use crate::model::account::NewPasswordForm;
    let c = ssr::ctx()?;
    accounts::reset_password(&c.state.db, NewPasswordForm { token, password }).await?;
    leptos_axum::redirect("/autentificare?parola=1");
    Ok(())
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use crate::backend::auth::access::require_account;
    use crate::backend::auth::accounts;
    use crate::model::account::ChangePasswordForm;
    let c = ssr::ctx()?;
    let account = require_account(c.principal.as_ref())?;
    accounts::change_password(
        &c.state.db,
        account,
        ChangePasswordForm {
            current_password,
            new_password,
        },
    )
    .await?;
    leptos_axum::redirect("/cont?parola=1");
    Ok(())
}

/// The signed-in staff member's mail preference.
#[server(endpoint = "mail_preference")]
pub async fn get_mail_preference() -> Result<crate::model::account::MailPreference, AppError> {
    use crate::backend::auth::access::require_account;
    use crate::backend::staff_digest;
    let c = ssr::ctx()?;
    let account = require_account(c.principal.as_ref())?;
    staff_digest::preference(&c.state.db, account).await
}

/// Saves the staff member's mail preference (`digest_hour` as the form sends it: text).
#[server(endpoint = "set_mail_preference")]
pub async fn set_mail_preference(mode: String, digest_hour: String) -> Result<(), AppError> {
    use crate::backend::auth::access::require_account;
    use crate::backend::staff_digest;
    use crate::model::account::MailPreference;
    let c = ssr::ctx()?;
    let account = require_account(c.principal.as_ref())?;
    let digest_hour = digest_hour
        .trim()
        .parse::<u8>()
        .map_err(|_| AppError::field("digest_hour", "hour_range"))?;
    staff_digest::set_preference(
        &c.state.db,
        account,
        MailPreference { mode, digest_hour },
        chrono::Utc::now(),
    )
    .await?;
    leptos_axum::redirect("/cont?posta=1");
    Ok(())
}

#[server(endpoint = "request_case_link")]
pub async fn request_case_link(registration_number: String, email: String) -> Result<(), AppError> {
    use crate::backend::auth::magic_links::{self, LinkRequestForm};
    let c = ssr::ctx()?;
    magic_links::request(
        &c.state.db,
        &c.state.config,
        LinkRequestForm {
            registration_number,
            email,
        },
        &c.client,
    )
    .await?;
    leptos_axum::redirect("/urmarire?trimis=1");
    Ok(())
}

/// One case, if the viewer may see it.
#[server(endpoint = "case")]
pub async fn get_case(id: i64) -> Result<CaseView, AppError> {
    let c = ssr::ctx()?;
    let (lang, _) = crate::ui::prefs::current();
    crate::backend::cases::get_case(&c.state.db, c.principal.as_ref(), id, lang).await
}

/// Fires a workflow transition on a case with the fields its form carries (the answer, its
/// outcome and files, a reason, a target institution, an officer…), then shows the case again.
/// Field errors come back named `{transition}-{field}`, the ids of that form's inputs (a page
/// holds one form per transition).
#[server(endpoint = "act_on_case", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn act_on_case(data: leptos::server_fn::codec::MultipartData) -> Result<(), AppError> {
    use crate::backend::case_actions::{self, ActRequest};
    let c = ssr::ctx()?;
    let multipart = data.into_inner().ok_or(AppError::Internal)?;
    let form = crate::backend::multipart_form::read(multipart).await?;
    let case_id: i64 = form
        .text("case_id")
        .parse()
        .map_err(|_| AppError::BadRequest("case_id".into()))?;
    let transition = form.text("transition");
    let expected_version = form.text("expected_version").parse::<i32>().ok();
    let scoped = |e: AppError| match e {
        AppError::Validation { message, fields } => AppError::Validation {
            message,
            fields: fields
                .into_iter()
                .map(|(k, v)| (format!("{transition}-{k}"), v))
                .collect(),
        },
        other => other,
    };
    let input = case_actions::input_from_form(&form, &transition).map_err(scoped)?;
    case_actions::act(
        &c.state.db,
        &c.state.config,
        c.principal.as_ref(),
        case_id,
        ActRequest {
            transition: transition.clone(),
            input,
            expected_version,
        },
        form.files,
    )
    .await
    .map_err(scoped)?;
    leptos_axum::redirect(&format!("/cazuri/{case_id}?gata={transition}"));
    Ok(())
}

/// The petitioner rates the answer (1–5, optional comment).
#[server(endpoint = "rate_case")]
pub async fn rate_case(
    case_id: i64,
    score: Option<i32>,
    comment: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::rating::{self, RatingInput};
    let c = ssr::ctx()?;
    rating::rate(
        &c.state.db,
        c.principal.as_ref(),
        case_id,
        RatingInput {
            score: score.unwrap_or(0),
            comment,
        },
    )
    .await?;
    leptos_axum::redirect(&format!("/cazuri/{case_id}"));
    Ok(())
}
