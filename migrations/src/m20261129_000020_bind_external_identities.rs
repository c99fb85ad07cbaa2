//! An account bound to an identity provider's subject: `(issuer, subject)` names one
//! account, bound on the first sign-in by a verified e-mail address, and never by the
//! e-mail alone afterwards.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261126_000001_create_directory::Users;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ExternalIdentities {
    Table,
    Id,
    UserId,
    Issuer,
    Subject,
    BoundAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ExternalIdentities::Table)
                .col(pk_auto(ExternalIdentities::Id))
                .col(integer(ExternalIdentities::UserId))
                .col(string(ExternalIdentities::Issuer))
                .col(string(ExternalIdentities::Subject))
                .col(timestamp_with_time_zone(ExternalIdentities::BoundAt))
                .foreign_key(&mut fk(
                    ExternalIdentities::Table,
                    ExternalIdentities::UserId,
                    Users::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            ExternalIdentities::Table,
            "ux_external_identities_subject",
            &["issuer", "subject"],
            true,
        ))
        .await?;
        m.create_index(index(ExternalIdentities::Table, "ux_external_identities_user", &["user_id", "issuer"], true))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ExternalIdentities::Table).to_owned()).await
    }
}
