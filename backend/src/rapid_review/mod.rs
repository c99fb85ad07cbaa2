//! The rapid review of the 2023 route (Working Together 2023, chapter 5; the stages and
//! who takes each step are data of `shared::profile` and the policy table): the
//! National Panel notified of the serious incident, the involved agencies' information
//! requested and returned, the rapid review meeting, the partners' decision whether to
//! commission a local child safeguarding practice review and its reasons, the rapid
//! review sent to the National Panel, its response, then either no further review with
//! the learning recorded or the local review commissioned, which goes on through the
//! same steps as any review (reviewers appointed, terms, contributions, final report).
//!
//! Every step takes the date it happened (never in the future, never before the step it
//! follows); the audit log keeps when it was recorded and by whom.

pub mod graphql;

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use shared::deadline::{Anchor, DeadlineKind};
use shared::policy::Operation;
use shared::stage::Stage;
use shared::value::Text;

use crate::access::{self, ReviewAccess};
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::step::{Problems, Step, event_date, mark_met};

/// The review's rapid review, once the National Panel has been notified.
async fn current(db: &DatabaseConnection, a: &ReviewAccess) -> ApiResult<rapid_review::Model> {
    rapid_review::Entity::find()
        .filter(rapid_review::Column::ReviewId.eq(a.review.id))
        .one(db)
        .await?
        .ok_or(ApiError::WrongStage(a.stage()?))
}

/// Ends a step of the rapid review: its row takes `cols`, the review moves to `to`, and
/// the step is recorded, all in the step's transaction.
async fn record(
    mut step: Step<'_>,
    id: i32,
    cols: Vec<(rapid_review::Column, SimpleExpr)>,
    to: Stage,
) -> ApiResult<()> {
    let mut update = rapid_review::Entity::update_many().filter(rapid_review::Column::Id.eq(id));
    for (c, v) in cols {
        update = update.col_expr(c, v);
    }
    update.exec(step.txn()).await?;
    step.move_to(to).await?;
    step.done("rapid_review", id).await.map(|_| ())
}

fn text(field: &str, raw: &str, problems: &mut Problems) -> String {
    problems.check(Text::parse(field, raw)).map(Text::into_inner).unwrap_or_default()
}

/// The local authority notifies the National Panel of the serious incident (within 5
/// working days of becoming aware of it: the referral's date). Starts the rapid
/// review's clock of 15 working days.
pub async fn notify_national_panel(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    sent_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::NotifyNationalPanel)?;
    let mut problems = Problems::default();
    let on =
        event_date("sentOn", sent_on, Some((a.review.referred_on, "the day the incident became known")), &mut problems);
    problems.finish()?;
    let mut step = Step::begin(db, caller, &a, Operation::NotifyNationalPanel).await?;
    let row = rapid_review::ActiveModel {
        review_id: Set(review_id),
        notified_on: Set(on),
        notified_by: Set(caller.user.id),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    mark_met(step.txn(), review_id, DeadlineKind::IncidentNotification, on).await?;
    crate::step::create_deadlines(step.txn(), &a.review, Anchor::Notification, on).await?;
    step.move_to(Stage::IncidentNotified).await?;
    step.done("rapid_review", row.id).await.map(|_| ())
}

/// Each involved agency is asked for its information about its involvement.
pub async fn request_information(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    requested_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RequestRapidReviewInformation)?;
    let rr = current(db, &a).await?;
    let mut problems = Problems::default();
    let on = event_date(
        "requestedOn",
        requested_on,
        Some((rr.notified_on, "the notification to the National Panel")),
        &mut problems,
    );
    problems.finish()?;
    let agencies = review_agency::Entity::find().filter(review_agency::Column::ReviewId.eq(review_id)).all(db).await?;
    let step = Step::begin(db, caller, &a, Operation::RequestRapidReviewInformation).await?;
    for ag in &agencies {
        rapid_review_information::ActiveModel {
            review_id: Set(review_id),
            agency_id: Set(ag.agency_id),
            requested_on: Set(on),
            ..Default::default()
        }
        .insert(step.txn())
        .await?;
    }
    record(
        step,
        rr.id,
        vec![(rapid_review::Column::InformationRequestedOn, Expr::value(on))],
        Stage::InformationRequested,
    )
    .await
}

