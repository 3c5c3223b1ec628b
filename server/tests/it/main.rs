//! Integration tests: one binary (faster to link), the real server over HTTP.
//! Database tests run twice: on SQLite and on PostgreSQL (see `helpers::Db`).

#![allow(clippy::unwrap_used)]

mod helpers;

mod accounts;
mod accounts_support;
mod audit;
mod backup;
mod calendar_admin;
mod categories_admin;
mod citizen_portal;
mod data_rights;
mod database;
mod demo_seed;
mod desk;
mod filing;
mod hostile;
mod hostile_attachments;
mod idempotency;
mod lifecycle;
mod limits;
mod mail;
mod mail_hours;
mod mail_templates_admin;
mod metrics;
mod notifications;
mod open311;
mod openapi;
mod org_admin;
mod outbox;
mod outbox_admin;
mod pages;
mod prefs;
mod publication;
mod queues;
mod reference;
mod services_admin;
mod users_admin;
mod webhooks;
mod workflow;
mod workflow_admin;
