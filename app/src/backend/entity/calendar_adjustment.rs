use sea_orm::entity::prelude::*;

/// A change to a country calendar: a day off added (once or every year), a statutory holiday
/// removed, or a weekend day worked. `institution_id` null means the whole country.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_adjustment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub calendar: String,
    pub institution_id: Option<i64>,
    /// `day_off`, `yearly_day_off`, `removed_holiday`, `working_day`
    pub kind: String,
    pub date: Date,
    pub name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
