//! The completion phase (SPEC stages 13 to 18) as database operations: quality
//! assurance, approval and submission, letters to Ofsted, the evaluation and its
//! amendments, the action plan carried to closure, publication and conclusion. As in
//! `services`, each checks the caller through the policy, validates with `shared`
//! and writes its change with its audit entry in one transaction.

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
use crate::review_phase::{self, Doc};
use crate::step::{Problems, Step, log, mark_met, not_in_future, today};

async fn milestones(db: &impl ConnectionTrait, review_id: i32, kind: Milestone) -> ApiResult<Vec<milestone::Model>> {
    Ok(milestone::Entity::find()
        .filter(milestone::Column::ReviewId.eq(review_id))
        .filter(milestone::Column::Kind.eq(kind.as_str()))
        .all(db)
        .await?)
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

/// Registered names still in the latest report and summary, as (found, label).
async fn gate_hits(db: &DatabaseConnection, a: &ReviewAccess) -> ApiResult<(Vec<(String, String)>, bool, bool)> {
    let register = crate::anonymise::gate_register(db, &a.review, false, false).await?;
    let mut hits = Vec::new();
    let mut present = (false, false);
    for (doc, slot) in [(Doc::OverviewReport, 0), (Doc::ExecutiveSummary, 1)] {
        if let Some(v) = review_phase::versions(db, a.review.id, doc).await?.pop() {
            if slot == 0 {
                present.0 = true
            } else {
                present.1 = true
            }
            for s in &v.sections.0 {
                hits.extend(shared::gate::check(s, &register).hits.into_iter().map(|h| (h.found, h.label)));
            }
        }
    }
    Ok((hits, present.0, present.1))
}

/// Stage 13: the Initial Panel assures the quality of the report and summary. Refused,
/// listing each gap, unless both are written, pass the gate, and every agency that
/// wrote an IMR has confirmed the latest report.
pub async fn record_quality_assurance(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    notes: Option<&str>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordQualityAssurance)?;
    let notes = optional_text("notes", notes)?;
    let mut problems = Problems::default();
    let (hits, report, summary) = gate_hits(db, &a).await?;
    if !report {
        problems.push("overviewReport", "The overview report has not been written");
    }
    if !summary {
        problems.push("executiveSummary", "The executive summary has not been saved");
    }
    for (found, label) in &hits {
        problems.push("executiveSummary", format!("\"{found}\" is still named (replace it with {label})"));
    }
    let latest = review_phase::versions(db, review_id, Doc::OverviewReport).await?.last().map_or(0, |v| v.version);
    let confirmed = report_confirmation::Entity::find()
        .filter(report_confirmation::Column::ReviewId.eq(review_id))
        .filter(report_confirmation::Column::ReportVersion.eq(latest))
        .all(db)
        .await?;
    let agencies = agency::Entity::find().all(db).await?;
    for i in imr::Entity::find().filter(imr::Column::ReviewId.eq(review_id)).all(db).await? {
        if !confirmed.iter().any(|c| c.agency_id == i.agency_id) {
            let name = agencies.iter().find(|x| x.id == i.agency_id).map_or("An agency", |x| x.name.as_str());
            problems.push("confirmations", format!("{name} has not confirmed version {latest} of the report"));
        }
    }
    problems.finish()?;
    let mut step = Step::begin(db, caller, &a, Operation::RecordQualityAssurance).await?;
    step.move_to(Stage::QualityAssured).await?;
    let id = add_milestone(step.txn(), caller, review_id, Milestone::QualityAssured, "", today(), notes).await?;
    step.done("milestone", id).await?;
    Ok(())
}

