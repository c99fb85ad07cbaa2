//! The genogram: ties between the people of a review, and their households.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261126_000002_create_reviews::Reviews;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum People {
    Table,
}

#[derive(DeriveIden)]
enum Relationships {
    Table,
    Id,
    ReviewId,
    FromPersonId,
    ToPersonId,
    Tie,
}

#[derive(DeriveIden)]
enum Households {
    Table,
    Id,
    ReviewId,
    Label,
}

#[derive(DeriveIden)]
enum HouseholdMembers {
    Table,
    Id,
    HouseholdId,
    PersonId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Relationships::Table)
                .col(pk_auto(Relationships::Id))
                .col(integer(Relationships::ReviewId))
                .col(integer(Relationships::FromPersonId))
                .col(integer(Relationships::ToPersonId))
                .col(string(Relationships::Tie))
                .foreign_key(&mut fk(
                    Relationships::Table,
                    Relationships::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    Relationships::Table,
                    Relationships::FromPersonId,
                    People::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    Relationships::Table,
                    Relationships::ToPersonId,
                    People::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            Relationships::Table,
            "ux_relationships",
            &["review_id", "from_person_id", "to_person_id", "tie"],
            true,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(Households::Table)
                .col(pk_auto(Households::Id))
                .col(integer(Households::ReviewId))
                .col(string(Households::Label))
                .foreign_key(&mut fk(
                    Households::Table,
                    Households::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Households::Table, "ux_households_label", &["review_id", "label"], true)).await?;
        m.create_table(
            Table::create()
                .table(HouseholdMembers::Table)
                .col(pk_auto(HouseholdMembers::Id))
                .col(integer(HouseholdMembers::HouseholdId))
                .col(integer(HouseholdMembers::PersonId))
                .foreign_key(&mut fk(
                    HouseholdMembers::Table,
                    HouseholdMembers::HouseholdId,
                    Households::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    HouseholdMembers::Table,
                    HouseholdMembers::PersonId,
                    People::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(HouseholdMembers::Table, "ux_household_members", &["household_id", "person_id"], true))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [HouseholdMembers::Table.into_iden(), Households::Table.into_iden(), Relationships::Table.into_iden()]
        {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
