//! Types shared by the browser and the server: views, forms and errors.

pub mod account;
pub mod audit;
pub mod calendar_admin;
pub mod case;
pub mod categories;
pub mod data_rights;
pub mod error;
pub mod filing;
pub mod mail;
pub mod mail_templates;
pub mod metrics;
pub mod org_admin;
pub mod portal;
pub mod publication;
pub mod queue;
pub mod services;
pub mod services_admin;
pub mod staff;
pub mod users_admin;
pub mod workflow_admin;
pub mod workflow_view;

pub use error::{AppError, FieldErrors};
