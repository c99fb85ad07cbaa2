//! When things happened, not when they were typed, and the days a board does not work.
//!
//! The criteria assessment and the panel's recommendation gain the date they happened
//! (`assessed_on`, `recommended_on`); the time they were recorded stays in `assessed_at`
//! and `recommended_at` and in the audit log. Rows recorded before this migration take
//! the day they were recorded. A board gains its own closure days (a JSON list of
//! dates), skipped with weekends and bank holidays when working days are counted. A
//! referral keeps the boards its involved agencies would have made partners and that
//! were left out, each with its reason (a JSON list).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261126_000001_create_directory::Boards;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Added {
    ClosureDays,
    CriteriaAssessments,
    AssessedOn,
    Recommendations,
    RecommendedOn,
    Referrals,
    BoardsLeftOut,
}

/// The recorded day of each earlier row, written for each database.
pub(crate) fn backfill(backend: sea_orm::DatabaseBackend, table: &str, on: &str, at: &str) -> String {
    match backend {
        // The day in UTC, as the code reads a recorded time.
        sea_orm::DatabaseBackend::Postgres => {
            format!("UPDATE {table} SET {on} = CAST(({at} AT TIME ZONE 'UTC') AS DATE)")
        }
        _ => format!("UPDATE {table} SET {on} = substr({at}, 1, 10)"),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(Boards::Table).add_column(text(Added::ClosureDays).default("[]")).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(Added::Referrals).add_column(text(Added::BoardsLeftOut).default("[]")).to_owned(),
        )
        .await?;
        let backend = m.get_database_backend();
        for (table, on, at) in [
            (Added::CriteriaAssessments, Added::AssessedOn, "assessed_at"),
            (Added::Recommendations, Added::RecommendedOn, "recommended_at"),
        ] {
            let (t, o) = (table.to_string(), on.to_string());
            m.alter_table(Table::alter().table(table).add_column(date_null(on)).to_owned()).await?;
            m.get_connection().execute_unprepared(&backfill(backend, &t, &o, at)).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Added::Recommendations).drop_column(Added::RecommendedOn).to_owned())
            .await?;
        m.alter_table(Table::alter().table(Added::CriteriaAssessments).drop_column(Added::AssessedOn).to_owned())
            .await?;
        m.alter_table(Table::alter().table(Added::Referrals).drop_column(Added::BoardsLeftOut).to_owned()).await?;
        m.alter_table(Table::alter().table(Boards::Table).drop_column(Added::ClosureDays).to_owned()).await
    }
}
