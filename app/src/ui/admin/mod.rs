//! Administration pages.

pub mod outbox;
