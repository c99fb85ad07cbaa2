//! Who read whose real identity, and when: one row per person, field and request in
//! which a caller was answered a name, an alias, a date of birth or an address.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IdentityReads {
    Table,
    Id,
    UserId,
    ReviewId,
    PersonId,
    Field,
    ReadAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(IdentityReads::Table)
                .col(pk_auto(IdentityReads::Id))
                .col(integer(IdentityReads::UserId))
                .col(integer(IdentityReads::ReviewId))
                .col(integer(IdentityReads::PersonId))
                .col(string(IdentityReads::Field))
                .col(timestamp_with_time_zone(IdentityReads::ReadAt))
                .to_owned(),
        )
        .await?;
        m.create_index(index(IdentityReads::Table, "ix_identity_reads_review", &["review_id", "person_id"], false))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(IdentityReads::Table).to_owned()).await
    }
}
