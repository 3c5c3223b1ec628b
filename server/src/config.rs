//! Typed configuration: defaults, then an optional TOML file, then the environment (which wins).
//!
//! The variables are those of `API.md`; a config file uses the same names in lower case
//! without the `PETITIO_` prefix (e.g. `smtp_url = "smtp://127.0.0.1:2525"`).

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// A secret that never shows in `Debug` output or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub env: Environment,
    pub database_url: String,
    pub db_pool_size: u32,
    pub site_addr: SocketAddr,
    pub public_url: String,
    /// `None`: mail is written as `.eml` files under `mail_dir`.
    pub smtp_url: Option<Secret>,
    pub mail_from: String,
    pub mail_dir: PathBuf,
    /// Attachments, outside the web root (`PETITIO_ATTACHMENTS_DIR`).
    pub attachments_dir: PathBuf,
    pub jwt_secret: Secret,
    pub demo: bool,
    /// With `demo`: also file the demo cases (`PETITIO_DEMO_CASES`, default as `demo`).
    pub demo_cases: bool,
    pub time_offset_days: i64,
    pub log: String,
    pub log_json: bool,
    pub request_timeout_secs: u64,
    /// A request's line and headers must arrive within this (seconds), and an idle kept-alive
    /// connection waits this long for its next request; else the connection is closed.
    pub header_timeout_secs: u64,
    /// A request's body must have arrived this long after its headers (seconds; 408 after).
    pub body_timeout_secs: u64,
    /// Connections served at once; further clients wait to be accepted.
    pub max_connections: usize,
    pub max_body_bytes: usize,
    pub site_root: String,
    pub shutdown_grace_secs: u64,
    /// How often the deadline ticker looks for due reminders and expiries (seconds).
    pub ticker_interval_secs: u64,
    /// How long reference data (departments, categories, services, states) is kept in the
    /// process (seconds; 0: not kept).
    pub reference_cache_secs: u64,
    /// How long a computed view of the managers' indicators is kept (seconds; 0: not kept).
    pub indicators_cache_secs: u64,
    /// A TOML file of calendar adjustments imported at start (day-off transfers, patron days).
    pub calendar_file: Option<PathBuf>,
    /// Mail sender: longest wait between outbox polls (ms), attempts before a mail is dead,
    /// first retry delay (ms, doubling), rows per claim, mails sent at once.
    pub mail_poll_ms: u64,
    pub mail_max_attempts: i32,
    pub mail_retry_base_ms: u64,
    pub mail_batch: u64,
    pub mail_concurrency: usize,
    /// How long a claimed mail stays with its sender before another may take it (seconds): after
    /// a crash, the mails it was sending go again once this has passed.
    pub mail_lease_secs: u64,
    /// Webhook sender: longest wait between polls (ms), attempts before a delivery is failed,
    /// first retry delay (ms, ×4 each time, at most 6 h), how long one post may take (s),
    /// deliveries posted at once.
    pub webhook_poll_ms: u64,
    pub webhook_max_attempts: i32,
    pub webhook_retry_base_ms: u64,
    pub webhook_timeout_secs: u64,
    pub webhook_concurrency: usize,
    /// Attempts allowed per client address and per account (`PETITIO_RATE_LIMITS`,
    /// `login=10/900,register=5/3600,reset=5/3600,magic_link=5/3600,filing=20/3600`;
    /// `open311=600/3600` per Open311 API client).
    pub rate_limits: app::backend::auth::rate_limit::RateLimits,
    /// Behind a reverse proxy: the client address is the last `X-Forwarded-For` hop.
    pub trust_forwarded_for: bool,
}

/// Where a setting's value is looked up: the environment first, then the config file.
struct Source {
    file: BTreeMap<String, toml::Value>,
    env: BTreeMap<String, String>,
}

