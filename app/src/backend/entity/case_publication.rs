use sea_orm::entity::prelude::*;

/// The published, redacted version of a case (`backend::publication`): what the public pages,
/// the public search and Open311 show of it. A redaction stands in the texts as
/// [`crate::backend::publication::TOKEN`].
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_publication")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub institution_id: i64,
    pub subject: String,
    pub body: String,
    /// The place the case is about, redacted.
    pub address: Option<String>,
    /// The latest answer, redacted.
    pub answer: Option<String>,
    /// Number, subject, text and answer of the redacted version, folded for search.
    pub search_text: String,
    pub redactions: i32,
    pub published_by: Option<i64>,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
