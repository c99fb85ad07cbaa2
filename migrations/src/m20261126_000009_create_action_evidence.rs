//! Evidence attached to an action's progress: the file itself, with its checked kind
//! and size, kept in the database beside the action.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Actions {
    Table,
}

#[derive(DeriveIden)]
enum ActionEvidence {
    Table,
    Id,
    ActionId,
    FileName,
    Kind,
    Size,
    Bytes,
    UploadedBy,
    UploadedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ActionEvidence::Table)
                .col(pk_auto(ActionEvidence::Id))
                .col(integer(ActionEvidence::ActionId))
                .col(string(ActionEvidence::FileName))
                .col(string(ActionEvidence::Kind))
                .col(integer(ActionEvidence::Size))
                .col(blob(ActionEvidence::Bytes))
                .col(integer(ActionEvidence::UploadedBy))
                .col(timestamp_with_time_zone(ActionEvidence::UploadedAt))
                .foreign_key(&mut fk(
                    ActionEvidence::Table,
                    ActionEvidence::ActionId,
                    Actions::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(ActionEvidence::Table, "ix_action_evidence_action", &["action_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ActionEvidence::Table).to_owned()).await
    }
}
