#![cfg_attr(test, allow(clippy::unwrap_used))]

//! The Petitio server: configuration, start-up, the axum router around the Leptos application,
//! and the mail transports.

pub mod api;
pub mod audit_cli;
pub mod backup;
pub mod config;
pub mod limits;
pub mod mail;
pub mod open311;
pub mod retention_cli;
pub mod routes;
pub mod security;
pub mod startup;
pub mod telemetry;
pub mod workers;
pub mod workflow_cli;
