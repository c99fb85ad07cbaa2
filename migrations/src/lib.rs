//! The database schema, one file per migration, the same on SQLite and PostgreSQL.
//!
//! Tables hold records; the rules live in the `shared` crate and the backend's
//! services. Every migration has an `up` and a `down`.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_create_directory;
mod m20261126_000002_create_reviews;
mod m20261126_000003_create_decision_phase;
mod m20261126_000004_create_deadlines_and_audit;
mod m20261126_000005_create_genogram;
mod m20261126_000006_create_family_and_parallel;
mod m20261126_000007_create_review_documents;
mod m20261126_000008_create_completion;
mod m20261126_000009_create_action_evidence;
mod m20261126_000010_create_findings_and_notifications;
mod m20261126_000011_chain_the_audit_log;
mod m20261126_000012_create_login_failures;
mod m20261126_000013_create_identity_reads;
mod m20261129_000014_create_gate_overrides;
mod m20261129_000015_accounts_and_organisations;
mod m20261129_000016_create_grant_proposals;
mod m20261129_000017_create_one_time_links;
mod m20261129_000018_private_passwords;
mod m20261129_000019_key_the_audit_log;
mod m20261129_000020_bind_external_identities;
mod m20261130_000021_sessions_and_second_factor;
mod m20261130_000022_index_scope_and_sort;
mod m20261130_000023_index_action_order;
mod m20261130_000024_event_dates_and_calendars;
mod m20261130_000025_procedure_profiles;
mod m20261130_000026_terms_approved_on;
mod m20261130_000027_appointment_and_imr_dates;

/// Runs the migrations in order.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_create_directory::Migration),
            Box::new(m20261126_000002_create_reviews::Migration),
            Box::new(m20261126_000003_create_decision_phase::Migration),
            Box::new(m20261126_000004_create_deadlines_and_audit::Migration),
            Box::new(m20261126_000005_create_genogram::Migration),
            Box::new(m20261126_000006_create_family_and_parallel::Migration),
            Box::new(m20261126_000007_create_review_documents::Migration),
            Box::new(m20261126_000008_create_completion::Migration),
            Box::new(m20261126_000009_create_action_evidence::Migration),
            Box::new(m20261126_000010_create_findings_and_notifications::Migration),
            Box::new(m20261126_000011_chain_the_audit_log::Migration),
            Box::new(m20261126_000012_create_login_failures::Migration),
            Box::new(m20261126_000013_create_identity_reads::Migration),
            Box::new(m20261129_000014_create_gate_overrides::Migration),
            Box::new(m20261129_000015_accounts_and_organisations::Migration),
            Box::new(m20261129_000016_create_grant_proposals::Migration),
            Box::new(m20261129_000017_create_one_time_links::Migration),
            Box::new(m20261129_000018_private_passwords::Migration),
            Box::new(m20261129_000019_key_the_audit_log::Migration),
            Box::new(m20261129_000020_bind_external_identities::Migration),
            Box::new(m20261130_000021_sessions_and_second_factor::Migration),
            Box::new(m20261130_000022_index_scope_and_sort::Migration),
            Box::new(m20261130_000023_index_action_order::Migration),
            Box::new(m20261130_000024_event_dates_and_calendars::Migration),
            Box::new(m20261130_000025_procedure_profiles::Migration),
            Box::new(m20261130_000026_terms_approved_on::Migration),
            Box::new(m20261130_000027_appointment_and_imr_dates::Migration),
        ]
    }
}

/// A foreign key from `table.column` to `to.id`, named after both.
pub(crate) fn fk(
    table: impl IntoIden,
    column: impl IntoIden,
    to: impl IntoIden,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    let (table, column) = (table.into_iden(), column.into_iden());
    let name = format!("fk_{table}_{column}");
    ForeignKey::create().name(name).from(table, column).to(to, Alias::new("id")).on_delete(on_delete).to_owned()
}

/// An index over `columns` of `table`, unique when asked.
pub(crate) fn index(table: impl IntoIden, name: &str, columns: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in columns {
        i.col(Alias::new(*c));
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}
