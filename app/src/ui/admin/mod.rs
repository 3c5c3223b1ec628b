//! Administration pages.

pub mod audit;
pub mod institutions;
pub mod outbox;
pub mod templates;
