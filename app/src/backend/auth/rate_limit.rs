//! Rate limits for the actions worth guessing at (login, registration, password reset, tracking
//! links, filing), per client address and per account. The hits are rows in the database, so
//! every server instance counts the same attempts; a bucket keeps only its current window.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set, Statement, TransactionTrait,
};

use crate::backend::entity::rate_limit_hit;
use crate::model::AppError;

/// At most `max` attempts in any `window_secs` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window_secs: u32,
}

impl Limit {
    pub const fn new(max: u32, window_secs: u32) -> Limit {
        Limit { max, window_secs }
    }
}

/// The limits of each action; `PETITIO_RATE_LIMITS` overrides them
/// (`login=10/900,register=5/3600,…`: attempts / seconds; `open311` counts per API client).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimits {
    pub login: Limit,
    pub register: Limit,
    pub reset: Limit,
    pub magic_link: Limit,
    pub filing: Limit,
    /// Open311 filings per API client (a reporting app files for many people).
    pub open311: Limit,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            login: Limit::new(10, 900),
            register: Limit::new(5, 3600),
            reset: Limit::new(5, 3600),
            magic_link: Limit::new(5, 3600),
            filing: Limit::new(20, 3600),
            open311: Limit::new(600, 3600),
        }
    }
}

impl RateLimits {
    /// Parses `name=max/seconds` pairs separated by commas over the defaults.
    pub fn parse(spec: &str) -> Result<RateLimits, String> {
        let mut limits = RateLimits::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("{part:?}: expected name=max/seconds"))?;
            let (max, secs) = value
                .split_once('/')
                .ok_or_else(|| format!("{part:?}: expected name=max/seconds"))?;
            let max: u32 = max
                .trim()
                .parse()
                .map_err(|_| format!("{part:?}: {max:?} is not a count"))?;
            let secs: u32 = secs
                .trim()
                .parse()
                .map_err(|_| format!("{part:?}: {secs:?} is not a number of seconds"))?;
            if max == 0 || secs == 0 {
                return Err(format!("{part:?}: both numbers must be above zero"));
            }
            let limit = Limit::new(max, secs);
            match name.trim() {
                "login" => limits.login = limit,
                "register" => limits.register = limit,
                "reset" => limits.reset = limit,
                "magic_link" => limits.magic_link = limit,
                "filing" => limits.filing = limit,
                "open311" => limits.open311 = limit,
                other => {
                    return Err(format!(
                        "unknown action {other:?} (login, register, reset, magic_link, filing, open311)"
                    ));
                }
            }
        }
        Ok(limits)
    }
}

/// Counts one attempt in `bucket`, or refuses it with the seconds until the oldest attempt of
/// the window leaves it.
///
/// The count and the new hit are one transaction, and the attempts of one bucket take turns
/// (PostgreSQL: a transaction-scoped advisory lock on the bucket, held across instances;
/// SQLite: its one connection), so that a burst of concurrent attempts passes exactly `max`,
/// never more because two read the same count.
pub async fn hit(
    db: &DatabaseConnection,
    bucket: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let bucket = truncate(bucket);
    let txn = db.begin().await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 7919))",
            [bucket.clone().into()],
        ))
        .await?;
    }
    let window_start = now - Duration::seconds(i64::from(limit.window_secs));
    rate_limit_hit::Entity::delete_many()
        .filter(rate_limit_hit::Column::Bucket.eq(&bucket))
        .filter(rate_limit_hit::Column::At.lte(window_start))
        .exec(&txn)
        .await?;
    let in_window = rate_limit_hit::Entity::find()
        .filter(rate_limit_hit::Column::Bucket.eq(&bucket))
        .count(&txn)
        .await?;
    if in_window >= u64::from(limit.max) {
        let oldest = rate_limit_hit::Entity::find()
            .filter(rate_limit_hit::Column::Bucket.eq(&bucket))
            .order_by_asc(rate_limit_hit::Column::At)
            .one(&txn)
            .await?
            .map(|h| h.at)
            .unwrap_or(now);
        txn.commit().await?;
        let free_at = oldest + Duration::seconds(i64::from(limit.window_secs));
        let wait = (free_at - now).num_milliseconds().max(0);
        let retry_after_secs = u64::try_from((wait + 999) / 1000).unwrap_or(1).max(1);
        tracing::warn!(bucket, retry_after_secs, "rate limit reached");
        return Err(AppError::RateLimited { retry_after_secs });
    }
    rate_limit_hit::ActiveModel {
        bucket: Set(bucket),
        at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Counts one attempt of `action` for the client address and, when known, for the account.
pub async fn hit_action(
    db: &DatabaseConnection,
    action: &str,
    limit: Limit,
    ip: &str,
    account: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    hit(db, &format!("{action}:ip:{ip}"), limit, now).await?;
    if let Some(account) = account {
        hit(db, &format!("{action}:account:{account}"), limit, now).await?;
    }
    Ok(())
}

fn truncate(s: &str) -> String {
    s.chars().take(255).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_over_the_defaults_and_refuse_nonsense() {
        let l = RateLimits::parse("login=3/60, filing=2/10").unwrap();
        assert_eq!(l.login, Limit::new(3, 60));
        assert_eq!(l.filing, Limit::new(2, 10));
        assert_eq!(l.register, RateLimits::default().register);
        assert_eq!(
            RateLimits::parse("open311=5/60").unwrap().open311,
            Limit::new(5, 60)
        );
        assert!(RateLimits::parse("login=3").is_err());
        assert!(RateLimits::parse("login=0/60").is_err());
        assert!(RateLimits::parse("logn=3/60").is_err());
        assert!(RateLimits::parse("login=x/60").is_err());
        assert_eq!(RateLimits::parse("").unwrap(), RateLimits::default());
    }
}
