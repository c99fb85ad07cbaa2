//! Procedure profiles and the rapid review.
//!
//! A review keeps the procedure it started under (`reviews.profile`; every review
//! before this migration ran the 2010 procedure). The rapid review of the 2023 route
//! keeps one row a review, filled in step by step, each event with the date it happened
//! and who recorded it; each involved agency's information for it is a row of its own.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261126_000001_create_directory::{Agencies, Users};
use crate::m20261126_000002_create_reviews::Reviews;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Added {
    Profile,
}

#[derive(DeriveIden)]
enum RapidReviews {
    Table,
    Id,
    ReviewId,
    NotifiedOn,
    NotifiedBy,
    InformationRequestedOn,
    MeetingOn,
    MeetingNotes,
    Commission,
    Reasons,
    DecidedOn,
    DecidedBy,
    SentOn,
    PanelResponse,
    PanelRespondedOn,
    Learning,
    ClosedOn,
    CommissionedOn,
}

#[derive(DeriveIden)]
enum RapidReviewInformation {
    Table,
    Id,
    ReviewId,
    AgencyId,
    RequestedOn,
    ReturnedOn,
    Summary,
    ReturnedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Reviews::Table)
                .add_column(string(Added::Profile).default("serious_case_review_2010"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RapidReviews::Table)
                .col(pk_auto(RapidReviews::Id))
                .col(integer(RapidReviews::ReviewId))
                .col(date(RapidReviews::NotifiedOn))
                .col(integer(RapidReviews::NotifiedBy))
                .col(date_null(RapidReviews::InformationRequestedOn))
                .col(date_null(RapidReviews::MeetingOn))
                .col(text_null(RapidReviews::MeetingNotes))
                .col(boolean_null(RapidReviews::Commission))
                .col(text_null(RapidReviews::Reasons))
                .col(date_null(RapidReviews::DecidedOn))
                .col(integer_null(RapidReviews::DecidedBy))
                .col(date_null(RapidReviews::SentOn))
                .col(text_null(RapidReviews::PanelResponse))
                .col(date_null(RapidReviews::PanelRespondedOn))
                .col(text_null(RapidReviews::Learning))
                .col(date_null(RapidReviews::ClosedOn))
                .col(date_null(RapidReviews::CommissionedOn))
                .foreign_key(&mut fk(
                    RapidReviews::Table,
                    RapidReviews::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    RapidReviews::Table,
                    RapidReviews::NotifiedBy,
                    Users::Table,
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    RapidReviews::Table,
                    RapidReviews::DecidedBy,
                    Users::Table,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(RapidReviews::Table, "ux_rapid_reviews_review", &["review_id"], true)).await?;
        m.create_table(
            Table::create()
                .table(RapidReviewInformation::Table)
                .col(pk_auto(RapidReviewInformation::Id))
                .col(integer(RapidReviewInformation::ReviewId))
                .col(integer(RapidReviewInformation::AgencyId))
                .col(date(RapidReviewInformation::RequestedOn))
                .col(date_null(RapidReviewInformation::ReturnedOn))
                .col(text_null(RapidReviewInformation::Summary))
                .col(integer_null(RapidReviewInformation::ReturnedBy))
                .foreign_key(&mut fk(
                    RapidReviewInformation::Table,
                    RapidReviewInformation::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    RapidReviewInformation::Table,
                    RapidReviewInformation::AgencyId,
                    Agencies::Table,
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    RapidReviewInformation::Table,
                    RapidReviewInformation::ReturnedBy,
                    Users::Table,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            RapidReviewInformation::Table,
            "ux_rapid_review_information_agency",
            &["review_id", "agency_id"],
            true,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RapidReviewInformation::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(RapidReviews::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Reviews::Table).drop_column(Added::Profile).to_owned()).await
    }
}
