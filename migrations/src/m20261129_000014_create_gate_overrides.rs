//! Warnings of the anonymisation gate overridden by a second person: one row per
//! warning (its kind and the text found) of one version of one document bound for an
//! outside body, with the reason and who gave it. A name is never overridden.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261126_000002_create_reviews::Reviews;
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum GateOverrides {
    Table,
    Id,
    ReviewId,
    Document,
    Version,
    Kind,
    Found,
    Reason,
    OverriddenBy,
    OverriddenAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(GateOverrides::Table)
                .col(pk_auto(GateOverrides::Id))
                .col(integer(GateOverrides::ReviewId))
                .col(string(GateOverrides::Document))
                .col(string(GateOverrides::Version))
                .col(string(GateOverrides::Kind))
                .col(text(GateOverrides::Found))
                .col(text(GateOverrides::Reason))
                .col(integer(GateOverrides::OverriddenBy))
                .col(timestamp_with_time_zone(GateOverrides::OverriddenAt))
                .foreign_key(&mut fk(
                    GateOverrides::Table,
                    GateOverrides::ReviewId,
                    Reviews::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            GateOverrides::Table,
            "ux_gate_overrides_warning",
            &["review_id", "document", "version", "kind", "found"],
            true,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(GateOverrides::Table).to_owned()).await
    }
}