/// An agency returns its information: a summary of its involvement with the child and
/// family. An agency manager returns only their own agency's. Returned again before the
/// meeting, it replaces what was returned.
pub async fn return_information(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    agency_id: i32,
    summary: &str,
    returned_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require_for_agency(Operation::ReturnRapidReviewInformation, agency_id)?;
    let row = rapid_review_information::Entity::find()
        .filter(rapid_review_information::Column::ReviewId.eq(review_id))
        .filter(rapid_review_information::Column::AgencyId.eq(agency_id))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::invalid("agencyId", "This agency was not asked for information"))?;
    let mut problems = Problems::default();
    let summary = text("summary", summary, &mut problems);
    let on = event_date("returnedOn", returned_on, Some((row.requested_on, "the request")), &mut problems);
    problems.finish()?;
    let step = Step::begin(db, caller, &a, Operation::ReturnRapidReviewInformation).await?;
    let mut am: rapid_review_information::ActiveModel = row.into();
    am.summary = Set(Some(summary));
    am.returned_on = Set(Some(on));
    am.returned_by = Set(Some(caller.user.id));
    let saved = am.update(step.txn()).await?;
    step.done("rapid_review_information", saved.id).await.map(|_| ())
}

/// The rapid review meeting, once every agency has returned its information.
pub async fn record_meeting(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    held_on: Option<NaiveDate>,
    notes: &str,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordRapidReviewMeeting)?;
    let rr = current(db, &a).await?;
    let info = rapid_review_information::Entity::find()
        .filter(rapid_review_information::Column::ReviewId.eq(review_id))
        .all(db)
        .await?;
    let mut problems = Problems::default();
    let missing: Vec<i32> = info.iter().filter(|i| i.returned_on.is_none()).map(|i| i.agency_id).collect();
    if !missing.is_empty() {
        let names: Vec<String> = agency::Entity::find()
            .filter(agency::Column::Id.is_in(missing))
            .all(db)
            .await?
            .into_iter()
            .map(|a| a.name)
            .collect();
        problems.push("information", format!("Still waiting for the information of: {}", names.join(", ")));
    }
    let last = info.iter().filter_map(|i| i.returned_on).max();
    let after = last
        .map_or((rr.notified_on, "the notification to the National Panel"), |d| (d, "the last agency's information"));
    let on = event_date("heldOn", held_on, Some(after), &mut problems);
    let notes = text("notes", notes, &mut problems);
    problems.finish()?;
    let step = Step::begin(db, caller, &a, Operation::RecordRapidReviewMeeting).await?;
    record(
        step,
        rr.id,
        vec![
            (rapid_review::Column::MeetingOn, Expr::value(on)),
            (rapid_review::Column::MeetingNotes, Expr::value(notes)),
        ],
        Stage::RapidReviewMeeting,
    )
    .await
}

/// The safeguarding partners decide whether to commission a local child safeguarding
/// practice review, with their reasons.
pub async fn decide(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    commission: bool,
    reasons: &str,
    decided_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::DecideRapidReview)?;
    let rr = current(db, &a).await?;
    let mut problems = Problems::default();
    let reasons = text("reasons", reasons, &mut problems);
    let met = rr.meeting_on.unwrap_or(rr.notified_on);
    let on = event_date("decidedOn", decided_on, Some((met, "the rapid review meeting")), &mut problems);
    problems.finish()?;
    let step = Step::begin(db, caller, &a, Operation::DecideRapidReview).await?;
    record(
        step,
        rr.id,
        vec![
            (rapid_review::Column::Commission, Expr::value(commission)),
            (rapid_review::Column::Reasons, Expr::value(reasons)),
            (rapid_review::Column::DecidedOn, Expr::value(on)),
            (rapid_review::Column::DecidedBy, Expr::value(caller.user.id)),
        ],
        Stage::RapidReviewDecided,
    )
    .await
}

