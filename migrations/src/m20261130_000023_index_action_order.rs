//! An index in the order the action tracker pages in: actions still open before those
//! implemented, then by due date (open actions that are overdue come first because
//! their due dates are the earliest), then by id. A page of the tracker walks it and
//! stops after the page, instead of sorting every action the caller may see.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The expression the tracker orders by, written the same way in its query.
const UP: &str = "CREATE INDEX ix_actions_done_due ON actions ((status = 'implemented'), due_on, id)";
const DOWN: &str = "DROP INDEX ix_actions_done_due";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared(UP).await.map(|_| ())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared(DOWN).await.map(|_| ())
    }
}
