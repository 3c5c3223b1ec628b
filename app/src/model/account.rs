//! Accounts as the browser sees them: roles, the signed-in user, the account forms.

use serde::{Deserialize, Serialize};
use validator::Validate;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Citizen,
    Officer,
    Manager,
    Admin,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::Officer => "officer",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "citizen" => Some(Role::Citizen),
            "officer" => Some(Role::Officer),
            "manager" => Some(Role::Manager),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// One role held in a scope: an institution (or the installation, for an admin without one),
/// optionally narrowed to a department.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Grant {
    pub role: Role,
    pub institution_id: Option<i64>,
    pub department_id: Option<i64>,
}

/// The signed-in user, for the header and the account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub full_name: String,
    pub email_verified: bool,
    /// The main role (`admin` over `manager` over `officer` over `citizen`).
    pub role: Role,
    pub grants: Vec<Grant>,
}

/// Who is looking at the page: nobody, a user, or the holder of one case's tracking link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Viewer {
    Anonymous,
    User(Me),
    CaseLink { case_id: i64 },
}

/// A person's name is plain text on one line: no control characters (line breaks, tabs, NUL)
/// and no invisible direction marks or overrides, which would end up in mail headers and
/// could make a name read backwards on a page.
pub fn plain_name(name: &str) -> Result<(), validator::ValidationError> {
    let hostile = |c: char| {
        c.is_control()
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if name.chars().any(hostile) {
        Err(validator::ValidationError::new("full_name_chars"))
    } else {
        Ok(())
    }
}

pub const PASSWORD_MIN: u64 = 10;
pub const PASSWORD_MAX: u64 = 128;

#[derive(Clone, Debug, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RegisterForm {
    #[validate(
        length(min = 2, max = 200, code = "full_name_length"),
        custom(function = "plain_name")
    )]
    pub full_name: String,
    #[validate(
        email(code = "email_invalid"),
        length(max = 254, code = "email_invalid")
    )]
    pub email: String,
    #[validate(length(min = 10, max = 128, code = "password_length"))]
    pub password: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginForm {
    #[validate(
        email(code = "email_invalid"),
        length(max = 254, code = "email_invalid")
    )]
    pub email: String,
    #[validate(length(min = 1, max = 128, code = "password_required"))]
    pub password: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EmailForm {
    #[validate(
        email(code = "email_invalid"),
        length(max = 254, code = "email_invalid")
    )]
    pub email: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewPasswordForm {
    #[validate(length(min = 1, max = 200, code = "token_invalid"))]
    pub token: String,
    #[validate(length(min = 10, max = 128, code = "password_length"))]
    pub password: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChangePasswordForm {
    #[validate(length(min = 1, max = 128, code = "password_required"))]
    pub current_password: String,
    #[validate(length(min = 10, max = 128, code = "password_length"))]
    pub new_password: String,
}

/// How a staff member gets their mail about cases: each at once, or one digest a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MailPreference {
    /// `immediate` or `digest`.
    pub mode: String,
    /// The local hour (0-23) the digest is sent.
    pub digest_hour: u8,
}

impl MailPreference {
    pub const IMMEDIATE: &'static str = "immediate";
    pub const DIGEST: &'static str = "digest";
    /// The hour a digest goes when none was chosen.
    pub const DEFAULT_HOUR: u8 = 8;
}

impl Default for MailPreference {
    fn default() -> Self {
        MailPreference {
            mode: Self::IMMEDIATE.into(),
            digest_hour: Self::DEFAULT_HOUR,
        }
    }
}