/// The rapid review, with the decision and its reasons, is sent to the National Panel:
/// the rapid review's deadline is met that day.
pub async fn send(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    sent_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::SendRapidReview)?;
    let rr = current(db, &a).await?;
    let mut problems = Problems::default();
    let decided = rr.decided_on.unwrap_or(rr.notified_on);
    let on = event_date("sentOn", sent_on, Some((decided, "the partners' decision")), &mut problems);
    problems.finish()?;
    let step = Step::begin(db, caller, &a, Operation::SendRapidReview).await?;
    mark_met(step.txn(), review_id, DeadlineKind::RapidReview, on).await?;
    record(step, rr.id, vec![(rapid_review::Column::SentOn, Expr::value(on))], Stage::SentToNationalPanel).await
}

/// The National Panel's response, as received.
pub async fn record_response(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    response: &str,
    received_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordPanelResponse)?;
    let rr = current(db, &a).await?;
    let mut problems = Problems::default();
    let response = text("response", response, &mut problems);
    let sent = rr.sent_on.unwrap_or(rr.notified_on);
    let on = event_date("receivedOn", received_on, Some((sent, "the rapid review was sent")), &mut problems);
    problems.finish()?;
    let step = Step::begin(db, caller, &a, Operation::RecordPanelResponse).await?;
    record(
        step,
        rr.id,
        vec![
            (rapid_review::Column::PanelResponse, Expr::value(response)),
            (rapid_review::Column::PanelRespondedOn, Expr::value(on)),
        ],
        Stage::NationalPanelResponded,
    )
    .await
}

/// No further review: the case closes with the learning the rapid review identified.
/// The partners may close so after the National Panel's response even where the rapid
/// review first decided to commission a local review; the decision stays on record.
pub async fn record_learning(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    learning: &str,
    closed_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordLearning)?;
    let rr = current(db, &a).await?;
    let mut problems = Problems::default();
    let learning = text("learning", learning, &mut problems);
    let responded = rr.panel_responded_on.unwrap_or(rr.notified_on);
    let on = event_date("closedOn", closed_on, Some((responded, "the National Panel's response")), &mut problems);
    problems.finish()?;
    let step = Step::begin(db, caller, &a, Operation::RecordLearning).await?;
    record(
        step,
        rr.id,
        vec![
            (rapid_review::Column::Learning, Expr::value(learning)),
            (rapid_review::Column::ClosedOn, Expr::value(on)),
        ],
        Stage::ClosedWithLearning,
    )
    .await
}

/// The local child safeguarding practice review is commissioned: its publication clock
/// (six months) starts. The partners may commission one after the National Panel's
/// response even where the rapid review first decided against it.
pub async fn commission(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    commissioned_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::CommissionReview)?;
    let rr = current(db, &a).await?;
    let mut problems = Problems::default();
    let responded = rr.panel_responded_on.unwrap_or(rr.notified_on);
    let on = event_date(
        "commissionedOn",
        commissioned_on,
        Some((responded, "the National Panel's response")),
        &mut problems,
    );
    problems.finish()?;
    let step = Step::begin(db, caller, &a, Operation::CommissionReview).await?;
    review::Entity::update_many()
        .col_expr(review::Column::DecidedOn, Expr::value(on))
        .filter(review::Column::Id.eq(review_id))
        .exec(step.txn())
        .await?;
    crate::step::create_deadlines(step.txn(), &a.review, Anchor::Commissioning, on).await?;
    record(step, rr.id, vec![(rapid_review::Column::CommissionedOn, Expr::value(on))], Stage::ReviewCommissioned).await
}