/// Stage 13: the Board Chair approves the assured report.
pub async fn approve_report(db: &DatabaseConnection, caller: &Caller, review_id: i32) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::ApproveReport)?;
    if !milestones(db, review_id, Milestone::Approved).await?.is_empty() {
        return Err(ApiError::invalid("review", "The report is already approved"));
    }
    let step = Step::begin(db, caller, &a, Operation::ApproveReport).await?;
    let id = add_milestone(step.txn(), caller, review_id, Milestone::Approved, "", today(), String::new()).await?;
    let authors = review_assignment::Entity::find()
        .filter(review_assignment::Column::ReviewId.eq(review_id))
        .filter(review_assignment::Column::Assignment.eq(Assignment::OverviewAuthor.as_str()))
        .all(step.txn())
        .await?;
    let mut told: Vec<i32> = authors.iter().map(|x| x.user_id).collect();
    told.extend(crate::notify::board_officers(step.txn(), a.review.lead_board_id, Role::BusinessManager).await?);
    told.sort_unstable();
    told.dedup();
    for user in told {
        let message = "The Chair approved the overview report for submission".to_owned();
        crate::notify::tell(step.txn(), user, &a.review, "approval", message, format!("/reviews/{review_id}")).await?;
    }
    step.done("milestone", id).await?;
    Ok(())
}

/// Stage 14: the approved review goes to Ofsted and the DfE (due 6 months after the
/// decision). The package is anonymised on the way out; the report and summary must
/// pass the gate as written.
pub async fn submit_review(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    sent_on: NaiveDate,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::SubmitReview)?;
    not_in_future("sentOn", sent_on)?;
    if milestones(db, review_id, Milestone::Approved).await?.is_empty() {
        return Err(ApiError::invalid("review", "The Board Chair has not approved the report"));
    }
    if let Some(refusal) =
        crate::anonymise::written_refusal(db, &a.review, &[Doc::OverviewReport, Doc::ExecutiveSummary]).await?
    {
        return Err(ApiError::GateFailed(refusal));
    }
    let mut step = Step::begin(db, caller, &a, Operation::SubmitReview).await?;
    step.move_to(Stage::Submitted).await?;
    mark_met(step.txn(), review_id, DeadlineKind::Completion, sent_on).await?;
    let id = add_milestone(step.txn(), caller, review_id, Milestone::Submitted, "", sent_on, String::new()).await?;
    step.done("milestone", id).await?;
    Ok(())
}

/// A letter to Ofsted while the review runs late: an extension letter (after the Chair
/// has consented to moving the completion deadline) or an interim report.
pub async fn record_ofsted_letter(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    kind: Milestone,
    sent_on: NaiveDate,
    reasons: &str,
    progress: &str,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordOfstedLetter)?;
    let stage = a.stage()?;
    if stage == Stage::ClosedWithoutReview || stage < Stage::Decided || stage >= Stage::Submitted {
        return Err(ApiError::WrongStage(stage));
    }
    if !matches!(kind, Milestone::ExtensionLetter | Milestone::InterimReport) {
        return Err(ApiError::invalid("kind", "Choose an extension letter or an interim report"));
    }
    let mut problems = Problems::default();
    let reasons = problems.check(Text::parse("reasons", reasons));
    let progress = problems.check(Text::parse("progress", progress));
    problems.check(not_in_future("sentOn", sent_on));
    if kind == Milestone::ExtensionLetter {
        let completion = deadline::Entity::find()
            .filter(deadline::Column::ReviewId.eq(review_id))
            .filter(deadline::Column::Kind.eq(DeadlineKind::Completion.as_str()))
            .one(db)
            .await?;
        let extended = match completion {
            Some(d) => deadline_extension::Entity::find()
                .filter(deadline_extension::Column::DeadlineId.eq(d.id))
                .one(db)
                .await?
                .is_some(),
            None => false,
        };
        if !extended {
            problems.push("kind", "The Board Chair has not consented to extending the completion deadline");
        }
    }
    problems.finish()?;
    let details = format!(
        "Reasons: {}\nProgress: {}",
        reasons.map(Text::into_inner).unwrap_or_default(),
        progress.map(Text::into_inner).unwrap_or_default()
    );
    let step = Step::begin(db, caller, &a, Operation::RecordOfstedLetter).await?;
    let id = add_milestone(step.txn(), caller, review_id, kind, "", sent_on, details).await?;
    step.done("milestone", id).await?;
    Ok(())
}

