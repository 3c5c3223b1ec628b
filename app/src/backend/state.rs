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
    /// The key session tokens are signed with.
    pub jwt_secret: SecretBytes,
    pub rate_limits: super::auth::rate_limit::RateLimits,
    /// Behind a reverse proxy: take the client address from the last `X-Forwarded-For` hop.
    pub trust_forwarded_for: bool,
    /// Where attachments are kept (outside the web root).
    pub attachments: super::attachments::Store,
}

/// Key material that never shows in `Debug` output.
#[derive(Clone)]
pub struct SecretBytes(pub Vec<u8>);

impl std::fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBytes(***)")
    }
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub config: Arc<AppConfig>,
    /// Reference data kept for a few seconds (see [`super::ref_cache`]).
    pub cache: super::ref_cache::RefCache,
    /// The managers' indicators kept for a minute (see [`super::indicator_cache`]).
    pub indicators: super::indicator_cache::IndicatorCache,
}

impl AppState {
    /// Today in the portal's home institution's time zone: the day the queues count days left
    /// and filter dates on (in UTC the date differs for a few hours a day).
    pub async fn local_today(&self) -> Result<chrono::NaiveDate, crate::model::AppError> {
        let db = self.db.clone();
        let tz = self
            .cache
            .get("home_timezone", crate::i18n::Lang::Ro, || async move {
                Ok(super::portal::home_institution(&db).await?.timezone)
            })
            .await?;
        Ok(super::clock::local_date(
            self.config.clock.now(),
            super::clock::time_zone(&tz),
        ))
    }
}
