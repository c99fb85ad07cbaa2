//! The completion phase (SPEC stages 13 to 18) as database operations: quality
//! assurance, approval and submission, letters to Ofsted, the evaluation and its
//! amendments, the action plan carried to closure, publication and conclusion. Each
//! step checks the caller through the policy, validates with `shared` and writes its
//! change through a `Step` (one transaction with its audit entry): `assurance.rs`,
//! `actions.rs`, `publication.rs`; the milestones they record are kept here. The action
//! tracker across reviews is `tracker.rs`.

mod actions;
mod assurance;
mod publication;
pub mod tracker;

pub use actions::*;
pub use assurance::*;
pub use publication::*;

pub mod graphql;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use shared::completion::{
    ActionStatus, Milestone, NoticeBody, PublicationFacts, publication_problems, required_notices,
};
use shared::deadline::DeadlineKind;
use shared::imr::Recommendation;
use shared::policy::Operation;
use shared::role::{Assignment, Role};
use shared::stage::{ProcessStatus, Stage};
use shared::value::Text;
use shared::{AgencyId, ValidationError};

use crate::access::{self, ReviewAccess};
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::records::{self, Doc};
use crate::step::{Problems, Step, event_date, log, mark_met, not_in_future, today};

async fn milestones(db: &impl ConnectionTrait, review_id: i32, kind: Milestone) -> ApiResult<Vec<milestone::Model>> {
    Ok(milestone::Entity::find()
        .filter(milestone::Column::ReviewId.eq(review_id))
        .filter(milestone::Column::Kind.eq(kind.as_str()))
        .all(db)
        .await?)
}

/// The day the latest milestone of `kind` happened, for the step that follows it.
async fn last_on(db: &impl ConnectionTrait, review_id: i32, kind: Milestone) -> ApiResult<Option<NaiveDate>> {
    Ok(milestones(db, review_id, kind).await?.iter().map(|m| m.on_date).max())
}

async fn add_milestone(
    txn: &sea_orm::DatabaseTransaction,
    caller: &Caller,
    review_id: i32,
    kind: Milestone,
    body: &str,
    on: NaiveDate,
    details: String,
) -> ApiResult<i32> {
    Ok(milestone::ActiveModel {
        review_id: Set(review_id),
        kind: Set(kind.as_str().to_owned()),
        body: Set(body.to_owned()),
        on_date: Set(on),
        details: Set(details),
        recorded_by: Set(caller.user.id),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?
    .id)
}

fn optional_text(field: &str, s: Option<&str>) -> ApiResult<String> {
    match s.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Ok(Text::parse(field, t)?.into_inner()),
        None => Ok(String::new()),
    }
}
