//! The outbox as administrators see it.

use serde::{Deserialize, Serialize};

/// One mail of the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: i64,
    pub created_at: String,
    pub to: String,
    pub template: String,
    pub subject: String,
    /// `pending`, `sending`, `sent`, `dead`
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: String,
    pub last_error: Option<String>,
    pub smtp_response: Option<String>,
    pub case_id: Option<i64>,
}

/// A page of the outbox, newest first, with the count of each status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub rows: Vec<OutboxRow>,
    pub counts: Vec<(String, u64)>,
    pub page: u64,
    pub has_next: bool,
}
