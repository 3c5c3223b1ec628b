//! Administration pages.

pub mod audit;
pub mod calendars;
pub mod institutions;
pub mod outbox;
pub mod templates;
pub mod services;
pub mod users;
pub mod workflows;
