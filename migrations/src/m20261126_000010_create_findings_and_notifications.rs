//! The panel's findings with their learning themes (tags for reporting across reviews),
//! and the notifications kept for each user (an appointment, a return, an approval)
//! with the time they were read.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reviews {
    Table,
}

#[derive(DeriveIden)]
enum Users {
    Table,
}

#[derive(DeriveIden)]
enum Findings {
    Table,
    Id,
    ReviewId,
    Text,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
enum FindingThemes {
    Table,
    Id,
    FindingId,
    Theme,
}

#[derive(DeriveIden)]
enum UserNotifications {
    Table,
    Id,
    UserId,
    ReviewId,
    Kind,
    Message,
    Path,
    CreatedAt,
    ReadAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Findings::Table)
                .col(pk_auto(Findings::Id))
                .col(integer(Findings::ReviewId))
                .col(text(Findings::Text))
                .col(integer(Findings::RecordedBy))
                .col(timestamp_with_time_zone(Findings::RecordedAt))
                .foreign_key(&mut fk(Findings::Table, Findings::ReviewId, Reviews::Table, ForeignKeyAction::Cascade))
                .foreign_key(&mut fk(Findings::Table, Findings::RecordedBy, Users::Table, ForeignKeyAction::Restrict))
                .to_owned(),
        )
        .await?;
        m.create_index(index(Findings::Table, "ix_findings_review", &["review_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(FindingThemes::Table)
                .col(pk_auto(FindingThemes::Id))
                .col(integer(FindingThemes::FindingId))
                .col(string(FindingThemes::Theme))
                .foreign_key(&mut fk(
                    FindingThemes::Table,
                    FindingThemes::FindingId,
                    Findings::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(FindingThemes::Table, "ux_finding_themes", &["finding_id", "theme"], true)).await?;
        m.create_table(
            Table::create()
                .table(UserNotifications::Table)
                .col(pk_auto(UserNotifications::Id))
                .col(integer(UserNotifications::UserId))
                .col(integer_null(UserNotifications::ReviewId))
                .col(string(UserNotifications::Kind))
                .col(text(UserNotifications::Message))
                .col(string(UserNotifications::Path))
                .col(timestamp_with_time_zone(UserNotifications::CreatedAt))
                .col(timestamp_with_time_zone_null(UserNotifications::ReadAt))
                .foreign_key(&mut fk(
                    UserNotifications::Table,
                    UserNotifications::UserId,
                    Users::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    UserNotifications::Table,
                    UserNotifications::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(UserNotifications::Table, "ix_user_notifications_user", &["user_id", "read_at"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(UserNotifications::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(FindingThemes::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Findings::Table).to_owned()).await
    }
}
