//! The decision phase (SPEC stages 1 to 7) as database operations: `referrals.rs`
//! (referral to Ofsted's notification), `set_up.rs` (checklist and appointments),
//! `terms.rs` (the terms of reference), and extending a deadline here. Each step
//! checks the caller's access through the policy, validates with the `shared` rules,
//! changes the records through a `Step` (one transaction with its audit entry), and
//! returns what changed; `graphql.rs` puts them in the schema.

mod referrals;
mod set_up;
mod terms;

pub use referrals::*;
pub use set_up::*;
pub use terms::*;

pub mod graphql;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use shared::criteria::{self, Category, ReferralFacts};
use shared::deadline::{Anchor, DeadlineKind};
use shared::independence::{Candidate, Post, independence_failures};
use shared::lead_board::{LeftOut, ResidenceFacts, settle};
use shared::policy::{self, Operation};
use shared::role::{Assignment, Role};
use shared::stage::{ChecklistItem, NoReviewOutcome, Relationship, Stage};
use shared::value::Text;
use shared::{BoardId, ValidationError};

use crate::access;
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::records::StoredAnswer;
use crate::register::{NewPerson, label_gate, parse_person, unique_label};
use crate::step::{
    Problems, Step, create_deadlines, event_date, log, mark_met, not_in_future, on_duplicate, since_decision,
    timetable_for, today,
};

/// Extends a deadline with the Chair's consent and a reason; the history is kept.
pub async fn extend_deadline(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    kind: DeadlineKind,
    due_on: NaiveDate,
    reason: &str,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::ExtendDeadline)?;
    let row = deadline::Entity::find()
        .filter(deadline::Column::ReviewId.eq(review_id))
        .filter(deadline::Column::Kind.eq(kind.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::invalid("kind", "This review has no such deadline yet"))?;
    let mut d = shared::deadline::Deadline::new(kind, row.starts_on, row.due_on);
    d.met_on = row.met_on;
    let reason =
        Text::parse("reason", reason).map_err(|_| ApiError::invalid("reason", "Give the reason for the extension"))?;
    d.extend(due_on, reason.as_ref())?;
    let ext = d.extensions.pop().ok_or_else(|| ApiError::Internal("extension not recorded".into()))?;
    let step = Step::begin(db, caller, &a, Operation::ExtendDeadline).await?;
    let res = deadline::Entity::update_many()
        .col_expr(deadline::Column::DueOn, Expr::value(due_on))
        .filter(deadline::Column::Id.eq(row.id))
        .filter(deadline::Column::DueOn.eq(row.due_on))
        .exec(step.txn())
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::Conflict { current: step.review().version });
    }
    let e = deadline_extension::ActiveModel {
        deadline_id: Set(row.id),
        from_due: Set(ext.from),
        to_due: Set(ext.to),
        reason: Set(ext.reason),
        granted_by: Set(caller.user.id),
        granted_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    step.done("deadline_extension", e.id).await?;
    Ok(())
}
