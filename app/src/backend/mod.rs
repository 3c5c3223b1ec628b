//! Server-only code: database access, the service layer every caller goes through
//! (server functions, the JSON API, the CLI), password hashing and demo data.

pub mod db;
pub mod entity;
pub mod error;
pub mod outbox;
pub mod password;
pub mod portal;
pub mod registration;
pub mod seed;
pub mod state;

pub use state::{AppConfig, AppState};
