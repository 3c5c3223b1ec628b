//! sea-orm entities, one module per table of the core schema (see the `migrations` crate).

pub mod attachment;
pub mod auth_token;
pub mod calendar_adjustment;
pub mod canned_answer;
pub mod case_event;
pub mod case_note;
pub mod case_stats_daily;
pub mod case_timer;
pub mod category;
pub mod department;
pub mod institution;
pub mod mail_outbox;
pub mod mail_template_override;
pub mod pending_filing;
pub mod petition_case;
pub mod public_service;
pub mod rate_limit_hit;
pub mod registration_counter;
pub mod staff_digest;
pub mod staff_digest_item;
pub mod staff_mail_preference;
pub mod user;
pub mod user_role;
pub mod user_session;
pub mod workflow_definition;
