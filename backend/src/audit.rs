//! The audit log: every mutation writes one entry in the same transaction as the
//! change it records, so there is never a change without its entry.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entities::audit_entry;
use crate::errors::ApiResult;
use crate::graphql::types::AuditEntry;

/// What an entry records.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub actor: Option<i32>,
    pub operation: &'a str,
    pub record_type: &'a str,
    pub record_id: i32,
    pub review_id: Option<i32>,
    pub version: Option<i32>,
}

pub async fn record(conn: &impl ConnectionTrait, e: Entry<'_>) -> Result<(), DbErr> {
    audit_entry::ActiveModel {
        at: Set(Utc::now()),
        actor_id: Set(e.actor),
        operation: Set(e.operation.to_owned()),
        record_type: Set(e.record_type.to_owned()),
        record_id: Set(e.record_id),
        review_id: Set(e.review_id),
        version: Set(e.version),
        ..Default::default()
    }
    .insert(conn)
    .await
    .map(|_| ())
}

pub async fn for_review(conn: &impl ConnectionTrait, review_id: i32) -> ApiResult<Vec<AuditEntry>> {
    let rows = audit_entry::Entity::find()
        .filter(audit_entry::Column::ReviewId.eq(review_id))
        .order_by_asc(audit_entry::Column::Id)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            at: r.at,
            actor_id: r.actor_id,
            operation: r.operation,
            record_type: r.record_type,
            record_id: r.record_id,
            version: r.version,
        })
        .collect())
}
