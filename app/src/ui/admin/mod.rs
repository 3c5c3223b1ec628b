//! Administration pages.

pub mod audit;
pub mod calendars;
pub mod categories;
pub mod institutions;
pub mod outbox;
pub mod services;
pub mod templates;
pub mod users;
pub mod workflows;