impl Source {
    fn get(&self, env_name: &str) -> Option<String> {
        if let Some(v) = self.env.get(env_name).filter(|v| !v.trim().is_empty()) {
            return Some(v.trim().to_string());
        }
        let key = env_name
            .strip_prefix("PETITIO_")
            .unwrap_or(env_name)
            .to_ascii_lowercase();
        self.file.get(&key).map(|v| match v {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }

    fn parse<T: std::str::FromStr>(&self, env_name: &str, default: T) -> anyhow::Result<T>
    where
        T::Err: fmt::Display,
    {
        match self.get(env_name) {
            None => Ok(default),
            Some(raw) => raw
                .parse()
                .map_err(|e| anyhow::anyhow!("{env_name}: cannot use {raw:?}: {e}")),
        }
    }

    fn flag(&self, env_name: &str, default: bool) -> anyhow::Result<bool> {
        match self.get(env_name).as_deref() {
            None => Ok(default),
            Some("1" | "true" | "yes" | "on") => Ok(true),
            Some("0" | "false" | "no" | "off") => Ok(false),
            Some(other) => bail!("{env_name}: expected 1 or 0, got {other:?}"),
        }
    }
}

impl Settings {
    /// Reads the process environment and, if given, the config file.
    pub fn load(config_file: Option<&Path>) -> anyhow::Result<Settings> {
        Settings::from_sources(config_file, std::env::vars().collect())
    }

    pub fn from_sources(
        config_file: Option<&Path>,
        env: BTreeMap<String, String>,
    ) -> anyhow::Result<Settings> {
        let file = match config_file {
            None => BTreeMap::new(),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read the config file {}", path.display()))?;
                toml::from_str::<BTreeMap<String, toml::Value>>(&text).with_context(|| {
                    format!("the config file {} is not valid TOML", path.display())
                })?
            }
        };
        let src = Source { file, env };

        let env = match src.get("PETITIO_ENV").as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => bail!("PETITIO_ENV: expected development or production, got {other:?}"),
        };
        let dev = env == Environment::Development;

        let site_addr: SocketAddr =
            src.parse("LEPTOS_SITE_ADDR", SocketAddr::from(([127, 0, 0, 1], 3000)))?;
        let public_url = src
            .get("PETITIO_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{site_addr}"))
            .trim_end_matches('/')
            .to_string();
        let smtp_url = src.get("PETITIO_SMTP_URL").map(Secret::new);
        if let Some(url) = &smtp_url
            && !(url.expose().starts_with("smtp://") || url.expose().starts_with("smtps://"))
        {
            bail!("PETITIO_SMTP_URL: expected smtp://host:port or smtps://user:pass@host");
        }

        let jwt_secret = match src.get("PETITIO_JWT_SECRET") {
            Some(s) if s.len() >= 32 => Secret::new(s),
            Some(_) => bail!("PETITIO_JWT_SECRET: use at least 32 characters"),
            None if dev => Secret::new(random_secret()),
            None => bail!("PETITIO_JWT_SECRET is required when PETITIO_ENV=production"),
        };

        let time_offset_days: i64 = src.parse("PETITIO_TIME_OFFSET_DAYS", 0)?;
        if !dev && time_offset_days != 0 {
            bail!("PETITIO_TIME_OFFSET_DAYS is for development and tests only");
        }

        let log = src
            .get("PETITIO_LOG")
            .or_else(|| src.get("RUST_LOG"))
            .unwrap_or_else(|| "info".into());

