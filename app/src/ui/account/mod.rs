//! Account pages: login, registration, password reset and change, the account page, tracking
//! links and the case page they open.

pub mod data_rights;
pub mod forms;
pub mod login;
pub mod mail_preference;
pub mod my_account;
pub mod track;
