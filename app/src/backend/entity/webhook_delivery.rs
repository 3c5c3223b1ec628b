use sea_orm::entity::prelude::*;

/// One event for one webhook: the outbox row the webhook sender delivers.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_delivery")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub webhook_id: i64,
    /// The event's UUID (the body's `id` and the `X-Petitio-Delivery` header).
    pub event_id: String,
    /// `filed`, `transition` or `answered`.
    pub event_type: String,
    pub case_id: i64,
    /// The JSON body, byte for byte as posted.
    pub payload: String,
    /// `pending`, `sending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub delivered_at: Option<DateTimeUtc>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
