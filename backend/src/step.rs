//! One way to change a review. A step of the procedure checks its operation through
//! the access policy (role, then stage), opens the transaction, lets the step change
//! rows, moves the stage when the step moves it (only to a stage the review's procedure
//! names for the operation, compare-and-set on the stage as read), writes the audit
//! entry and commits, all or nothing. No other code begins a transaction on case data
//! (a test reads the source to keep it so).
//!
//! A step compares versions only where it depends on what was read: a versioned edit
//! names the version it started from (the terms, an IMR, an entry, a report, an
//! action: each checked by the step on its own row), and a stage move is compare-and-set
//! on the stage. Any other step (a finding, a person, a family contribution...)
//! succeeds whatever else happened to the review meanwhile, as long as the review is
//! still at a stage the operation may be taken in.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, Set,
    SqlErr, TransactionTrait,
};
use shared::ValidationError;
use shared::deadline::{Anchor, DeadlineKind, ProcedureProfile};
use shared::policy::Operation;
use shared::role::Role;
use shared::stage::Stage;

use crate::access::ReviewAccess;
use crate::audit::{self, Entry};
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};

/// A step under way on one review.
pub(crate) struct Step<'a> {
    txn: DatabaseTransaction,
    caller: &'a Caller,
    review: &'a review::Model,
    op: Operation,
    /// The review's version, taken up by this step.
    version: i32,
}

impl<'a> Step<'a> {
    /// Checks `op` on the review for the caller (role, then stage), opens the
    /// transaction and takes the review for the step: its version goes up at once,
    /// refused with `WRONG_STAGE` if the review has meanwhile left the stages the
    /// operation may be taken in. Taking the review first is what makes two steps on
    /// one review wait for each other rather than fail (SQLite takes its write lock
    /// here, PostgreSQL the review's row), so each reads what the other wrote.
    pub(crate) async fn begin(
        db: &DatabaseConnection,
        caller: &'a Caller,
        access: &'a ReviewAccess,
        op: Operation,
    ) -> ApiResult<Step<'a>> {
        Self::open(db, caller, access, op, false).await
    }

    /// As `begin`, for a step that depends on the review as it was read (an
    /// appointment that must not make a second panel chair, a save or approval of the
    /// terms that must not pass another): compare-and-set on the review's version as
    /// read, so that of two such steps on the same reading one is refused with
    /// `CONFLICT`.
    pub(crate) async fn begin_unchanged(
        db: &DatabaseConnection,
        caller: &'a Caller,
        access: &'a ReviewAccess,
        op: Operation,
    ) -> ApiResult<Step<'a>> {
        Self::open(db, caller, access, op, true).await
    }

    async fn open(
        db: &DatabaseConnection,
        caller: &'a Caller,
        access: &'a ReviewAccess,
        op: Operation,
        unchanged: bool,
    ) -> ApiResult<Step<'a>> {
        access.require(op)?;
        let review = &access.review;
        let txn = db.begin().await?;
        let mut update = review::Entity::update_many()
            .col_expr(review::Column::Version, Expr::col(review::Column::Version).add(1))
            .col_expr(review::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(review::Column::Id.eq(review.id));
        if unchanged {
            update = update.filter(review::Column::Version.eq(review.version));
        }
        if let Some(stages) = access.profile()?.allowed_in(op) {
            update = update.filter(review::Column::Stage.is_in(stages.iter().map(|s| s.as_str())));
        }
        let res = update.exec(&txn).await?;
        let current = review::Entity::find_by_id(review.id).one(&txn).await?.ok_or(ApiError::NotFound)?;
        if res.rows_affected != 1 {
            if unchanged && current.version != review.version {
                return Err(ApiError::Conflict { current: current.version });
            }
            return Err(ApiError::WrongStage(crate::stored::value("review stage", &current.stage, Stage::parse)?));
        }
        Ok(Step { txn, caller, review, op, version: current.version })
    }

    /// Where the step writes its rows.
    pub(crate) fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// The review as the step read it.
    pub(crate) fn review(&self) -> &review::Model {
        self.review
    }

    /// Moves the review to `to`, which must be a stage the review's procedure names for
    /// the operation (`Profile::moves_to`) and never an earlier one in its order.
    /// Compare-and-set on the stage as read: if someone else moved the review meanwhile,
    /// `CONFLICT`.
    pub(crate) async fn move_to(&mut self, to: Stage) -> ApiResult<i32> {
        let from = crate::stored::value("review stage", &self.review.stage, Stage::parse)?;
        let profile = crate::access::profile_of(self.review)?;
        if !profile.moves_to(self.op).contains(&to) || !profile.reached(to, from) {
            return Err(ApiError::Internal(
                format!("{} may not move a review from {} to {}", self.op.as_str(), from.as_str(), to.as_str()).into(),
            ));
        }
        let res = review::Entity::update_many()
            .col_expr(review::Column::Stage, Expr::value(to.as_str()))
            .filter(review::Column::Id.eq(self.review.id))
            .filter(review::Column::Stage.eq(from.as_str()))
            .exec(&self.txn)
            .await?;
        if res.rows_affected != 1 {
            return Err(ApiError::Conflict { current: self.version });
        }
        Ok(self.version)
    }

    /// Ends the step: the audit entry names `record_type` and `record_id` and the
    /// review's new version, and all of it is committed. Returns that version.
    pub(crate) async fn done(self, record_type: &str, record_id: i32) -> ApiResult<i32> {
        log(&self.txn, self.caller, self.op, record_type, record_id, self.review.id, Some(self.version)).await?;
        self.txn.commit().await?;
        Ok(self.version)
    }
}

// What every step of every phase uses besides the step itself: today's date, the
// checks that collect every validation error, the audit entry, a deadline met.

