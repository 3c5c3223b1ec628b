//! The citizen's pages: filing a petition, the list of their own cases, the service registry.

pub mod file;
pub mod my_cases;
pub mod services;
