//! The citizen's pages: filing a petition and the list of their own cases.

pub mod file;
pub mod my_cases;
