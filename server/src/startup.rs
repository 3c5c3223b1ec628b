//! Start-up: connect, migrate, seed, build the router, serve until told to stop.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::http::{HeaderName, StatusCode};
use axum::routing::{get, post};
use leptos::config::{Env, LeptosOptions};
use leptos_axum::{LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use sea_orm_migration::MigratorTrait;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use app::backend::clock::Clock;
use app::backend::state::SecretBytes;
use app::backend::{AppConfig, AppState, calendars, db, definitions, seed};
use app::{App, shell};

use crate::config::Settings;
use crate::mail::{self, MailTransport};
use crate::routes;
use crate::security;
use crate::workers;

/// Opens the database and applies every pending migration; a failure stops here with the cause.
pub async fn connect_and_migrate(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let conn = db::connect(&settings.database_url, settings.db_pool_size)
        .await
        .with_context(|| {
            format!(
                "cannot open the database at {}",
                redact_url(&settings.database_url)
            )
        })?;
    migrations::Migrator::up(&conn, None)
        .await
        .context("database migration failed; the server was not started")?;
    definitions::ensure_builtins(&conn, chrono::Utc::now())
        .await
        .context("storing the built-in workflow definitions failed")?;
    let filled = app::backend::search::backfill(&conn)
        .await
        .context("filling the search text of older cases failed")?;
    if filled > 0 {
        tracing::info!(cases = filled, "search text filled for older cases");
    }
    Ok(conn)
}

/// Loads the demo data, and the demo cases when `cases` (each only once, see
/// `app::backend::seed_cases`), and prints the demo accounts.
pub async fn seed_demo_with(
    conn: &DatabaseConnection,
    cases: bool,
    now: chrono::DateTime<chrono::Utc>,
    public_url: &str,
) -> anyhow::Result<()> {
    let report = seed::seed_demo(conn)
        .await
        .map_err(|e| anyhow::anyhow!("seeding demo data failed: {e}"))?;
    tracing::info!(?report, "demo data loaded");
    if cases {
        // Logs what it filed.
        app::backend::seed_cases::seed_demo_cases(conn, now, public_url)
            .await
            .map_err(|e| anyhow::anyhow!("filing the demo cases failed: {e}"))?;
    }
    println!("Demo accounts (password {}):", seed::DEMO_PASSWORD);
    for (email, _, role) in seed::DEMO_ACCOUNTS {
        println!("  {role:<8} {email}");
    }
    Ok(())
}

/// Imports the calendar adjustments of `path` (idempotent); a bad file stops the start.
pub async fn import_calendar_file(
    conn: &DatabaseConnection,
    path: &std::path::Path,
) -> anyhow::Result<()> {
    let src = std::fs::read_to_string(path)
        .with_context(|| format!("PETITIO_CALENDAR_FILE: cannot read {}", path.display()))?;
    let entries = calendars::parse_file(&src)
        .map_err(|e| anyhow::anyhow!("PETITIO_CALENDAR_FILE {}: {e}", path.display()))?;
    let added = calendars::import(conn, &entries, chrono::Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("PETITIO_CALENDAR_FILE {}: {e}", path.display()))?;
    tracing::info!(file = %path.display(), entries = entries.len(), added, "calendar adjustments imported");
    Ok(())
}

/// The password of a database URL is not for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// A server ready to run: bound to its port, database migrated.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    mailer: Arc<dyn MailTransport>,
    sender: workers::mail_sender::SenderConfig,
    webhooks: workers::webhook_sender::WebhookConfig,
    grace: Duration,
    ticker_interval: Duration,
    limits: crate::limits::ConnLimits,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let conn = connect_and_migrate(&settings).await?;
        if settings.demo {
            let now = Clock::with_offset_days(settings.time_offset_days).now();
            seed_demo_with(&conn, settings.demo_cases, now, &settings.public_url).await?;
        }
        if let Some(path) = &settings.calendar_file {
            import_calendar_file(&conn, path).await?;
        }
        let mailer = mail::from_settings(&settings)?;
        let listener = TcpListener::bind(settings.site_addr)
            .await
            .with_context(|| format!("cannot listen on {}", settings.site_addr))?;
        let addr = listener.local_addr()?;
        let leptos_options = LeptosOptions::builder()
            .output_name("petitio")
            .site_root(settings.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .env(if settings.production() {
                Env::PROD
            } else {
                Env::DEV
            })
            .build();
        // The default public URL follows the address really bound (port 0 picks a free one).
        let public_url = if settings.public_url == format!("http://{}", settings.site_addr) {
            format!("http://{addr}")
        } else {
            settings.public_url.clone()
        };
        let state = AppState {
            leptos_options,
            db: conn,
            config: Arc::new(AppConfig {
                public_url,
                production: settings.production(),
                clock: Clock::with_offset_days(settings.time_offset_days),
                jwt_secret: SecretBytes(settings.jwt_secret.expose().as_bytes().to_vec()),
                rate_limits: settings.rate_limits,
                trust_forwarded_for: settings.trust_forwarded_for,
                attachments: app::backend::attachments::Store::new(&settings.attachments_dir),
            }),
            cache: app::backend::ref_cache::RefCache::new(Duration::from_secs(
                settings.reference_cache_secs,
            )),
            indicators: app::backend::indicator_cache::IndicatorCache::new(Duration::from_secs(
                settings.indicators_cache_secs,
            )),
        };
        let router = router(state.clone(), &settings);
        tracing::info!(%addr, mail = mailer.kind(), "Petitio is listening on http://{addr}");
        Ok(Application {
            listener,
            router,
            state,
            mailer,
            grace: Duration::from_secs(settings.shutdown_grace_secs),
            limits: crate::limits::ConnLimits {
                header_timeout: Duration::from_secs(settings.header_timeout_secs),
                max_connections: settings.max_connections,
            },
            ticker_interval: Duration::from_secs(settings.ticker_interval_secs),
            sender: workers::mail_sender::SenderConfig {
                from: settings.mail_from.clone(),
                poll: Duration::from_millis(settings.mail_poll_ms),
                batch: settings.mail_batch,
                concurrency: settings.mail_concurrency,
                max_attempts: settings.mail_max_attempts,
                retry_base: Duration::from_millis(settings.mail_retry_base_ms),
                lease: Duration::from_secs(settings.mail_lease_secs),
            },
            webhooks: workers::webhook_sender::WebhookConfig {
                poll: Duration::from_millis(settings.webhook_poll_ms),
                batch: 50,
                concurrency: settings.webhook_concurrency,
                max_attempts: settings.webhook_max_attempts,
                retry_base: Duration::from_millis(settings.webhook_retry_base_ms),
                timeout: Duration::from_secs(settings.webhook_timeout_secs),
                lease: Duration::from_secs(settings.webhook_timeout_secs * 6),
                public_only: settings.production(),
            },
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` is cancelled, then stops accepting and lets in-flight requests
    /// finish (at most the grace period).
    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let ticker = tokio::spawn(workers::deadline_ticker::run(
            self.state.db.clone(),
            self.state.config.clock,
            self.state.config.public_url.clone(),
            self.ticker_interval,
            shutdown.clone(),
        ));
        let sender = tokio::spawn(workers::mail_sender::run(
            self.state.db.clone(),
            self.mailer.clone(),
            self.sender.clone(),
            self.state.config.clock,
            shutdown.clone(),
        ));
        let webhook_sender = tokio::spawn(workers::webhook_sender::run(
            self.state.db.clone(),
            self.webhooks.clone(),
            self.state.config.clock,
            shutdown.clone(),
        ));
        let housekeeping = tokio::spawn(workers::housekeeping::run(
            self.state.db.clone(),
            self.state.config.attachments.clone(),
            shutdown.clone(),
        ));
        let retention = tokio::spawn(workers::retention::run(
            self.state.db.clone(),
            self.state.config.attachments.clone(),
            self.state.config.clock,
            shutdown.clone(),
        ));
        let server =
            crate::limits::serve(self.listener, self.router, self.limits, shutdown.clone());
        let mut server = std::pin::pin!(server);
        tokio::select! {
            res = &mut server => res?,
            _ = async { shutdown.cancelled().await; tokio::time::sleep(self.grace).await } => {
                tracing::warn!("in-flight requests did not finish within the grace period");
            }
        }
        // The workers finish the step they are in; one that does not within the grace period
        // is aborted, so that it gives its database connection back. Then the database closes,
        // also within the grace period: shutting down never waits for ever.
        shutdown.cancel();
        let workers = [
            ("deadline ticker", ticker),
            ("housekeeping", housekeeping),
            ("retention job", retention),
            ("mail sender", sender),
            ("webhook sender", webhook_sender),
        ];
        for (name, mut task) in workers {
            if tokio::time::timeout(self.grace, &mut task).await.is_err() {
                tracing::warn!(
                    worker = name,
                    "did not stop within the grace period: aborted"
                );
                task.abort();
                let _ = task.await;
            }
        }
        if tokio::time::timeout(self.grace, self.state.db.clone().close())
            .await
            .is_err()
        {
            tracing::warn!("database connections still in use after the grace period: not waiting");
        }
        tracing::info!("stopped");
        Ok(())
    }
}

/// The Leptos routes, generated once per process. Generating them renders the app with resource
/// loading suppressed by a process-wide flag, and a resource that first polls while it is set
/// never resolves (leptos issue 4773). One server per process generates before it serves, but the
/// integration tests start many servers in one process: a page being rendered by one while
/// another generated hung until the client gave up. Generated once, before any server serves,
/// the window never overlaps a render.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState, settings: &Settings) -> Router {
    let routes = route_list();
    let x_request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .route("/healthz", get(routes::health::healthz))
        .route("/prefs/lang/{code}", get(routes::prefs::set_lang))
        .route("/prefs/text-size", post(routes::prefs::set_text_size))
        .route("/cont/confirmare/{token}", get(routes::account_links::verify_email))
        .route("/urmarire/{token}", get(routes::account_links::open_case_link))
        .route("/depune/confirmare/{token}", get(routes::account_links::confirm_filing))
        .route("/evaluare/{token}/{score}", get(routes::account_links::rate_from_mail))
        .route("/fisiere/{id}", get(routes::case_files::download))
        .route("/cont/date.zip", get(routes::data_export::download))
        .nest("/api/v1", crate::api::router())
        .nest("/open311/v2", crate::open311::router())
        .merge(
            Router::new()
                .route("/dev/mailbox", get(routes::dev_mailbox::list))
                .route("/dev/mailbox/{file}", get(routes::dev_mailbox::show))
                .with_state(routes::dev_mailbox::Mailbox {
                    dir: settings.mail_dir.clone(),
                    // Development only, and only when mail goes to files.
                    enabled: !settings.production() && settings.smtp_url.is_none(),
                }),
        )
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        // Static files (the WASM bundle, CSS, favicon), else the 404 page rendered like every
        // other page (fully, before sending) in the reader's language.
        .fallback_service(
            tower_http::services::ServeDir::new(&*state.leptos_options.site_root)
                // `cargo leptos build --release --precompress` writes .br files (smaller than
                // compressing on the fly); its .gz files are larger than this server's own
                // gzip, so gzip stays on the fly.
                .precompressed_br()
                .fallback(tower::service_fn({
                    let render = leptos_axum::render_app_async_with_context(
                        {
                            let state = state.clone();
                            move || leptos::prelude::provide_context(state.clone())
                        },
                        {
                            let options = state.leptos_options.clone();
                            move || shell(options.clone())
                        },
                    );
                    move |req| {
                        let render = render.clone();
                        async move { Ok::<_, std::convert::Infallible>(render(req).await) }
                    }
                })),
        )
        .layer(axum::middleware::from_fn(routes::server_fn_status::map_server_fn_errors))
        // A body still arriving after its own deadline (shorter than the 503 timeout below) is
        // the client's slowness: 408, with the headers every answer carries.
        .layer(axum::middleware::from_fn_with_state(
            Duration::from_secs(settings.body_timeout_secs),
            crate::limits::body_deadline,
        ))
        // Outermost last: headers on every answer, then the cross-site check, then who is asking.
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::authn::authenticate))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::csrf::check))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::headers::add))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(x_request_id.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                }))
                .layer(PropagateRequestIdLayer::new(x_request_id))
                .layer(CompressionLayer::new())
                .layer(RequestBodyLimitLayer::new(settings.max_body_bytes))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::SERVICE_UNAVAILABLE,
                    Duration::from_secs(settings.request_timeout_secs),
                )),
        )
        .with_state(state)
}

/// Resolves when the process gets SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutdown requested: finishing in-flight requests");
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(
            super::redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(super::redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            super::redact_url("sqlite://data/petitio.db"),
            "sqlite://data/petitio.db"
        );
    }
}
