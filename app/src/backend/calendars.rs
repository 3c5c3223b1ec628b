//! Working-day calendars as configured: a country's statutory holidays plus the adjustments
//! stored in `calendar_adjustment` (for the whole country, and for one institution).

use chrono::Datelike;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use super::entity::calendar_adjustment as adj;
use crate::calendar::{Adjustments, Calendar, CountryCalendar, Holiday, YearlyDayOff};

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
