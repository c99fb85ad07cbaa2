//! One-time links: an invitation to set one's first password, or a password reset an
//! administrator started. Stored only as a hash of the token; each expires and is used
//! once, and a deactivation voids every link of the account.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261126_000001_create_directory::Users;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OneTimeLinks {
    Table,
    Id,
    UserId,
    Purpose,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OneTimeLinks::Table)
                .col(pk_auto(OneTimeLinks::Id))
                .col(integer(OneTimeLinks::UserId))
                .col(string(OneTimeLinks::Purpose))
                .col(string(OneTimeLinks::TokenHash))
                .col(timestamp_with_time_zone(OneTimeLinks::ExpiresAt))
                .col(timestamp_with_time_zone_null(OneTimeLinks::UsedAt))
                .col(integer_null(OneTimeLinks::CreatedBy))
                .col(timestamp_with_time_zone(OneTimeLinks::CreatedAt))
                .foreign_key(&mut fk(
                    OneTimeLinks::Table,
                    OneTimeLinks::UserId,
                    Users::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(OneTimeLinks::Table, "ux_one_time_links_token_hash", &["token_hash"], true)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(OneTimeLinks::Table).to_owned()).await
    }
}
