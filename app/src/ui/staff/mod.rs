//! The officer workspace.

pub mod queue;
