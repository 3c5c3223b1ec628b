//! Plain axum routes beside the Leptos ones.

pub mod account_links;
pub mod case_files;
pub mod data_export;
pub mod dev_mailbox;
pub mod health;
pub mod prefs;
pub mod server_fn_status;
