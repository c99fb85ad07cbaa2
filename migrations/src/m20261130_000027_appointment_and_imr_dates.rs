//! The days appointments and the IMRs' steps happened, beside when they were recorded.
//!
//! An appointment gains `appointed_on`; an IMR gains the day it was requested, submitted
//! and accepted or returned (`requested_on`, `submitted_on`, `decided_on`). The times
//! they were recorded stay in the `_at` columns and the audit log; rows recorded before
//! this migration take the day they were recorded (UTC). A referral gains the boards
//! added as partners after it was made, each with its reason (a JSON list).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261130_000024_event_dates_and_calendars::backfill;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Dated {
    ReviewAssignments,
    AppointedOn,
    Imrs,
    RequestedOn,
    SubmittedOn,
    DecidedOn,
    Referrals,
    BoardsAdded,
}

const DATED: [(Dated, Dated, &str); 4] = [
    (Dated::ReviewAssignments, Dated::AppointedOn, "appointed_at"),
    (Dated::Imrs, Dated::RequestedOn, "requested_at"),
    (Dated::Imrs, Dated::SubmittedOn, "submitted_at"),
    (Dated::Imrs, Dated::DecidedOn, "decided_at"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let backend = m.get_database_backend();
        for (table, on, at) in DATED {
            let (t, o) = (table.to_string(), on.to_string());
            m.alter_table(Table::alter().table(table).add_column(date_null(on)).to_owned()).await?;
            let sql = format!("{} WHERE {at} IS NOT NULL", backfill(backend, &t, &o, at));
            m.get_connection().execute_unprepared(&sql).await?;
        }
        m.alter_table(
            Table::alter().table(Dated::Referrals).add_column(text(Dated::BoardsAdded).default("[]")).to_owned(),
        )
        .await
        .map(|_| ())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Dated::Referrals).drop_column(Dated::BoardsAdded).to_owned()).await?;
        for (table, on, _) in DATED.into_iter().rev() {
            m.alter_table(Table::alter().table(table).drop_column(on).to_owned()).await?;
        }
        Ok(())
    }
}
