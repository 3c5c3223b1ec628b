#![cfg_attr(test, allow(clippy::unwrap_used))]

//! The Petitio server: configuration, start-up, the axum router around the Leptos application,
//! and the mail transports.

pub mod api;
pub mod config;
pub mod mail;
pub mod open311;
pub mod routes;
pub mod security;
pub mod startup;
pub mod telemetry;
pub mod workers;
pub mod workflow_cli;
