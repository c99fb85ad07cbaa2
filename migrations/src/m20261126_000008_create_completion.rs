//! The completion phase: dated milestones (quality assurance, approval, submission,
//! letters, evaluation, meetings, publication, notices), the amendments Ofsted asks
//! for, and the action plan with each action's progress.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261126_000002_create_reviews::Reviews;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Milestones {
    Table,
    Id,
    ReviewId,
    Kind,
    Body,
    OnDate,
    Details,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Amendments {
    Table,
    Id,
    ReviewId,
    Description,
    DoneOn,
    DoneBy,
}

#[derive(DeriveIden)]
enum Actions {
    Table,
    Id,
    ReviewId,
    Recommendation,
    AgencyId,
    OwnerId,
    DueOn,
    IntendedOutcome,
    SuccessMeasure,
    Status,
    SignedUpBy,
    SignedUpAt,
    ClosureComment,
    ClosedBy,
    ClosedAt,
    ReauditOn,
    ReauditResult,
    Version,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ActionUpdates {
    Table,
    Id,
    ActionId,
    Note,
    RecordedBy,
    RecordedAt,
}

fn review_fk(t: impl IntoIden) -> ForeignKeyCreateStatement {
    fk(t, Alias::new("review_id"), Reviews::Table, ForeignKeyAction::Cascade)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Milestones::Table)
                .col(pk_auto(Milestones::Id))
                .col(integer(Milestones::ReviewId))
                .col(string(Milestones::Kind))
                .col(string(Milestones::Body))
                .col(date(Milestones::OnDate))
                .col(text(Milestones::Details))
                .col(integer(Milestones::RecordedBy))
                .col(timestamp_with_time_zone(Milestones::RecordedAt))
                .foreign_key(&mut review_fk(Milestones::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Milestones::Table, "ix_milestones_review", &["review_id", "kind"], false)).await?;
        m.create_table(
            Table::create()
                .table(Amendments::Table)
                .col(pk_auto(Amendments::Id))
                .col(integer(Amendments::ReviewId))
                .col(text(Amendments::Description))
                .col(date_null(Amendments::DoneOn))
                .col(integer_null(Amendments::DoneBy))
                .foreign_key(&mut review_fk(Amendments::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Amendments::Table, "ix_amendments_review", &["review_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(Actions::Table)
                .col(pk_auto(Actions::Id))
                .col(integer(Actions::ReviewId))
                .col(text(Actions::Recommendation))
                .col(integer(Actions::AgencyId))
                .col(integer(Actions::OwnerId))
                .col(date(Actions::DueOn))
                .col(text(Actions::IntendedOutcome))
                .col(text(Actions::SuccessMeasure))
                .col(string(Actions::Status))
                .col(integer_null(Actions::SignedUpBy))
                .col(timestamp_with_time_zone_null(Actions::SignedUpAt))
                .col(text_null(Actions::ClosureComment))
                .col(integer_null(Actions::ClosedBy))
                .col(timestamp_with_time_zone_null(Actions::ClosedAt))
                .col(date_null(Actions::ReauditOn))
                .col(text_null(Actions::ReauditResult))
                .col(integer(Actions::Version))
                .col(timestamp_with_time_zone(Actions::CreatedAt))
                .foreign_key(&mut review_fk(Actions::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Actions::Table, "ix_actions_review", &["review_id"], false)).await?;
        m.create_index(index(Actions::Table, "ix_actions_owner", &["owner_id", "status"], false)).await?;
        m.create_table(
            Table::create()
                .table(ActionUpdates::Table)
                .col(pk_auto(ActionUpdates::Id))
                .col(integer(ActionUpdates::ActionId))
                .col(text(ActionUpdates::Note))
                .col(integer(ActionUpdates::RecordedBy))
                .col(timestamp_with_time_zone(ActionUpdates::RecordedAt))
                .foreign_key(&mut fk(
                    ActionUpdates::Table,
                    ActionUpdates::ActionId,
                    Actions::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(ActionUpdates::Table, "ix_action_updates_action", &["action_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ActionUpdates::Table.into_iden(),
            Actions::Table.into_iden(),
            Amendments::Table.into_iden(),
            Milestones::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