        Ok(Settings {
            env,
            database_url: src
                .get("DATABASE_URL")
                .unwrap_or_else(|| "sqlite://data/petitio.db?mode=rwc".into()),
            db_pool_size: src.parse("PETITIO_DB_POOL_SIZE", 10)?,
            site_addr,
            public_url,
            smtp_url,
            mail_from: src
                .get("PETITIO_MAIL_FROM")
                .unwrap_or_else(|| "petitii@localhost".into()),
            mail_dir: PathBuf::from(
                src.get("PETITIO_MAIL_DIR")
                    .unwrap_or_else(|| "data/mail".into()),
            ),
            attachments_dir: PathBuf::from(
                src.get("PETITIO_ATTACHMENTS_DIR")
                    .unwrap_or_else(|| "data/attachments".into()),
            ),
            jwt_secret,
            demo: src.flag("PETITIO_DEMO", dev)?,
            demo_cases: src.flag("PETITIO_DEMO_CASES", src.flag("PETITIO_DEMO", dev)?)?,
            time_offset_days,
            log,
            log_json: src.get("PETITIO_LOG_FORMAT").as_deref() == Some("json"),
            request_timeout_secs: src.parse("PETITIO_REQUEST_TIMEOUT_SECS", 30)?,
            header_timeout_secs: src.parse("PETITIO_HEADER_TIMEOUT_SECS", 10)?.max(1),
            body_timeout_secs: src.parse("PETITIO_BODY_TIMEOUT_SECS", 20)?.max(1),
            max_connections: src.parse("PETITIO_MAX_CONNECTIONS", 1000)?.max(1),
            max_body_bytes: src.parse("PETITIO_MAX_BODY_BYTES", 25 * 1024 * 1024)?,
            site_root: src
                .get("LEPTOS_SITE_ROOT")
                .unwrap_or_else(|| "target/site".into()),
            shutdown_grace_secs: src.parse("PETITIO_SHUTDOWN_GRACE_SECS", 20)?,
            ticker_interval_secs: src.parse("PETITIO_TICKER_INTERVAL_SECS", 30)?.max(1),
            reference_cache_secs: src.parse("PETITIO_REFERENCE_CACHE_SECS", 5)?,
            indicators_cache_secs: src.parse("PETITIO_INDICATORS_CACHE_SECS", 60)?,
            calendar_file: src.get("PETITIO_CALENDAR_FILE").map(PathBuf::from),
            mail_poll_ms: src.parse("PETITIO_MAIL_POLL_MS", 5000)?.max(10),
            mail_max_attempts: src.parse("PETITIO_MAIL_MAX_ATTEMPTS", 8)?.max(1),
            mail_retry_base_ms: src.parse("PETITIO_MAIL_RETRY_BASE_MS", 30_000)?.max(1),
            mail_batch: src.parse("PETITIO_MAIL_BATCH", 50)?.max(1),
            mail_concurrency: src.parse("PETITIO_MAIL_CONCURRENCY", 16)?.max(1),
            mail_lease_secs: src.parse("PETITIO_MAIL_LEASE_SECS", 300)?.max(1),
            webhook_poll_ms: src.parse("PETITIO_WEBHOOK_POLL_MS", 5000)?.max(10),
            webhook_max_attempts: src.parse("PETITIO_WEBHOOK_MAX_ATTEMPTS", 10)?.max(1),
            webhook_retry_base_ms: src.parse("PETITIO_WEBHOOK_RETRY_BASE_MS", 30_000)?.max(1),
            webhook_timeout_secs: src.parse("PETITIO_WEBHOOK_TIMEOUT_SECS", 10)?.clamp(1, 60),
            webhook_concurrency: src.parse("PETITIO_WEBHOOK_CONCURRENCY", 8)?.max(1),
            rate_limits: match src.get("PETITIO_RATE_LIMITS") {
                None => Default::default(),
                Some(spec) => app::backend::auth::rate_limit::RateLimits::parse(&spec)
                    .map_err(|e| anyhow::anyhow!("PETITIO_RATE_LIMITS: {e}"))?,
            },
            trust_forwarded_for: src.flag("PETITIO_TRUST_FORWARDED_FOR", false)?,
        })
    }

    pub fn production(&self) -> bool {
        self.env == Environment::Production
    }
}

