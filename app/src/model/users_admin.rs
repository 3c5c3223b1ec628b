//! The administration of staff users (`/admin/utilizatori`, `/api/v1/admin/users`): what the
//! pages and the JSON API show and send (see `backend::users_admin`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::account::Role;

/// Users on a page of the list, unless the request asks for another number.
pub const PER_PAGE: u64 = 25;
/// The most users on one page.
pub const MAX_PER_PAGE: u64 = 100;
/// The highest page number asked for.
pub const MAX_PAGE: u64 = 10_000;

/// The roles an administrator gives, in the order the forms offer them.
pub const STAFF_ROLES: [Role; 3] = [Role::Officer, Role::Manager, Role::Admin];

/// The filters of the staff list, as a plain GET form (and the JSON API's query) sends them;
/// blank ones filter nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct UserFilter {
    /// `officer`, `manager` or `admin`: the users holding that role (in the caller's scope).
    #[serde(default)]
    pub role: Option<String>,
    /// The users given a role in this department.
    #[serde(default)]
    pub department_id: Option<String>,
    /// Words of the name or of the e-mail address (case and Romanian diacritics ignored).
    #[serde(default)]
    pub q: Option<String>,
    /// From 1.
    #[serde(default)]
    pub page: Option<String>,
    /// 1–100; 25 when left out.
    #[serde(default)]
    pub per_page: Option<String>,
}

/// A role held in a scope, with the scope's names in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GrantView {
    pub role: Role,
    /// None: the whole portal (an administrator's).
    pub institution_id: Option<i64>,
    pub institution: Option<String>,
    /// None: every department of the institution.
    pub department_id: Option<i64>,
    pub department: Option<String>,
}

/// A staff user as their administrators see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffUser {
    pub id: i64,
    pub email: String,
    pub full_name: String,
    /// A deactivated user cannot log in, and their sessions have ended.
    pub active: bool,
    /// Invited, without a password yet (the invitation's link was not followed).
    pub invitation_pending: bool,
    pub email_verified: bool,
    pub created_at: DateTime<Utc>,
    /// Their staff roles in the caller's scope.
    pub grants: Vec<GrantView>,
    /// They also hold roles outside the caller's scope (then only an administrator of the
    /// whole portal changes them).
    pub roles_elsewhere: bool,
}

/// A page of the staff list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffUserPage {
    pub items: Vec<StaffUser>,
    /// The users matching the filters, on every page.
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// A value of a select list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// `/admin/utilizatori`: a page of the list and the choices of its filter and invitation forms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersOverview {
    pub list: StaffUserPage,
    /// The departments of the filter (value: the department's id).
    pub departments: Vec<Choice>,
    /// Where a role may be given (value: see [`scope_value`]).
    pub scopes: Vec<Choice>,
}

/// `/admin/utilizatori/{id}`: a user and the choices of the role editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffUserDetail {
    pub user: StaffUser,
    /// The reader may change this user: every staff role they hold is in the reader's scope,
    /// and it is not the reader's own account.
    pub editable: bool,
    /// The reader's own account.
    pub is_self: bool,
    pub scopes: Vec<Choice>,
}

/// A staff member to invite, as the page's form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteInput {
    pub email: String,
    pub full_name: String,
    /// `officer`, `manager` or `admin`.
    pub role: String,
    /// See [`scope_value`].
    pub scope: String,
}

/// One row of the role editor: a role (blank: drop the row) and where it holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRow {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub scope: String,
}

/// A scope as a select list's value: `portal` (the whole portal), `i3` (institution 3, every
/// department), `i3-d7` (department 7 of institution 3).
pub fn scope_value(institution_id: Option<i64>, department_id: Option<i64>) -> String {
    match (institution_id, department_id) {
        (None, _) => "portal".into(),
        (Some(i), None) => format!("i{i}"),
        (Some(i), Some(d)) => format!("i{i}-d{d}"),
    }
}

/// The scope a [`scope_value`] names: `(institution, department)`, or `None` when it names
/// none.
#[allow(clippy::type_complexity)]
pub fn parse_scope(value: &str) -> Option<(Option<i64>, Option<i64>)> {
    let v = value.trim();
    if v == "portal" {
        return Some((None, None));
    }
    let rest = v.strip_prefix('i')?;
    let id = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i64>().ok())
            .flatten()
            .filter(|n| *n > 0)
    };
    match rest.split_once("-d") {
        None => Some((Some(id(rest)?), None)),
        Some((i, d)) => Some((Some(id(i)?), Some(id(d)?))),
    }
}

/// A staff role's code (`officer`, `manager`, `admin`); citizens' is not one.
pub fn parse_staff_role(code: &str) -> Option<Role> {
    Role::parse(code.trim()).filter(|r| *r != Role::Citizen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip_and_nothing_else_parses() {
        for (i, d) in [(None, None), (Some(3), None), (Some(3), Some(17))] {
            assert_eq!(parse_scope(&scope_value(i, d)), Some((i, d)));
        }
        for bad in [
            "", "i", "i-d3", "i3-d", "i3-dx", "ix", "i0", "i3-d0", "i+3", "x3", "i3d4", "i-3",
        ] {
            assert_eq!(parse_scope(bad), None, "{bad}");
        }
        assert_eq!(parse_staff_role("manager"), Some(Role::Manager));
        assert_eq!(parse_staff_role("citizen"), None);
        assert_eq!(parse_staff_role(""), None);
    }
}
