//! The officer workspace.

pub mod canned;
pub mod case_desk;
pub mod dashboard;
pub mod data_request;
pub mod publication;
pub mod queue;
