//! Failed sign-ins, by e-mail address, so that every `scr serve` instance on the same
//! database throttles the same account after repeated failures.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Email,
    FailedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LoginFailures::Table)
                .col(pk_auto(LoginFailures::Id))
                .col(string(LoginFailures::Email))
                .col(timestamp_with_time_zone(LoginFailures::FailedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(index(LoginFailures::Table, "ix_login_failures_email", &["email", "failed_at"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LoginFailures::Table).to_owned()).await
    }
}
