//! Working-day calendars as configured: a country's statutory holidays plus the adjustments
//! stored in `calendar_adjustment` (for the whole country, and for one institution).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::Deserialize;

use super::entity::calendar_adjustment as adj;
use super::entity::institution;
use crate::calendar::{Adjustments, Calendar, CountryCalendar, Holiday, YearlyDayOff};
use crate::model::AppError;

/// Adjustment kinds, as stored.
pub mod kind {
    pub const DAY_OFF: &str = "day_off";
    pub const YEARLY_DAY_OFF: &str = "yearly_day_off";
    pub const REMOVED_HOLIDAY: &str = "removed_holiday";
    pub const WORKING_DAY: &str = "working_day";
    pub const ALL: [&str; 4] = [DAY_OFF, YEARLY_DAY_OFF, REMOVED_HOLIDAY, WORKING_DAY];
}

/// The calendar `country` with the country-wide adjustments and, when given, the institution's.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    country: CountryCalendar,
    institution_id: Option<i64>,
) -> Result<Calendar, DbErr> {
    let mut scope = Condition::any().add(adj::Column::InstitutionId.is_null());
    if let Some(id) = institution_id {
        scope = scope.add(adj::Column::InstitutionId.eq(id));
    }
    let rows = adj::Entity::find()
        .filter(adj::Column::Calendar.eq(country.code()))
        .filter(scope)
        .order_by_asc(adj::Column::Date)
        .all(db)
        .await?;
    Ok(Calendar::with_adjustments(country, adjustments_from(rows)))
}

/// Folds stored rows into [`Adjustments`]; rows of an unknown kind are ignored.
pub fn adjustments_from(rows: Vec<adj::Model>) -> Adjustments {
    let mut a = Adjustments::default();
    for row in rows {
        match row.kind.as_str() {
            kind::DAY_OFF => a.days_off.push(Holiday {
                date: row.date,
                name: row.name,
            }),
            kind::YEARLY_DAY_OFF => a.yearly_days_off.push(YearlyDayOff {
                month: row.date.month(),
                day: row.date.day(),
                name: row.name,
            }),
            kind::REMOVED_HOLIDAY => a.removed_holidays.push(row.date),
            kind::WORKING_DAY => a.working_days.push(row.date),
            _ => {}
        }
    }
    a
}

/// One adjustment as written in a calendar file (`PETITIO_CALENDAR_FILE`):
///
/// ```toml
/// [[adjustment]]
/// calendar = "md"
/// kind = "day_off"            # day_off, yearly_day_off, removed_holiday, working_day
/// date = 2026-01-02
/// name = "Zi de odihnă transferată"
/// institution = "chisinau-dgass"   # optional: only this institution (its slug)
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdjustmentEntry {
    pub calendar: String,
    pub kind: String,
    pub date: NaiveDate,
    pub name: String,
    pub institution: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    calendar: String,
    kind: String,
    /// A TOML date (`2026-01-02`) or a string.
    date: toml::Value,
    name: String,
    #[serde(default)]
    institution: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdjustmentFile {
    #[serde(default)]
    adjustment: Vec<RawEntry>,
}

/// Parses a calendar file; a bad entry is named with its position.
pub fn parse_file(src: &str) -> Result<Vec<AdjustmentEntry>, String> {
    let file: AdjustmentFile = toml::from_str(src).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for (i, a) in file.adjustment.into_iter().enumerate() {
        let text = match &a.date {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) => d.to_string(),
            other => other.to_string(),
        };
        let date = NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
            format!(
                "adjustment {}: `{text}` is not a date like 2026-01-02",
                i + 1
            )
        })?;
        if a.calendar.parse::<CountryCalendar>().is_err() {
            return Err(format!(
                "adjustment {}: unknown calendar `{}` (md, ro)",
                i + 1,
                a.calendar
            ));
        }
        if !kind::ALL.contains(&a.kind.as_str()) {
            return Err(format!(
                "adjustment {}: unknown kind `{}` ({})",
                i + 1,
                a.kind,
                kind::ALL.join(", ")
            ));
        }
        if a.name.trim().is_empty() {
            return Err(format!("adjustment {}: the name is empty", i + 1));
        }
        out.push(AdjustmentEntry {
            calendar: a.calendar,
            kind: a.kind,
            date,
            name: a.name,
            institution: a.institution,
        });
    }
    Ok(out)
}

/// Stores the entries that are not stored yet (same calendar, institution, kind and date);
/// returns how many were added. Safe to run at every start. What it adds is recorded in the
/// portal's audit chain (a change of the configuration, from a file).
pub async fn import<C: super::audit::Connection>(
    db: &C,
    entries: &[AdjustmentEntry],
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let txn = db.begin().await?;
    let added = import_in(&txn, entries, now).await?;
    if !added.is_empty() {
        super::audit::record(
            &txn,
            super::audit::Entry::new("admin.calendar.import")
                .details(serde_json::json!({ "added": added })),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(added.len())
}

/// The import's rows, in the caller's transaction; the dates added (`calendar kind date`).
async fn import_in(
    db: &sea_orm::DatabaseTransaction,
    entries: &[AdjustmentEntry],
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let mut added = Vec::new();
    for a in entries {
        let institution_id = match &a.institution {
            None => None,
            Some(slug) => Some(
                institution::Entity::find()
                    .filter(institution::Column::Slug.eq(slug.as_str()))
                    .one(db)
                    .await?
                    .ok_or_else(|| {
                        AppError::BadRequest(format!("calendar file: unknown institution `{slug}`"))
                    })?
                    .id,
            ),
        };
        let mut q = adj::Entity::find()
            .filter(adj::Column::Calendar.eq(a.calendar.as_str()))
            .filter(adj::Column::Kind.eq(a.kind.as_str()))
            .filter(adj::Column::Date.eq(a.date));
        q = match institution_id {
            Some(id) => q.filter(adj::Column::InstitutionId.eq(id)),
            None => q.filter(adj::Column::InstitutionId.is_null()),
        };
        if q.one(db).await?.is_some() {
            continue;
        }
        adj::ActiveModel {
            calendar: Set(a.calendar.clone()),
            institution_id: Set(institution_id),
            kind: Set(a.kind.clone()),
            date: Set(a.date),
            name: Set(a.name.trim().to_string()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        added.push(format!("{} {} {}", a.calendar, a.kind, a.date));
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    #[test]
    fn calendar_files_are_checked() {
        let ok = "[[adjustment]]\ncalendar = \"md\"\nkind = \"day_off\"\ndate = 2026-01-02\nname = \"Transfer\"\n";
        assert_eq!(super::parse_file(ok).unwrap().len(), 1);
        let bad = ok.replace("day_off", "holiday");
        assert!(
            super::parse_file(&bad)
                .unwrap_err()
                .contains("unknown kind `holiday`")
        );
        let bad = ok.replace("\"md\"", "\"fr\"");
        assert!(
            super::parse_file(&bad)
                .unwrap_err()
                .contains("unknown calendar")
        );
        assert!(super::parse_file("[[adjustment]]\nfoo = 1\n").is_err());
    }
}
