//! Firing due reminders and expiries (the deadline ticker's service). One timer per
//! transaction: claim the row, decide the event, apply it through the engine, commit.
//!
//! Due timers are found through the index `ix_case_timer_due (status, fire_at)`, never by
//! scanning cases. On PostgreSQL the row is claimed with `FOR UPDATE SKIP LOCKED`, so several
//! tickers (on several server instances) never fire the same timer; the claim and the firing
//! commit together, so a timer is fired exactly once. SQLite has a single writer.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

use super::clock::{local_date, time_zone};
use super::entity::case_timer;
use super::transitions::{self, Request, timer_status};
use crate::model::error::AppError;
use crate::workflow::{Event, due_event};

/// What one firing did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fired {
    pub case_id: i64,
    pub timer: String,
    pub event: String,
}

/// Fires the earliest due timer, if any. Returns `None` when nothing is due.
pub async fn fire_next_due(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<Option<Fired>, AppError> {
    let txn = db.begin().await?;
    let mut query = case_timer::Entity::find()
        .filter(case_timer::Column::Status.eq(timer_status::RUNNING))
        .filter(case_timer::Column::FireAt.lte(now))
        .order_by_asc(case_timer::Column::FireAt)
        .limit(1);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let Some(row) = query.one(&txn).await? else {
        txn.rollback().await?;
        return Ok(None);
    };
    let loaded = transitions::load(&txn, row.case_id).await?;
    let tz = time_zone(&loaded.institution.timezone);
    let today = local_date(now, tz);
    let state = loaded
        .snapshot
        .timers
        .iter()
        .find(|t| t.timer == row.name)
        .cloned();
    let event = state.and_then(|t| due_event(&loaded.definition, &t, today));
    let Some(event) = event else {
        // Nothing to do after all (the row's fire_at was stale): look again later.
        let mut active: case_timer::ActiveModel = row.clone().into();
        active.fire_at = sea_orm::Set(
            loaded
                .snapshot
                .timers
                .iter()
                .find(|t| t.timer == row.name)
                .and_then(|t| transitions::fire_at(&loaded.definition, t, tz))
                .filter(|at| *at > now),
        );
        sea_orm::ActiveModelTrait::update(active, &txn).await?;
        txn.commit().await?;
        return Ok(None);
    };
    let label = match &event {
        Event::ReminderDue { days_before, .. } => format!("reminder:{days_before}"),
        Event::TimerExpired { .. } => "expired".to_string(),
        Event::Transition { id, .. } => id.clone(),
    };
    transitions::apply_in(
        &txn,
        Request {
            case_id: row.case_id,
            event,
            expected_version: None,
        },
        now,
        public_url,
    )
    .await?;
    txn.commit().await?;
    super::outbox::wake();
    Ok(Some(Fired {
        case_id: row.case_id,
        timer: row.name,
        event: label,
    }))
}
