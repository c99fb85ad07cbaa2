//! Indexes for row scope decided in the database and for the orders lists are paged
//! in: the scope condition reaches reviews by lead board, referrer and notification,
//! and the link tables by board, agency and assigned person with the review's id in the
//! index; pages of reviews are read newest or oldest referral first, and queues by
//! stage.

use sea_orm_migration::prelude::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, index, columns)
const INDEXES: &[(&str, &str, &[&str])] = &[
    ("reviews", "ix_reviews_referred_on", &["referred_on", "id"]),
    ("reviews", "ix_reviews_stage_referred_on", &["stage", "referred_on", "id"]),
    ("reviews", "ix_reviews_notified", &["notified_to_ofsted"]),
    ("review_boards", "ix_review_boards_board_review", &["board_id", "is_lead", "review_id"]),
    ("review_agencies", "ix_review_agencies_agency_review", &["agency_id", "review_id"]),
    ("review_assignments", "ix_review_assignments_user_review", &["user_id", "assignment", "review_id"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, columns) in INDEXES {
            m.create_index(index(Alias::new(*table), name, columns, false)).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, _) in INDEXES.iter().rev() {
            m.drop_index(Index::drop().name(*name).table(Alias::new(*table)).to_owned()).await?;
        }
        Ok(())
    }
}
