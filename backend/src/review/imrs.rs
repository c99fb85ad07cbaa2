//! IMRs (stages 8 to 10): requested of agencies, their authors designated and
//! declared independent, written in versions, submitted, and accepted or returned by
//! the panel.

use super::*;

/// The IMR and the caller's standing, once the caller may take `op` on it: refused
/// by role and stage first, then `NOT_FOUND` for an IMR the caller may not see.
pub(super) async fn imr_for(
    db: &DatabaseConnection,
    caller: &Caller,
    imr_id: i32,
    op: Operation,
) -> ApiResult<(imr::Model, ReviewAccess)> {
    let i = imr::Entity::find_by_id(imr_id).one(db).await?.ok_or(ApiError::NotFound)?;
    let a = access::for_review(db, caller, i.review_id).await?;
    a.require_for_agency(op, i.agency_id)?;
    if a.imr_view(i.agency_id, status_of(&i)?.is_submitted()) == ImrView::Hidden {
        return Err(ApiError::NotFound);
    }
    Ok((i, a))
}

/// The IMR as its designated author may change it now.
pub(super) async fn authored_imr(
    db: &DatabaseConnection,
    caller: &Caller,
    imr_id: i32,
) -> ApiResult<(imr::Model, ReviewAccess)> {
    let (i, a) = imr_for(db, caller, imr_id, Operation::WriteImr).await?;
    if i.author_id != Some(caller.user.id) {
        return Err(ApiError::Forbidden("an IMR you were not designated to write".into()));
    }
    let status = status_of(&i)?;
    if status == ImrStatus::AuthorDesignated {
        return Err(ApiError::invalid("declaration", "Declare your independence before writing the IMR"));
    }
    if !status.is_editable() {
        return Err(ApiError::invalid("status", format!("The IMR cannot be changed now: {}", status.title())));
    }
    Ok((i, a))
}

/// The day the terms of reference were agreed, which IMRs are requested after; the
/// decision to hold the review before they are.
async fn terms_agreed_on(db: &DatabaseConnection, r: &review::Model) -> ApiResult<(NaiveDate, &'static str)> {
    let approved = terms_approved_on(db, r.id).await?;
    Ok(approved.map_or_else(|| since_decision(r), |d| (d, "the terms of reference's approval")))
}

/// Stage 8: the business manager asks each of `agency_ids` for an IMR on the day
/// given (today when not given, never before the terms were agreed), due when the
/// review's IMR deadline falls (6 weeks after the decision).
pub async fn request_imrs(
    db: &DatabaseConnection,
    caller: &Caller,
    review_id: i32,
    agency_ids: &[i32],
    requested_on: Option<NaiveDate>,
) -> ApiResult<Vec<i32>> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::RequestImr)?;
    if agency_ids.is_empty() {
        return Err(ApiError::invalid("agencyIds", "Choose at least one agency"));
    }
    let involved = review_agency::Entity::find().filter(review_agency::Column::ReviewId.eq(review_id)).all(db).await?;
    let existing = imr::Entity::find().filter(imr::Column::ReviewId.eq(review_id)).all(db).await?;
    let mut problems = Problems::default();
    let on = event_date("requestedOn", requested_on, Some(terms_agreed_on(db, &a.review).await?), &mut problems);
    for (n, id) in agency_ids.iter().enumerate() {
        if !involved.iter().any(|x| x.agency_id == *id) {
            problems.push(format!("agencyIds.{n}"), "Not an agency involved in this review");
        } else if existing.iter().any(|x| x.agency_id == *id) || agency_ids[..n].contains(id) {
            problems.push(format!("agencyIds.{n}"), "An IMR is already requested from this agency");
        }
    }
    problems.finish()?;
    let due = deadline::Entity::find()
        .filter(deadline::Column::ReviewId.eq(review_id))
        .filter(deadline::Column::Kind.eq(DeadlineKind::ImrSubmission.as_str()))
        .one(db)
        .await?
        .map(|d| d.due_on)
        .unwrap_or_else(|| a.review.decided_on.unwrap_or_else(today) + chrono::Duration::weeks(6));
    let mut step = Step::begin(db, caller, &a, Operation::RequestImr).await?;
    let version = step.move_to(Stage::ImrsRequested).await?;
    let mut ids = Vec::new();
    let now = Utc::now();
    for (n, agency_id) in agency_ids.iter().enumerate() {
        let row = imr::ActiveModel {
            review_id: Set(review_id),
            agency_id: Set(*agency_id),
            status: Set(ImrStatus::Requested.as_str().to_owned()),
            due_on: Set(due),
            requested_by: Set(caller.user.id),
            requested_at: Set(now),
            requested_on: Set(Some(on)),
            author_id: Set(None),
            designated_by: Set(None),
            declared_at: Set(None),
            version: Set(0),
            content: Set(serde_json::to_string(&Content::default()).map_err(ApiError::internal)?),
            submitted_at: Set(None),
            panel_comments: Set(None),
            decided_by: Set(None),
            decided_at: Set(None),
            updated_at: Set(now),
            submitted_on: Set(None),
            decided_on: Set(None),
            ..Default::default()
        }
        .insert(step.txn())
        .await
        .map_err(|e| on_duplicate(e, || ApiError::Conflict { current: version }))?;
        // One audit entry per IMR requested; done() writes the last one.
        if n + 1 < agency_ids.len() {
            log(step.txn(), caller, Operation::RequestImr, "imr", row.id, review_id, Some(version)).await?;
        }
        ids.push(row.id);
    }
    let Some(&last) = ids.last() else {
        return Err(ApiError::invalid("agencyIds", "Choose at least one agency"));
    };
    step.done("imr", last).await?;
    Ok(ids)
}