/// Stage 15: Ofsted's evaluation letter; each amendment it asks for becomes a task.
pub async fn record_evaluation(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    received_on: NaiveDate,
    judgement: &str,
    amendments: &[String],
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RecordEvaluation)?;
    let mut problems = Problems::default();
    let judgement = problems.check(Text::parse("judgement", judgement));
    problems.check(not_in_future("receivedOn", received_on));
    let mut tasks = Vec::new();
    for (i, t) in amendments.iter().enumerate() {
        if let Some(t) = problems.check(Text::parse(&format!("amendments.{i}"), t)) {
            tasks.push(t.into_inner());
        }
    }
    problems.finish()?;
    let mut step = Step::begin(db, caller, &a, Operation::RecordEvaluation).await?;
    step.move_to(Stage::Evaluated).await?;
    let id = add_milestone(
        step.txn(),
        caller,
        review_id,
        Milestone::Evaluation,
        "",
        received_on,
        judgement.map(Text::into_inner).unwrap_or_default(),
    )
    .await?;
    for t in tasks {
        amendment::ActiveModel {
            review_id: Set(review_id),
            description: Set(t),
            done_on: Set(None),
            done_by: Set(None),
            ..Default::default()
        }
        .insert(step.txn())
        .await?;
    }
    step.done("milestone", id).await?;
    Ok(())
}

/// An amendment Ofsted asked for is done.
pub async fn complete_amendment(db: &DatabaseConnection, caller: &Caller, amendment_id: i32) -> ApiResult<i32> {
    let m = amendment::Entity::find_by_id(amendment_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let a = access::for_review(db, caller, m.review_id).await?;
    a.require(Operation::ManageActions)?;
    if m.done_on.is_some() {
        return Err(ApiError::invalid("amendmentId", "This amendment is already done"));
    }
    let step = Step::begin(db, caller, &a, Operation::ManageActions).await?;
    let mut am: amendment::ActiveModel = m.into();
    am.done_on = Set(Some(today()));
    am.done_by = Set(Some(caller.user.id));
    let saved = am.update(step.txn()).await?;
    step.done("amendment", saved.id).await?;
    Ok(saved.review_id)
}

/// An action of the plan as proposed: a SMART recommendation with its owner.
#[derive(Debug, Clone)]
pub struct NewAction {
    pub recommendation: String,
    pub agency_id: i32,
    pub owner_id: i32,
    pub due_on: Option<NaiveDate>,
    pub intended_outcome: String,
    pub success_measure: String,
}

/// Adds an action to the plan. The owner is given the action-owner assignment on the
/// review, so that they see it (their actions, the review pseudonymised).
pub async fn add_action(db: &DatabaseConnection, caller: &Caller, review_id: i32, n: NewAction) -> ApiResult<i32> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::ManageActions)?;
    let mut problems = Problems::default();
    let rec = Recommendation {
        action: n.recommendation.clone(),
        owner_agency: Some(AgencyId(n.agency_id)),
        due: n.due_on,
        intended_outcome: n.intended_outcome.clone(),
        success_measure: n.success_measure.clone(),
    };
    for p in shared::imr::smart_problems(&rec, 0, today()) {
        let field = match p.field.rsplit('.').next().unwrap_or("") {
            "action" => "recommendation",
            "ownerAgencyId" => "agencyId",
            "due" => "dueOn",
            other => other,
        };
        problems.push(field, p.message);
    }
    for (field, s) in [
        ("recommendation", &n.recommendation),
        ("intendedOutcome", &n.intended_outcome),
        ("successMeasure", &n.success_measure),
    ] {
        if s.chars().count() > Text::MAX_CHARS {
            problems.push(field, format!("Keep this under {} characters", Text::MAX_CHARS));
        }
    }
    let involved = review_agency::Entity::find()
        .filter(review_agency::Column::ReviewId.eq(review_id))
        .filter(review_agency::Column::AgencyId.eq(n.agency_id))
        .one(db)
        .await?;
    if involved.is_none() {
        problems.push("agencyId", "Choose an agency involved in this review");
    }
    let owner = user::Entity::find_by_id(n.owner_id).one(db).await?.filter(|u| u.active);
    if owner.is_none() {
        problems.push("ownerId", "No active user has that id");
    }
    problems.finish()?;
    let step = Step::begin(db, caller, &a, Operation::ManageActions).await?;
    let row = action::ActiveModel {
        review_id: Set(review_id),
        recommendation: Set(n.recommendation.trim().to_owned()),
        agency_id: Set(n.agency_id),
        owner_id: Set(n.owner_id),
        due_on: Set(n.due_on.unwrap_or_else(today)),
        intended_outcome: Set(n.intended_outcome.trim().to_owned()),
        success_measure: Set(n.success_measure.trim().to_owned()),
        status: Set(ActionStatus::Open.as_str().to_owned()),
        signed_up_by: Set(None),
        signed_up_at: Set(None),
        closure_comment: Set(None),
        closed_by: Set(None),
        closed_at: Set(None),
        reaudit_on: Set(None),
        reaudit_result: Set(None),
        version: Set(1),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    let assigned = review_assignment::Entity::find()
        .filter(review_assignment::Column::ReviewId.eq(review_id))
        .filter(review_assignment::Column::UserId.eq(n.owner_id))
        .filter(review_assignment::Column::Assignment.eq(Assignment::ActionOwner.as_str()))
        .one(step.txn())
        .await?;
    if assigned.is_none() {
        review_assignment::ActiveModel {
            review_id: Set(review_id),
            user_id: Set(n.owner_id),
            assignment: Set(Assignment::ActionOwner.as_str().to_owned()),
            agency_id: Set(Some(n.agency_id)),
            appointed_by: Set(caller.user.id),
            appointed_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(step.txn())
        .await?;
    }
    let message = format!("You own a new action, due {}", row.due_on.format("%d/%m/%Y"));
    crate::notify::tell(step.txn(), n.owner_id, &a.review, "assignment", message, "/actions".to_owned()).await?;
    step.done("action", row.id).await?;
    Ok(row.id)
}

/// The initial action-plan planning meeting (stage 16 begins): who came, and when
/// owners' updates are due.
pub async fn record_planning_meeting(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    held_on: NaiveDate,
    participants: &str,
    updates_due: NaiveDate,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::ManageActions)?;
    let mut problems = Problems::default();
    let participants = problems.check(Text::parse("participants", participants));
    problems.check(not_in_future("heldOn", held_on));
    if updates_due <= held_on {
        problems.push("updatesDue", "Updates fall due after the meeting");
    }
    problems.finish()?;
    let details = format!(
        "Participants: {}\nUpdates due: {}",
        participants.map(Text::into_inner).unwrap_or_default(),
        updates_due.format("%d/%m/%Y")
    );
    let mut step = Step::begin(db, caller, &a, Operation::ManageActions).await?;
    if a.stage()? == Stage::Evaluated {
        step.move_to(Stage::ActionPlanning).await?;
    }
    let id = add_milestone(step.txn(), caller, review_id, Milestone::PlanningMeeting, "", held_on, details).await?;
    step.done("milestone", id).await?;
    Ok(())
}

