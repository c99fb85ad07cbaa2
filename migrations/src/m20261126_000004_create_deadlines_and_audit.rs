//! Deadlines with their extension history, and the audit log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261126_000001_create_directory::Users;
use crate::m20261126_000002_create_reviews::Reviews;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deadlines {
    Table,
    Id,
    ReviewId,
    Kind,
    StartsOn,
    DueOn,
    OriginalDueOn,
    MetOn,
}

#[derive(DeriveIden)]
enum DeadlineExtensions {
    Table,
    Id,
    DeadlineId,
    FromDue,
    ToDue,
    Reason,
    GrantedBy,
    GrantedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    Operation,
    RecordType,
    RecordId,
    ReviewId,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Deadlines::Table)
                .col(pk_auto(Deadlines::Id))
                .col(integer(Deadlines::ReviewId))
                .col(string(Deadlines::Kind))
                .col(date(Deadlines::StartsOn))
                .col(date(Deadlines::DueOn))
                .col(date(Deadlines::OriginalDueOn))
                .col(date_null(Deadlines::MetOn))
                .foreign_key(&mut fk(Deadlines::Table, Deadlines::ReviewId, Reviews::Table, ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Deadlines::Table, "ux_deadlines_kind", &["review_id", "kind"], true)).await?;
        m.create_index(index(Deadlines::Table, "ix_deadlines_due", &["due_on"], false)).await?;
        m.create_table(
            Table::create()
                .table(DeadlineExtensions::Table)
                .col(pk_auto(DeadlineExtensions::Id))
                .col(integer(DeadlineExtensions::DeadlineId))
                .col(date(DeadlineExtensions::FromDue))
                .col(date(DeadlineExtensions::ToDue))
                .col(text(DeadlineExtensions::Reason))
                .col(integer(DeadlineExtensions::GrantedBy))
                .col(timestamp_with_time_zone(DeadlineExtensions::GrantedAt))
                .foreign_key(&mut fk(
                    DeadlineExtensions::Table,
                    DeadlineExtensions::DeadlineId,
                    Deadlines::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    DeadlineExtensions::Table,
                    DeadlineExtensions::GrantedBy,
                    Users::Table,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(DeadlineExtensions::Table, "ix_deadline_extensions_deadline", &["deadline_id"], false))
            .await?;
        // No foreign keys: the audit log outlives what it records.
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(pk_auto(AuditLog::Id))
                .col(timestamp_with_time_zone(AuditLog::At))
                .col(integer_null(AuditLog::ActorId))
                .col(string(AuditLog::Operation))
                .col(string(AuditLog::RecordType))
                .col(integer(AuditLog::RecordId))
                .col(integer_null(AuditLog::ReviewId))
                .col(integer_null(AuditLog::Version))
                .to_owned(),
        )
        .await?;
        m.create_index(index(AuditLog::Table, "ix_audit_log_review", &["review_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [AuditLog::Table.into_iden(), DeadlineExtensions::Table.into_iden(), Deadlines::Table.into_iden()] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
