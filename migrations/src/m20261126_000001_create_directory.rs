//! Boards, agencies, users and the roles granted to them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Boards {
    Table,
    Id,
    Name,
    ProcedureProfile,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum Agencies {
    Table,
    Id,
    Name,
    Kind,
    BoardId,
}

#[derive(DeriveIden)]
pub enum Users {
    Table,
    Id,
    Email,
    Name,
    JobTitle,
    PasswordHash,
    AgencyId,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum RoleGrants {
    Table,
    Id,
    UserId,
    Role,
    BoardId,
    AgencyId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Boards::Table)
                .col(pk_auto(Boards::Id))
                .col(string_uniq(Boards::Name))
                .col(text(Boards::ProcedureProfile))
                .col(timestamp_with_time_zone(Boards::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Agencies::Table)
                .col(pk_auto(Agencies::Id))
                .col(string_uniq(Agencies::Name))
                .col(string(Agencies::Kind))
                .col(integer(Agencies::BoardId))
                .foreign_key(&mut fk(Agencies::Table, Agencies::BoardId, Boards::Table, ForeignKeyAction::Restrict))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(pk_auto(Users::Id))
                .col(string_uniq(Users::Email))
                .col(string(Users::Name))
                .col(string_null(Users::JobTitle))
                .col(string(Users::PasswordHash))
                .col(integer_null(Users::AgencyId))
                .col(boolean(Users::Active).default(true))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .foreign_key(&mut fk(Users::Table, Users::AgencyId, Agencies::Table, ForeignKeyAction::Restrict))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RoleGrants::Table)
                .col(pk_auto(RoleGrants::Id))
                .col(integer(RoleGrants::UserId))
                .col(string(RoleGrants::Role))
                .col(integer_null(RoleGrants::BoardId))
                .col(integer_null(RoleGrants::AgencyId))
                .foreign_key(&mut fk(RoleGrants::Table, RoleGrants::UserId, Users::Table, ForeignKeyAction::Cascade))
                .foreign_key(&mut fk(RoleGrants::Table, RoleGrants::BoardId, Boards::Table, ForeignKeyAction::Restrict))
                .foreign_key(&mut fk(
                    RoleGrants::Table,
                    RoleGrants::AgencyId,
                    Agencies::Table,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(RoleGrants::Table, "ix_role_grants_user", &["user_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            RoleGrants::Table.into_iden(),
            Users::Table.into_iden(),
            Agencies::Table.into_iden(),
            Boards::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