/// An agency's senior manager signs the agency up to its actions.
pub async fn sign_up_actions(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    agency_id: i32,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require_for_agency(Operation::SignUpActions, agency_id)?;
    let pending = action::Entity::find()
        .filter(action::Column::ReviewId.eq(review_id))
        .filter(action::Column::AgencyId.eq(agency_id))
        .filter(action::Column::SignedUpBy.is_null())
        .all(db)
        .await?;
    // One audit entry per action signed up to: the last is the step's own, written by done().
    let Some((last, rest)) = pending.split_last() else {
        return Err(ApiError::invalid("agencyId", "The agency has no actions waiting to be signed up to"));
    };
    let step = Step::begin(db, caller, &a, Operation::SignUpActions).await?;
    action::Entity::update_many()
        .col_expr(action::Column::SignedUpBy, Expr::value(caller.user.id))
        .col_expr(action::Column::SignedUpAt, Expr::value(Utc::now()))
        .col_expr(action::Column::Version, Expr::col(action::Column::Version).add(1))
        .filter(action::Column::Id.is_in(pending.iter().map(|p| p.id)))
        .exec(step.txn())
        .await?;
    for p in rest {
        log(step.txn(), caller, Operation::SignUpActions, "action", p.id, review_id, None).await?;
    }
    step.done("action", last.id).await?;
    Ok(())
}

