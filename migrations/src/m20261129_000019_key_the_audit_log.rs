//! Each audit entry names the key its hash was made with (an HMAC-SHA-256 key from the
//! configuration, never stored here): an identifier derived from the key, not the key.
//! Entries without one were hashed with plain SHA-256.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    KeyId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(AuditLog::Table).add_column(string_null(AuditLog::KeyId)).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(AuditLog::Table).drop_column(AuditLog::KeyId).to_owned()).await
    }
}
