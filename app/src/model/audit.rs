//! The audit trail as administrators see it (`/admin/jurnal`, `GET /api/v1/admin/audit`).

use serde::{Deserialize, Serialize};

/// The actions and prefixes the administrators' filter offers (see `backend::audit::action`;
/// administrative changes are `admin.<thing>.<verb>`).
pub const FILTER_ACTIONS: [&str; 9] = [
    "case.*",
    "case.file",
    "case.event",
    "case.read",
    "case.note",
    "case.links_revoke",
    "login",
    "login.failed",
    "admin.*",
];

/// The filters of the trail, as a plain GET form (and the JSON API's query) sends them; blank
/// fields filter nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct AuditFilter {
    /// The case: its id or its registration number.
    #[serde(default)]
    pub case_id: Option<String>,
    /// Who acted: a user's id or e-mail address.
    #[serde(default)]
    pub actor_id: Option<String>,
    /// An action (`case.read`), or every action starting with a prefix (`admin.*`).
    #[serde(default)]
    pub action: Option<String>,
    /// `YYYY-MM-DD`, inclusive, in the portal's time zone.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    /// One chain: an institution's id, `0` for the portal's (logins, installation-wide
    /// administration).
    #[serde(default)]
    pub institution_id: Option<String>,
    /// The next page: the records older than this id (`next_before` of the page before).
    #[serde(default)]
    pub before: Option<String>,
    /// Records per page, 1 to 500 (50 by default).
    #[serde(default)]
    pub limit: Option<String>,
}

/// One record of the trail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditRow {
    pub id: i64,
    /// The chain: the institution, or `null` for the portal's.
    pub institution_id: Option<i64>,
    /// The record's place in its chain: 1, 2, 3… without gaps.
    pub seq: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    /// `citizen`, `officer`, `manager`, `admin`, `system` (the workflow's timers, imports),
    /// `anonymous` (a visitor's filing, a login to an unknown account), `user` (a refused
    /// login to a known account).
    pub actor_role: String,
    /// `case.file`, `case.event`, `case.read`, `case.note`, `case.links_revoke`, `login`,
    /// `login.failed`, `admin.…`
    pub action: String,
    pub case_id: Option<i64>,
    pub registration_number: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// What the action changed (an object; its keys depend on the action).
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub details: serde_json::Value,
    pub ip: Option<String>,
    /// SHA-256 (hex) of the record before it in the chain (64 zeros for the first).
    pub prev_hash: String,
    /// SHA-256 (hex) of this record's fields and `prev_hash`.
    pub hash: String,
}

/// A page of the trail, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditRow>,
    /// Pass as `before` for the next (older) page; `null` on the last page.
    pub next_before: Option<i64>,
}