fn random_secret() -> String {
    use rand::Rng;
    let bytes: [u8; 32] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let s = Settings::from_sources(None, env(&[])).unwrap();
        assert_eq!(s.env, Environment::Development);
        assert_eq!(s.database_url, "sqlite://data/petitio.db?mode=rwc");
        assert_eq!(s.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(s.public_url, "http://127.0.0.1:3000");
        assert!(s.smtp_url.is_none());
        assert_eq!(s.mail_from, "petitii@localhost");
        assert!(s.demo);
        assert_eq!(s.time_offset_days, 0);
        assert_eq!(s.jwt_secret.expose().len(), 64);
        assert_eq!(
            (
                s.header_timeout_secs,
                s.body_timeout_secs,
                s.request_timeout_secs,
                s.max_connections
            ),
            (10, 20, 30, 1000)
        );
    }

    #[test]
    fn production_requires_a_jwt_secret_and_forbids_the_clock_shift() {
        let err = Settings::from_sources(None, env(&[("PETITIO_ENV", "production")])).unwrap_err();
        assert!(err.to_string().contains("PETITIO_JWT_SECRET"));
        let secret = "x".repeat(40);
        let s = Settings::from_sources(
            None,
            env(&[
                ("PETITIO_ENV", "production"),
                ("PETITIO_JWT_SECRET", &secret),
            ]),
        )
        .unwrap();
        assert!(!s.demo, "no demo data in production unless asked for");
        let err = Settings::from_sources(
            None,
            env(&[
                ("PETITIO_ENV", "production"),
                ("PETITIO_JWT_SECRET", &secret),
                ("PETITIO_TIME_OFFSET_DAYS", "3"),
            ]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("PETITIO_TIME_OFFSET_DAYS"));
    }

    #[test]
    fn the_environment_wins_over_the_config_file() {
        let dir = std::env::temp_dir().join(format!("petitio-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("petitio.toml");
        std::fs::write(
            &file,
            "mail_from = \"file@x\"\ndb_pool_size = 4\nsmtp_url = \"smtp://127.0.0.1:2525\"\n",
        )
        .unwrap();
        let s =
            Settings::from_sources(Some(&file), env(&[("PETITIO_MAIL_FROM", "env@x")])).unwrap();
        assert_eq!(s.mail_from, "env@x");
        assert_eq!(s.db_pool_size, 4);
        assert_eq!(s.smtp_url.unwrap().expose(), "smtp://127.0.0.1:2525");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err =
            Settings::from_sources(None, env(&[("PETITIO_DB_POOL_SIZE", "many")])).unwrap_err();
        assert!(err.to_string().contains("PETITIO_DB_POOL_SIZE"), "{err}");
        let err =
            Settings::from_sources(None, env(&[("PETITIO_SMTP_URL", "http://x")])).unwrap_err();
        assert!(err.to_string().contains("PETITIO_SMTP_URL"), "{err}");
        let err = Settings::from_sources(None, env(&[("PETITIO_DEMO", "maybe")])).unwrap_err();
        assert!(err.to_string().contains("PETITIO_DEMO"), "{err}");
    }

    #[test]
    fn demo_cases_follow_the_demo_unless_set() {
        let flags = |pairs: &[(&str, &str)]| {
            let s = Settings::from_sources(None, env(pairs)).unwrap();
            (s.demo, s.demo_cases)
        };
        assert_eq!(flags(&[]), (true, true));
        assert_eq!(flags(&[("PETITIO_DEMO", "0")]), (false, false));
        assert_eq!(flags(&[("PETITIO_DEMO_CASES", "0")]), (true, false));
        assert_eq!(
            flags(&[("PETITIO_DEMO", "1"), ("PETITIO_DEMO_CASES", "off")]),
            (true, false)
        );
        let err = Settings::from_sources(None, env(&[("PETITIO_DEMO_CASES", "some")])).unwrap_err();
        assert!(err.to_string().contains("PETITIO_DEMO_CASES"), "{err}");
    }

    #[test]
    fn secrets_do_not_leak_into_debug_output() {
        let s = Settings::from_sources(
            None,
            env(&[("PETITIO_SMTP_URL", "smtps://u:hunter2@mail.example")]),
        )
        .unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
