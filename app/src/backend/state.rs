//! The state shared by axum handlers and server functions.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

/// The part of the configuration the application itself needs.
#[derive(Clone, Debug)]
pub struct AppConfig {
    /// The site's public URL, without a trailing slash, for links in mails.
    pub public_url: String,
    pub production: bool,
    /// The service layer's clock (shifted in development and tests only).
    pub clock: super::clock::Clock,
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub config: Arc<AppConfig>,
}