pub(crate) fn today() -> NaiveDate {
    Utc::now().date_naive()
}

pub(crate) fn not_in_future(field: &str, d: NaiveDate) -> Result<(), ValidationError> {
    if d > today() {
        return Err(ValidationError::new(field, "The date must be today or in the past"));
    }
    Ok(())
}

/// The date an event happened, as given (today when not given): never in the future,
/// never before `after`, the day of the step it follows, named in the message.
pub(crate) fn event_date(
    field: &str,
    given: Option<NaiveDate>,
    after: Option<(NaiveDate, &str)>,
    problems: &mut Problems,
) -> NaiveDate {
    let on = given.unwrap_or_else(today);
    problems.check(not_in_future(field, on));
    if let Some((earliest, what)) = after
        && on < earliest
    {
        problems.push(field, format!("The date must be on or after {what} ({})", earliest.format("%-d %B %Y")));
    }
    on
}

/// What the review's own steps follow: the decision to hold it (a local review's
/// commissioning), or the referral before one.
pub(crate) fn since_decision(r: &review::Model) -> (NaiveDate, &'static str) {
    match r.decided_on {
        Some(d) => (d, "the decision to hold the review"),
        None => (r.referred_on, "the referral"),
    }
}

/// Collects every validation error instead of stopping at the first, so a form can
/// show them all at once.
#[derive(Default)]
pub(crate) struct Problems(Vec<ValidationError>);

impl Problems {
    pub(crate) fn check<T>(&mut self, r: Result<T, ValidationError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }
    pub(crate) fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(ValidationError::new(field, message));
    }
    pub(crate) fn finish(self) -> ApiResult<()> {
        if self.0.is_empty() { Ok(()) } else { Err(ApiError::Validation(self.0)) }
    }
}

/// A unique index refused the row (someone else's write came first): the error
/// `then` gives; any other failure as it is.
pub(crate) fn on_duplicate(e: DbErr, then: impl FnOnce() -> ApiError) -> ApiError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => then(),
        _ => e.into(),
    }
}

pub(crate) async fn log(
    txn: &DatabaseTransaction,
    caller: &Caller,
    op: Operation,
    record_type: &str,
    record_id: i32,
    review_id: i32,
    version: Option<i32>,
) -> ApiResult<()> {
    audit::record(
        txn,
        Entry {
            actor: Some(caller.user.id),
            operation: op.as_str(),
            record_type,
            record_id,
            review_id: Some(review_id),
            version,
        },
    )
    .await?;
    Ok(())
}

pub(crate) async fn mark_met(
    txn: &DatabaseTransaction,
    review_id: i32,
    kind: DeadlineKind,
    on: NaiveDate,
) -> Result<(), DbErr> {
    deadline::Entity::update_many()
        .col_expr(deadline::Column::MetOn, Expr::value(on))
        .filter(deadline::Column::ReviewId.eq(review_id))
        .filter(deadline::Column::Kind.eq(kind.as_str()))
        .filter(deadline::Column::MetOn.is_null())
        .exec(txn)
        .await
        .map(|_| ())
}

/// The lead board's procedure profile and its working calendar.
pub(crate) async fn timetable_for(
    txn: &impl sea_orm::ConnectionTrait,
    board_id: i32,
) -> ApiResult<(ProcedureProfile, shared::calendar::Calendar)> {
    let b = board::Entity::find_by_id(board_id).one(txn).await?.ok_or(ApiError::NotFound)?;
    Ok((crate::stored::profile(&b)?, crate::stored::calendar(&b)?))
}

/// Writes the deadlines that start when `anchor` happens on `on`: the lead board's
/// timetable when it is for the procedure the review runs under (a board may have
/// lengthened or shortened one), that procedure's own otherwise (the board has changed
/// procedure since the review started), counted on the lead board's calendar.
pub(crate) async fn create_deadlines(
    txn: &DatabaseTransaction,
    r: &review::Model,
    anchor: Anchor,
    on: NaiveDate,
) -> ApiResult<()> {
    let kind = crate::access::profile_of(r)?.kind;
    let (board_timetable, calendar) = timetable_for(txn, r.lead_board_id).await?;
    let timetable = if board_timetable.kind == kind { board_timetable } else { ProcedureProfile::of(kind) };
    for d in timetable.deadlines_from(anchor, on, &calendar) {
        deadline::ActiveModel {
            review_id: Set(r.id),
            kind: Set(d.kind.as_str().to_owned()),
            starts_on: Set(d.starts),
            due_on: Set(d.due),
            original_due_on: Set(d.due),
            met_on: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Keeps a notification for `user_id` (an appointment, a return, an approval) in the
/// transaction of the change it tells of, so it exists exactly when the change does.
/// Only the review's reference, agencies and roles go into it: nothing of the family.
pub(crate) async fn tell(
    txn: &DatabaseTransaction,
    user_id: i32,
    review: &review::Model,
    kind: &str,
    message: String,
    path: String,
) -> ApiResult<()> {
    user_notification::ActiveModel {
        user_id: Set(user_id),
        review_id: Set(Some(review.id)),
        kind: Set(kind.to_owned()),
        message: Set(format!("{}: {message}", review.reference)),
        path: Set(path),
        created_at: Set(Utc::now()),
        read_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The users holding `role` on `board_id`, active ones only: who hears of a step the
/// board's officers take next.
pub(crate) async fn board_officers(txn: &DatabaseTransaction, board_id: i32, role: Role) -> ApiResult<Vec<i32>> {
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::BoardId.eq(board_id))
        .filter(role_grant::Column::Role.eq(role.as_str()))
        .all(txn)
        .await?;
    let ids: Vec<i32> = grants.iter().map(|g| g.user_id).collect();
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .filter(user::Column::Active.eq(true))
        .all(txn)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect())
}
