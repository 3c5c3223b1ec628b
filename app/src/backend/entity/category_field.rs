use sea_orm::entity::prelude::*;

/// A question a category asks beyond the standard ones (see the migration
/// `m20261201_000022_category_fields`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "category_field")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub category_id: i64,
    pub code: String,
    pub label_ro: String,
    pub label_ru: String,
    pub label_en: String,
    /// `text`, `number`, `date`, `choice`, `yes_no`
    pub field_type: String,
    pub required: bool,
    /// For `choice`: a JSON array of `{"value", "ro", "ru", "en"}`.
    pub options: Option<Json>,
    pub position: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