/// The agency manager designates who writes the agency's IMR. The author must work
/// for the agency; a new designation replaces the previous author, whose
/// independence declaration lapses with it.
pub async fn designate_imr_author(
    db: &DatabaseConnection,
    caller: &Caller,
    imr_id: i32,
    user_id: i32,
) -> ApiResult<()> {
    let (i, a) = imr_for(db, caller, imr_id, Operation::DesignateImrAuthor).await?;
    let status = status_of(&i)?;
    if !matches!(status, ImrStatus::Requested | ImrStatus::AuthorDesignated | ImrStatus::InProgress) {
        return Err(ApiError::invalid("status", format!("The author cannot be changed now: {}", status.title())));
    }
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| ApiError::invalid("userId", "No active user has that id"))?;
    if u.agency_id != Some(i.agency_id) {
        return Err(ApiError::invalid("userId", "The IMR author must work for the agency"));
    }
    let step = Step::begin(db, caller, &a, Operation::DesignateImrAuthor).await?;
    if let Some(previous) = i.author_id {
        review_assignment::Entity::delete_many()
            .filter(review_assignment::Column::ReviewId.eq(i.review_id))
            .filter(review_assignment::Column::UserId.eq(previous))
            .filter(review_assignment::Column::Assignment.eq(Assignment::ImrAuthor.as_str()))
            .filter(review_assignment::Column::AgencyId.eq(i.agency_id))
            .exec(step.txn())
            .await?;
    }
    review_assignment::ActiveModel {
        review_id: Set(i.review_id),
        user_id: Set(user_id),
        assignment: Set(Assignment::ImrAuthor.as_str().to_owned()),
        agency_id: Set(Some(i.agency_id)),
        appointed_by: Set(caller.user.id),
        appointed_at: Set(Utc::now()),
        appointed_on: Set(Some(today())),
        ..Default::default()
    }
    .insert(step.txn())
    .await?;
    let mut am: imr::ActiveModel = i.into();
    am.author_id = Set(Some(user_id));
    am.designated_by = Set(Some(caller.user.id));
    am.declared_at = Set(None);
    am.status = Set(ImrStatus::AuthorDesignated.as_str().to_owned());
    am.updated_at = Set(Utc::now());
    let saved = am.update(step.txn()).await?;
    crate::step::tell(
        step.txn(),
        user_id,
        step.review(),
        "appointment",
        "You are your agency's IMR author: declare your independence to start".to_owned(),
        format!("/reviews/{}/imrs/{}", saved.review_id, saved.id),
    )
    .await?;
    step.done("imr", saved.id).await?;
    Ok(())
}

