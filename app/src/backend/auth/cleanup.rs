//! Housekeeping of the account tables: rate-limit hits past every window, and sessions and
//! mailed tokens that ended long ago (kept a while for the record, then deleted).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::backend::entity::{auth_token, rate_limit_hit, user_session};
use crate::model::AppError;

/// Longer than any rate-limit window in use.
pub const HITS_KEPT: Duration = Duration::days(1);
/// Ended sessions and tokens are kept this long.
pub const ENDED_KEPT: Duration = Duration::days(90);

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Removed {
    pub hits: u64,
    pub sessions: u64,
    pub tokens: u64,
}

pub async fn run<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<Removed, AppError> {
    let hits = rate_limit_hit::Entity::delete_many()
        .filter(rate_limit_hit::Column::At.lt(now - HITS_KEPT))
        .exec(db)
        .await?
        .rows_affected;
    let sessions = user_session::Entity::delete_many()
        .filter(user_session::Column::ExpiresAt.lt(now - ENDED_KEPT))
        .exec(db)
        .await?
        .rows_affected;
    let tokens = auth_token::Entity::delete_many()
        .filter(auth_token::Column::ExpiresAt.lt(now - ENDED_KEPT))
        .exec(db)
        .await?
        .rows_affected;
    Ok(Removed {
        hits,
        sessions,
        tokens,
    })
}