async fn action_for(
    db: &DatabaseConnection,
    caller: &Caller,
    action_id: i32,
    op: Operation,
) -> ApiResult<(action::Model, ReviewAccess)> {
    let act = action::Entity::find_by_id(action_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let a = access::for_review(db, caller, act.review_id).await?;
    a.require(op)?;
    if !shared::policy::action_visible(&a.capacities, caller.id(), shared::UserId(act.owner_id)) {
        return Err(ApiError::NotFound);
    }
    Ok((act, a))
}

fn status_of(a: &action::Model) -> ApiResult<ActionStatus> {
    crate::stored::value("action status", &a.status, ActionStatus::parse)
}

/// The owner records progress, and may ask for the action to be closed.
pub async fn record_progress(
    db: &DatabaseConnection,
    caller: &Caller,
    action_id: i32,
    expected_version: i32,
    note: &str,
    request_closure: bool,
) -> ApiResult<i32> {
    let (act, a) = action_for(db, caller, action_id, Operation::UpdateAction).await?;
    if act.owner_id != caller.user.id {
        return Err(ApiError::Forbidden("an action you do not own".into()));
    }
    let status = status_of(&act)?;
    if status != ActionStatus::Open {
        return Err(ApiError::invalid("status", format!("The action is {}", status.title().to_lowercase())));
    }
    let note = Text::parse("note", note)?.into_inner();
    let step = Step::begin(db, caller, &a, Operation::UpdateAction).await?;
    let mut update = action::Entity::update_many()
        .col_expr(action::Column::Version, Expr::value(expected_version + 1))
        .filter(action::Column::Id.eq(act.id))
        .filter(action::Column::Version.eq(expected_version));
    if request_closure {
        update = update.col_expr(action::Column::Status, Expr::value(ActionStatus::ClosureRequested.as_str()));
    }
    if update.exec(step.txn()).await?.rows_affected != 1 {
        return Err(ApiError::Conflict { current: act.version });
    }
    let row = action_update::ActiveModel {
        action_id: Set(act.id),
        note: Set(note),
        recorded_by: Set(caller.user.id),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    if request_closure {
        let lead = a.review.lead_board_id;
        let mut deciders = crate::notify::board_officers(step.txn(), lead, Role::BusinessManager).await?;
        deciders.extend(crate::notify::board_officers(step.txn(), lead, Role::PerformanceSubGroup).await?);
        deciders.sort_unstable();
        deciders.dedup();
        for user in deciders {
            let message = "An action's owner asks for it to be closed".to_owned();
            let path = "/actions".to_owned();
            crate::notify::tell(step.txn(), user, &a.review, "closure_requested", message, path).await?;
        }
    }
    step.done("action_update", row.id).await?;
    Ok(act.review_id)
}

/// Someone other than the owner (business manager or performance sub-group) approves
/// the closure, optionally setting a re-audit date, or refuses it with a comment.
pub async fn decide_closure(
    db: &DatabaseConnection,
    caller: &Caller,
    action_id: i32,
    approve: bool,
    comment: Option<&str>,
    reaudit_on: Option<NaiveDate>,
) -> ApiResult<i32> {
    let (act, a) = action_for(db, caller, action_id, Operation::DecideClosure).await?;
    if act.owner_id == caller.user.id {
        return Err(ApiError::Forbidden("closing your own action: someone else must approve it".into()));
    }
    if status_of(&act)? != ActionStatus::ClosureRequested {
        return Err(ApiError::invalid("status", "The owner has not asked for this action to be closed"));
    }
    let comment = optional_text("comment", comment)?;
    if !approve && comment.is_empty() {
        return Err(ApiError::invalid("comment", "Say what is still needed before it can close"));
    }
    if let Some(d) = reaudit_on
        && d <= today()
    {
        return Err(ApiError::invalid("reauditOn", "The re-audit date must be in the future"));
    }
    let step = Step::begin(db, caller, &a, Operation::DecideClosure).await?;
    let review_id = act.review_id;
    let mut am: action::ActiveModel = act.clone().into();
    am.status = Set(if approve { ActionStatus::Implemented } else { ActionStatus::Open }.as_str().to_owned());
    am.closure_comment = Set(Some(comment).filter(|c| !c.is_empty()));
    am.closed_by = Set(approve.then_some(caller.user.id));
    am.closed_at = Set(approve.then(Utc::now));
    am.reaudit_on = Set(if approve { reaudit_on } else { None });
    am.version = Set(act.version + 1);
    let saved = am.update(step.txn()).await?;
    let (kind, message) = if approve {
        ("approval", "The closure of your action was approved")
    } else {
        ("return", "The closure of your action was refused: see what is still needed")
    };
    crate::notify::tell(step.txn(), saved.owner_id, &a.review, kind, message.to_owned(), "/actions".to_owned()).await?;
    step.done("action", saved.id).await?;
    Ok(review_id)
}

/// The result of an implemented action's re-audit.
pub async fn record_reaudit(db: &DatabaseConnection, caller: &Caller, action_id: i32, result: &str) -> ApiResult<i32> {
    let (act, a) = action_for(db, caller, action_id, Operation::DecideClosure).await?;
    if status_of(&act)? != ActionStatus::Implemented || act.reaudit_on.is_none() {
        return Err(ApiError::invalid("status", "Only an implemented action with a re-audit date is re-audited"));
    }
    let result = Text::parse("result", result)?.into_inner();
    let step = Step::begin(db, caller, &a, Operation::DecideClosure).await?;
    let review_id = act.review_id;
    let mut am: action::ActiveModel = act.clone().into();
    am.reaudit_result = Set(Some(result));
    am.version = Set(act.version + 1);
    let saved = am.update(step.txn()).await?;
    step.done("action", saved.id).await?;
    Ok(review_id)
}

/// The publication plan: a date, and whether the report goes with the summary (and if
/// not, the compelling reasons). A new plan replaces the old.
pub async fn plan_publication(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    planned_on: NaiveDate,
    together: bool,
    apart_reasons: Option<&str>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::PlanPublication)?;
    let reasons = optional_text("apartReasons", apart_reasons)?;
    if !together && reasons.is_empty() {
        return Err(ApiError::invalid(
            "apartReasons",
            "Give the compelling reasons for publishing the summary without the report",
        ));
    }
    if planned_on < today() {
        return Err(ApiError::invalid("plannedOn", "Plan publication for today or later"));
    }
    let details = if together { "together".to_owned() } else { format!("apart: {reasons}") };
    let step = Step::begin(db, caller, &a, Operation::PlanPublication).await?;
    milestone::Entity::delete_many()
        .filter(milestone::Column::ReviewId.eq(review_id))
        .filter(milestone::Column::Kind.eq(Milestone::PublicationPlan.as_str()))
        .exec(step.txn())
        .await?;
    let id = add_milestone(step.txn(), caller, review_id, Milestone::PublicationPlan, "", planned_on, details).await?;
    step.done("milestone", id).await?;
    Ok(())
}

/// An advance notice of publication sent to one of the bodies of 11.20 or the family.
pub async fn record_notice(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    body: NoticeBody,
    sent_on: NaiveDate,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::PlanPublication)?;
    not_in_future("sentOn", sent_on)?;
    let sent = milestones(db, review_id, Milestone::Notice).await?;
    if sent.iter().any(|m| m.body == body.as_str()) {
        return Err(ApiError::invalid("body", format!("{} has already been told", body.title())));
    }
    let step = Step::begin(db, caller, &a, Operation::PlanPublication).await?;
    let id =
        add_milestone(step.txn(), caller, review_id, Milestone::Notice, body.as_str(), sent_on, String::new()).await?;
    step.done("milestone", id).await?;
    Ok(())
}

