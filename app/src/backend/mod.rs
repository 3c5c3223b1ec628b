//! Server-only code: database access, the service layer every caller goes through
//! (server functions, the JSON API, the CLI), password hashing and demo data.

pub mod api_clients;
pub mod attachments;
pub mod audit;
pub mod audit_admin;
pub mod auth;
pub mod calendars;
pub mod canned_answers;
pub mod case_actions;
pub mod cases;
pub mod citizen_filing;
pub mod clock;
pub mod data_rights;
pub mod db;
pub mod deadlines;
pub mod definitions;
pub mod entity;
pub mod error;
pub mod exports;
pub mod filing;
pub mod mail_hours;
pub mod mail_templates;
pub mod metrics;
pub mod multipart_form;
pub mod open311;
pub mod outbox;
pub mod outbox_admin;
pub mod password;
pub mod portal;
pub mod publication;
pub mod queues;
pub mod rating;
pub mod ref_cache;
pub mod reference;
pub mod registration;
pub mod retention;
pub mod search;
pub mod seed;
pub mod service_registry;
pub mod staff_case;
pub mod staff_digest;
pub mod state;
pub mod transitions;
pub mod webhooks;
pub mod workflow_view;

pub use state::{AppConfig, AppState};
