//! The action plan carried to closure (stages 16 and 17): actions given to owners,
//! the planning meeting, agencies signing up, progress with evidence, closure asked
//! for and decided, re-audits.

use super::*;

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
            appointed_on: Set(Some(today())),
            ..Default::default()
        }
        .insert(step.txn())
        .await?;
    }
    let message = format!("You own a new action, due {}", row.due_on.format("%d/%m/%Y"));
    crate::step::tell(step.txn(), n.owner_id, &a.review, "assignment", message, "/actions".to_owned()).await?;
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
    // The first meeting starts the action plan (after Ofsted's evaluation, or straight
    // after a local review is sent to the National Panel).
    if a.stage()? != Stage::ActionPlanning {
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

pub(super) async fn action_for(
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

pub(super) fn status_of(a: &action::Model) -> ApiResult<ActionStatus> {
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
        let mut deciders = crate::step::board_officers(step.txn(), lead, Role::BusinessManager).await?;
        deciders.extend(crate::step::board_officers(step.txn(), lead, Role::PerformanceSubGroup).await?);
        deciders.sort_unstable();
        deciders.dedup();
        for user in deciders {
            let message = "An action's owner asks for it to be closed".to_owned();
            let path = "/actions".to_owned();
            crate::step::tell(step.txn(), user, &a.review, "closure_requested", message, path).await?;
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
    crate::step::tell(step.txn(), saved.owner_id, &a.review, kind, message.to_owned(), "/actions".to_owned()).await?;
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