/// What publication waits for, as the rules of `shared::completion` see it.
pub async fn publication_facts(
    db: &DatabaseConnection,
    a: &ReviewAccess,
    override_reason: Option<&str>,
) -> ApiResult<PublicationFacts> {
    let review_id = a.review.id;
    let plan = milestones(db, review_id, Milestone::PublicationPlan).await?.pop();
    let processes =
        parallel_process::Entity::find().filter(parallel_process::Column::ReviewId.eq(review_id)).all(db).await?;
    let mut open_processes = Vec::new();
    for p in processes.iter().filter(|p| p.status != ProcessStatus::Concluded.as_str()) {
        let kind = crate::stored::value("parallel process kind", &p.kind, shared::stage::ParallelProcessKind::parse)?;
        open_processes.push(kind.title().to_owned());
    }
    let facts: shared::criteria::ReferralFacts =
        match referral::Entity::find().filter(referral::Column::ReviewId.eq(review_id)).one(db).await? {
            Some(r) => crate::stored::json("referral facts", &r.facts)?,
            None => shared::criteria::ReferralFacts::default(),
        };
    let told: Vec<String> = milestones(db, review_id, Milestone::Notice).await?.into_iter().map(|m| m.body).collect();
    let notices_missing = required_notices(facts.child_died && facts.custody.is_some())
        .into_iter()
        .filter(|b| !told.iter().any(|t| t == b.as_str()))
        .collect();
    let (_, _, summary) = gate_hits(db, a).await?;
    let stopped = crate::anonymise::written_refusal(db, &a.review, &[Doc::ExecutiveSummary]).await?.is_some();
    let (together, apart_reasons) = match plan.as_ref().map(|p| p.details.as_str()) {
        Some(d) if d.starts_with("apart: ") => (false, Some(d.trim_start_matches("apart: ").to_owned())),
        _ => (true, None),
    };
    Ok(PublicationFacts {
        planned_on: plan.map(|p| p.on_date),
        open_processes,
        override_reason: override_reason.map(str::to_owned),
        together,
        apart_reasons,
        notices_missing,
        summary_passes_gate: summary && !stopped,
    })
}

