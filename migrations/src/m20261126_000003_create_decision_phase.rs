//! The records of the decision phase: criteria assessments, recommendations, the
//! Chair's decision, notifications, the set-up checklist and the terms of reference.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261126_000001_create_directory::{Agencies, Users};
use crate::m20261126_000002_create_reviews::Reviews;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CriteriaAssessments {
    Table,
    Id,
    ReviewId,
    Category,
    EngineCategory,
    Reasons,
    AssessedBy,
    AssessedAt,
}

#[derive(DeriveIden)]
enum Recommendations {
    Table,
    Id,
    ReviewId,
    Conduct,
    Alternative,
    Scope,
    Reasons,
    RecommendedBy,
    RecommendedAt,
}

#[derive(DeriveIden)]
enum Decisions {
    Table,
    Id,
    ReviewId,
    Conduct,
    Outcome,
    Reasons,
    DecidedBy,
    DecidedOn,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    ReviewId,
    Recipient,
    Subject,
    Reasons,
    SentOn,
    TermsSentOn,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
enum SetupChecklistItems {
    Table,
    Id,
    ReviewId,
    Item,
    AgencyId,
    Done,
    DoneOn,
    Note,
    DoneBy,
}

#[derive(DeriveIden)]
enum TermsOfReference {
    Table,
    Id,
    ReviewId,
    Version,
    Answers,
    SavedBy,
    SavedAt,
    ApprovedBy,
    ApprovedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CriteriaAssessments::Table)
                .col(pk_auto(CriteriaAssessments::Id))
                .col(integer(CriteriaAssessments::ReviewId))
                .col(string(CriteriaAssessments::Category))
                .col(string(CriteriaAssessments::EngineCategory))
                .col(text(CriteriaAssessments::Reasons))
                .col(integer(CriteriaAssessments::AssessedBy))
                .col(timestamp_with_time_zone(CriteriaAssessments::AssessedAt))
                .foreign_key(&mut fk(
                    CriteriaAssessments::Table,
                    CriteriaAssessments::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    CriteriaAssessments::Table,
                    CriteriaAssessments::AssessedBy,
                    Users::Table,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(CriteriaAssessments::Table, "ix_criteria_assessments_review", &["review_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table(Recommendations::Table)
                .col(pk_auto(Recommendations::Id))
                .col(integer_uniq(Recommendations::ReviewId))
                .col(boolean(Recommendations::Conduct))
                .col(string_null(Recommendations::Alternative))
                .col(text_null(Recommendations::Scope))
                .col(text(Recommendations::Reasons))
                .col(integer(Recommendations::RecommendedBy))
                .col(timestamp_with_time_zone(Recommendations::RecommendedAt))
                .foreign_key(&mut fk(
                    Recommendations::Table,
                    Recommendations::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    Recommendations::Table,
                    Recommendations::RecommendedBy,
                    Users::Table,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Decisions::Table)
                .col(pk_auto(Decisions::Id))
                .col(integer_uniq(Decisions::ReviewId))
                .col(boolean(Decisions::Conduct))
                .col(string_null(Decisions::Outcome))
                .col(text(Decisions::Reasons))
                .col(integer(Decisions::DecidedBy))
                .col(date(Decisions::DecidedOn))
                .foreign_key(&mut fk(Decisions::Table, Decisions::ReviewId, Reviews::Table, ForeignKeyAction::Cascade))
                .foreign_key(&mut fk(Decisions::Table, Decisions::DecidedBy, Users::Table, ForeignKeyAction::Restrict))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Notifications::Table)
                .col(pk_auto(Notifications::Id))
                .col(integer(Notifications::ReviewId))
                .col(string(Notifications::Recipient))
                .col(string(Notifications::Subject))
                .col(text_null(Notifications::Reasons))
                .col(date(Notifications::SentOn))
                .col(date_null(Notifications::TermsSentOn))
                .col(integer(Notifications::RecordedBy))
                .col(timestamp_with_time_zone(Notifications::RecordedAt))
                .foreign_key(&mut fk(
                    Notifications::Table,
                    Notifications::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    Notifications::Table,
                    Notifications::RecordedBy,
                    Users::Table,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Notifications::Table, "ix_notifications_review", &["review_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(SetupChecklistItems::Table)
                .col(pk_auto(SetupChecklistItems::Id))
                .col(integer(SetupChecklistItems::ReviewId))
                .col(string(SetupChecklistItems::Item))
                .col(integer_null(SetupChecklistItems::AgencyId))
                .col(boolean(SetupChecklistItems::Done).default(false))
                .col(date_null(SetupChecklistItems::DoneOn))
                .col(text_null(SetupChecklistItems::Note))
                .col(integer_null(SetupChecklistItems::DoneBy))
                .foreign_key(&mut fk(
                    SetupChecklistItems::Table,
                    SetupChecklistItems::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    SetupChecklistItems::Table,
                    SetupChecklistItems::AgencyId,
                    Agencies::Table,
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    SetupChecklistItems::Table,
                    SetupChecklistItems::DoneBy,
                    Users::Table,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(SetupChecklistItems::Table, "ix_setup_checklist_review", &["review_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(TermsOfReference::Table)
                .col(pk_auto(TermsOfReference::Id))
                .col(integer(TermsOfReference::ReviewId))
                .col(integer(TermsOfReference::Version))
                .col(text(TermsOfReference::Answers))
                .col(integer(TermsOfReference::SavedBy))
                .col(timestamp_with_time_zone(TermsOfReference::SavedAt))
                .col(integer_null(TermsOfReference::ApprovedBy))
                .col(timestamp_with_time_zone_null(TermsOfReference::ApprovedAt))
                .foreign_key(&mut fk(
                    TermsOfReference::Table,
                    TermsOfReference::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    TermsOfReference::Table,
                    TermsOfReference::SavedBy,
                    Users::Table,
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    TermsOfReference::Table,
                    TermsOfReference::ApprovedBy,
                    Users::Table,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        // Two saves of the same version cannot both land: the second fails here.
        m.create_index(index(
            TermsOfReference::Table,
            "ux_terms_of_reference_version",
            &["review_id", "version"],
            true,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            TermsOfReference::Table.into_iden(),
            SetupChecklistItems::Table.into_iden(),
            Notifications::Table.into_iden(),
            Decisions::Table.into_iden(),
            Recommendations::Table.into_iden(),
            CriteriaAssessments::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
