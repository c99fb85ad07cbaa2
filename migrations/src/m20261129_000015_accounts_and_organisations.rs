//! Accounts through their whole life and organisations after the first: a session
//! generation and a calendar generation on each user (raised to revoke every token
//! issued before), the last sign-in, agencies that can be closed (kept on old reviews,
//! gone from every picker), the local authority areas each board covers, and names
//! that are unique where a person picks by name.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261126_000001_create_directory::{Agencies, Boards, Users};
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UserLife {
    SessionGeneration,
    CalendarGeneration,
    LastSignInAt,
}

#[derive(DeriveIden)]
enum AgencyLife {
    Active,
}

#[derive(DeriveIden)]
enum LocalAuthorityAreas {
    Table,
    Id,
    Name,
    BoardId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column a statement.
        m.alter_table(
            Table::alter().table(Users::Table).add_column(integer(UserLife::SessionGeneration).default(0)).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(Users::Table).add_column(integer(UserLife::CalendarGeneration).default(0)).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(timestamp_with_time_zone_null(UserLife::LastSignInAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(Agencies::Table).add_column(boolean(AgencyLife::Active).default(true)).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LocalAuthorityAreas::Table)
                .col(pk_auto(LocalAuthorityAreas::Id))
                .col(string(LocalAuthorityAreas::Name))
                .col(integer(LocalAuthorityAreas::BoardId))
                .foreign_key(&mut fk(
                    LocalAuthorityAreas::Table,
                    LocalAuthorityAreas::BoardId,
                    Boards::Table,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(LocalAuthorityAreas::Table, "ux_local_authority_areas_name", &["name"], true)).await?;
        m.create_index(index(Boards::Table, "ux_boards_name", &["name"], true)).await?;
        m.create_index(index(Agencies::Table, "ux_agencies_board_name", &["board_id", "name"], true)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ux_agencies_board_name").table(Agencies::Table).to_owned()).await?;
        m.drop_index(Index::drop().name("ux_boards_name").table(Boards::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(LocalAuthorityAreas::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Agencies::Table).drop_column(AgencyLife::Active).to_owned()).await?;
        for c in [UserLife::LastSignInAt, UserLife::CalendarGeneration, UserLife::SessionGeneration] {
            m.alter_table(Table::alter().table(Users::Table).drop_column(c).to_owned()).await?;
        }
        Ok(())
    }
}
