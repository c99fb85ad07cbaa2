//! The audit log becomes a hash chain: each entry carries the hash of the one before
//! it and its own, and `audit_head` holds the hash of the last, so an edited, removed
//! or truncated entry is found by `scr audit verify`. Entries written before this
//! migration are sealed into the chain by the backend when it next starts.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    Hash,
    Entries,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        m.alter_table(
            Table::alter().table(AuditLog::Table).add_column(string(AuditLog::PrevHash).default("")).to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(AuditLog::Table).add_column(string(AuditLog::Hash).default("")).to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table(AuditHead::Table)
                .col(pk_auto(AuditHead::Id))
                .col(string(AuditHead::Hash))
                .col(integer(AuditHead::Entries))
                .to_owned(),
        )
        .await?;
        let genesis = Query::insert()
            .into_table(AuditHead::Table)
            .columns([AuditHead::Id, AuditHead::Hash, AuditHead::Entries])
            .values_panic([1.into(), "".into(), 0.into()])
            .to_owned();
        m.exec_stmt(genesis).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AuditHead::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(AuditLog::Table).drop_column(AuditLog::Hash).to_owned()).await?;
        m.alter_table(Table::alter().table(AuditLog::Table).drop_column(AuditLog::PrevHash).to_owned()).await
    }
}
