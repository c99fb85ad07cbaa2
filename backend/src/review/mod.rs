//! The review phase (SPEC stages 8 to 12) as database operations: IMRs requested,
//! authored, submitted and decided; their chronologies merged into one; the overview
//! report and the executive summary written in versions. Each step checks the caller
//! through the policy, validates with the `shared` rules and changes the records
//! through a `Step` (one transaction with its audit entry); `graphql/` puts them in
//! the schema. `imrs.rs`, `chronology_entries.rs` and `report.rs` hold the steps;
//! moving on between the phase's stages is here.

mod chronology_entries;
mod imrs;
mod report;

pub use chronology_entries::*;
pub use imrs::*;
pub use report::*;

pub mod graphql;

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use shared::chronology::{self, Precision};
use shared::deadline::DeadlineKind;
use shared::imr::{Content, ImrStatus, Recommendation};
use shared::independence::{Candidate, Post, independence_failures};
use shared::policy::{ImrView, Operation};
use shared::report::Sections;
use shared::role::Assignment;
use shared::stage::Stage;
use shared::value::Text;
use shared::{AgencyId, ValidationError};

use crate::access::{self, ReviewAccess};
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::records::{Doc, combined_entries, content_of, day_of, status_of, terms_approved_on, versions, with_table};
use crate::step::{Problems, Step, event_date, log, mark_met, on_duplicate, since_decision, today};

/// Moves the review on: IMRs submitted -> combined chronology -> analysis -> overview report.
pub async fn advance_phase(db: &DatabaseConnection, caller: &Caller, review_id: i32, to: Stage) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::AdvancePhase)?;
    let next = match a.stage()? {
        Stage::ImrsSubmitted => Stage::CombinedChronology,
        Stage::CombinedChronology => Stage::Analysis,
        _ => Stage::OverviewReport,
    };
    if to != next {
        return Err(ApiError::invalid("to", format!("The next stage is \"{}\"", next.title())));
    }
    let mut step = Step::begin(db, caller, &a, Operation::AdvancePhase).await?;
    step.move_to(next).await?;
    step.done("review", review_id).await?;
    Ok(())
}
