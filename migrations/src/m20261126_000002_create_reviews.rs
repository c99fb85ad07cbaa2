//! Reviews (a case from its referral onwards), the referral's facts, the boards and
//! agencies involved, the people of the review and the assignments on it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261126_000001_create_directory::{Agencies, Boards, Users};
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Reviews {
    Table,
    Id,
    Reference,
    Stage,
    LeadBoardId,
    ReferredBy,
    ReferredOn,
    DecidedOn,
    NotifiedToOfsted,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Referrals {
    Table,
    Id,
    ReviewId,
    Circumstances,
    Facts,
    LookedAfterByBoardId,
    NormalResidenceBoardId,
    LeadBoardReason,
}

#[derive(DeriveIden)]
enum ReviewBoards {
    Table,
    Id,
    ReviewId,
    BoardId,
    IsLead,
}

#[derive(DeriveIden)]
enum ReviewAgencies {
    Table,
    Id,
    ReviewId,
    AgencyId,
}

#[derive(DeriveIden)]
enum ReviewAssignments {
    Table,
    Id,
    ReviewId,
    UserId,
    Assignment,
    AgencyId,
    AppointedBy,
    AppointedAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
    ReviewId,
    Label,
    Relationship,
    Name,
    Aliases,
    DateOfBirth,
    Address,
    AgencyId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Reviews::Table)
                .col(pk_auto(Reviews::Id))
                .col(string_uniq(Reviews::Reference))
                .col(string(Reviews::Stage))
                .col(integer(Reviews::LeadBoardId))
                .col(integer(Reviews::ReferredBy))
                .col(date(Reviews::ReferredOn))
                .col(date_null(Reviews::DecidedOn))
                .col(boolean(Reviews::NotifiedToOfsted).default(false))
                .col(integer(Reviews::Version).default(1))
                .col(timestamp_with_time_zone(Reviews::CreatedAt))
                .col(timestamp_with_time_zone(Reviews::UpdatedAt))
                .foreign_key(&mut fk(Reviews::Table, Reviews::LeadBoardId, Boards::Table, ForeignKeyAction::Restrict))
                .foreign_key(&mut fk(Reviews::Table, Reviews::ReferredBy, Users::Table, ForeignKeyAction::Restrict))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Reviews::Table, "ix_reviews_lead_board", &["lead_board_id"], false)).await?;
        m.create_index(index(Reviews::Table, "ix_reviews_referred_by", &["referred_by"], false)).await?;
        m.create_table(
            Table::create()
                .table(Referrals::Table)
                .col(pk_auto(Referrals::Id))
                .col(integer_uniq(Referrals::ReviewId))
                .col(text(Referrals::Circumstances))
                .col(text(Referrals::Facts))
                .col(integer_null(Referrals::LookedAfterByBoardId))
                .col(integer(Referrals::NormalResidenceBoardId))
                .col(text(Referrals::LeadBoardReason))
                .foreign_key(&mut fk(Referrals::Table, Referrals::ReviewId, Reviews::Table, ForeignKeyAction::Cascade))
                .foreign_key(&mut fk(
                    Referrals::Table,
                    Referrals::LookedAfterByBoardId,
                    Boards::Table,
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    Referrals::Table,
                    Referrals::NormalResidenceBoardId,
                    Boards::Table,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ReviewBoards::Table)
                .col(pk_auto(ReviewBoards::Id))
                .col(integer(ReviewBoards::ReviewId))
                .col(integer(ReviewBoards::BoardId))
                .col(boolean(ReviewBoards::IsLead))
                .foreign_key(&mut fk(
                    ReviewBoards::Table,
                    ReviewBoards::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    ReviewBoards::Table,
                    ReviewBoards::BoardId,
                    Boards::Table,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(ReviewBoards::Table, "ux_review_boards", &["review_id", "board_id"], true)).await?;
        m.create_index(index(ReviewBoards::Table, "ix_review_boards_board", &["board_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(ReviewAgencies::Table)
                .col(pk_auto(ReviewAgencies::Id))
                .col(integer(ReviewAgencies::ReviewId))
                .col(integer(ReviewAgencies::AgencyId))
                .foreign_key(&mut fk(
                    ReviewAgencies::Table,
                    ReviewAgencies::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    ReviewAgencies::Table,
                    ReviewAgencies::AgencyId,
                    Agencies::Table,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(ReviewAgencies::Table, "ux_review_agencies", &["review_id", "agency_id"], true)).await?;
        m.create_index(index(ReviewAgencies::Table, "ix_review_agencies_agency", &["agency_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(ReviewAssignments::Table)
                .col(pk_auto(ReviewAssignments::Id))
                .col(integer(ReviewAssignments::ReviewId))
                .col(integer(ReviewAssignments::UserId))
                .col(string(ReviewAssignments::Assignment))
                .col(integer_null(ReviewAssignments::AgencyId))
                .col(integer(ReviewAssignments::AppointedBy))
                .col(timestamp_with_time_zone(ReviewAssignments::AppointedAt))
                .foreign_key(&mut fk(
                    ReviewAssignments::Table,
                    ReviewAssignments::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    ReviewAssignments::Table,
                    ReviewAssignments::UserId,
                    Users::Table,
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    ReviewAssignments::Table,
                    ReviewAssignments::AgencyId,
                    Agencies::Table,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            ReviewAssignments::Table,
            "ux_review_assignments",
            &["review_id", "user_id", "assignment"],
            true,
        ))
        .await?;
        m.create_index(index(ReviewAssignments::Table, "ix_review_assignments_user", &["user_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(People::Table)
                .col(pk_auto(People::Id))
                .col(integer(People::ReviewId))
                .col(string(People::Label))
                .col(string(People::Relationship))
                .col(string(People::Name))
                .col(text(People::Aliases))
                .col(date_null(People::DateOfBirth))
                .col(text_null(People::Address))
                .col(integer_null(People::AgencyId))
                .foreign_key(&mut fk(People::Table, People::ReviewId, Reviews::Table, ForeignKeyAction::Cascade))
                .foreign_key(&mut fk(People::Table, People::AgencyId, Agencies::Table, ForeignKeyAction::Restrict))
                .to_owned(),
        )
        .await?;
        m.create_index(index(People::Table, "ux_people_label", &["review_id", "label"], true)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            People::Table.into_iden(),
            ReviewAssignments::Table.into_iden(),
            ReviewAgencies::Table.into_iden(),
            ReviewBoards::Table.into_iden(),
            Referrals::Table.into_iden(),
            Reviews::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