/// The designated author declares independence (SPEC 3): no direct involvement with
/// the child or family, no line management of the practitioners. A declaration that
/// fails is refused with each reason, and the author may not write.
pub async fn declare_independence(
    db: &DatabaseConnection,
    caller: &Caller,
    imr_id: i32,
    direct_involvement: bool,
    line_manages_practitioners: bool,
) -> ApiResult<()> {
    let (i, a) = imr_for(db, caller, imr_id, Operation::WriteImr).await?;
    if i.author_id != Some(caller.user.id) {
        return Err(ApiError::Forbidden("an IMR you were not designated to write".into()));
    }
    if status_of(&i)? != ImrStatus::AuthorDesignated {
        return Err(ApiError::invalid("status", "Independence is already declared for this IMR"));
    }
    let facts = Candidate { direct_involvement, line_manages_practitioners, ..Default::default() };
    let failures = independence_failures(Post::ImrAuthor, &facts);
    if !failures.is_empty() {
        return Err(ApiError::Validation(
            failures
                .iter()
                .map(|f| {
                    let field = match f {
                        shared::independence::IndependenceFailure::DirectInvolvement => "directInvolvement",
                        _ => "lineManagesPractitioners",
                    };
                    ValidationError::new(
                        field,
                        format!("{}: ask your agency manager to designate another author", f.title()),
                    )
                })
                .collect(),
        ));
    }
    let step = Step::begin(db, caller, &a, Operation::WriteImr).await?;
    let mut am: imr::ActiveModel = i.into();
    am.declared_at = Set(Some(Utc::now()));
    am.status = Set(ImrStatus::InProgress.as_str().to_owned());
    am.updated_at = Set(Utc::now());
    let saved = am.update(step.txn()).await?;
    step.done("imr", saved.id).await?;
    Ok(())
}

pub(super) fn check_len(problems: &mut Problems, field: &str, s: &str) {
    if s.chars().count() > Text::MAX_CHARS {
        problems.push(field, format!("Keep this under {} characters", Text::MAX_CHARS));
    }
}

/// Saves a new version of the IMR's written sections. `expected_version` is the
/// version the author started from; a save that lost the race is refused with
/// `CONFLICT` and the stored text is left as it was, so the author can merge.
pub async fn save_imr(
    db: &DatabaseConnection,
    caller: &Caller,
    imr_id: i32,
    expected_version: i32,
    mut content: Content,
) -> ApiResult<i32> {
    let (i, a) = authored_imr(db, caller, imr_id).await?;
    let n = shared::imr::ANALYSIS_QUESTIONS.len();
    let mut problems = Problems::default();
    if content.analysis.len() > n {
        problems.push("analysis", format!("There are {n} analysis questions"));
    }
    content.analysis.resize(n, String::new());
    for (field, s) in [
        ("summary", &content.summary),
        ("lessons", &content.lessons),
        ("goodPractice", &content.good_practice),
        ("staffSupport", &content.staff_support),
    ] {
        check_len(&mut problems, field, s);
    }
    for (k, s) in content.analysis.iter().enumerate() {
        check_len(&mut problems, &format!("analysis.{k}"), s);
    }
    let agencies: Vec<i32> = agency::Entity::find().all(db).await?.iter().map(|x| x.id).collect();
    for (k, r) in content.recommendations.iter().enumerate() {
        if r.owner_agency.is_some_and(|x| !agencies.contains(&x.0)) {
            problems.push(format!("recommendations.{k}.ownerAgencyId"), "No such agency");
        }
        for (part, s) in
            [("action", &r.action), ("intendedOutcome", &r.intended_outcome), ("successMeasure", &r.success_measure)]
        {
            check_len(&mut problems, &format!("recommendations.{k}.{part}"), s);
        }
    }
    problems.finish()?;
    let json = serde_json::to_string(&content).map_err(ApiError::internal)?;
    let step = Step::begin(db, caller, &a, Operation::WriteImr).await?;
    let version = expected_version + 1;
    let res = imr::Entity::update_many()
        .col_expr(imr::Column::Content, Expr::value(json.clone()))
        .col_expr(imr::Column::Version, Expr::value(version))
        .col_expr(imr::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(imr::Column::Id.eq(i.id))
        .filter(imr::Column::Version.eq(expected_version))
        .exec(step.txn())
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::Conflict { current: i.version });
    }
    imr_version::ActiveModel {
        imr_id: Set(i.id),
        version: Set(version),
        content: Set(json),
        saved_by: Set(caller.user.id),
        saved_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(step.txn())
    .await
    .map_err(|e| on_duplicate(e, || ApiError::Conflict { current: version }))?;
    step.done("imr", i.id).await?;
    Ok(version)
}

/// Everything that stops the IMR from being submitted as it stands.
pub async fn submission_problems(db: &impl ConnectionTrait, i: &imr::Model) -> ApiResult<Vec<ValidationError>> {
    let entries = chronology_entry::Entity::find().filter(chronology_entry::Column::ImrId.eq(i.id)).count(db).await?;
    Ok(shared::imr::submission_problems(&content_of(i)?.draft(entries as usize), today()))
}

