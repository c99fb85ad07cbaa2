//! The panel's findings and their learning themes: recorded and removed by the panel
//! and the overview author while the analysis and the report are written, each with
//! its audit entry, and counted across reviews in the board's reports.

pub mod graphql;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use shared::findings::{Theme, finding_problems};
use shared::policy::Operation;

use crate::access;
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::step::Step;

/// Records a finding tagged with its themes; returns its id.
pub async fn record_finding(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    text: &str,
    themes: &[Theme],
) -> ApiResult<i32> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordFinding)?;
    let problems = finding_problems(text, themes);
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let step = Step::begin(db, caller, &a, Operation::RecordFinding).await?;
    let row = finding::ActiveModel {
        review_id: Set(review_id),
        text: Set(text.trim().to_owned()),
        recorded_by: Set(caller.user.id),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    finding_theme::Entity::insert_many(themes.iter().map(|t| finding_theme::ActiveModel {
        finding_id: Set(row.id),
        theme: Set(t.as_str().to_owned()),
        ..Default::default()
    }))
    .exec(step.txn())
    .await?;
    step.done("finding", row.id).await?;
    Ok(row.id)
}

/// Removes a finding (and its themes); returns the review's id.
pub async fn remove_finding(db: &DatabaseConnection, caller: &Caller, finding_id: i32) -> ApiResult<i32> {
    let f = finding::Entity::find_by_id(finding_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let a = access::for_review(db, caller, f.review_id).await?;
    let step = Step::begin(db, caller, &a, Operation::RecordFinding).await?;
    finding_theme::Entity::delete_many().filter(finding_theme::Column::FindingId.eq(f.id)).exec(step.txn()).await?;
    finding::Entity::delete_by_id(f.id).exec(step.txn()).await?;
    step.done("finding_removed", f.id).await?;
    Ok(f.review_id)
}
