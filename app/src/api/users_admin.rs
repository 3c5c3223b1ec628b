//! Server functions of `/admin/utilizatori`: the staff list, invitations, roles, deactivation
//! and password links (see `backend::users_admin`). The forms post here without JavaScript;
//! after a change the user's page is shown again with a notice. The invitation form shares its
//! page with the list's filters, so its field errors come back named after its inputs
//! (`i-email`, …).

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::model::AppError;
use crate::model::users_admin::{
    GrantRow, InviteInput, StaffUserDetail, UserFilter, UsersOverview,
};

#[cfg(feature = "ssr")]
use super::scoped;

/// The user's page again, with a notice (`flag`) and at a section (`anchor`).
#[cfg(feature = "ssr")]
fn back_to(id: i64, flag: &str, anchor: &str) {
    leptos_axum::redirect(&format!("/admin/utilizatori/{id}?{flag}=1#{anchor}"));
}

/// A page of the staff list with the forms' choices.
#[server(endpoint = "admin_users")]
pub async fn admin_users(
    #[server(default)] filter: UserFilter,
    lang: Lang,
) -> Result<UsersOverview, AppError> {
    let state = super::state()?;
    crate::backend::users_admin::overview(&state.db, super::principal()?.as_ref(), &filter, lang)
        .await
}

/// A staff user with the role editor's choices.
#[server(endpoint = "admin_user")]
pub async fn admin_user(id: i64, lang: Lang) -> Result<StaffUserDetail, AppError> {
    let state = super::state()?;
    crate::backend::users_admin::detail(&state.db, super::principal()?.as_ref(), id, lang).await
}

/// Invites a staff member, then shows their page.
#[server(endpoint = "invite_user")]
pub async fn invite_user(form: InviteInput) -> Result<(), AppError> {
    let state = super::state()?;
    let id = crate::backend::users_admin::invite(
        &state.db,
        &state.config,
        super::principal()?.as_ref(),
        &form,
    )
    .await
    .map_err(|e| scoped("i-", e))?;
    back_to(id, "invitat", "account-title");
    Ok(())
}

/// Replaces a user's staff roles with the editor's rows.
#[server(endpoint = "save_user_roles")]
pub async fn save_user_roles(
    id: i64,
    #[server(default)] grants: Vec<GrantRow>,
) -> Result<(), AppError> {
    let state = super::state()?;
    crate::backend::users_admin::set_roles(&state.db, super::principal()?.as_ref(), id, &grants)
        .await?;
    back_to(id, "salvat", "roles-title");
    Ok(())
}

/// Deactivates (`active` false: every session of theirs ends) or reactivates a user.
#[server(endpoint = "set_user_active")]
pub async fn set_user_active(id: i64, active: bool) -> Result<(), AppError> {
    let state = super::state()?;
    crate::backend::users_admin::set_active(
        &state.db,
        super::principal()?.as_ref(),
        id,
        active,
        crate::ui::prefs::current().0,
    )
    .await?;
    back_to(
        id,
        if active { "reactivat" } else { "dezactivat" },
        "access-title",
    );
    Ok(())
}

/// Mails a user a link to choose a password (the invitation again while they have none).
#[server(endpoint = "send_user_password_link")]
pub async fn send_user_password_link(id: i64) -> Result<(), AppError> {
    let state = super::state()?;
    crate::backend::users_admin::send_password_link(
        &state.db,
        &state.config,
        super::principal()?.as_ref(),
        id,
    )
    .await?;
    back_to(id, "trimis", "password-title");
    Ok(())
}