/// Stage 9: the author submits the IMR on the day given (today when not given), never
/// before it was requested or, when it was returned, before the panel returned it.
/// Refused, listing every missing section, while any is empty or a recommendation is
/// not SMART.
pub async fn submit_imr(
    db: &DatabaseConnection,
    caller: &Caller,
    imr_id: i32,
    expected_version: i32,
    submitted_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let (i, a) = authored_imr(db, caller, imr_id).await?;
    if i.version != expected_version {
        return Err(ApiError::Conflict { current: i.version });
    }
    let mut problems = submission_problems(db, &i).await?;
    let after = match day_of(i.decided_on, i.decided_at) {
        Some(d) => (d, "the panel returned the IMR"),
        None => (day_of(i.requested_on, Some(i.requested_at)).unwrap_or_else(today), "the IMR was requested"),
    };
    let mut dated = Problems::default();
    let on = event_date("submittedOn", submitted_on, Some(after), &mut dated);
    if let Err(ApiError::Validation(es)) = dated.finish() {
        problems.extend(es);
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let step = Step::begin(db, caller, &a, Operation::WriteImr).await?;
    let res = imr::Entity::update_many()
        .col_expr(imr::Column::Status, Expr::value(ImrStatus::Submitted.as_str()))
        .col_expr(imr::Column::SubmittedAt, Expr::value(Utc::now()))
        .col_expr(imr::Column::SubmittedOn, Expr::value(on))
        .col_expr(imr::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(imr::Column::Id.eq(i.id))
        .filter(imr::Column::Version.eq(expected_version))
        .exec(step.txn())
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::Conflict { current: expected_version + 1 });
    }
    step.done("imr", i.id).await?;
    Ok(())
}

/// The panel accepts a submitted IMR, or returns it to the author with comments.
/// When the last requested IMR is accepted the review moves to "IMRs submitted" and
/// the IMR deadline is met.
pub async fn decide_imr(
    db: &DatabaseConnection,
    caller: &Caller,
    imr_id: i32,
    accept: bool,
    comments: Option<&str>,
    decided_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let (i, a) = imr_for(db, caller, imr_id, Operation::DecideImr).await?;
    if status_of(&i)? != ImrStatus::Submitted {
        return Err(ApiError::invalid("status", "Only a submitted IMR can be accepted or returned"));
    }
    let mut problems = Problems::default();
    let submitted = day_of(i.submitted_on, i.submitted_at).unwrap_or_else(today);
    let on = event_date("decidedOn", decided_on, Some((submitted, "the IMR was submitted")), &mut problems);
    let comments = match comments.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => problems.check(Text::parse("comments", c)).map(Text::into_inner),
        None if !accept => {
            problems.push("comments", "Say what the author should revise");
            None
        }
        None => None,
    };
    problems.finish()?;
    let others = imr::Entity::find()
        .filter(imr::Column::ReviewId.eq(i.review_id))
        .filter(imr::Column::Id.ne(i.id))
        .all(db)
        .await?;
    let mut all_accepted = accept;
    if accept {
        for o in &others {
            all_accepted &= status_of(o)? == ImrStatus::Accepted;
        }
    }
    let mut step = Step::begin(db, caller, &a, Operation::DecideImr).await?;
    if all_accepted {
        mark_met(step.txn(), i.review_id, DeadlineKind::ImrSubmission, on).await?;
        step.move_to(Stage::ImrsSubmitted).await?;
    }
    let review_id = i.review_id;
    let mut am: imr::ActiveModel = i.into();
    am.status = Set(if accept { ImrStatus::Accepted } else { ImrStatus::Returned }.as_str().to_owned());
    am.panel_comments = Set(comments);
    am.decided_by = Set(Some(caller.user.id));
    am.decided_at = Set(Some(Utc::now()));
    am.decided_on = Set(Some(on));
    am.updated_at = Set(Utc::now());
    let saved = am.update(step.txn()).await?;
    if let Some(author) = saved.author_id {
        let (kind, message) = if accept {
            ("approval", "The panel accepted your agency's IMR")
        } else {
            ("return", "The panel returned your agency's IMR with comments")
        };
        let path = format!("/reviews/{review_id}/imrs/{}", saved.id);
        crate::step::tell(step.txn(), author, step.review(), kind, message.to_owned(), path).await?;
    }
    step.done("imr", saved.id).await?;
    Ok(())
}

/// Recommendations as the API takes them.
pub fn recommendation(
    action: String,
    owner_agency_id: Option<i32>,
    due: Option<NaiveDate>,
    intended_outcome: String,
    success_measure: String,
) -> Recommendation {
    Recommendation { action, owner_agency: owner_agency_id.map(AgencyId), due, intended_outcome, success_measure }
}
