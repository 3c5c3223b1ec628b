use sea_orm::entity::prelude::*;

/// A case filed through Open311: the client that filed it, the SHA-256 of the token the POST
/// answered with, and the location as the client gave it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "open311_request")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub api_client_id: Option<i64>,
    pub token_hash: String,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub address_id: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
