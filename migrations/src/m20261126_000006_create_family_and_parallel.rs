//! Parallel processes (criminal proceedings, inquests...) and the family's
//! contributions to a review.

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
enum ParallelProcesses {
    Table,
    Id,
    ReviewId,
    Kind,
    Status,
    Description,
    ExpectedEnd,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FamilyContributions {
    Table,
    Id,
    ReviewId,
    PersonId,
    ContributedOn,
    Method,
    Summary,
    RecordedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ParallelProcesses::Table)
                .col(pk_auto(ParallelProcesses::Id))
                .col(integer(ParallelProcesses::ReviewId))
                .col(string(ParallelProcesses::Kind))
                .col(string(ParallelProcesses::Status))
                .col(text(ParallelProcesses::Description))
                .col(date_null(ParallelProcesses::ExpectedEnd))
                .col(timestamp_with_time_zone(ParallelProcesses::UpdatedAt))
                .foreign_key(&mut fk(
                    ParallelProcesses::Table,
                    ParallelProcesses::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(ParallelProcesses::Table, "ix_parallel_processes_review", &["review_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(FamilyContributions::Table)
                .col(pk_auto(FamilyContributions::Id))
                .col(integer(FamilyContributions::ReviewId))
                .col(integer_null(FamilyContributions::PersonId))
                .col(date(FamilyContributions::ContributedOn))
                .col(string(FamilyContributions::Method))
                .col(text(FamilyContributions::Summary))
                .col(integer(FamilyContributions::RecordedBy))
                .foreign_key(&mut fk(
                    FamilyContributions::Table,
                    FamilyContributions::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    FamilyContributions::Table,
                    FamilyContributions::PersonId,
                    People::Table,
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(FamilyContributions::Table, "ix_family_contributions_review", &["review_id"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [FamilyContributions::Table.into_iden(), ParallelProcesses::Table.into_iden()] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
