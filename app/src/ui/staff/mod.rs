//! The officer workspace.

pub mod canned;
pub mod case_desk;
pub mod dashboard;
pub mod queue;