/// Stage 17: publication, refused with every reason of `shared::completion` until
/// planned, noticed, anonymised and clear of open parallel processes (or overridden
/// with a reason, which is kept).
pub async fn publish(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    override_reason: Option<&str>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::Publish)?;
    let reason = optional_text("overrideReason", override_reason)?;
    let facts = publication_facts(db, &a, Some(reason.as_str()).filter(|r| !r.is_empty())).await?;
    let problems: Vec<ValidationError> = publication_problems(&facts);
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let details = if facts.open_processes.is_empty() {
        String::new()
    } else {
        format!("Published before {} concluded: {reason}", facts.open_processes.join(", "))
    };
    let mut step = Step::begin(db, caller, &a, Operation::Publish).await?;
    step.move_to(Stage::Published).await?;
    let id = add_milestone(step.txn(), caller, review_id, Milestone::Published, "", today(), details).await?;
    step.done("milestone", id).await?;
    Ok(())
}

/// Stage 18: the Chair concludes the review once every action is implemented, and the
/// Government Office is told.
pub async fn conclude(db: &DatabaseConnection, caller: &Caller, review_id: i32, told_on: NaiveDate) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::Conclude)?;
    not_in_future("governmentOfficeToldOn", told_on)?;
    let actions = action::Entity::find().filter(action::Column::ReviewId.eq(review_id)).all(db).await?;
    let mut open = 0;
    for x in &actions {
        if status_of(x)? != ActionStatus::Implemented {
            open += 1;
        }
    }
    if actions.is_empty() || open > 0 {
        return Err(ApiError::invalid(
            "actions",
            if actions.is_empty() {
                "The review has no action plan".to_owned()
            } else {
                format!("{open} action(s) are not yet implemented")
            },
        ));
    }
    let mut step = Step::begin(db, caller, &a, Operation::Conclude).await?;
    step.move_to(Stage::Concluded).await?;
    let id =
        add_milestone(step.txn(), caller, review_id, Milestone::GovernmentOfficeNotice, "", told_on, String::new())
            .await?;
    step.done("milestone", id).await?;
    Ok(())
}

/// A file of evidence, as listed (the bytes stay behind until downloaded).
#[derive(Debug, Clone)]
pub struct EvidenceInfo {
    pub id: i32,
    pub action_id: i32,
    pub file_name: String,
    /// The kind's stable name as stored: `evidence_kind` decodes it (a batched loader's
    /// error is a database error, so a corrupt kind is found where it is shown).
    pub kind: String,
    pub size: i32,
    pub uploaded_at: chrono::DateTime<Utc>,
}

impl EvidenceInfo {
    /// The file's kind; `INTERNAL` when the stored name does not parse.
    pub fn evidence_kind(&self) -> ApiResult<shared::completion::EvidenceKind> {
        crate::stored::value("evidence kind", &self.kind, shared::completion::EvidenceKind::parse)
    }
}

