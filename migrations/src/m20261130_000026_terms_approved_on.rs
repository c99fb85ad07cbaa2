//! The day the Chair approved the terms of reference, beside when it was recorded
//! (`approved_at`). Approvals recorded before take the day they were recorded (UTC).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TermsOfReference {
    Table,
    ApprovedOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(TermsOfReference::Table)
                .add_column(date_null(TermsOfReference::ApprovedOn))
                .to_owned(),
        )
        .await?;
        let sql = match m.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                "UPDATE terms_of_reference SET approved_on = CAST((approved_at AT TIME ZONE 'UTC') AS DATE) WHERE approved_at IS NOT NULL"
            }
            _ => "UPDATE terms_of_reference SET approved_on = substr(approved_at, 1, 10) WHERE approved_at IS NOT NULL",
        };
        m.get_connection().execute_unprepared(sql).await.map(|_| ())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(TermsOfReference::Table).drop_column(TermsOfReference::ApprovedOn).to_owned(),
        )
        .await
    }
}
