//! What the public pages show about the institution running the portal.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PortalInfo {
    /// The institution's name in the reader's language.
    pub institution_name: String,
    pub institution_email: Option<String>,
    /// Departments in the reader's language, with their territorial area if any.
    pub departments: Vec<DepartmentSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DepartmentSummary {
    pub id: i64,
    pub name: String,
}