/// The owner attaches a file of evidence to an open action. Its kind is told from its
/// content and its size is limited (`shared::completion::check_evidence`).
pub async fn upload_evidence(
    db: &DatabaseConnection,
    caller: &Caller,
    action_id: i32,
    name: &str,
    bytes: Vec<u8>,
) -> ApiResult<i32> {
    let (act, a) = action_for(db, caller, action_id, Operation::UpdateAction).await?;
    if act.owner_id != caller.user.id {
        return Err(ApiError::Forbidden("an action you do not own".into()));
    }
    let status = status_of(&act)?;
    if status != ActionStatus::Open {
        return Err(ApiError::invalid("status", format!("The action is {}", status.title().to_lowercase())));
    }
    let name = shared::completion::clean_file_name(name);
    let name = name.as_str();
    let kind = shared::completion::check_evidence(name, &bytes)?;
    let step = Step::begin(db, caller, &a, Operation::UpdateAction).await?;
    let row = action_evidence::ActiveModel {
        action_id: Set(act.id),
        file_name: Set(name.trim().to_owned()),
        kind: Set(kind.as_str().to_owned()),
        size: Set(bytes.len() as i32),
        bytes: Set(bytes),
        uploaded_by: Set(caller.user.id),
        uploaded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    step.done("action_evidence", row.id).await?;
    Ok(row.id)
}

/// The evidence of actions, without the files' bytes.
pub async fn evidence_of(db: &impl ConnectionTrait, action_ids: &[i32]) -> Result<Vec<EvidenceInfo>, sea_orm::DbErr> {
    use sea_orm::QuerySelect;
    let rows: Vec<(i32, i32, String, String, i32, chrono::DateTime<Utc>)> = action_evidence::Entity::find()
        .select_only()
        .columns([
            action_evidence::Column::Id,
            action_evidence::Column::ActionId,
            action_evidence::Column::FileName,
            action_evidence::Column::Kind,
            action_evidence::Column::Size,
            action_evidence::Column::UploadedAt,
        ])
        .filter(action_evidence::Column::ActionId.is_in(action_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, action_id, file_name, kind, size, uploaded_at)| EvidenceInfo {
            id,
            action_id,
            file_name,
            kind,
            size,
            uploaded_at,
        })
        .collect())
}

/// A file of evidence, for whoever may see its action.
pub async fn evidence_file(
    db: &DatabaseConnection,
    caller: &Caller,
    evidence_id: i32,
) -> ApiResult<action_evidence::Model> {
    let e = action_evidence::Entity::find_by_id(evidence_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let act = action::Entity::find_by_id(e.action_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let a = access::for_review(db, caller, act.review_id).await?;
    a.read(shared::policy::Field::ActionPlan)?;
    if !shared::policy::action_visible(&a.capacities, caller.id(), shared::UserId(act.owner_id)) {
        return Err(ApiError::NotFound);
    }
    // A file cannot be pseudonymised: it goes as uploaded only to its owner, to those
    // who read the plan and names in full, and to whoever decides the action's closure
    // when they read names in full. Anyone else may have a text file masked as free
    // text is; other files are listed (kind, size, date) but not sent.
    let names = a.full(shared::policy::Field::PersonName);
    let full = a.full(shared::policy::Field::ActionPlan) && names;
    let decides = shared::policy::may_any(&a.capacities, Operation::DecideClosure) && names;
    if full || decides || act.owner_id == caller.user.id {
        return Ok(e);
    }
    if crate::stored::value("evidence kind", &e.kind, shared::completion::EvidenceKind::parse)?
        != shared::completion::EvidenceKind::Text
    {
        return Err(ApiError::Forbidden("evidence files: they may hold names (a text file is sent masked)".into()));
    }
    let gate = crate::anonymise::masking_gate(db, act.review_id).await?;
    let text = String::from_utf8(e.bytes).map_err(ApiError::internal)?;
    let bytes = gate.mask(&text).into_bytes();
    Ok(action_evidence::Model { size: bytes.len() as i32, bytes, file_name: gate.mask(&e.file_name), ..e })
}
