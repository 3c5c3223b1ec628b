//! The service registry, as listed to the public and in the filing form.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub provider: String,
    /// A private provider (accredited to provide a public service).
    pub private: bool,
    pub accredited: bool,
    pub area: Option<String>,
    pub address: Option<String>,
    pub contact: Option<String>,
    pub category_id: Option<i64>,
    pub department_id: Option<i64>,
}
