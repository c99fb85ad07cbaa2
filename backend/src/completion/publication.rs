//! Publication and conclusion (stage 18): the plan, the notices, what still stops
//! publication, publishing, and telling the family the review is concluded.

use super::*;

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
    let notices_missing = required_notices(a.profile()?.kind, facts.child_died && facts.custody.is_some())
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
    published_on: Option<NaiveDate>,
) -> ApiResult<()> {
    let a = access::for_review(db, caller, review_id).await?;
    a.require(Operation::Publish)?;
    let reason = optional_text("overrideReason", override_reason)?;
    let facts = publication_facts(db, &a, Some(reason.as_str()).filter(|r| !r.is_empty())).await?;
    let mut problems: Vec<ValidationError> = publication_problems(&facts);
    // Never before anything that happened on the way to it: the submission, the
    // evaluation, the notices, the planning meeting.
    let recorded = milestone::Entity::find()
        .filter(milestone::Column::ReviewId.eq(review_id))
        // The plan holds the day publication is planned for, not a day something happened.
        .filter(milestone::Column::Kind.is_not_in([
            Milestone::Published.as_str(),
            Milestone::PublicationPlan.as_str(),
            Milestone::GovernmentOfficeNotice.as_str(),
        ]))
        .all(db)
        .await?;
    let latest = recorded.iter().max_by_key(|m| m.on_date);
    let submitted = match latest {
        Some(m) => {
            let what = crate::stored::value("milestone", &m.kind, Milestone::parse)?;
            Some((m.on_date, what.title()))
        }
        None => None,
    };
    let mut dated = Problems::default();
    let on = event_date("publishedOn", published_on, submitted, &mut dated);
    if let Err(ApiError::Validation(more)) = dated.finish() {
        problems.extend(more);
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let details = if facts.open_processes.is_empty() {
        String::new()
    } else {
        format!("Published before {} concluded: {reason}", facts.open_processes.join(", "))
    };
    let mut step = Step::begin(db, caller, &a, Operation::Publish).await?;
    // A local review's clock of six months stops when it is published.
    crate::step::mark_met(step.txn(), review_id, shared::deadline::DeadlineKind::LocalReviewPublication, on).await?;
    step.move_to(Stage::Published).await?;
    let id = add_milestone(step.txn(), caller, review_id, Milestone::Published, "", on, details).await?;
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
