//! Two pairs of eyes on access to case content: a grant of a role that reads names in
//! full (or of the administrator's role, which approves such grants) is proposed by one
//! person and takes effect when a second one approves it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261126_000001_create_directory::Users;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum GrantProposals {
    Table,
    Id,
    UserId,
    Role,
    BoardId,
    AgencyId,
    ProposedBy,
    ProposedAt,
    DecidedBy,
    DecidedAt,
    Outcome,
    Reason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(GrantProposals::Table)
                .col(pk_auto(GrantProposals::Id))
                .col(integer(GrantProposals::UserId))
                .col(string(GrantProposals::Role))
                .col(integer_null(GrantProposals::BoardId))
                .col(integer_null(GrantProposals::AgencyId))
                .col(integer_null(GrantProposals::ProposedBy))
                .col(timestamp_with_time_zone(GrantProposals::ProposedAt))
                .col(integer_null(GrantProposals::DecidedBy))
                .col(timestamp_with_time_zone_null(GrantProposals::DecidedAt))
                .col(string_null(GrantProposals::Outcome))
                .col(text_null(GrantProposals::Reason))
                .foreign_key(&mut fk(
                    GrantProposals::Table,
                    GrantProposals::UserId,
                    Users::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(GrantProposals::Table, "ix_grant_proposals_user", &["user_id"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(GrantProposals::Table).to_owned()).await
    }
}
