//! Database migrations for Petitio. They run unchanged on SQLite and PostgreSQL:
//! only portable column types and plain indexes are used here.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_core_schema;
mod m20261122_000002_workflow;
mod m20261123_000003_accounts;
mod m20261123_000004_rating;
mod m20261123_000005_pending_filing;
mod m20261123_000006_service_registry;
mod m20261123_000007_case_search;
mod m20261123_000008_officer_workspace;
mod m20261123_000009_mail_templates;
mod m20261124_000010_staff_digest;
mod m20261124_000011_case_metrics;
mod m20261126_000012_metrics_covering;
mod m20261126_000013_api_clients;
mod m20261126_000014_open311_requests;
mod m20261126_000015_webhooks;
mod m20261126_000016_idempotency_keys;
mod m20261127_000017_audit_trail;
mod m20261127_000018_case_publication;
mod m20261128_000019_data_rights;
mod m20261129_000020_routing_rules;
mod m20261130_000021_workflow_admin;
mod m20261201_000022_category_fields;
mod m20261202_000023_outbox_by_case;
mod util;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_core_schema::Migration),
            Box::new(m20261122_000002_workflow::Migration),
            Box::new(m20261123_000003_accounts::Migration),
            Box::new(m20261123_000004_rating::Migration),
            Box::new(m20261123_000005_pending_filing::Migration),
            Box::new(m20261123_000006_service_registry::Migration),
            Box::new(m20261123_000007_case_search::Migration),
            Box::new(m20261123_000008_officer_workspace::Migration),
            Box::new(m20261123_000009_mail_templates::Migration),
            Box::new(m20261124_000010_staff_digest::Migration),
            Box::new(m20261124_000011_case_metrics::Migration),
            Box::new(m20261126_000012_metrics_covering::Migration),
            Box::new(m20261126_000013_api_clients::Migration),
            Box::new(m20261126_000014_open311_requests::Migration),
            Box::new(m20261126_000015_webhooks::Migration),
            Box::new(m20261126_000016_idempotency_keys::Migration),
            Box::new(m20261127_000017_audit_trail::Migration),
            Box::new(m20261127_000018_case_publication::Migration),
            Box::new(m20261128_000019_data_rights::Migration),
            Box::new(m20261129_000020_routing_rules::Migration),
            Box::new(m20261130_000021_workflow_admin::Migration),
            Box::new(m20261201_000022_category_fields::Migration),
            Box::new(m20261202_000023_outbox_by_case::Migration),
        ]
    }
}
