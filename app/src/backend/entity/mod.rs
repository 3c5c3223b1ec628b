//! sea-orm entities, one module per table of the core schema (see the `migrations` crate).

pub mod attachment;
pub mod calendar_adjustment;
pub mod case_event;
pub mod case_timer;
pub mod category;
pub mod department;
pub mod institution;
pub mod mail_outbox;
pub mod petition_case;
pub mod registration_counter;
pub mod user;
pub mod user_role;
pub mod workflow_definition;
