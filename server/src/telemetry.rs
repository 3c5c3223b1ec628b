//! Logging: `PETITIO_LOG` (or `RUST_LOG`) sets the filter, `PETITIO_LOG_FORMAT=json` the format.

use tracing_subscriber::EnvFilter;

pub fn init(filter: &str, json: bool) {
    // Database drivers log every statement at info; keep them at warn unless asked for.
    let filter = if filter.contains("sqlx") {
        filter.to_string()
    } else {
        format!("{filter},sqlx=warn,sea_orm=warn")
    };
    let env_filter = EnvFilter::try_new(&filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(env_filter)
        .with_target(false);
    // A second initialisation (tests start several servers in one process) is not an error.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.compact().try_init()
    };
}
