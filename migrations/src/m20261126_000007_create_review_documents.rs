//! The review phase's documents: each agency's IMR with its saved versions and its
//! chronology, the links the panel makes between entries, the overview report with
//! the agencies' confirmations, and the executive summary.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261126_000002_create_reviews::Reviews;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Agencies {
    Table,
}

#[derive(DeriveIden)]
enum Imrs {
    Table,
    Id,
    ReviewId,
    AgencyId,
    Status,
    DueOn,
    RequestedBy,
    RequestedAt,
    AuthorId,
    DesignatedBy,
    DeclaredAt,
    Version,
    Content,
    SubmittedAt,
    PanelComments,
    DecidedBy,
    DecidedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ImrVersions {
    Table,
    Id,
    ImrId,
    Version,
    Content,
    SavedBy,
    SavedAt,
}

#[derive(DeriveIden)]
enum ChronologyEntries {
    Table,
    Id,
    ReviewId,
    ImrId,
    AgencyId,
    OnDate,
    AtTime,
    Precision,
    Sequence,
    PractitionerRole,
    Event,
    DecisionOrAction,
    ChildSeen,
    SeenAlone,
    WishesSought,
    PerpetratorContact,
    Source,
    People,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ChronologyLinks {
    Table,
    Id,
    ReviewId,
    EntryA,
    EntryB,
    Note,
    LinkedBy,
    LinkedAt,
}

/// The executive summary's table has the same columns.
#[derive(DeriveIden)]
enum OverviewReports {
    Table,
    Id,
    ReviewId,
    Version,
    Sections,
    SavedBy,
    SavedAt,
}

#[derive(DeriveIden)]
enum ReportConfirmations {
    Table,
    Id,
    ReviewId,
    AgencyId,
    ReportVersion,
    Comment,
    ConfirmedBy,
    ConfirmedAt,
}

#[derive(DeriveIden)]
enum ExecutiveSummaries {
    Table,
}

fn review_fk(t: impl IntoIden) -> ForeignKeyCreateStatement {
    fk(t, Alias::new("review_id"), Reviews::Table, ForeignKeyAction::Cascade)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Imrs::Table)
                .col(pk_auto(Imrs::Id))
                .col(integer(Imrs::ReviewId))
                .col(integer(Imrs::AgencyId))
                .col(string(Imrs::Status))
                .col(date(Imrs::DueOn))
                .col(integer(Imrs::RequestedBy))
                .col(timestamp_with_time_zone(Imrs::RequestedAt))
                .col(integer_null(Imrs::AuthorId))
                .col(integer_null(Imrs::DesignatedBy))
                .col(timestamp_with_time_zone_null(Imrs::DeclaredAt))
                .col(integer(Imrs::Version))
                .col(text(Imrs::Content))
                .col(timestamp_with_time_zone_null(Imrs::SubmittedAt))
                .col(text_null(Imrs::PanelComments))
                .col(integer_null(Imrs::DecidedBy))
                .col(timestamp_with_time_zone_null(Imrs::DecidedAt))
                .col(timestamp_with_time_zone(Imrs::UpdatedAt))
                .foreign_key(&mut review_fk(Imrs::Table))
                .foreign_key(&mut fk(Imrs::Table, Imrs::AgencyId, Agencies::Table, ForeignKeyAction::Restrict))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Imrs::Table, "ux_imrs_review_agency", &["review_id", "agency_id"], true)).await?;
        m.create_table(
            Table::create()
                .table(ImrVersions::Table)
                .col(pk_auto(ImrVersions::Id))
                .col(integer(ImrVersions::ImrId))
                .col(integer(ImrVersions::Version))
                .col(text(ImrVersions::Content))
                .col(integer(ImrVersions::SavedBy))
                .col(timestamp_with_time_zone(ImrVersions::SavedAt))
                .foreign_key(&mut fk(ImrVersions::Table, ImrVersions::ImrId, Imrs::Table, ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index(ImrVersions::Table, "ux_imr_versions", &["imr_id", "version"], true)).await?;
        m.create_table(
            Table::create()
                .table(ChronologyEntries::Table)
                .col(pk_auto(ChronologyEntries::Id))
                .col(integer(ChronologyEntries::ReviewId))
                .col(integer(ChronologyEntries::ImrId))
                .col(integer(ChronologyEntries::AgencyId))
                .col(date(ChronologyEntries::OnDate))
                .col(time_null(ChronologyEntries::AtTime))
                .col(string(ChronologyEntries::Precision))
                .col(integer(ChronologyEntries::Sequence))
                .col(string(ChronologyEntries::PractitionerRole))
                .col(text(ChronologyEntries::Event))
                .col(text(ChronologyEntries::DecisionOrAction))
                .col(boolean(ChronologyEntries::ChildSeen))
                .col(boolean(ChronologyEntries::SeenAlone))
                .col(boolean(ChronologyEntries::WishesSought))
                .col(boolean(ChronologyEntries::PerpetratorContact))
                .col(string(ChronologyEntries::Source))
                .col(text(ChronologyEntries::People))
                .col(integer(ChronologyEntries::Version))
                .col(timestamp_with_time_zone(ChronologyEntries::UpdatedAt))
                .foreign_key(&mut review_fk(ChronologyEntries::Table))
                .foreign_key(&mut fk(
                    ChronologyEntries::Table,
                    ChronologyEntries::ImrId,
                    Imrs::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            ChronologyEntries::Table,
            "ix_chronology_entries_review_date",
            &["review_id", "on_date"],
            false,
        ))
        .await?;
        m.create_index(index(ChronologyEntries::Table, "ix_chronology_entries_imr", &["imr_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(ChronologyLinks::Table)
                .col(pk_auto(ChronologyLinks::Id))
                .col(integer(ChronologyLinks::ReviewId))
                .col(integer(ChronologyLinks::EntryA))
                .col(integer(ChronologyLinks::EntryB))
                .col(text(ChronologyLinks::Note))
                .col(integer(ChronologyLinks::LinkedBy))
                .col(timestamp_with_time_zone(ChronologyLinks::LinkedAt))
                .foreign_key(&mut review_fk(ChronologyLinks::Table))
                .foreign_key(&mut fk(
                    ChronologyLinks::Table,
                    ChronologyLinks::EntryA,
                    ChronologyEntries::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    ChronologyLinks::Table,
                    ChronologyLinks::EntryB,
                    ChronologyEntries::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(ChronologyLinks::Table, "ux_chronology_links", &["entry_a", "entry_b"], true)).await?;
        m.create_index(index(ChronologyLinks::Table, "ix_chronology_links_review", &["review_id"], false)).await?;
        for (t, name) in [
            (OverviewReports::Table.into_iden(), "ux_overview_reports_version"),
            (ExecutiveSummaries::Table.into_iden(), "ux_executive_summaries_version"),
        ] {
            m.create_table(
                Table::create()
                    .table(t.clone())
                    .col(pk_auto(OverviewReports::Id))
                    .col(integer(OverviewReports::ReviewId))
                    .col(integer(OverviewReports::Version))
                    .col(text(OverviewReports::Sections))
                    .col(integer(OverviewReports::SavedBy))
                    .col(timestamp_with_time_zone(OverviewReports::SavedAt))
                    .foreign_key(&mut review_fk(t.clone()))
                    .to_owned(),
            )
            .await?;
            m.create_index(index(t, name, &["review_id", "version"], true)).await?;
        }
        m.create_table(
            Table::create()
                .table(ReportConfirmations::Table)
                .col(pk_auto(ReportConfirmations::Id))
                .col(integer(ReportConfirmations::ReviewId))
                .col(integer(ReportConfirmations::AgencyId))
                .col(integer(ReportConfirmations::ReportVersion))
                .col(text_null(ReportConfirmations::Comment))
                .col(integer(ReportConfirmations::ConfirmedBy))
                .col(timestamp_with_time_zone(ReportConfirmations::ConfirmedAt))
                .foreign_key(&mut review_fk(ReportConfirmations::Table))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            ReportConfirmations::Table,
            "ux_report_confirmations",
            &["review_id", "agency_id", "report_version"],
            true,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ReportConfirmations::Table.into_iden(),
            ExecutiveSummaries::Table.into_iden(),
            OverviewReports::Table.into_iden(),
            ChronologyLinks::Table.into_iden(),
            ChronologyEntries::Table.into_iden(),
            ImrVersions::Table.into_iden(),
            Imrs::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
